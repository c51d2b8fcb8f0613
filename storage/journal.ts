import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ROUTINE_IDS } from '../routines/shared/cases';
import type { JournalEvent } from '../routines/shared/journal';
import { ROLES } from '../routines/shared/organisation';
import { EntityTable } from './entityTable';
import { StorageConflictError } from './errors';

export const journalEventSchema: z.ZodType<JournalEvent> = z.object({
  caseId: z.string().min(1).max(100),
  at: z.iso.datetime(),
  actorId: z.string().max(100),
  actorName: z.string().max(200),
  role: z.union([z.enum(ROLES), z.literal('system')]),
  unit: z.string().max(100) as unknown as z.ZodType<JournalEvent['unit']>,
  routine: z.union([z.enum(ROUTINE_IDS), z.literal('shared')]),
  step: z.string().min(1).max(100),
  details: z.record(z.string(), z.union([z.string().max(4000), z.number(), z.boolean()])),
});

const MAX_TIME = 8_640_000_000_000_000;

/**
 * The journal: append-only events per case, newest first. Partition = case id; the row key is
 * an inverted timestamp plus a random suffix, so a partition query returns the newest first.
 * There is deliberately no update or delete method.
 */
export class Journal {
  constructor(private readonly table: EntityTable<JournalEvent>) {}

  async append(event: JournalEvent): Promise<void> {
    await this.table.create(event.caseId, rowKeyFor(event.at), event);
  }

  /** Appends several events; those of one case go in one transaction (one request, all or none). */
  async appendAll(events: readonly JournalEvent[]): Promise<void> {
    const byCase = new Map<string, JournalEvent[]>();
    for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
    for (const [caseId, list] of byCase) {
      if (list.length === 1) await this.append(list[0]!);
      else for (let i = 0; i < list.length; i += 100) await this.table.transact(caseId, list.slice(i, i + 100).map((e) => ({ op: 'create' as const, rowKey: rowKeyFor(e.at), value: e })));
    }
  }

  /**
   * Appends the events of one step exactly once, however often it is called: each row key derives
   * from the event's time and its effect id, so a repeat is a create that exists (skipped). The
   * events of one case go in one transaction; when some of them exist already, one by one.
   */
  async appendOnce(items: ReadonlyArray<{ id: string; event: JournalEvent }>): Promise<void> {
    const byCase = new Map<string, Array<{ id: string; event: JournalEvent }>>();
    for (const i of items) byCase.set(i.event.caseId, [...(byCase.get(i.event.caseId) ?? []), i]);
    for (const [caseId, list] of byCase) {
      const rows = list.map((i) => ({ op: 'create' as const, rowKey: rowKeyFor(i.event.at, i.id), value: i.event }));
      try {
        if (rows.length === 1) await this.table.create(caseId, rows[0]!.rowKey, rows[0]!.value);
        else await this.table.transact(caseId, rows);
      } catch (err) {
        ignoreExisting(err);
        if (rows.length > 1) for (const r of rows) await this.table.create(caseId, r.rowKey, r.value).catch(ignoreExisting);
      }
    }
  }

  async forCase(caseId: string, top = 50): Promise<JournalEvent[]> {
    return (await this.table.list(caseId, { top })).map((s) => s.value);
  }
}

/**
 * Newest first: the inverted time, then a random suffix — or, for an effect of a step, one derived
 * from its id (the same id, the same row). A step's events share their time: the suffix keeps
 * their order (its step's hash, then its place in the step inverted), so the journal reads them in
 * the order the step decided them (an export, oldest first, shows "informed", "consent", "queued").
 */
export function rowKeyFor(at: string, effectId?: string): string {
  const inverted = (MAX_TIME - Date.parse(at)).toString().padStart(19, '0');
  if (effectId === undefined) return `${inverted}-${randomBytes(6).toString('hex')}`;
  const m = /^(.*):(\d{1,4})$/.exec(effectId);
  const suffix = m ? `${createHash('sha256').update(m[1]!).digest('hex').slice(0, 8)}${(9999 - Number(m[2])).toString().padStart(4, '0')}` : createHash('sha256').update(effectId).digest('hex').slice(0, 12);
  return `${inverted}-${suffix}`;
}

function ignoreExisting(err: unknown): void {
  if (!(err instanceof StorageConflictError)) throw err;
}
