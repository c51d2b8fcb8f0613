import { odata } from '@azure/data-tables';
import type { CaseFile } from '../routines/shared/cases';
import type { Consent } from '../routines/shared/consent';
import type { JournalEvent } from '../routines/shared/journal';
import { ADMINISTRATIONS } from '../routines/shared/organisation';
import { FREE_TEXT_FIELDS, changedBy, hasEnded, isDueForRetention, isExpired, isExpiredDoneStep, isPseudonymised, latestInstant, pseudonymiseCase, redactJournalEvent, redactTexts } from '../routines/shared/retention';
import type { Task } from '../routines/shared/tasks';
import type { Claim } from './claims';
import { CaseStore, referenceKey, referenceRk } from './cases';
import { escapeKey, type EntityTable, type Stored } from './entityTable';
import { StorageConflictError } from './errors';
import { OUTBOX_PREFIX, isOutboxRow } from './outbox';
import { WaitingListStore } from './waitingList';

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
  /** Routine A: rows of the case index (`c|<caseId>`) that named a queue the case no longer waits in, removed with the case's pseudonymisation. */
  queueIndexRowsRemoved: number;
  /**
   * Outbox rows of steps done (kept so that a form submitted again is told who did it) older than
   * the period, removed — in every table that has them (Plans, Referrals, PlanReviews, WaitingList).
   * A row whose effects are still pending is never removed.
   */
  doneStepsRemoved: number;
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
/** A row of routine A's case index (`c|<caseId>`, row = provider id): "this case waits at this provider". */
type CaseIndexRow = { kind: 'caseIndex'; caseId: string; providerId: string; entryId: string; claimedAt?: string };
const isCaseIndexRow = (v: unknown): v is CaseIndexRow => (v as { kind?: unknown } | null)?.kind === 'caseIndex';

/** The rows of one partition whose row keys start with `prefix` (a filter for `pages`). */
const withPrefix = (pk: string, prefix: string) => odata`PartitionKey eq ${escapeKey(pk)} and RowKey ge ${escapeKey(prefix)} and RowKey lt ${escapeKey(`${prefix}~`)}`;

/** Scopes of the Claims table that are markers, never expired (storage/backfills.ts). */
const KEPT_CLAIM_SCOPES = new Set(['backfill']);
const PAGE = 200;

/**
 * The retention sweep (gallring), the storage side of routines/shared/retention.ts. Goes through
 * each routine's aggregates a page at a time (never a read that grows with the city in one go):
 * an ended case past its period gets its journal's free texts, its consents' information, its
 * aggregate's free texts and — last, as the mark that it is done — its case file's reference and
 * initials replaced by a pseudonym (its reference index row moved to the pseudonym). Journal events (who, role,
 * when, step) and the access log stay. Routine A's cases that wait in no queue are treated alike
 * (from their last activity). Form claims, closed tasks, routine A's records of how an offer ended
 * and the outbox rows of steps done (kept for a form's "already done") past the period are
 * removed; an outbox row whose effects are pending never is.
 * Every write is conditional on the ETag read; a row someone wrote meanwhile waits for the next
 * run. Idempotent: a case done is skipped for one point read.
 *
 * This is the one place that rewrites journal rows: the law's retention rule outranks the
 * journal's append-only rule, and only the free texts go (docs/data-protection.md).
 */
export class RetentionStore {
  /** Routine A's own reads of its table (which entry a case has in a queue), over the same table. */
  private readonly queues: WaitingListStore;
  constructor(private readonly t: RetentionTables) {
    this.queues = new WaitingListStore(t.waitingList as never);
  }

  private routines(): RoutineTable[] {
    const noKind = (v: unknown) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === undefined && typeof (v as { state?: unknown }).state === 'string';
    return [
      { routine: 'D', table: this.t.plans, partitions: ['sp'], isAggregate: noKind, journalPk: (a) => a.caseId ?? (a.spId ? `sp:${a.spId}` : undefined) },
      { routine: 'C', table: this.t.referrals, partitions: ['c'], isAggregate: noKind, journalPk: (a) => a.caseId ?? undefined },
      { routine: 'B', table: this.t.planReviews, partitions: ADMINISTRATIONS.map((u) => `u|${u}`), isAggregate: noKind, journalPk: (a) => a.caseId ?? undefined },
    ];
  }

  async run(now: Date, days: number): Promise<RetentionReport> {
    const report: RetentionReport = { ended: 0, pseudonymised: 0, journalRows: 0, claimsRemoved: 0, closedTasksRemoved: 0, conflicts: 0, queueCasesPseudonymised: 0, offerEndingsRemoved: 0, queueIndexRowsRemoved: 0, doneStepsRemoved: 0 };
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
    report.doneStepsRemoved = await this.expireDoneSteps(now, days);
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

  /**
   * The case file's reference and initials replaced by its pseudonym; false when someone wrote it
   * meanwhile (counted, left for the next run). The case stays findable (journal export, access
   * extract) by its pseudonym only. The index rows first, the case file last (the mark that it is
   * done): a run that stops between them leaves the case to the next run, never an index row with
   * the reference in clear that nothing would find again. Each write on the ETag it read (the new
   * row: created only where there is none).
   */
  private async pseudonymise(caseFile: Stored<CaseFile>, report: RetentionReport): Promise<boolean> {
    const c = caseFile.value;
    const pseudonymous = pseudonymiseCase(c);
    const newRk = referenceRk(pseudonymous.reference, c.caseId);
    const oldRk = referenceRk(c.reference, c.caseId);
    const old = await this.t.cases.get(CaseStore.PK, oldRk);
    try {
      if (oldRk === newRk) {
        // A reference that already reads like the pseudonym: its row is rewritten, not replaced by another.
        if (old) await this.t.cases.replace(CaseStore.PK, oldRk, pseudonymous, old.etag);
        else await this.t.cases.create(CaseStore.PK, newRk, pseudonymous);
      } else {
        // Found by byReference only once the case file carries the pseudonym too (it compares the file's reference).
        await this.t.cases.create(CaseStore.PK, newRk, pseudonymous).catch(ignoreConflict);
        if (old) await this.t.cases.delete(CaseStore.PK, oldRk, old.etag);
      }
      await this.t.cases.replace(CaseStore.PK, c.caseId, pseudonymous, caseFile.etag);
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
      report.conflicts++;
      return false;
    }
    return true;
  }

  /**
   * Routine A has no aggregate that ends: a case has ended when it waits in no queue — it has no
   * entry in the queue of any provider its case index (`c|<caseId>`) names (the index's row of a
   * queue goes when the entry leaves it; one a crash or a lost race left behind names an entry that
   * is not the case's). Such a case past its period — from its last activity: its newest journal
   * event, or a registration of it in a queue (the index row's time), whichever is later — gets its
   * index rows and routine A's reference rows (`r|<unit>`, `r|`) removed, its journal's and
   * consents' free texts removed, and last its case file pseudonymised, as B–D's. The case files are
   * read a page at a time.
   */
  private async retainQueueCases(now: Date, days: number, report: RetentionReport): Promise<void> {
    for await (const page of this.t.cases.pages(odata`PartitionKey eq ${CaseStore.PK}`, PAGE)) {
      for (const row of page) {
        const c = row.value;
        // The case file itself (not one of its reference rows), of routine A, not done already.
        if (row.rowKey !== c.caseId || c.routine !== 'A' || isPseudonymised(c)) continue;
        const index = await this.queueIndex(c.caseId);
        if (index === 'waits') continue;
        const lastEvent = (await this.t.journal.list(c.caseId, { top: 1 }))[0]?.value.at;
        const last = latestInstant([lastEvent ?? c.createdAt, ...index.map((r) => r.value.claimedAt)]);
        if (!isDueForRetention(last, now, days)) continue;
        // First the queue rows: a row rewritten meanwhile is a registration of the case landing (its
        // index row is written first), and the case is left untouched for the next run. Then the
        // texts, and last the case file (once it carries the pseudonym, nothing finds these rows by
        // the case any more; a run that stops before it leaves the case to the next run).
        if (!(await this.removeQueueRows(c, index, report))) {
          report.conflicts++;
          continue;
        }
        report.journalRows += await this.redactJournal(c.caseId);
        await this.redactConsents(c.caseId);
        if (!(await this.pseudonymise(row, report))) continue;
        report.queueCasesPseudonymised++;
      }
    }
  }

  /**
   * Removes an ended case's rows from routine A's case index, then (only when none was rewritten
   * meanwhile and no registration has landed since) its rows in A's reference index, so the
   * reference finds nothing any more. False when the case is to be left for the next run.
   */
  private async removeQueueRows(c: CaseFile, index: Array<Stored<CaseIndexRow>>, report: RetentionReport): Promise<boolean> {
    let kept = false;
    for (const ix of index) {
      if (await this.deleteIfUnchanged(this.t.waitingList, ix)) report.queueIndexRowsRemoved++;
      else kept = true;
    }
    if (kept) return false;
    const again = await this.queueIndex(c.caseId);
    if (again === 'waits' || again.length > 0) return false;
    for (const pk of [`r|${c.owningUnit}`, 'r|']) {
      const ref = await this.t.waitingList.get(pk, referenceKey(c.reference));
      if (ref && (ref.value as { caseId?: string }).caseId === c.caseId && !(await this.deleteIfUnchanged(this.t.waitingList, ref))) return false;
    }
    return true;
  }

  /**
   * The case's rows in routine A's case index, when it waits in none of the queues they name (each
   * with its ETag, for removal); `waits` as soon as one queue has an entry of the case (its `k|` row,
   * or the entry the index row was written for). A case is indexed at a few providers: bounded.
   */
  private async queueIndex(caseId: string): Promise<'waits' | Array<Stored<CaseIndexRow>>> {
    const rows: Array<Stored<CaseIndexRow>> = [];
    for await (const page of this.t.waitingList.pages(odata`PartitionKey eq ${escapeKey(`c|${caseId}`)}`, PAGE)) {
      for (const row of page) {
        if (!isCaseIndexRow(row.value)) continue;
        const ix = row.value;
        if (await this.queues.entryOfCase(ix.providerId, caseId)) return 'waits';
        if ((await this.queues.entry(ix.providerId, ix.entryId))?.value.caseId === caseId) return 'waits';
        rows.push(row as Stored<CaseIndexRow>);
      }
    }
    return rows;
  }

  /** Routine A's queue partitions (`q|<providerId>`, from the provider directory), a page of the directory at a time. */
  private async *queuePartitions(): AsyncGenerator<string> {
    for await (const page of this.t.waitingList.pages(withPrefix('dir', 'p|'), PAGE)) {
      for (const r of page) {
        const v = r.value as { kind?: string; providerId?: string };
        if (v.kind === 'directory' && v.providerId) yield `q|${v.providerId}`;
      }
    }
  }

  /** How offers ended (`x|<entryId>` beside each provider's queue), older than the period, a page at a time: how many were removed. */
  private async expireOfferEndings(now: Date, days: number): Promise<number> {
    let n = 0;
    for await (const pk of this.queuePartitions()) {
      for await (const page of this.t.waitingList.pages(withPrefix(pk, 'x|'), PAGE)) {
        for (const row of page) {
          const v = row.value as { kind?: string; at?: string };
          if (v.kind !== 'answered' || !isExpired(v.at, now, days)) continue;
          if (await this.deleteIfUnchanged(this.t.waitingList, row)) n++;
        }
      }
    }
    return n;
  }

  /**
   * The outbox rows (`o|<stepId>`) of steps done and kept, older than the period, in every
   * partition a step commits in: D's plans (`sp`), C's referrals (`c`), B's reviews (`u|<unit>`),
   * A's queues (`q|<providerId>`). A page at a time; a row still pending is never removed.
   */
  private async expireDoneSteps(now: Date, days: number): Promise<number> {
    let n = 0;
    const places: Array<{ table: EntityTable<unknown>; partitions: AsyncIterable<string> | Iterable<string> }> = [
      ...this.routines().map((r) => ({ table: r.table, partitions: r.partitions })),
      { table: this.t.waitingList, partitions: this.queuePartitions() },
    ];
    for (const { table, partitions } of places) {
      for await (const pk of partitions) {
        for await (const page of table.pages(withPrefix(pk, OUTBOX_PREFIX), PAGE)) {
          for (const row of page) {
            if (!isOutboxRow(row.value) || !isExpiredDoneStep(row.value, now, days)) continue;
            if (await this.deleteIfUnchanged(table, row)) n++;
          }
        }
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
    for await (const page of this.t.consents.pages(odata`PartitionKey eq ${escapeKey(caseId)}`, PAGE)) {
      for (const row of page) {
        if (!changedBy(row.value, (c) => redactTexts(c, FREE_TEXT_FIELDS.consent))) continue;
        await this.t.consents.replace(row.partitionKey, row.rowKey, redactTexts(row.value, FREE_TEXT_FIELDS.consent), row.etag).catch(ignoreConflict);
      }
    }
  }

  /** Deletes a row on the ETag it was read with; false when someone wrote it meanwhile (left for the next run). */
  private async deleteIfUnchanged<T>(table: EntityTable<T>, row: Stored<T>): Promise<boolean> {
    try {
      await table.delete(row.partitionKey, row.rowKey, row.etag);
      return true;
    } catch (err) {
      ignoreConflict(err);
      return false;
    }
  }

  /** Form and button claims older than the period (markers are kept): how many were removed. */
  private async expireClaims(now: Date, days: number): Promise<number> {
    let n = 0;
    for await (const page of this.t.claims.pages('', PAGE)) {
      for (const row of page) {
        if (KEPT_CLAIM_SCOPES.has(row.partitionKey) || !isExpired(row.value.at, now, days)) continue;
        if (await this.deleteIfUnchanged(this.t.claims, row)) n++;
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
        if (await this.deleteIfUnchanged(this.t.tasks, row)) n++;
      }
    }
    return n;
  }
}

function ignoreConflict(err: unknown): void {
  if (!(err instanceof StorageConflictError)) throw err;
}
