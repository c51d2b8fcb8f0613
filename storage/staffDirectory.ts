import { z } from 'zod';
import { ROLES, hasRole, isUnitId, type Role, type StaffMember, type UnitId } from '../routines/shared/organisation';
import { EntityTable, type Stored } from './entityTable';
import { StorageConflictError, statusOf } from './errors';

const unitSchema = z.string().refine(isUnitId, 'unknown unit') as unknown as z.ZodType<UnitId>;
export const staffMemberSchema: z.ZodType<StaffMember> = z.object({
  // A person's row key sorts below '~': the index rows and the marker live at '~…'.
  id: z.string().min(1).max(100).refine((id) => id.charCodeAt(0) < 0x7e, 'an id starts with a character below "~"'),
  name: z.string().min(1).max(200),
  roles: z.array(z.object({ role: z.enum(ROLES), unit: unitSchema })).max(50),
});

const markerSchema = z.object({ version: z.number().int() });
type Marker = z.infer<typeof markerSchema>;

/** One transaction holds at most this many rows. */
const MAX_ROWS = 100;
const INDEX = '~role|';
const MARKER = '~index|v1';

/** The index row of one role a person holds in a unit. */
export const indexKey = (role: Role, unit: UnitId, personId: string) => `${INDEX}${role}|${unit}|${personId}`;
const indexKeys = (m: StaffMember) => [...new Set(m.roles.map((r) => indexKey(r.role, r.unit, m.id)))];

/**
 * The staff directory, partition 'staff' (see docs/storage.md):
 * - one row per person, row key = aadObjectId (below '~');
 * - one index row per role a person holds, `~role|<role>|<unit>|<personId>`, holding the whole
 *   person, so "who holds role R in unit U" is one range query whatever the size of the city;
 * - the marker `~index|v1`: the index is complete (written by `ensureIndex` once).
 * A save writes the person row and their index rows in one transaction, so a revoked role stops
 * acting at once (nothing is cached).
 */
export class StaffDirectory {
  static readonly PK = 'staff';
  private readonly marker: EntityTable<Marker>;

  constructor(readonly table: EntityTable<StaffMember>) {
    this.marker = new EntityTable(table.client, markerSchema, { split: false });
  }

  get(id: string): Promise<Stored<StaffMember> | undefined> {
    return this.table.get(StaffDirectory.PK, id);
  }

  /** The people with these ids that exist (parallel point reads), in the order asked. */
  async getMany(ids: readonly string[]): Promise<StaffMember[]> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => this.get(id)));
    return found.flatMap((s) => (s ? [s.value] : []));
  }

  /** Everyone (reads the whole directory: only for admin tools and migrations, never per turn). */
  async all(): Promise<StaffMember[]> {
    return (await this.table.list(StaffDirectory.PK, { to: '~' })).map((s) => s.value);
  }

  /** At most `top` people in id order, from `after` (exclusive) on: a bounded page. */
  async page(top: number, after?: string): Promise<StaffMember[]> {
    return (await this.table.list(StaffDirectory.PK, { ...(after !== undefined ? { from: `${after}\u0000` } : {}), to: '~', top })).map((s) => s.value);
  }

  /** The people who hold `role` in `unit`, in id order: one range query over the index. */
  async holders(role: Role, unit: UnitId): Promise<StaffMember[]> {
    const prefix = `${INDEX}${role}|${unit}|`;
    const rows = await this.table.list(StaffDirectory.PK, { from: prefix, to: `${INDEX}${role}|${unit}}` });
    // The row holds the person as of its last save; the check guards against a row left by a failure.
    return rows.map((r) => r.value).filter((m) => hasRole(m, role, unit));
  }

  /**
   * Saves a change conditionally: `etag` from the read, or none to create a new person. The
   * person row, an upsert of each role's index row and a delete of each removed role's row go in
   * one transaction (a lost race rolls all of it back: StorageConflictError 412/409).
   */
  async save(member: StaffMember, etag: string | undefined): Promise<Stored<StaffMember>> {
    let before: StaffMember | undefined;
    if (etag) {
      const now = await this.get(member.id);
      if (!now || now.etag !== etag) throw new StorageConflictError(this.table.name, `${StaffDirectory.PK}/${member.id}`, 412);
      before = now.value;
    }
    return this.write(member, etag, before ? indexKeys(before) : []);
  }

  /** Writes the person row (create, or replace on `etag`) with their index rows, deleting `stale` index rows no longer theirs. */
  private async write(member: StaffMember, etag: string | undefined, stale: string[]): Promise<Stored<StaffMember>> {
    const keep = indexKeys(member);
    const deletes = stale.filter((k) => !keep.includes(k)).map((rowKey) => ({ op: 'delete' as const, rowKey }));
    const upserts = keep.map((rowKey) => ({ op: 'upsert' as const, rowKey, value: member }));
    const head = etag ? { op: 'replace' as const, rowKey: member.id, value: member, etag } : { op: 'create' as const, rowKey: member.id, value: member };
    // Revocations go with the person row; should more than one transaction be needed (≥ 50
    // roles), the grants that did not fit follow in a second one.
    let actions = [head, ...deletes, ...upserts];
    let newEtag: string;
    try {
      newEtag = await this.table.transact(StaffDirectory.PK, actions.slice(0, MAX_ROWS));
    } catch (err) {
      // An index row to delete that is not there (left by an earlier partial failure) fails the
      // whole transaction with 404: once more without it. Still 404: the person row is gone.
      if (statusOf(err) !== 404) throw err;
      const missing = new Set((await Promise.all(deletes.map(async (d) => ((await this.table.get(StaffDirectory.PK, d.rowKey)) ? [] : [d.rowKey])))).flat());
      actions = actions.filter((a) => a.op !== 'delete' || !missing.has(a.rowKey));
      try {
        newEtag = await this.table.transact(StaffDirectory.PK, actions.slice(0, MAX_ROWS));
      } catch (again) {
        if (statusOf(again) === 404) throw new StorageConflictError(this.table.name, `${StaffDirectory.PK}/${member.id}`, 412);
        throw again;
      }
    }
    for (let i = MAX_ROWS; i < actions.length; i += MAX_ROWS) await this.table.transact(StaffDirectory.PK, actions.slice(i, i + MAX_ROWS));
    return { partitionKey: StaffDirectory.PK, rowKey: member.id, value: member, etag: newEtag };
  }

  /**
   * Creates many new people (bulk import): each with their index rows, packed into transactions
   * of at most 100 rows (a person and their index rows always in the same one), a few at a time.
   * A person who exists fails their transaction (StorageConflictError 409).
   */
  async createMany(members: readonly StaffMember[], parallel = 4): Promise<void> {
    const batches: Array<Parameters<EntityTable<StaffMember>['transact']>[1]> = [];
    let batch: Parameters<EntityTable<StaffMember>['transact']>[1] = [];
    for (const m of members) {
      const rows = [{ op: 'create' as const, rowKey: m.id, value: m }, ...indexKeys(m).map((rowKey) => ({ op: 'upsert' as const, rowKey, value: m }))];
      if (batch.length + rows.length > MAX_ROWS) {
        batches.push(batch);
        batch = [];
      }
      batch.push(...rows);
    }
    if (batch.length) batches.push(batch);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.table.transact(StaffDirectory.PK, batches[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.table.list(StaffDirectory.PK, { to: '~', top: 1 })).length === 0;
  }

  /**
   * Builds the role index once for a directory written before it existed: per person, their
   * index rows in one transaction conditional on the person's ETag (re-read and again on a lost
   * race), then every index row that matches no person's roles is removed, then the marker. Safe
   * to run on several instances at once. Instances of the old version must be stopped first: a
   * role they change is not reflected in the index.
   */
  async ensureIndex(): Promise<{ migrated: boolean; people: number; orphansRemoved: number }> {
    if (await this.marker.get(StaffDirectory.PK, MARKER)) return { migrated: false, people: 0, orphansRemoved: 0 };
    const wanted = new Set<string>();
    const people = await this.table.list(StaffDirectory.PK, { to: '~' });
    for (const read of people) {
      let p: Stored<StaffMember> | undefined = read;
      for (let attempt = 0; p; attempt++) {
        try {
          await this.write(p.value, p.etag, []);
          break;
        } catch (err) {
          if (!(err instanceof StorageConflictError) || attempt >= 10) throw err;
          p = await this.get(p.rowKey);
        }
      }
      if (p) for (const k of indexKeys(p.value)) wanted.add(k);
    }
    let orphansRemoved = 0;
    for (const row of await this.table.list(StaffDirectory.PK, { from: INDEX, to: `${INDEX.slice(0, -1)}}` })) {
      if (wanted.has(row.rowKey)) continue;
      // Re-check against the person now: a save since the scan may have granted it again.
      const person = await this.get(row.value.id);
      if (person && indexKeys(person.value).includes(row.rowKey)) continue;
      try {
        await this.table.transact(StaffDirectory.PK, [{ op: 'delete', rowKey: row.rowKey, etag: row.etag }]);
        orphansRemoved++;
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
      }
    }
    try {
      await this.marker.create(StaffDirectory.PK, MARKER, { version: 1 });
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
    return { migrated: true, people: people.length, orphansRemoved };
  }
}
