import { z } from 'zod';
import { REVIEW_QUESTIONS, type HomeCareProvider, type PlanReview } from '../routines/b-plan-review/rules';
import type { Effect } from '../routines/shared/effects';
import { ADMINISTRATIONS, type Administration } from '../routines/shared/organisation';
import { EntityTable, type Stored } from './entityTable';
import { StorageConflictError, statusOf } from './errors';
import { isOutboxRow, outboxAction, outboxRowSchema, OutboxRows, type OutboxRow } from './outbox';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const text = (max: number) => z.string().max(max);
const by = { by: z.string().max(100), byName: z.string().max(200), at: z.iso.datetime() };

export const planReviewSchema: z.ZodType<PlanReview & { cards?: CardRef[] | undefined }> = z.object({
  reviewId: z.string().max(100),
  caseId: z.string().max(100),
  code: z.string().max(20),
  owningUnit: z.enum(ADMINISTRATIONS),
  assessorId: z.string().max(100),
  assessorName: z.string().max(200),
  providerId: z.string().max(40),
  providerName: z.string().max(200),
  decisionDate: isoDate,
  executionDate: isoDate,
  grantedHours: z.number().min(0).max(168),
  lastPlanWithProvider: isoDate.nullable(),
  newClient: z.boolean(),
  dignityDeadline: isoDate,
  followUpDeadline: isoDate,
  state: z.enum(['awaitingPlan', 'planMissing', 'returned', 'revised', 'complete']),
  delay: z
    .object({
      recordedAt: z.iso.datetime(),
      recordedBy: z.string().max(100),
      recordedByName: z.string().max(200),
      reason: z.object({ text: text(2000), ...by }).optional(),
      deviation: z.object({ note: text(2000), ...by }).optional(),
    })
    .optional(),
  rounds: z
    .array(
      z.object({
        round: z.number().int().min(1),
        answers: z.array(z.object({ question: z.enum(REVIEW_QUESTIONS), yes: z.boolean(), comment: text(1000).optional() })).length(7),
        allocatedHours: z.number().min(0).max(168),
        hoursMismatch: z.boolean(),
        outcome: z.enum(['complete', 'notComplete']),
        ...by,
        providerResponse: z.object({ note: text(2000), ...by }).optional(),
      }),
    )
    .max(30),
  compensation: z.object({ notifiedAt: z.iso.datetime(), recipients: z.number().int().min(0) }).optional(),
  completedAt: z.iso.datetime().optional(),
  // Redacted by retention to '[gallrad]' (9 characters), hence the room.
  label: z.object({ reference: text(40), initials: text(10), protectedIdentity: z.boolean(), owningUnit: z.enum([...ADMINISTRATIONS, '[gallrad]']) as unknown as z.ZodType<Administration> }).optional(),
  setupDone: z.boolean().optional(),
  createdAt: z.iso.datetime(),
  cards: z.array(z.object({ personId: z.string().max(100), activityId: z.string().max(512), kind: z.string().max(40), round: z.number().int().optional() })).max(100).optional(),
});
export type CardRef = { personId: string; activityId: string; kind: string; round?: number | undefined };
export type StoredReview = z.infer<typeof planReviewSchema>;

type ReviewRow = StoredReview | OutboxRow;
/** What the PlanReviews table holds: the reviews, and the outbox rows of steps not yet carried out (same partition as their review). */
export const planReviewRowSchema: z.ZodType<ReviewRow> = z.union([planReviewSchema, outboxRowSchema]);

export const reviewIndexSchema = z.object({ reviewId: z.string().max(100), unit: z.enum(ADMINISTRATIONS) });
export const homeCareProviderSchema: z.ZodType<HomeCareProvider> = z.object({ providerId: z.string().regex(/^[a-z0-9-]{1,40}$/), name: z.string().min(1).max(200) });

/**
 * Routine B's reviews: one aggregate row per case in its administration's partition (`u|<unit>`,
 * so "my plan reviews" and the unit's overview are one partition query), written conditionally
 * on its ETag; beside them, in the same partition, the outbox rows `o|<stepId>` of the steps on
 * the unit's reviews whose effects are not yet all carried out; a per-provider index
 * (`p|<providerId>`) so a provider sees its own cases and no others; and the register of
 * home-care providers.
 */
export class PlanReviewStore {
  /** The outbox rows `o|<stepId>` in every administration's partition (a step commits in its review's partition, in one transaction). */
  readonly outbox: OutboxRows;
  constructor(
    private readonly reviews: EntityTable<ReviewRow>,
    private readonly index: EntityTable<z.infer<typeof reviewIndexSchema>>,
    private readonly providers: EntityTable<HomeCareProvider>,
  ) {
    // The six partitions are fixed: the sweep reads one range of each, never the whole table.
    this.outbox = new OutboxRows(reviews as EntityTable<unknown>, async () => ADMINISTRATIONS.map((u) => PlanReviewStore.unitKey(u)));
  }

  static unitKey(unit: Administration): string {
    return `u|${unit}`;
  }

  async get(unit: Administration, reviewId: string): Promise<Stored<StoredReview> | undefined> {
    const s = await this.reviews.get(PlanReviewStore.unitKey(unit), reviewId);
    return s && !isOutboxRow(s.value) ? (s as Stored<StoredReview>) : undefined;
  }
  /** The provider index is written first: an index row without its review is ignored when listing. */
  /** The provider's index of its reviews (`p|<providerId>`): a provider's contacts find what waits for them by it (idempotent). */
  async indexForProvider(providerId: string, reviewId: string, unit: Administration): Promise<void> {
    await this.index.upsert(`p|${providerId}`, reviewId, { reviewId, unit });
  }
  async add(review: StoredReview): Promise<void> {
    await this.indexForProvider(review.providerId, review.reviewId, review.owningUnit);
    await this.reviews.create(PlanReviewStore.unitKey(review.owningUnit), review.reviewId, review);
  }
  async save(review: StoredReview, etag: string): Promise<void> {
    await this.reviews.replace(PlanReviewStore.unitKey(review.owningUnit), review.reviewId, review, etag);
  }
  /**
   * Commits one step: the review (conditional on the ETag it was decided on) and the outbox row
   * with every effect of the step, in one entity-group transaction in the review's partition.
   * Returns the outbox row as stored (with its ETag) for the relay. A lost race — or a review
   * that is gone — is StorageConflictError: nothing was written.
   */
  async commit(review: StoredReview, etag: string, stepId: string, effects: Effect[], now: Date, keep?: { byName: string }): Promise<Stored<OutboxRow>> {
    const pk = PlanReviewStore.unitKey(review.owningUnit);
    const outbox = outboxAction(stepId, effects, now, keep);
    let etags: string[];
    try {
      etags = await this.reviews.transactEtags(pk, [{ op: 'replace', rowKey: review.reviewId, value: review, etag }, outbox]);
    } catch (err) {
      if (statusOf(err) === 404) throw new StorageConflictError(this.reviews.name, `${pk}/${review.reviewId}`, 412);
      throw err;
    }
    return { partitionKey: pk, rowKey: outbox.rowKey, value: outbox.value, etag: etags[1] ?? '' };
  }
  /**
   * Commits the step that creates a review: the review and the step's outbox row, in one
   * transaction in the unit's partition. A step done before (the same form: its outbox row exists)
   * is StorageConflictError 409: nothing was written.
   */
  async commitNew(review: StoredReview, stepId: string, effects: Effect[], now: Date, keep?: { byName: string }): Promise<Stored<OutboxRow>> {
    const pk = PlanReviewStore.unitKey(review.owningUnit);
    const outbox = outboxAction(stepId, effects, now, keep);
    const etags = await this.reviews.transactEtags(pk, [outbox, { op: 'create', rowKey: review.reviewId, value: review }]);
    return { partitionKey: pk, rowKey: outbox.rowKey, value: outbox.value, etag: etags[0] ?? '' };
  }
  /** The outbox row of a step on a review of the unit (pending, or done and kept). */
  stepRow(unit: Administration, stepId: string): Promise<Stored<OutboxRow> | undefined> {
    return this.outbox.get(PlanReviewStore.unitKey(unit), stepId);
  }
  /** The unit's reviews (its outbox rows are skipped). */
  async inUnit(unit: Administration): Promise<StoredReview[]> {
    return (await this.reviews.list(PlanReviewStore.unitKey(unit))).flatMap((s) => (isOutboxRow(s.value) ? [] : [s.value]));
  }
  async ofProvider(providerId: string): Promise<StoredReview[]> {
    const refs = await this.index.list(`p|${providerId}`);
    const found = await Promise.all(refs.map((r) => this.get(r.value.unit, r.value.reviewId)));
    return found.flatMap((s) => (s && s.value.providerId === providerId ? [s.value] : []));
  }

  async provider(providerId: string): Promise<HomeCareProvider | undefined> {
    return (await this.providers.get('hp', providerId))?.value;
  }
  async allProviders(): Promise<HomeCareProvider[]> {
    return (await this.providers.list('hp')).map((s) => s.value).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }
  async saveProvider(p: HomeCareProvider): Promise<void> {
    await this.providers.upsert('hp', p.providerId, p);
  }
}
