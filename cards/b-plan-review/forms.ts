import { z } from 'zod';
import type { Texts } from '../../locale';
import { MAX_WEEKLY_HOURS, REVIEW_QUESTIONS } from '../../routines/b-plan-review/rules';
import { expandCard, type CardAttachment } from '../expand';
import { typed } from '../typed';
import deviationTemplate from '../templates/b-deviation.json';
import registerTemplate from '../templates/b-register.json';
import reviewTemplate from '../templates/b-review.json';

type Form = { formId: string; error: string };
type Choice = { title: string; value: string };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Optional text a person types. */
const optional = (max: number) => typed(z.string().trim().max(max).optional().transform((s) => s ?? ''));
const hours = z.coerce.number().finite().min(0).max(MAX_WEEKLY_HOURS);

export interface RegisterValues {
  reference: string;
  initials: string;
  protectedIdentity: 'true' | 'false';
  providerId: string;
  decisionDate: string;
  executionDate: string;
  grantedHours: string;
  previousPlan: string;
  lastPlanDate: string;
}
export const EMPTY_REGISTER: RegisterValues = { reference: '', initials: '', protectedIdentity: 'false', providerId: '', decisionDate: '', executionDate: '', grantedHours: '', previousPlan: '', lastPlanDate: '' };

/** Registration of a home-care case; `problem` names what a rule refused, the values are kept. */
export function renderRegisterCard(t: Texts, d: Form & { providers: Choice[]; today: string; values?: RegisterValues; problem?: string }): CardAttachment {
  return expandCard(registerTemplate, {
    ...d,
    error: d.error || d.problem || '',
    values: d.values ?? EMPTY_REGISTER,
    title: t.b.registerTitle,
    intro: t.b.registerIntro,
    labels: {
      reference: t.a.reference,
      initials: t.a.initials,
      protectedIdentity: t.a.protectedIdentity,
      provider: t.b.provider,
      decisionDate: t.b.decisionDate,
      executionDate: t.b.executionDate,
      grantedHours: t.b.grantedHours,
      previousPlan: t.b.previousPlan,
      never: t.b.never,
      earlier: t.b.earlier,
      lastPlanDate: t.b.lastPlanDate,
      send: t.a.send,
    },
  });
}
export const registerSubmission = z.object({
  formId: z.string(),
  reference: typed(z.string().trim().min(2).max(40)),
  initials: typed(z.string().trim().min(1).max(8)),
  protectedIdentity: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  providerId: z.string().regex(/^[a-z0-9-]{1,40}$/),
  decisionDate: isoDate,
  executionDate: isoDate,
  grantedHours: hours,
  previousPlan: z.enum(['never', 'earlier']),
  lastPlanDate: z.union([isoDate, z.literal('')]).optional().transform((v) => v ?? ''),
});
export type RegisterSubmission = z.infer<typeof registerSubmission>;

/** The seed's seven questions, each yes/no with an optional comment, plus the hours allocated in the plan. */
export function renderReviewCard(t: Texts, d: Form & { label: string; round: number; grantedHours: number; providerNote: string }): CardAttachment {
  return expandCard(reviewTemplate, {
    ...d,
    title: t.b.reviewTitle(d.label, d.round),
    intro: t.b.reviewIntro(t.b.hours(d.grantedHours)),
    questions: REVIEW_QUESTIONS.map((q, i) => ({ text: `${i + 1}. ${t.b.questions[q]}`, answerId: `q${i + 1}`, commentId: `c${i + 1}`, commentLabel: t.b.commentFor(i + 1) })),
    labels: { yes: t.b.yes, no: t.b.no, comment: t.b.comment, answer: t.field['answer'] ?? 'answer', allocatedHours: t.b.allocatedHours, send: t.a.send },
  });
}
const yesNo = z.enum(['yes', 'no']);
export const reviewSubmission = z.object({
  formId: z.string(),
  q1: yesNo, q2: yesNo, q3: yesNo, q4: yesNo, q5: yesNo, q6: yesNo, q7: yesNo,
  c1: optional(1000), c2: optional(1000), c3: optional(1000), c4: optional(1000), c5: optional(1000), c6: optional(1000), c7: optional(1000),
  allocatedHours: hours,
});
export type ReviewSubmission = z.infer<typeof reviewSubmission>;

/** The review's answers in the rules' shape. */
export function reviewAnswers(s: ReviewSubmission) {
  const keyed = s as unknown as Record<string, string>;
  return REVIEW_QUESTIONS.map((question, i) => ({ question, yes: keyed[`q${i + 1}`] === 'yes', comment: keyed[`c${i + 1}`] ?? '' }));
}

export function renderDeviationCard(t: Texts, d: Form & { facts: Array<{ title: string; value: string }> }): CardAttachment {
  return expandCard(deviationTemplate, { ...d, title: t.b.deviationTitle, intro: t.b.deviationIntro, labels: { reported: t.b.deviationReported, note: t.b.deviationNote, confirm: t.confirm, send: t.a.send } });
}
export const deviationSubmission = z.object({ formId: z.string(), reported: z.literal('true'), note: optional(200) });

// --- the provider's buttons ------------------------------------------------------------------
const reviewRef = { unit: z.string().min(1).max(40), reviewId: z.string().min(1).max(100), note: optional(2000) };
export const revisedSubmission = z.object({ ...reviewRef, round: z.coerce.number().int().min(1).max(100) });
export const delayReasonSubmission = z.object(reviewRef);
