import { z } from 'zod';
import { ROUTINE_IDS } from '../routines/shared/cases';
import type { AccessEntry } from '../routines/shared/accessLog';
import { EntityTable } from './entityTable';
import { randomBytes, createHash } from 'node:crypto';

export const accessEntrySchema: z.ZodType<AccessEntry> = z.object({
  at: z.iso.datetime(),
  personId: z.string().min(1).max(100),
  personName: z.string().max(200),
  role: z.string().max(60),
  unit: z.string().max(100),
  caseId: z.string().min(1).max(100),
  routine: z.union([z.enum(ROUTINE_IDS), z.literal('shared')]),
  view: z.string().min(1).max(60),
});

/** Shards of a day: a person's rows are all in one (a turn's entries are one transaction); a case's are read from every shard. */
export const ACCESS_SHARDS = 8;
const shardOf = (personId: string) => createHash('sha256').update(personId).digest()[0]! % ACCESS_SHARDS;
const dayPk = (day: string, shard: number) => `d|${day}|${shard}`;
const DAY_MS = 86_400_000;

/**
 * The access log (loggkontroll): who (person, role, unit) saw which case, in which view of which
 * routine, when. Append-only: there is no update and no delete (retention keeps it; see
 * docs/data-protection.md). Partition = the day (UTC) and a shard of the person, `d|<YYYY-MM-DD>|<n>`;
 * row = `p|<personId>|<at>|<random>`. So the entries of one turn (one person) are one transaction,
 * an extract per person reads one range of one partition per day, and an extract per case reads
 * the day's shards, a page at a time (its cost is the period's log, never the whole table).
 */
export class AccessLog {
  constructor(private readonly table: EntityTable<AccessEntry>) {}

  /** Appends entries (normally one turn's, one person's): one transaction per partition, ≤ 100 rows each. */
  async append(entries: readonly AccessEntry[]): Promise<void> {
    const byPk = new Map<string, AccessEntry[]>();
    for (const e of entries) {
      const pk = dayPk(e.at.slice(0, 10), shardOf(e.personId));
      byPk.set(pk, [...(byPk.get(pk) ?? []), e]);
    }
    for (const [pk, list] of byPk) {
      for (let i = 0; i < list.length; i += 100) {
        const rows = list.slice(i, i + 100).map((e) => ({ op: 'create' as const, rowKey: `p|${e.personId}|${e.at}|${randomBytes(4).toString('hex')}`, value: e }));
        if (rows.length === 1) await this.table.create(pk, rows[0]!.rowKey, rows[0]!.value);
        else await this.table.transact(pk, rows);
      }
    }
  }

  /** A person's entries from `from` to `to` (inclusive days), oldest day first; at most `max`. */
  async forPerson(personId: string, from: Date, to: Date, max = 5000): Promise<AccessEntry[]> {
    const out: AccessEntry[] = [];
    for (const day of days(from, to)) {
      const rows = await this.table.list(dayPk(day, shardOf(personId)), { from: `p|${personId}|`, to: `p|${personId}|~`, top: max - out.length });
      out.push(...rows.map((r) => r.value).filter((e) => inRange(e, from, to)));
      if (out.length >= max) break;
    }
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** A case's entries from `from` to `to`: every shard of each day, a page at a time, keeping only the case's rows; at most `max`. */
  async forCase(caseId: string, from: Date, to: Date, max = 5000): Promise<AccessEntry[]> {
    const out: AccessEntry[] = [];
    for (const day of days(from, to)) {
      for (let shard = 0; shard < ACCESS_SHARDS; shard++) {
        for await (const page of this.table.pages(`PartitionKey eq '${dayPk(day, shard)}'`, 500)) {
          for (const r of page) if (r.value.caseId === caseId && inRange(r.value, from, to)) out.push(r.value);
          if (out.length >= max) return out.sort((a, b) => a.at.localeCompare(b.at));
        }
      }
    }
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }
}

function inRange(e: AccessEntry, from: Date, to: Date): boolean {
  const t = Date.parse(e.at);
  return t >= from.getTime() && t <= to.getTime();
}

/** The UTC days from `from` to `to`, at most 400. */
function days(from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t <= to.getTime() && out.length < 400; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
