import { z } from 'zod';
import { C_STATES, GOAL_ASSESSMENTS, type Referral } from '../routines/c-kompetenscenter/rules';
import { ADMINISTRATIONS } from '../routines/shared/organisation';
import type { Effect } from '../routines/shared/effects';
import { EntityTable, type Stored } from './entityTable';
import { StorageConflictError, statusOf } from './errors';
import { isOutboxRow, outboxAction, outboxRowSchema, OutboxRows, type OutboxRow } from './outbox';
import { mapBounded } from './parallel';

const text = (max: number) => z.string().max(max);
const id = z.string().max(100);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
const instant = z.iso.datetime();

export type CardRef = { personId: string; activityId: string; kind: string };
export type StoredReferral = Referral & { cards?: CardRef[] | undefined };

export const referralSchema: z.ZodType<StoredReferral> = z.object({
  referralId: id,
  caseId: id,
  socialWorkerId: id,
  socialWorkerName: text(200),
  administration: z.enum(ADMINISTRATIONS),
  protectedIdentity: z.boolean(),
  state: z.enum(C_STATES),
  notReferredReason: z.enum(['criteria', 'afMeasure']).optional(),
  criteria: z.object({ unemployed: z.boolean(), withinThreeYears: z.boolean() }),
  af: z.object({ ssbtekOn: isoDate, askedOn: isoDate, afActivity: z.enum(['none', 'ongoingOrPlanned']), formsSentOn: isoDate.optional() }).optional(),
  coordinatorContact: z.object({ requestedAt: instant, confirmedBy: id.optional(), confirmedByName: text(200).optional(), confirmedAt: instant.optional() }).optional(),
  consentId: id.optional(),
  consentRevokedAt: instant.optional(),
  workPlanUpdatedOn: isoDate.optional(),
  decisions: z.array(z.object({ decisionDate: isoDate, expiresOn: isoDate, at: instant })).max(50),
  assignment: z.object({ needs: text(2000), includes: text(2000), goals: z.array(text(500)).min(1).max(10), sentAt: instant }).optional(),
  consultantId: id.optional(),
  consultantName: text(200).optional(),
  consultantTakenAt: z.iso.datetime().optional(),
  intake: z
    .object({ at: localDateTime, place: text(200), interpreter: text(100), clientTold: z.boolean(), viaCoordinator: z.boolean(), preparedAt: instant.optional() })
    .optional(),
  intakes: z.array(z.object({ at: localDateTime, outcome: z.enum(['missed', 'held']) })).max(50),
  missed: z.object({ followedUpOn: isoDate, newMeeting: z.boolean() }).optional(),
  proposedTime: z.object({ at: localDateTime, place: text(200) }).optional(),
  intakeHeld: z.object({ attendedInPerson: z.boolean(), requirementsExplained: z.boolean(), firstFollowUp: isoDate }).optional(),
  startDate: isoDate.optional(),
  plans: z.array(isoDate).max(100),
  followUps: z
    .array(
      z.object({
        date: isoDate,
        bookedAt: instant,
        sf: z.object({ checkedAgainstPlan: text(2000), clientPerception: text(2000), complementaryNeeds: text(2000), at: instant }).optional(),
        kc: z.object({ progress: text(2000), furtherNeeds: text(2000), at: instant }).optional(),
      }),
    )
    .max(100),
  events: z.array(z.object({ side: z.enum(['sf', 'kc']), by: id, byName: text(200), text: text(2000), at: instant })).max(200),
  disagreements: z
    .array(z.object({ side: z.enum(['sf', 'kc']), by: id, byName: text(200), question: text(2000), at: instant, resolution: text(2000).optional(), resolvedByName: text(200).optional(), resolvedAt: instant.optional() }))
    .max(50),
  renewal: z.object({ answer: z.enum(['renew', 'close']), at: instant }).optional(),
  withdrawal: z.object({ reason: text(2000), at: instant, documentedAt: instant.optional() }).optional(),
  closing: z
    .object({
      announcedAt: instant,
      selfSufficiency: z.boolean(),
      reason: text(2000),
      threePartyBooking: z.object({ at: localDateTime, place: text(200), interpreter: text(100), byName: text(200), bookedAt: instant }).optional(),
      threePartyMeetingOn: isoDate.optional(),
      document: z.object({ endDate: isoDate, why: text(2000), goals: z.array(z.object({ goal: text(500), assessment: z.enum(GOAL_ASSESSMENTS) })).max(10), at: instant }).optional(),
      gwaClosedAt: instant.optional(),
      treservaClosedAt: instant.optional(),
    })
    .optional(),
  createdAt: instant,
  cards: z.array(z.object({ personId: id, activityId: z.string().max(512), kind: z.string().max(40) })).max(200).optional(),
});

/**
 * Index rows beside each referral that is not finished (same partition, same transaction as the
 * referral): `i|p|<personId>|<id>` for its social worker and its consultant, `i|a|<administration>|<id>`
 * for the administration's supervisors, `i|kc|<id>` once KC may be involved (a consent, a coordinator
 * contact or an assignment) for the KC coordinators and the consultants' pool.
 */
const referralIndexSchema = z.object({ kind: z.literal('referralIndex'), referralId: id });
type IndexRow = z.infer<typeof referralIndexSchema>;
type ReferralRow = StoredReferral | IndexRow | OutboxRow;
/** What the Referrals table holds: referrals, their index rows and the outbox rows `o|<stepId>` of steps not yet carried out. */
export const referralRowSchema: z.ZodType<ReferralRow> = z.union([referralSchema, referralIndexSchema, outboxRowSchema]);
/** A row that is not a referral: an index row or an outbox row (skipped by every read of referrals). */
const isIndex = (v: ReferralRow): v is IndexRow | OutboxRow => (v as IndexRow).kind === 'referralIndex' || isOutboxRow(v);
const finished = (r: Referral) => r.state === 'closed' || r.state === 'notReferred';

/** Which lists a referral is in: the index keys (row-key prefixes) of those who may list it. */
export function referralListKeys(r: Referral, evenIfFinished = false): string[] {
  if (finished(r) && !evenIfFinished) return [];
  const keys = [`i|p|${r.socialWorkerId}|`, `i|a|${r.administration}|`];
  if (r.consultantId && r.consultantId !== r.socialWorkerId) keys.push(`i|p|${r.consultantId}|`);
  if (r.consentId || r.coordinatorContact || r.assignment) keys.push('i|kc|');
  return keys;
}

/** The lists a viewer reads: their own, their administrations' as supervisor, KC's as coordinator or consultant. */
export interface ReferralViewer {
  personId: string;
  supervisorOf: readonly string[];
  kc: boolean;
}

/**
 * Referrals to Kompetenscenter: one row per referral (partition 'c'), the whole aggregate written
 * conditionally on its ETag, so the social worker and the consultant acting at once never
 * overwrite each other. The ids of cards sent about it are kept so they can be replaced. The index
 * rows above are upserted with every write of an unfinished referral and deleted with the write
 * that finishes it; so a person's list reads their own lists' referrals only.
 */
export class ReferralStore {
  static readonly PK = 'c';
  /** The outbox rows `o|<stepId>` of the steps on referrals (same partition, so a step commits in one transaction). */
  readonly outbox: OutboxRows;
  constructor(private readonly table: EntityTable<ReferralRow>) {
    this.outbox = new OutboxRows(table as EntityTable<unknown>, ReferralStore.PK);
  }
  async get(referralId: string): Promise<Stored<StoredReferral> | undefined> {
    const s = await this.table.get(ReferralStore.PK, referralId);
    return s && !isIndex(s.value) ? (s as Stored<StoredReferral>) : undefined;
  }
  private indexRows(r: Referral, op: 'upsert' | 'delete') {
    return referralListKeys(r, op === 'delete').map((k) => (op === 'upsert' ? { op, rowKey: k + r.referralId, value: { kind: 'referralIndex' as const, referralId: r.referralId } } : { op, rowKey: k + r.referralId }));
  }
  async add(r: StoredReferral): Promise<void> {
    await this.table.transact(ReferralStore.PK, [{ op: 'create', rowKey: r.referralId, value: r }, ...this.indexRows(r, 'upsert')]);
  }
  /**
   * Saves conditionally, with the index rows in the same transaction. A finishing write deletes
   * the rows its value names (a referral's list keys only grow, so they include every earlier one).
   */
  async save(r: StoredReferral, etag: string): Promise<void> {
    const write = { op: 'replace' as const, rowKey: r.referralId, value: r, etag };
    const gone = finished(r) ? this.indexRows(r, 'delete') : [];
    try {
      await this.table.transact(ReferralStore.PK, [write, ...(finished(r) ? gone : this.indexRows(r, 'upsert'))]);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      // The referral is gone (a conflict, as for any stale write), or one of the index rows a
      // finishing write deletes is missing (written before the index): write it alone, then delete each.
      await this.table.replace(ReferralStore.PK, r.referralId, r, etag);
      for (const g of gone) await this.table.delete(ReferralStore.PK, g.rowKey);
    }
  }
  /**
   * Commits one step: the referral (conditional on the ETag it was decided on), its index rows
   * (upserted, or deleted by the write that finishes it) and the outbox row with every effect of
   * the step, in one entity-group transaction. Returns the outbox row as stored (with its ETag) for
   * the relay. A lost race is StorageConflictError: nothing was written.
   */
  async commit(r: StoredReferral, etag: string, stepId: string, effects: Effect[], now: Date, keep?: { byName: string }): Promise<Stored<OutboxRow>> {
    const outbox = outboxAction(stepId, effects, now, keep);
    const write = { op: 'replace' as const, rowKey: r.referralId, value: r, etag };
    const finishing = finished(r);
    const gone = finishing ? this.indexRows(r, 'delete') : [];
    const stale = new StorageConflictError(this.table.name, `${ReferralStore.PK}/${r.referralId}`, 412);
    let etags: string[];
    try {
      etags = await this.table.transactEtags(ReferralStore.PK, [write, outbox, ...(finishing ? gone : this.indexRows(r, 'upsert'))]);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      // The referral is gone (a conflict, as for any stale write), or one of the index rows a
      // finishing write deletes is missing (written before the index): the referral and its outbox
      // alone, then each index row (a row left behind names a finished referral, which no list shows).
      if (!finishing) throw stale;
      etags = await this.table.transactEtags(ReferralStore.PK, [write, outbox]).catch((again: unknown) => {
        throw statusOf(again) === 404 ? stale : again;
      });
      for (const g of gone) await this.table.delete(ReferralStore.PK, g.rowKey);
    }
    return { partitionKey: ReferralStore.PK, rowKey: outbox.rowKey, value: outbox.value, etag: etags[1] ?? '' };
  }
  /**
   * Commits the step that creates a referral: the referral, its index rows and the step's outbox
   * row, in one transaction. A step done before (the same form: its outbox row exists) is
   * StorageConflictError 409: nothing was written.
   */
  async commitNew(r: StoredReferral, stepId: string, effects: Effect[], now: Date, keep?: { byName: string }): Promise<Stored<OutboxRow>> {
    const outbox = outboxAction(stepId, effects, now, keep);
    const etags = await this.table.transactEtags(ReferralStore.PK, [outbox, { op: 'create', rowKey: r.referralId, value: r }, ...this.indexRows(r, 'upsert')]);
    return { partitionKey: ReferralStore.PK, rowKey: outbox.rowKey, value: outbox.value, etag: etags[0] ?? '' };
  }
  /** The outbox row of a step on a referral (pending, or done and kept). */
  stepRow(stepId: string): Promise<Stored<OutboxRow> | undefined> {
    return this.outbox.get(ReferralStore.PK, stepId);
  }
  /**
   * The unfinished referrals in a viewer's lists, in referral-id order: the index rows of those
   * lists, then each referral (bounded parallel point reads). Others' referrals are never read.
   */
  async listedFor(viewer: ReferralViewer): Promise<StoredReferral[]> {
    const prefixes = [`i|p|${viewer.personId}|`, ...viewer.supervisorOf.map((u) => `i|a|${u}|`), ...(viewer.kc ? ['i|kc|'] : [])];
    const rows = (await Promise.all(prefixes.map((p) => this.table.list(ReferralStore.PK, { from: p, to: `${p}~` })))).flat();
    const ids = [...new Set(rows.flatMap((s) => ((s.value as IndexRow).kind === 'referralIndex' ? [(s.value as IndexRow).referralId] : [])))].sort();
    const found = await mapBounded(ids, 8, (rid) => this.get(rid));
    return found.flatMap((s) => (s && !finished(s.value) ? [s.value] : []));
  }
  /** Every referral that is not finished (read-only ones are left out): reads the whole partition, for tests and tools only. */
  async open(): Promise<StoredReferral[]> {
    return (await this.table.list(ReferralStore.PK)).flatMap((s) => (isIndex(s.value) || finished(s.value) ? [] : [s.value]));
  }
  /**
   * Referrals written before the index existed get their index rows: one read of the whole
   * partition, once at startup (storage/backfills.ts). A referral finished meanwhile loses them again. Idempotent.
   */
  async backfillIndex(): Promise<number> {
    let n = 0;
    for (const s of await this.table.list(ReferralStore.PK)) {
      if (isIndex(s.value) || finished(s.value)) continue;
      const rows = this.indexRows(s.value, 'upsert');
      for (const row of rows) await this.table.upsert(ReferralStore.PK, row.rowKey, row.value as IndexRow);
      const now = await this.get(s.value.referralId);
      if (!now || finished(now.value)) for (const row of rows) await this.table.delete(ReferralStore.PK, row.rowKey);
      else n++;
    }
    return n;
  }
}
