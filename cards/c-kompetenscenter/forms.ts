import { z } from 'zod';
import type { Texts } from '../../locale';
import { ACTION_SIDE, GOAL_ASSESSMENTS, type CAction, type CActionKind, type Referral } from '../../routines/c-kompetenscenter/rules';
import { CONSENT_GIVERS, CONSENT_METHODS } from '../../routines/shared/consent';
import { expandCard, type CardAttachment } from '../expand';
import { typed } from '../typed';
import formTemplate from '../templates/c-form.json';
import noticeTemplate from '../templates/c-notice.json';

/** One input of a routine C form (serializable: it is kept in dialog state to re-render the card). */
export interface CField {
  id: string;
  kind: 'text' | 'multiline' | 'date' | 'time' | 'toggle' | 'choice';
  label: string;
  required: boolean;
  value: string;
  max: number;
  choices: Array<{ title: string; value: string }>;
}

type Form = { formId: string; error: string };

/** A routine C form: a title, the case it is about, the seed's guidance, and its inputs. */
export function renderCForm(t: Texts, d: Form & { title: string; label: string; intro: string; fields: CField[] }): CardAttachment {
  return expandCard(formTemplate, { ...d, send: t.c.send, confirmLabel: t.confirm });
}

/**
 * A card about a referral to one person: what happened, facts, buttons, and "open the routine".
 * `buttons` take a step on the card (Action.Execute, by verb); `opens` open a step's form in the
 * chat (Action.Submit: navigation, the step itself is taken on its form).
 */
export function renderCNotice(d: {
  title: string;
  text: string;
  facts?: Array<{ title: string; value: string }>;
  status?: string;
  buttons?: Array<{ verb: string; title: string; data: Record<string, string> }>;
  opens?: Array<{ title: string; data: HandOverSubmission }>;
  openLabel?: string;
}): CardAttachment {
  return expandCard(noticeTemplate, { title: d.title, text: d.text, facts: d.facts ?? [], status: d.status ?? '', buttons: d.buttons ?? [], opens: d.opens ?? [], openLabel: d.openLabel ?? '' });
}

const f = (id: string, kind: CField['kind'], label: string, opts: Partial<Pick<CField, 'required' | 'value' | 'max' | 'choices'>> = {}): CField => ({
  id,
  kind,
  label,
  required: opts.required ?? true,
  value: opts.value ?? (kind === 'toggle' ? 'false' : ''),
  max: opts.max ?? (kind === 'multiline' ? 2000 : 200),
  choices: opts.choices ?? [],
});

/** The forms: `new` (criteria) and every step that takes input. Steps not listed here need none. */
export type CFormKind = 'new' | Exclude<CActionKind, 'requestCoordinator' | 'coordinatorConfirm' | 'take' | 'prepared' | 'gwaClosed' | 'treservaClosed'>;
export const NO_INPUT_STEPS: readonly CActionKind[] = ['requestCoordinator', 'prepared', 'gwaClosed', 'treservaClosed'];

export function cFormFields(kind: CFormKind, t: Texts, r: Referral | undefined, today: string): CField[] {
  const L = t.c.labels;
  const yesNo = [
    { title: t.c.yes, value: 'yes' },
    { title: t.c.no, value: 'no' },
  ];
  switch (kind) {
    case 'new':
      return [f('reference', 'text', L.reference, { max: 40 }), f('initials', 'text', L.initials, { max: 4 }), f('protectedIdentity', 'toggle', L.protectedIdentity, { required: false }), f('unemployed', 'choice', L.unemployed, { choices: yesNo }), f('withinThreeYears', 'choice', L.withinThreeYears, { choices: yesNo })];
    case 'af':
      return [
        f('ssbtekOn', 'date', L.ssbtekOn, { value: today }),
        f('askedOn', 'date', L.askedOn, { value: today }),
        f('afActivity', 'choice', L.afActivity, { choices: Object.entries(t.c.afActivities).map(([value, title]) => ({ title, value })) }),
        f('formsSentOn', 'date', L.formsSentOn, { required: false }),
      ];
    case 'consent':
      return [
        f('information', 'multiline', L.information),
        f('givenBy', 'choice', L.givenBy, { choices: CONSENT_GIVERS.map((g) => ({ title: t.a.givers[g] ?? g, value: g })), value: 'individual' }),
        f('method', 'choice', L.method, { choices: CONSENT_METHODS.map((m) => ({ title: t.a.methods[m] ?? m, value: m })) }),
        f('givenAt', 'date', L.givenAt, { value: today }),
        f('toldHowToRevoke', 'toggle', L.toldHowToRevoke),
        f('workPlanUpdatedOn', 'date', L.workPlanUpdatedOn, { value: today }),
      ];
    case 'decide':
      return [f('decisionDate', 'date', L.decisionDate, { value: today }), f('communicated', 'toggle', L.communicated)];
    case 'assign':
      return [f('needs', 'multiline', L.needs), f('includes', 'multiline', L.includes), f('goals', 'multiline', L.goals)];
    case 'bookIntake':
      return [
        f('date', 'date', L.date),
        f('time', 'time', L.time),
        f('place', 'text', L.place),
        f('interpreter', 'text', L.interpreter, { required: false, max: 100 }),
        f('clientTold', 'toggle', L.clientTold),
        ...(r?.protectedIdentity ? [f('viaCoordinator', 'toggle', L.viaCoordinator)] : []),
      ];
    case 'intakeHeld':
      return [f('attendedInPerson', 'toggle', L.attendedInPerson), f('requirementsExplained', 'toggle', L.requirementsExplained), f('firstFollowUp', 'date', L.firstFollowUp)];
    case 'intakeMissed':
      return [f('followedUpOn', 'date', L.followedUpOn, { value: today }), f('newMeeting', 'choice', L.newMeeting, { choices: yesNo }), f('reason', 'multiline', L.reason, { required: false })];
    case 'proposeTime':
      return [f('date', 'date', L.date), f('time', 'time', L.time), f('place', 'text', L.place, { value: r?.intake?.place ?? '' })];
    case 'confirmNewTime':
      return [f('clientTold', 'toggle', L.clientTold)];
    case 'withdrawalDocumented':
      return [f('documented', 'toggle', L.documented), f('bookingCancelled', 'toggle', L.bookingCancelled)];
    case 'execute':
      return [f('startDate', 'date', L.startDate, { value: today }), f('executed', 'toggle', L.executed)];
    case 'plan':
      return [f('date', 'date', L.planDate, { value: today })];
    case 'bookFollowUp':
      return [f('date', 'date', L.followUpDate)];
    case 'followUpSf':
      return [f('checkedAgainstPlan', 'multiline', L.checkedAgainstPlan), f('clientPerception', 'multiline', L.clientPerception), f('complementaryNeeds', 'multiline', L.complementaryNeeds)];
    case 'followUpKc':
      return [f('progress', 'multiline', L.progress), f('furtherNeeds', 'multiline', L.furtherNeeds)];
    case 'event':
      return [f('text', 'multiline', L.text)];
    case 'disagreement':
      return [f('question', 'multiline', L.question)];
    case 'resolve':
      return [f('resolution', 'multiline', L.resolution)];
    case 'renew':
      return [f('answer', 'choice', L.answer, { choices: Object.entries(t.c.renewAnswers).map(([value, title]) => ({ title, value })) }), f('decisionDate', 'date', L.newDecisionDate, { required: false }), f('communicated', 'toggle', L.communicated, { required: false })];
    case 'announceClose':
      return [f('selfSufficiency', 'choice', L.selfSufficiency, { choices: yesNo }), f('reason', 'multiline', L.closeReason)];
    case 'bookThreePartyMeeting': {
      // Booked again before it is held: the form starts from the booking it replaces.
      const b = r?.closing?.threePartyBooking;
      return [
        f('date', 'date', L.date, { value: b?.at.slice(0, 10) ?? '' }),
        f('time', 'time', L.time, { value: b?.at.slice(11, 16) ?? '' }),
        f('place', 'text', L.place, { value: b?.place ?? '' }),
        f('interpreter', 'text', L.interpreter, { required: false, max: 100, value: b?.interpreter ?? '' }),
      ];
    }
    case 'threePartyMeeting':
      return [f('date', 'date', L.date, { value: today })];
    case 'closingDocument':
      return [
        f('endDate', 'date', L.endDate, { value: today }),
        f('why', 'multiline', L.why),
        ...(r?.assignment?.goals ?? []).map((goal, i) => f(`goal${i}`, 'choice', L.goal(goal), { choices: GOAL_ASSESSMENTS.map((a) => ({ title: t.c.assessments[a] ?? a, value: a })) })),
      ];
  }
}

// --- what each form submits -------------------------------------------------------------------

/** Text a person types (required / optional). */
const text = (max: number) => typed(z.string().trim().min(1).max(max));
const optionalText = (max: number) => typed(z.string().trim().max(max).optional().transform((s) => s ?? ''));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const optionalDate = z.union([isoDate, z.literal('')]).optional().transform((s) => s || undefined);
const time = z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/).transform((s) => s.slice(0, 5));
const yesNo = z.enum(['yes', 'no']).transform((v) => v === 'yes');
const toggle = z.enum(['true', 'false']).optional().transform((v) => v === 'true');
/** A confirmation the seed requires: the card will not go until it is ticked. */
const confirmed = z.literal('true').transform(() => true);
const base = { formId: z.string() };

export const newReferralSubmission = z.object({ ...base, reference: typed(z.string().trim().min(2).max(40)), initials: typed(z.string().trim().min(1).max(8)), protectedIdentity: toggle, unemployed: yesNo, withinThreeYears: yesNo });
export type NewReferralSubmission = z.infer<typeof newReferralSubmission>;

export const cConsentSubmission = z.object({ ...base, information: text(2000), givenBy: z.enum(CONSENT_GIVERS), method: z.enum(CONSENT_METHODS), givenAt: isoDate, toldHowToRevoke: confirmed, workPlanUpdatedOn: isoDate });
export type CConsentSubmission = z.infer<typeof cConsentSubmission>;

/** Schemas of the step forms, each turning the card's data into the rule's action. */
export const C_STEP_SUBMISSIONS: Record<Exclude<CFormKind, 'new' | 'consent'>, z.ZodType<CAction>> = {
  af: z.object({ ...base, ssbtekOn: isoDate, askedOn: isoDate, afActivity: z.enum(['none', 'ongoingOrPlanned']), formsSentOn: optionalDate }).transform(({ formId: _, ...a }) => ({ kind: 'af' as const, ...a })),
  decide: z.object({ ...base, decisionDate: isoDate, communicated: confirmed }).transform((a) => ({ kind: 'decide' as const, decisionDate: a.decisionDate, communicated: a.communicated })),
  assign: z
    .object({ ...base, needs: text(2000), includes: text(2000), goals: text(2000) })
    .transform((a) => ({ kind: 'assign' as const, needs: a.needs, includes: a.includes, goals: a.goals.split(/\r?\n/).map((g) => g.replace(/^[-•*\s]+/, '').trim().slice(0, 500)).filter(Boolean) })),
  bookIntake: z
    .object({ ...base, date: isoDate, time, place: text(200), interpreter: optionalText(100), clientTold: confirmed, viaCoordinator: toggle })
    .transform((a) => ({ kind: 'bookIntake' as const, at: `${a.date}T${a.time}`, place: a.place, interpreter: a.interpreter, clientTold: a.clientTold, viaCoordinator: a.viaCoordinator })),
  intakeHeld: z
    .object({ ...base, attendedInPerson: confirmed, requirementsExplained: confirmed, firstFollowUp: isoDate })
    .transform((a) => ({ kind: 'intakeHeld' as const, attendedInPerson: a.attendedInPerson, requirementsExplained: a.requirementsExplained, firstFollowUp: a.firstFollowUp })),
  intakeMissed: z.object({ ...base, followedUpOn: isoDate, newMeeting: yesNo, reason: optionalText(2000) }).transform((a) => ({ kind: 'intakeMissed' as const, followedUpOn: a.followedUpOn, newMeeting: a.newMeeting, reason: a.reason })),
  proposeTime: z.object({ ...base, date: isoDate, time, place: text(200) }).transform((a) => ({ kind: 'proposeTime' as const, at: `${a.date}T${a.time}`, place: a.place })),
  confirmNewTime: z.object({ ...base, clientTold: confirmed }).transform((a) => ({ kind: 'confirmNewTime' as const, clientTold: a.clientTold })),
  withdrawalDocumented: z.object({ ...base, documented: confirmed, bookingCancelled: confirmed }).transform((a) => ({ kind: 'withdrawalDocumented' as const, bookingCancelled: a.bookingCancelled })),
  execute: z.object({ ...base, startDate: isoDate, executed: confirmed }).transform((a) => ({ kind: 'execute' as const, startDate: a.startDate })),
  plan: z.object({ ...base, date: isoDate }).transform((a) => ({ kind: 'plan' as const, date: a.date })),
  bookFollowUp: z.object({ ...base, date: isoDate }).transform((a) => ({ kind: 'bookFollowUp' as const, date: a.date })),
  followUpSf: z
    .object({ ...base, checkedAgainstPlan: text(2000), clientPerception: text(2000), complementaryNeeds: text(2000) })
    .transform(({ formId: _, ...a }) => ({ kind: 'followUpSf' as const, ...a })),
  followUpKc: z.object({ ...base, progress: text(2000), furtherNeeds: text(2000) }).transform(({ formId: _, ...a }) => ({ kind: 'followUpKc' as const, ...a })),
  event: z.object({ ...base, text: text(2000) }).transform((a) => ({ kind: 'event' as const, text: a.text })),
  disagreement: z.object({ ...base, question: text(2000) }).transform((a) => ({ kind: 'disagreement' as const, question: a.question })),
  resolve: z.object({ ...base, resolution: text(2000) }).transform((a) => ({ kind: 'resolve' as const, resolution: a.resolution })),
  renew: z
    .object({ ...base, answer: z.enum(['renew', 'close']), decisionDate: optionalDate, communicated: toggle })
    .transform((a) => ({ kind: 'renew' as const, answer: a.answer, decisionDate: a.decisionDate, communicated: a.communicated })),
  announceClose: z.object({ ...base, selfSufficiency: yesNo, reason: text(2000) }).transform((a) => ({ kind: 'announceClose' as const, selfSufficiency: a.selfSufficiency, reason: a.reason })),
  bookThreePartyMeeting: z
    .object({ ...base, date: isoDate, time, place: text(200), interpreter: optionalText(100) })
    .transform((a) => ({ kind: 'bookThreePartyMeeting' as const, at: `${a.date}T${a.time}`, place: a.place, interpreter: a.interpreter })),
  threePartyMeeting: z.object({ ...base, date: isoDate }).transform((a) => ({ kind: 'threePartyMeeting' as const, date: a.date })),
  closingDocument: z
    .object({ ...base, endDate: isoDate, why: text(2000) })
    .catchall(z.unknown())
    .transform((a) => ({
      kind: 'closingDocument' as const,
      endDate: a.endDate,
      why: a.why,
      goals: Object.keys(a)
        .filter((k) => /^goal\d$/.test(k))
        .sort()
        .map((k) => a[k])
        .filter((v): v is (typeof GOAL_ASSESSMENTS)[number] => (GOAL_ASSESSMENTS as readonly unknown[]).includes(v)),
    })),
};

/** The card buttons outside the dialog: take an assignment, confirm the coordinator dialogue. */
export const referralButtonSubmission = z.object({ referralId: z.string().min(1).max(100) });

/** The verb of a hand-over card's button that takes a step without input on the card itself ('prepared', 'gwaClosed', 'treservaClosed'). */
export const C_STEP_VERB = 'c.step';
export const cardStepSubmission = z.object({ referralId: z.string().min(1).max(100), step: z.enum(['requestCoordinator', 'prepared', 'gwaClosed', 'treservaClosed']) satisfies z.ZodType<(typeof NO_INPUT_STEPS)[number]> });
export type CardStepSubmission = z.infer<typeof cardStepSubmission>;

const STEP_KINDS = Object.keys(ACTION_SIDE) as CActionKind[];
/**
 * What a hand-over card's "open the step" button submits (Action.Submit, like the card's "open the
 * routine"): the main menu routes it to routine C, whose dialog opens that step's form at once —
 * the same step as the routine's step list starts, checked the same way.
 */
export const handOverSubmission = z.object({
  menu: z.literal('C'),
  referralId: z.string().min(1).max(100),
  step: z.enum(STEP_KINDS.filter((k) => k !== 'take' && k !== 'coordinatorConfirm') as [CActionKind, ...CActionKind[]]),
});
export type HandOverSubmission = z.infer<typeof handOverSubmission>;
