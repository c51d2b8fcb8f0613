import { z } from 'zod';
import type { CoordinatedPlan } from '../routines/d-coordinated-plan/rules';
import { ADMINISTRATIONS } from '../routines/shared/organisation';
import { EntityTable } from './entityTable';

const admin = z.enum(ADMINISTRATIONS);
const text = (max: number) => z.string().max(max);
const content = z.object({
  participants: text(2000),
  background: text(2000),
  needs: text(2000),
  responsibilities: text(2000),
  followUpDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  individualParticipation: text(2000),
});
export const coordinatedPlanSchema: z.ZodType<CoordinatedPlan & { cards?: Array<{ personId: string; activityId: string; kind: string; version?: number | undefined }> | undefined }> = z.object({
  spId: z.string().max(100),
  caseId: z.string().max(100).nullable(),
  mode: z.enum(['consent', 'consultation']),
  initiatorId: z.string().max(100),
  initiatorName: z.string().max(200),
  initiatingAdministration: admin,
  others: z.array(admin).min(1).max(5),
  acuteConcern: z.boolean(),
  concernReported: z.boolean(),
  purpose: text(2000),
  needs: text(2000),
  questions: text(2000),
  proposedTime: text(200),
  meetingForm: text(200),
  individualTakesPart: z.boolean(),
  invitations: z.array(
    z.object({ administration: admin, answer: z.enum(['accepted', 'proposedOtherTime', 'declined']).optional(), note: text(2000).optional(), by: z.string().max(100).optional(), byName: z.string().max(200).optional(), at: z.iso.datetime().optional() }),
  ).max(ADMINISTRATIONS.length),
  versions: z
    .array(
      z.object({
        version: z.number().int().min(1),
        content,
        submittedAt: z.iso.datetime(),
        decisions: z.array(z.object({ administration: admin, decision: z.enum(['approved', 'returned']), comment: text(2000).optional(), by: z.string().max(100), byName: z.string().max(200), at: z.iso.datetime() })).max(ADMINISTRATIONS.length),
      }),
    )
    .max(20),
  state: z.enum(['invited', 'awaitingApproval', 'returned', 'established', 'closed']),
  closedReason: text(2000).optional(),
  disagreement: z
    .object({ raisedBy: z.string().max(100), raisedByName: z.string().max(200), administration: admin, reason: text(2000), at: z.iso.datetime(), outcome: text(2000).optional() })
    .optional(),
  createdAt: z.iso.datetime(),
  cards: z.array(z.object({ personId: z.string().max(100), activityId: z.string().max(512), kind: z.string().max(40), version: z.number().int().optional() })).max(200).optional(),
});
export type StoredPlan = z.infer<typeof coordinatedPlanSchema>;

/**
 * Coordinated plans: one row per plan (partition 'sp'), the whole aggregate (invitations, every
 * version with its decisions) written conditionally on its ETag, so two supervisors deciding at
 * once never overwrite each other. The ids of the cards sent about it are kept so they can be
 * replaced for every viewer.
 */
export class CoordinatedPlanStore {
  static readonly PK = 'sp';
  constructor(private readonly table: EntityTable<StoredPlan>) {}
  get(spId: string) {
    return this.table.get(CoordinatedPlanStore.PK, spId);
  }
  async add(plan: StoredPlan): Promise<void> {
    await this.table.create(CoordinatedPlanStore.PK, plan.spId, plan);
  }
  async save(plan: StoredPlan, etag: string): Promise<void> {
    await this.table.replace(CoordinatedPlanStore.PK, plan.spId, plan, etag);
  }
  async byInitiator(personId: string): Promise<StoredPlan[]> {
    return (await this.table.list(CoordinatedPlanStore.PK)).map((s) => s.value).filter((p) => p.initiatorId === personId && p.state !== 'closed');
  }
}
