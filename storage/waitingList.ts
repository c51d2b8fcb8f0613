import { z } from 'zod';
import type { Provider, QueueEntry } from '../routines/a-waiting-list/rules';
import type { UnitId } from '../routines/shared/organisation';
import { odata } from '@azure/data-tables';
import { EntityTable, escapeKey, type Stored } from './entityTable';
import { StorageConflictError } from './errors';
import { mapBounded } from './parallel';
import { outboxAction, outboxRowObject, OutboxRows, type OutboxRow } from './outbox';
import type { Effect } from '../routines/shared/effects';

const providerRow = z.object({
  kind: z.literal('provider'),
  providerId: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(200),
  providerKind: z.enum(['private', 'municipal']),
  places: z.number().int().min(0).max(500),
  occupied: z.number().int().min(0),
  waiting: z.number().int().min(0),
  openOffer: z.string().max(100).nullable(),
  nextSeq: z.number().int().min(1),
  responsibleUnit: z.string().max(100),
});
const entryRow = z.object({
  kind: z.literal('entry'),
  entryId: z.string().max(100),
  providerId: z.string().max(40),
  caseId: z.string().max(100),
  requestDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  seq: z.number().int().min(1),
  state: z.enum(['waiting', 'offered']),
  consentId: z.string().max(100),
  registeredBy: z.string().max(100),
  registeredAt: z.iso.datetime(),
  taskLabel: z.string().max(60).optional(),
  label: z.object({ reference: z.string().max(40), initials: z.string().max(10), protectedIdentity: z.boolean(), owningUnit: z.string().max(100) as unknown as z.ZodType<UnitId> }).optional(),
  keyed: z.boolean().optional(),
  offer: z
    .object({
      takenBy: z.string().max(100).optional(),
      takenByName: z.string().max(200).optional(),
      takenAt: z.iso.datetime().optional(),
      notReachedCount: z.number().int().min(0),
      lastAttemptByName: z.string().max(200).optional(),
      lastAttemptAt: z.iso.datetime().optional(),
      cards: z.array(z.object({ personId: z.string().max(100), activityId: z.string().max(512) })).max(1000).optional(),
      taskLabel: z.string().max(60).optional(),
    })
    .optional(),
});
const caseIndexRow = z.object({ kind: z.literal('caseIndex'), caseId: z.string().max(100), providerId: z.string().max(40), entryId: z.string().max(100), claimedAt: z.iso.datetime().optional() });
/** "This case waits at this provider" inside the queue partition (`k|<caseId>`), written and deleted in the same transaction as its entry. */
const caseKeyRow = z.object({ kind: z.literal('caseKey'), caseId: z.string().max(100), entryId: z.string().max(100) });
const referenceRow = z.object({ kind: z.literal('reference'), reference: z.string().max(40), caseId: z.string().max(100) });
/** How an offered entry ended and who recorded it (kept so a later press can say "already done by … at …"). */
const answeredRow = z.object({
  kind: z.literal('answered'),
  entryId: z.string().max(100),
  caseId: z.string().max(100),
  answer: z.string().max(40),
  by: z.string().max(100),
  byName: z.string().max(200),
  at: z.iso.datetime(),
  /** The officers' offer cards of the entry, replaced by the relay with how the offer ended. */
  cards: z.array(z.object({ personId: z.string().max(100), activityId: z.string().max(512) })).max(1000).optional(),
});
export type AnsweredEntry = Omit<z.infer<typeof answeredRow>, 'kind'>;
/**
 * One small row per provider in the directory partition: the provider list reads these, never the
 * queues. The name (fixed when the provider is added; nothing renames a provider) makes the pick
 * lists one query; rows written before it (no name) are completed by the providerDirectory-v2 backfill.
 */
const directoryRow = z.object({ kind: z.literal('directory'), providerId: z.string().regex(/^[a-z0-9-]{1,40}$/), name: z.string().min(1).max(200).optional() });
export const waitingListRowSchema = z.discriminatedUnion('kind', [providerRow, entryRow, caseIndexRow, caseKeyRow, referenceRow, answeredRow, directoryRow, outboxRowObject]);
type Row = z.infer<typeof waitingListRowSchema>;

const PROVIDER_RK = '!provider';
const queuePk = (providerId: string) => `q|${providerId}`;
const entryRk = (entryId: string) => `e|${entryId}`;
const caseKeyRk = (caseId: string) => `k|${caseId}`;
const referencePk = (unit: UnitId) => `r|${unit}`;
const answeredRk = (entryId: string) => `x|${entryId}`;
/** The provider directory: partition `dir`, row `p|<providerId>`. */
const DIRECTORY_PK = 'dir';
const directoryRk = (providerId: string) => `p|${providerId}`;

/** The entry id carries its queue order: `<requestDate>-<seq>`, so row-key order is queue order. */
export function entryIdFor(requestDate: string, seq: number): string {
  return `${requestDate}-${String(seq).padStart(9, '0')}`;
}

function toProvider(r: z.infer<typeof providerRow>): Provider {
  const { kind: _k, providerKind, responsibleUnit, ...rest } = r;
  return { ...rest, kind: providerKind, responsibleUnit: responsibleUnit as UnitId };
}
function fromProvider(p: Provider): Row {
  const { kind, ...rest } = p;
  return { kind: 'provider', ...rest, providerKind: kind };
}
function fromEntry(e: QueueEntry): Row {
  return { kind: 'entry', ...e };
}
function toEntry(r: z.infer<typeof entryRow>): QueueEntry {
  const { kind: _k, ...rest } = r;
  return rest;
}

/** One change of a queue entry in a provider's transaction (`etag`: conditional on it). */
export type QueueChange = { op: 'create' | 'replace' | 'delete'; entry: QueueEntry; etag?: string };

/** The provider row among a partition query's rows, with its ETag. */
function providerIn(rows: ReadonlyArray<Stored<Row>>): Versioned<Provider> | undefined {
  const p = rows.find((r) => r.value.kind === 'provider');
  return p && p.value.kind === 'provider' ? { value: toProvider(p.value), etag: p.etag } : undefined;
}

/** The (first matching) entry row among a partition query's rows, with its ETag. */
function entryIn(rows: ReadonlyArray<Stored<Row>>, match: (r: Stored<Row>) => boolean = () => true): Versioned<QueueEntry> | undefined {
  const e = rows.find((r) => r.value.kind === 'entry' && match(r));
  return e && e.value.kind === 'entry' ? { value: toEntry(e.value), etag: e.etag } : undefined;
}

export interface Versioned<T> {
  value: T;
  etag: string;
}

/**
 * Providers and their waiting lists. One partition per provider (`q|<providerId>`) holds the
 * provider row (`!provider`, sorting first) and its open queue entries (`e|<date>-<seq>`, in queue
 * order). Every change of a provider and its queue is one transaction conditional on the provider
 * row's ETag, so concurrent registrations and offers serialise on it: a lost race is a
 * StorageConflictError and nothing is half-written. The first in line is the first entry row, and
 * reading it costs the same for 10 or 10,000 waiting. Closed entries leave the partition (their
 * history is in the journal). A case waits at most once per provider: its `k|<caseId>` row in the
 * queue partition is created with its entry and deleted with it, in the same transaction. The case
 * index (`c|<caseId>`, row = provider id) lists the providers a case waits at (for a revocation);
 * it is written before the registration's transaction, so it may name one that never committed.
 */
export class WaitingListStore {
  /** The outbox rows `o|<stepId>` of routine A's steps, each in its provider's partition (written in the step's transaction). */
  readonly outbox: OutboxRows;
  constructor(readonly table: EntityTable<Row>) {
    this.outbox = new OutboxRows(table as EntityTable<unknown>, async () => (await this.table.list(DIRECTORY_PK, { from: 'p|', to: 'p|~' })).flatMap((s) => (s.value.kind === 'directory' ? [queuePk(s.value.providerId)] : [])));
  }

  async provider(providerId: string): Promise<Versioned<Provider> | undefined> {
    const s = await this.table.get(queuePk(providerId), PROVIDER_RK);
    return s && s.value.kind === 'provider' ? { value: toProvider(s.value), etag: s.etag } : undefined;
  }

  /**
   * Every provider, by name: one query of the directory partition (one row per provider) and a
   * point read of each provider row (bounded parallel) for its counts. The cost is the number of
   * providers, never the number of queue entries.
   */
  async allProviders(): Promise<Provider[]> {
    const dir = await this.table.list(DIRECTORY_PK, { from: 'p|', to: 'p|~' });
    const ids = dir.flatMap((s) => (s.value.kind === 'directory' ? [s.value.providerId] : []));
    const found = await mapBounded(ids, 16, (id) => this.provider(id));
    return found.flatMap((p) => (p ? [p.value] : [])).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }

  /**
   * Every provider's id and name, by name, for pick lists (the join form, the provider forms): one
   * query of the directory partition, whatever the number of providers or queue entries. A row
   * without a name (written by an older version, before its backfill ran) costs a point read of its
   * provider row; one whose provider row is missing (a crash between the two writes) is skipped.
   */
  async providerChoices(): Promise<Array<{ providerId: string; name: string }>> {
    const dir = (await this.table.list(DIRECTORY_PK, { from: 'p|', to: 'p|~' })).flatMap((s) => (s.value.kind === 'directory' ? [s.value] : []));
    const named = await mapBounded(dir, 16, async (d) => (d.name ? { providerId: d.providerId, name: d.name } : (await this.provider(d.providerId))?.value));
    return named.flatMap((p) => (p ? [{ providerId: p.providerId, name: p.name }] : [])).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }

  /** The directory row is written first: one without its provider row (a crash between) is skipped when listing. */
  async addProvider(p: Provider): Promise<void> {
    await this.table.upsert(DIRECTORY_PK, directoryRk(p.providerId), { kind: 'directory', providerId: p.providerId, name: p.name });
    await this.table.create(queuePk(p.providerId), PROVIDER_RK, fromProvider(p));
  }

  /**
   * Storage written before the directory existed has provider rows without directory rows: the
   * old scan (row key `!provider` in every partition) finds them and writes their directory rows.
   * Idempotent (upserts of the same rows); run once at startup (storage/backfills.ts).
   */
  async backfillDirectory(): Promise<number> {
    const rows = await this.table.query(`RowKey eq '${PROVIDER_RK}'`);
    let n = 0;
    for (const s of rows) {
      if (s.value.kind !== 'provider') continue;
      await this.table.upsert(DIRECTORY_PK, directoryRk(s.value.providerId), { kind: 'directory', providerId: s.value.providerId, name: s.value.name });
      n++;
    }
    return n;
  }

  /** Saves a provider change alone (places, occupied) conditionally. */
  async saveProvider(p: Provider, etag: string): Promise<void> {
    await this.table.replace(queuePk(p.providerId), PROVIDER_RK, fromProvider(p), etag);
  }

  async entry(providerId: string, entryId: string): Promise<Versioned<QueueEntry> | undefined> {
    const s = await this.table.get(queuePk(providerId), entryRk(entryId));
    return s && s.value.kind === 'entry' ? { value: toEntry(s.value), etag: s.etag } : undefined;
  }

  /** The outbox row of a step on a provider's queue (pending, or done and kept). */
  stepRow(providerId: string, stepId: string): Promise<Stored<OutboxRow> | undefined> {
    return this.outbox.get(queuePk(providerId), stepId);
  }

  /** The provider row and one of its entries, with their ETags, in one request (a query of the two keys). */
  async providerAndEntry(providerId: string, entryId: string): Promise<{ provider?: Versioned<Provider> | undefined; entry?: Versioned<QueueEntry> | undefined }> {
    const pk = escapeKey(queuePk(providerId));
    const rows = await this.table.query(odata`PartitionKey eq ${pk} and (RowKey eq ${PROVIDER_RK} or RowKey eq ${escapeKey(entryRk(entryId))})`);
    return { provider: providerIn(rows), entry: entryIn(rows, (r) => r.rowKey === entryRk(entryId)) };
  }

  /** The provider row and the first in line, with their ETags, in one request. */
  async providerAndFirst(providerId: string): Promise<{ provider?: Versioned<Provider> | undefined; first?: Versioned<QueueEntry> | undefined }> {
    const pk = escapeKey(queuePk(providerId));
    // '!provider' sorts before every 'e|…' row: the first two rows are the provider and the first in line.
    const rows = await this.table.query(odata`PartitionKey eq ${pk} and (RowKey eq ${PROVIDER_RK} or (RowKey ge ${'e|'} and RowKey lt ${'e|~'}))`, 2);
    return { provider: providerIn(rows), first: entryIn(rows) };
  }

  /** The first `top` entries in queue order (one range query on the partition). */
  async queue(providerId: string, top?: number): Promise<QueueEntry[]> {
    const rows = await this.table.list(queuePk(providerId), { from: 'e|', to: 'e|~', ...(top ? { top } : {}) });
    return rows.flatMap((s) => (s.value.kind === 'entry' ? [toEntry(s.value)] : []));
  }

  /**
   * 1-based position of an entry: all entries (the provider's `waiting` count) minus those behind
   * it. New registrations are usually last, so this reads few rows however long the queue is.
   */
  async position(providerId: string, entryId: string): Promise<number> {
    // One query reads the provider row and the entries behind together, so a registration landing
    // meanwhile is seen by both counts or by neither.
    const pk = escapeKey(queuePk(providerId));
    const rows = await this.table.query(odata`PartitionKey eq ${pk} and (RowKey eq ${PROVIDER_RK} or (RowKey gt ${escapeKey(entryRk(entryId))} and RowKey lt ${'e|~'}))`);
    const provider = rows.find((r) => r.value.kind === 'provider');
    const behind = rows.filter((r) => r.value.kind === 'entry').length;
    return Math.max(1, (provider?.value.kind === 'provider' ? provider.value.waiting : 0) - behind);
  }

  async openEntryOfCase(caseId: string, providerId: string): Promise<Stored<Row> | undefined> {
    return this.table.get(`c|${caseId}`, providerId);
  }

  /**
   * The providers a case waits at (the case index `c|<caseId>`), each with its entry: the queue
   * partition's `k|<caseId>` row names the entry when there is one (written with it); an index
   * without it (written before the k| rows, or left by a registration that never committed) names
   * the entry it was written for.
   */
  async casesOpenEntries(caseId: string): Promise<Array<{ providerId: string; entryId: string }>> {
    const index = (await this.table.list(`c|${caseId}`)).flatMap((s) => (s.value.kind === 'caseIndex' ? [{ providerId: s.value.providerId, entryId: s.value.entryId }] : []));
    const found = await mapBounded(index, 8, async (x) => {
      const k = await this.table.get(queuePk(x.providerId), caseKeyRk(caseId));
      if (k && k.value.kind === 'caseKey') return [{ providerId: x.providerId, entryId: k.value.entryId }];
      // An index written before a transaction that lost its race may name an entry id another case got.
      const e = await this.entry(x.providerId, x.entryId);
      return e && e.value.caseId !== caseId ? [] : [x];
    });
    return found.flat();
  }

  /** The case index row (`c|<caseId>`, row = provider), written (idempotently) before a registration's transaction. */
  async indexCase(caseId: string, providerId: string, entryId: string, now: Date): Promise<void> {
    await this.table.upsert(`c|${caseId}`, providerId, { kind: 'caseIndex', caseId, providerId, entryId, claimedAt: now.toISOString() });
  }

  /**
   * What a registration of a case at a provider reads, in one query of the queue partition: the
   * provider row, the case's `k|` row (it waits there already) and the entries with a later request
   * date (those behind the new entry, for its position).
   */
  async registrationState(providerId: string, caseId: string, requestDate: string): Promise<{ provider?: Versioned<Provider> | undefined; queuedEntryId?: string | undefined; behind: number }> {
    const pk = escapeKey(queuePk(providerId));
    // '.' sorts after '-': every entry of a later request date, none of this one (the new one is its last).
    const rows = await this.table.query(odata`PartitionKey eq ${pk} and (RowKey eq ${PROVIDER_RK} or RowKey eq ${escapeKey(caseKeyRk(caseId))} or (RowKey gt ${escapeKey(entryRk(`${requestDate}.`))} and RowKey lt ${'e|~'}))`);
    const k = rows.find((r) => r.value.kind === 'caseKey');
    return {
      provider: providerIn(rows),
      queuedEntryId: k && k.value.kind === 'caseKey' ? k.value.entryId : undefined,
      behind: rows.filter((r) => r.value.kind === 'entry').length,
    };
  }

  /** The entry of a case at a provider, by its `k|` row (registrations since the k| rows). */
  async entryOfCase(providerId: string, caseId: string): Promise<Versioned<QueueEntry> | undefined> {
    const k = await this.table.get(queuePk(providerId), caseKeyRk(caseId));
    return k && k.value.kind === 'caseKey' ? this.entry(providerId, k.value.entryId) : undefined;
  }

  /**
   * Routine A finds a case by its reference, only within the units given (the caller's scopes):
   * one case per reference and owning unit, so a reference typed in another unit finds nothing.
   * Rows written before the index was scoped (partition `r|`) are returned too; the caller checks
   * each case's owning unit before using it.
   */
  async caseIdsByReference(reference: string, units: readonly UnitId[]): Promise<string[]> {
    const key = reference.trim().toUpperCase();
    const rows = await Promise.all([...units.map((u) => this.table.get(referencePk(u), key)), this.table.get('r|', key)]);
    return [...new Set(rows.flatMap((s) => (s && s.value.kind === 'reference' ? [s.value.caseId] : [])))];
  }
  async indexCaseReference(reference: string, caseId: string, unit: UnitId): Promise<void> {
    try {
      await this.table.create(referencePk(unit), reference.trim().toUpperCase(), { kind: 'reference', reference: reference.trim(), caseId });
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }

  async releaseCaseIndex(caseId: string, providerId: string): Promise<void> {
    await this.table.delete(`c|${caseId}`, providerId);
  }

  /**
   * Writes a provider change together with entry changes, atomically and only if the provider
   * row still has `etag`; `answered` records how a closed offer ended, in the same transaction.
   */
  async commit(provider: Provider, etag: string, changes: QueueChange[], answered?: AnsweredEntry): Promise<void> {
    await this.table.transact(queuePk(provider.providerId), await this.queueActions(provider, etag, changes, answered));
  }

  /**
   * Commits one step of a provider's queue: the outbox row with every effect of the step, the
   * provider row on its ETag, the entry changes and how a closed offer ended — one transaction in
   * the provider's partition. Returns the outbox row as stored, for the relay.
   */
  async commitStep(provider: Provider, etag: string, changes: QueueChange[], step: { stepId: string; effects: Effect[]; now: Date; keep?: { byName: string } | undefined }, answered?: AnsweredEntry): Promise<Stored<OutboxRow>> {
    const outbox = outboxAction(step.stepId, step.effects, step.now, step.keep);
    // The outbox row first: `transact` returns the ETag of the first action's row.
    const outboxEtag = await this.table.transact(queuePk(provider.providerId), [{ ...outbox, value: outbox.value as Row }, ...(await this.queueActions(provider, etag, changes, answered))]);
    return { partitionKey: queuePk(provider.providerId), rowKey: outbox.rowKey, value: outbox.value, etag: outboxEtag };
  }

  /**
   * The rows a queue change writes: the provider row on its ETag, each entry, how a closed offer
   * ended, and each entry's case `k|` row — created with a new entry (a second registration of the
   * case fails on it, 409), deleted with one that leaves (when it has one: entries registered
   * before the k| rows have none).
   */
  private async queueActions(provider: Provider, etag: string, changes: QueueChange[], answered?: AnsweredEntry): Promise<Array<{ op: 'create' | 'replace' | 'upsert' | 'delete'; rowKey: string; value?: Row; etag?: string }>> {
    const keys = [];
    for (const c of changes) {
      if (c.op === 'create') keys.push({ op: 'create' as const, rowKey: caseKeyRk(c.entry.caseId), value: { kind: 'caseKey' as const, caseId: c.entry.caseId, entryId: c.entry.entryId } });
      if (c.op !== 'delete') continue;
      // An entry registered with its k| row (created in the same transaction) has it still: deleted without a read.
      if (c.entry.keyed) {
        keys.push({ op: 'delete' as const, rowKey: caseKeyRk(c.entry.caseId) });
        continue;
      }
      // Read outside the transaction: a k| row is only created with a provider-row change, so one created since fails this transaction's ETag.
      const k = await this.table.get(queuePk(provider.providerId), caseKeyRk(c.entry.caseId));
      if (k && k.value.kind === 'caseKey' && k.value.entryId === c.entry.entryId) keys.push({ op: 'delete' as const, rowKey: caseKeyRk(c.entry.caseId), etag: k.etag });
    }
    return [
      { op: 'replace', rowKey: PROVIDER_RK, value: fromProvider(provider), etag },
      // A new entry is written with its k| row (below): it says so, so that it leaves with it without a read.
      ...changes.map((c) => ({ op: c.op, rowKey: entryRk(c.entry.entryId), value: fromEntry(c.op === 'create' ? { ...c.entry, keyed: true } : c.entry), ...(c.etag ? { etag: c.etag } : {}) })),
      ...(answered ? [{ op: 'create' as const, rowKey: answeredRk(answered.entryId), value: { kind: 'answered' as const, ...answered } }] : []),
      ...keys,
    ];
  }

  /** How an offered entry ended, once it has left the queue. */
  async answered(providerId: string, entryId: string): Promise<AnsweredEntry | undefined> {
    const s = await this.table.get(queuePk(providerId), answeredRk(entryId));
    if (!s || s.value.kind !== 'answered') return undefined;
    const { kind: _k, ...rest } = s.value;
    return rest;
  }
}

export { withRetries } from './contention';
