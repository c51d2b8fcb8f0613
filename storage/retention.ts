import { odata } from '@azure/data-tables';
import type { CaseFile } from '../routines/shared/cases';
import type { Consent } from '../routines/shared/consent';
import type { JournalEvent } from '../routines/shared/journal';
import { ADMINISTRATIONS } from '../routines/shared/organisation';
import { FREE_TEXT_FIELDS, changedBy, hasEnded, isDueForRetention, isExpired, isPseudonymised, pseudonymiseCase, redactJournalEvent, redactTexts } from '../routines/shared/retention';
import type { Task } from '../routines/shared/tasks';
import type { Claim } from './claims';
import { CaseStore, referenceRk } from './cases';
import type { EntityTable, Stored } from './entityTable';
import { StorageConflictError } from './errors';

/** What one retention run did (counts only: no ids, no texts). */
export interface RetentionReport {
  /** Ended aggregates looked at (B reviews, C referrals, D plans). */
  ended: number;
  /** Cases whose identifying data was replaced by a pseudonym in this run. */
  pseudonymised: number;
  /** Journal rows whose free texts were removed. */
  journalRows: number;
  claimsRemoved: number;
  closedTasksRemoved: number;
  /** Aggregates someone wrote meanwhile (ETag): left for the next run. */
  conflicts: number;
  /** Routine A: cases that wait in no queue any more, pseudonymised in this run. */
  queueCasesPseudonymised: number;
  /** Routine A: rows that said how an offer ended (`x|<entryId>`, for a late press of its card), removed after the period. */
  offerEndingsRemoved: number;
}

export interface RetentionTables {
  cases: EntityTable<CaseFile>;
  journal: EntityTable<JournalEvent>;
  consents: EntityTable<Consent>;
  plans: EntityTable<unknown>;
  referrals: EntityTable<unknown>;
  planReviews: EntityTable<unknown>;
  claims: EntityTable<Claim>;
  tasks: EntityTable<Task>;
  /** Routine A's table: the case index (`c|<caseId>`), the provider directory (`dir`), how offers ended (`q|<providerId>`, `x|…`). */
  waitingList: EntityTable<unknown>;
}

type Aggregate = { state: string; caseId: string | null; createdAt: string; spId?: string };
type RoutineTable = { routine: 'B' | 'C' | 'D'; table: EntityTable<unknown>; partitions: string[]; isAggregate: (v: unknown) => boolean; journalPk: (a: Aggregate) => string | undefined };

/** Scopes of the Claims table that are markers, never expired (storage/backfills.ts). */
const KEPT_CLAIM_SCOPES = new Set(['backfill']);
const PAGE = 200;

/**
 * The retention sweep (gallring), the storage side of routines/shared/retention.ts. Goes through
 * each routine's aggregates a page at a time (never a read that grows with the city in one go):
 * an ended case past its period gets its journal's free texts, its consents' information, its
 * aggregate's free texts and — last, as the mark that it is done — its case file's reference and
 * initials replaced by a pseudonym (its reference index row moved to the pseudonym). Journal events (who, role,
 * when, step) and the access log stay. Form claims and closed tasks past the period are removed.
 * Every write is conditional on the ETag read; a row someone wrote meanwhile waits for the next
 * run. Idempotent: a case done is skipped for one point read.
 *
 * This is the one place that rewrites journal rows: the law's retention rule outranks the
 * journal's append-only rule, and only the free texts go (docs/data-protection.md).
 */
export class RetentionStore {
  constructor(private readonly t: RetentionTables) {}

  private routines(): RoutineTable[] {
    const noKind = (v: unknown) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === undefined && typeof (v as { state?: unknown }).state === 'string';
    return [
      { routine: 'D', table: this.t.plans, partitions: ['sp'], isAggregate: noKind, journalPk: (a) => a.caseId ?? (a.spId ? `sp:${a.spId}` : undefined) },
      { routine: 'C', table: this.t.referrals, partitions: ['c'], isAggregate: noKind, journalPk: (a) => a.caseId ?? undefined },
      { routine: 'B', table: this.t.planReviews, partitions: ADMINISTRATIONS.map((u) => `u|${u}`), isAggregate: noKind, journalPk: (a) => a.caseId ?? undefined },
    ];
  }

  async run(now: Date, days: number): Promise<RetentionReport> {
    const report: RetentionReport = { ended: 0, pseudonymised: 0, journalRows: 0, claimsRemoved: 0, closedTasksRemoved: 0, conflicts: 0, queueCasesPseudonymised: 0, offerEndingsRemoved: 0 };
    for (const r of this.routines()) {
      for (const pk of r.partitions) {
        for await (const page of r.table.pages(odata`PartitionKey eq ${pk}`, PAGE)) {
          for (const row of page) {
            if (!r.isAggregate(row.value)) continue;
            const agg = row.value as Aggregate;
            if (!hasEnded(r.routine, agg.state)) continue;
            report.ended++;
            await this.retain(r, row as Stored<Aggregate>, now, days, report);
          }
        }
      }
    }
    await this.retainQueueCases(now, days, report);
    report.offerEndingsRemoved = await this.expireOfferEndings(now, days);
    report.claimsRemoved = await this.expireClaims(now, days);
    report.closedTasksRemoved = await this.expireClosedTasks(now, days);
    return report;
  }

  /** One ended aggregate: nothing when done already or not due yet; otherwise journal, consents, aggregate, then the case file. */
  private async retain(r: RoutineTable, row: Stored<Aggregate>, now: Date, days: number, report: RetentionReport): Promise<void> {
    const agg = row.value;
    const fields = FREE_TEXT_FIELDS[r.routine];
    const caseFile = agg.caseId ? await this.t.cases.get(CaseStore.PK, agg.caseId) : undefined;
    const aggregateDone = !changedBy(agg, (v) => redactTexts(v, fields));
    if (aggregateDone && (!caseFile || isPseudonymised(caseFile.value))) return;
    const journalPk = r.journalPk(agg);
    // The period runs from the case's last journal event (the step that ended it, or a later one).
    const last = journalPk ? (await this.t.journal.list(journalPk, { top: 1 }))[0]?.value.at : undefined;
    if (!isDueForRetention(last ?? agg.createdAt, now, days)) return;
    if (journalPk) report.journalRows += await this.redactJournal(journalPk);
    if (agg.caseId) await this.redactConsents(agg.caseId);
    if (!aggregateDone) {
      try {
        await r.table.replace(row.partitionKey, row.rowKey, redactTexts(agg, fields), row.etag);
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
        report.conflicts++;
        return;
      }
    }
    if (caseFile && !isPseudonymised(caseFile.value) && !(await this.pseudonymise(caseFile, report))) return;
    report.pseudonymised++;
  }

  /** The case file's reference and initials replaced by its pseudonym; false when someone wrote it meanwhile (counted, left for the next run). */
  private async pseudonymise(caseFile: Stored<CaseFile>, report: RetentionReport): Promise<boolean> {
    const pseudonymous = pseudonymiseCase(caseFile.value);
    try {
      await this.t.cases.replace(CaseStore.PK, caseFile.value.caseId, pseudonymous, caseFile.etag);
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
      report.conflicts++;
      return false;
    }
    // The case stays findable (journal export, access extract) by its pseudonym only.
    await this.t.cases.upsert(CaseStore.PK, referenceRk(pseudonymous.reference, pseudonymous.caseId), pseudonymous);
    await this.t.cases.delete(CaseStore.PK, referenceRk(caseFile.value.reference, caseFile.value.caseId));
    return true;
  }

  /**
   * Routine A has no aggregate that ends: a case has ended when it waits in no queue (its case
   * index, `c|<caseId>`, is empty — an entry's row there goes when it leaves its queue). Such a case
   * past its period (from its last journal event) gets its journal's and consents' free texts
   * removed and its case file pseudonymised, as B–D's. The case files are read a page at a time.
   */
  private async retainQueueCases(now: Date, days: number, report: RetentionReport): Promise<void> {
    for await (const page of this.t.cases.pages(odata`PartitionKey eq ${CaseStore.PK}`, PAGE)) {
      for (const row of page) {
        const c = row.value;
        // The case file itself (not one of its reference rows), of routine A, not done already.
        if (row.rowKey !== c.caseId || c.routine !== 'A' || isPseudonymised(c)) continue;
        if ((await this.t.waitingList.list(`c|${c.caseId}`, { top: 1 })).length > 0) continue;
        const last = (await this.t.journal.list(c.caseId, { top: 1 }))[0]?.value.at;
        if (!isDueForRetention(last ?? c.createdAt, now, days)) continue;
        report.journalRows += await this.redactJournal(c.caseId);
        await this.redactConsents(c.caseId);
        if (!(await this.pseudonymise(row, report))) continue;
        // Routine A's own reference index (`r|<unit>`, and the older `r|`): the reference finds nothing any more.
        for (const pk of [`r|${c.owningUnit}`, 'r|']) {
          const ref = await this.t.waitingList.get(pk, c.reference.trim().toUpperCase());
          if (ref && (ref.value as { caseId?: string }).caseId === c.caseId) await this.t.waitingList.delete(pk, ref.rowKey, ref.etag).catch(ignoreConflict);
        }
        report.queueCasesPseudonymised++;
      }
    }
  }

  /** How offers ended (`x|<entryId>` beside each provider's queue), older than the period: how many were removed. */
  private async expireOfferEndings(now: Date, days: number): Promise<number> {
    let n = 0;
    const providers = (await this.t.waitingList.list('dir', { from: 'p|', to: 'p|~' })).flatMap((r) => {
      const v = r.value as { kind?: string; providerId?: string };
      return v.kind === 'directory' && v.providerId ? [v.providerId] : [];
    });
    for (const providerId of providers) {
      for (const row of await this.t.waitingList.list(`q|${providerId}`, { from: 'x|', to: 'x|~' })) {
        const v = row.value as { kind?: string; at?: string };
        if (v.kind !== 'answered' || !isExpired(v.at, now, days)) continue;
        await this.t.waitingList.delete(row.partitionKey, row.rowKey, row.etag).catch(ignoreConflict);
        n++;
      }
    }
    return n;
  }

  /** The case's journal rows without their free texts (a page at a time); how many rows changed. */
  private async redactJournal(pk: string): Promise<number> {
    let n = 0;
    for await (const page of this.t.journal.pages(odata`PartitionKey eq ${pk}`, PAGE)) {
      for (const row of page) {
        if (!changedBy(row.value, redactJournalEvent)) continue;
        try {
          await this.t.journal.replace(row.partitionKey, row.rowKey, redactJournalEvent(row.value), row.etag);
          n++;
        } catch (err) {
          if (!(err instanceof StorageConflictError)) throw err;
        }
      }
    }
    return n;
  }

  private async redactConsents(caseId: string): Promise<void> {
    for (const row of await this.t.consents.list(caseId)) {
      if (!changedBy(row.value, (c) => redactTexts(c, FREE_TEXT_FIELDS.consent))) continue;
      await this.t.consents.replace(row.partitionKey, row.rowKey, redactTexts(row.value, FREE_TEXT_FIELDS.consent), row.etag).catch(ignoreConflict);
    }
  }

  /** Form and button claims older than the period (markers are kept): how many were removed. */
  private async expireClaims(now: Date, days: number): Promise<number> {
    let n = 0;
    for await (const page of this.t.claims.pages('', PAGE)) {
      for (const row of page) {
        if (KEPT_CLAIM_SCOPES.has(row.partitionKey) || !isExpired(row.value.at, now, days)) continue;
        await this.t.claims.delete(row.partitionKey, row.rowKey, row.etag).catch(ignoreConflict);
        n++;
      }
    }
    return n;
  }

  /** Closed tasks (`closed|<id>` in each unit's partition) closed longer ago than the period. */
  private async expireClosedTasks(now: Date, days: number): Promise<number> {
    let n = 0;
    for await (const page of this.t.tasks.pages(odata`RowKey ge ${'closed|'} and RowKey lt ${'closed}'}`, PAGE)) {
      for (const row of page) {
        if (row.value.state === 'open' || !isExpired(row.value.closedAt, now, days)) continue;
        await this.t.tasks.delete(row.partitionKey, row.rowKey, row.etag).catch(ignoreConflict);
        n++;
      }
    }
    return n;
  }
}

function ignoreConflict(err: unknown): void {
  if (!(err instanceof StorageConflictError)) throw err;
}
