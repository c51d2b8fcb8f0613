import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ROUTINE_IDS } from '../routines/shared/cases';
import type { JournalEvent } from '../routines/shared/journal';
import { ROLES } from '../routines/shared/organisation';
import { EntityTable } from './entityTable';

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

  async forCase(caseId: string, top = 50): Promise<JournalEvent[]> {
    return (await this.table.list(caseId, { top })).map((s) => s.value);
  }
}

export function rowKeyFor(at: string): string {
  const inverted = (MAX_TIME - Date.parse(at)).toString().padStart(19, '0');
  return `${inverted}-${randomBytes(6).toString('hex')}`;
}
