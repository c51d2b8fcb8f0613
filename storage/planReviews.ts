import { z } from 'zod';
import { REVIEW_QUESTIONS, type HomeCareProvider, type PlanReview } from '../routines/b-plan-review/rules';
import { ADMINISTRATIONS, type Administration } from '../routines/shared/organisation';
import { EntityTable } from './entityTable';

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
  setupDone: z.boolean().optional(),
  createdAt: z.iso.datetime(),
  cards: z.array(z.object({ personId: z.string().max(100), activityId: z.string().max(512), kind: z.string().max(40), round: z.number().int().optional() })).max(100).optional(),
});
export type CardRef = { personId: string; activityId: string; kind: string; round?: number | undefined };
export type StoredReview = z.infer<typeof planReviewSchema>;

export const reviewIndexSchema = z.object({ reviewId: z.string().max(100), unit: z.enum(ADMINISTRATIONS) });
export const homeCareProviderSchema: z.ZodType<HomeCareProvider> = z.object({ providerId: z.string().regex(/^[a-z0-9-]{1,40}$/), name: z.string().min(1).max(200) });

/**
 * Routine B's reviews: one aggregate row per case in its administration's partition (`u|<unit>`,
 * so "my plan reviews" and the unit's overview are one partition query), written conditionally
 * on its ETag; a per-provider index (`p|<providerId>`) so a provider sees its own cases and no
 * others; and the register of home-care providers.
 */
export class PlanReviewStore {
  constructor(
    private readonly reviews: EntityTable<StoredReview>,
    private readonly index: EntityTable<z.infer<typeof reviewIndexSchema>>,
    private readonly providers: EntityTable<HomeCareProvider>,
  ) {}

  static unitKey(unit: Administration): string {
    return `u|${unit}`;
  }

  get(unit: Administration, reviewId: string) {
    return this.reviews.get(PlanReviewStore.unitKey(unit), reviewId);
  }
  /** The provider index is written first: an index row without its review is ignored when listing. */
  async add(review: StoredReview): Promise<void> {
    await this.index.upsert(`p|${review.providerId}`, review.reviewId, { reviewId: review.reviewId, unit: review.owningUnit });
    await this.reviews.create(PlanReviewStore.unitKey(review.owningUnit), review.reviewId, review);
  }
  async save(review: StoredReview, etag: string): Promise<void> {
    await this.reviews.replace(PlanReviewStore.unitKey(review.owningUnit), review.reviewId, review, etag);
  }
  async inUnit(unit: Administration): Promise<StoredReview[]> {
    return (await this.reviews.list(PlanReviewStore.unitKey(unit))).map((s) => s.value);
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
