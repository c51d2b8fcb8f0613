import { z } from 'zod';
import { C_STATES, GOAL_ASSESSMENTS, type Referral } from '../routines/c-kompetenscenter/rules';
import { ADMINISTRATIONS } from '../routines/shared/organisation';
import { EntityTable, type Stored } from './entityTable';

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
 * Referrals to Kompetenscenter: one row per referral (partition 'c'), the whole aggregate written
 * conditionally on its ETag, so the social worker and the consultant acting at once never
 * overwrite each other. The ids of cards sent about it are kept so they can be replaced.
 */
export class ReferralStore {
  static readonly PK = 'c';
  constructor(private readonly table: EntityTable<StoredReferral>) {}
  get(referralId: string): Promise<Stored<StoredReferral> | undefined> {
    return this.table.get(ReferralStore.PK, referralId);
  }
  async add(r: StoredReferral): Promise<void> {
    await this.table.create(ReferralStore.PK, r.referralId, r);
  }
  async save(r: StoredReferral, etag: string): Promise<void> {
    await this.table.replace(ReferralStore.PK, r.referralId, r, etag);
  }
  /** Every referral that is not finished (read-only ones are left out). */
  async open(): Promise<StoredReferral[]> {
    return (await this.table.list(ReferralStore.PK)).map((s) => s.value).filter((r) => r.state !== 'closed' && r.state !== 'notReferred');
  }
}
