import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent, type Actor } from '../shared/journal';
import { hasRole, providerUnit, type Administration, type StaffMember } from '../shared/organisation';
import type { RegistrationInput } from './rules';
import { checkFreeText } from '../shared/privacy';
import { accept, refuse, type Decision } from '../shared/refusal';
import { labelSourceOf, type CaseFile } from '../shared/cases';
import { checkCaseReference, checkInitials } from '../shared/privacy';
import { planReminders, taskCaseLabel, type ReminderPolicy, type Task } from '../shared/tasks';
import { toIsoDate } from '../shared/workingDays';
import { assessorUnits, checkRegistration, deadlines, recordDeviation, recordPlanMissing, answerDelay, compensationDue, failedPoints, markCompensationNotified, markRevised, reviewPlan, START_COMPENSATION_HOURS, type PlanReview, type ReviewInput, type ReviewRound } from './rules';

/**
 * Routine B's card-button and review steps as whole decisions (ARCHITECTURE "A step, end to
 * end"): given the review, the person, the input and the time, the new review and everything the
 * step does — journal events, the follow-up task closed, cards to the assessor, to the provider's
 * contacts and to the finance administrators, cards to refresh. Pure: the use cases in
 * dialogs/b-plan-review/ read, call one of these, commit the result once (the review and its
 * outbox row in one transaction) and hand the effects to the relay.
 */

/** Card kinds of routine B's effects (rendered by dialogs/b-plan-review/effectCards.ts in the recipient's language). */
export const B_CARDS = {
  /** Every delay card the provider's contacts hold, re-rendered from the review (data: unit, reviewId). */
  delayCards: 'b.delayCards',
  /** To every contact of the provider: the plan is missing, give the reason (data: unit, reviewId); the cards sent are remembered. */
  delayCard: 'b.delayCard',
  /** To the assessor: the provider's reason for the delay, read from the review (data: unit, reviewId). */
  delayNotice: 'b.delayNotice',
  /** To every contact of the provider: the points of a round that failed (data: unit, reviewId, round); the cards sent are remembered. */
  returned: 'b.returned',
  /** Every returned card of one round, re-rendered from the review (data: unit, reviewId, round). */
  returnedCards: 'b.returnedCards',
  /** To the assessor: the provider revised the plan after a round (data: unit, reviewId, round). */
  revisedNotice: 'b.revisedNotice',
  /** To every finance administrator of the owning unit: pay the start compensation (data: unit, reviewId). */
  compensation: 'b.compensation',
} as const;

/** Rows routine B keeps beside its reviews (written by dialogs/b-plan-review/effectCards.ts `planReviewRecords`). */
export const B_RECORDS = {
  /** The provider's index of its reviews (data: providerId, reviewId, unit). */
  providerIndex: 'b.providerIndex',
} as const;

export const followUpTaskId = (reviewId: string) => `b-followup-${reviewId}`;

/** Who acts on a review: an assessor or social worker of the owning unit, else the provider's contact. */
export function reviewActor(person: StaffMember, unit: Administration): Actor {
  if (hasRole(person, 'careNeedsAssessor', unit)) return { id: person.id, name: person.name, role: 'careNeedsAssessor', unit };
  if (hasRole(person, 'socialWorker', unit)) return { id: person.id, name: person.name, role: 'socialWorker', unit };
  const provider = person.roles.find((r) => r.role === 'providerContact');
  if (provider) return { id: person.id, name: person.name, role: 'providerContact', unit: provider.unit };
  return { id: person.id, name: person.name, role: 'careNeedsAssessor', unit };
}

const reviewRef = (r: Pick<PlanReview, 'owningUnit' | 'reviewId'>) => ({ unit: r.owningUnit, reviewId: r.reviewId });

// --- registration ----------------------------------------------------------------------------

export interface RegisterReviewInput {
  stepId: string;
  person: StaffMember;
  /** What the form says: the case (reference, initials, protected identity) and the decision. */
  form: RegistrationInput & { reference: string; initials: string; protectedIdentity: boolean };
  provider: { providerId: string; name: string } | undefined;
  /** The ids the new review and case get (and the review's non-identifying code). */
  ids: { reviewId: string; caseId: string; code: string };
  now: Date;
  policy: ReminderPolicy;
}

/**
 * A care-needs assessor (or social worker) registers an executed home-care decision (the plan-review
 * routine, "Gäller för" and "Genomförandeplan"): only in their own administration, a case reference
 * and initials without personal identity numbers, dates not in the future and in order
 * (`checkRegistration`). The review waits for the provider's plan, with the dignity-guarantee
 * deadline and the follow-up deadline from the execution date (`deadlines`). Besides the review:
 * the case file is created, the provider's index lists the review, the journal records the registration, and the assessor gets the
 * binding follow-up task due on the follow-up deadline, with its reminders.
 */
export function registerReview(input: RegisterReviewInput): Decision<StepDecision<PlanReview> & { caseFile: CaseFile }> {
  const { person, form, now, ids } = input;
  const unit = assessorUnits(person)[0];
  if (!unit) return refuse('notAllowed');
  const reference = checkCaseReference(form.reference);
  if (!reference.ok) return reference;
  const initials = checkInitials(form.initials);
  if (!initials.ok) return initials;
  const facts = checkRegistration(form, toIsoDate(now));
  if (!facts.ok) return facts;
  if (!input.provider) return refuse('notFound');
  const review: PlanReview = {
    reviewId: ids.reviewId,
    caseId: ids.caseId,
    code: ids.code,
    owningUnit: unit,
    assessorId: person.id,
    assessorName: person.name,
    providerId: input.provider.providerId,
    providerName: input.provider.name,
    decisionDate: form.decisionDate,
    executionDate: form.executionDate,
    grantedHours: form.grantedHours,
    ...facts.value,
    ...deadlines(form.executionDate),
    state: 'awaitingPlan',
    rounds: [],
    createdAt: now.toISOString(),
  };
  const caseFile: CaseFile = { caseId: ids.caseId, routine: 'B', reference: reference.value, initials: initials.value, protectedIdentity: form.protectedIdentity, owningUnit: unit, createdBy: person.id, createdAt: now.toISOString(), aggregate: { kind: 'review', id: review.reviewId, unit } };
  // The provider's cards name the case from the review itself (no read of the case file).
  review.label = labelSourceOf(caseFile);
  const fx = new Effects(input.stepId);
  fx.createCase(caseFile);
  fx.record(B_RECORDS.providerIndex, { providerId: review.providerId, reviewId: review.reviewId, unit });
  fx.journal(journalEvent(ids.caseId, reviewActor(person, unit), 'B', 'b.registered', now, { provider: review.providerName, executionDate: review.executionDate, grantedHours: review.grantedHours, newClient: review.newClient, followUpDeadline: review.followUpDeadline }));
  const label = taskCaseLabel(caseFile, review.code);
  const task: Task = {
    taskId: followUpTaskId(review.reviewId),
    caseId: ids.caseId,
    routine: 'B',
    step: 'b.followUp',
    unit,
    assignee: { kind: 'person', personId: person.id },
    dueDate: review.followUpDeadline,
    binding: true,
    label,
    caseLabel: label,
    context: { unit, reviewId: review.reviewId },
    state: 'open',
    createdAt: now.toISOString(),
  };
  fx.openTask(task, planReminders(task, toIsoDate(now), input.policy));
  return accept({ state: review, effects: fx.all, caseFile });
}

// --- plan missing, deviation -------------------------------------------------------------------

/**
 * The assessor records that the provider has not drawn up the plan in time (the plan-review
 * routine: the provider is asked for the reason for the delay): only the review's own assessor
 * side, once, while a plan is awaited (`recordPlanMissing`). Besides the review: every contact of
 * the provider gets the delay card with its answer field (its ids kept, so the answer updates
 * them all), and the journal records how many were reached.
 */
export function askForDelayReason(review: PlanReview, input: { stepId: string; person: StaffMember; now: Date }): Decision<StepDecision<PlanReview> & { providerCard: string }> {
  const d = recordPlanMissing(review, input.person, input.now);
  if (!d.ok) return d;
  const fx = new Effects(input.stepId);
  const providerCard = fx.notifyRole({ role: 'providerContact', unit: providerUnit(review.providerId) }, { kind: B_CARDS.delayCard, data: reviewRef(review) }, { remember: true, about: review.caseId });
  fx.journal(journalEvent(review.caseId, reviewActor(input.person, review.owningUnit), 'B', 'b.planMissing', input.now, { provider: review.providerName, providerReached: 0 }), undefined, { effect: providerCard, reached: 'providerReached' });
  return accept({ state: d.value, effects: fx.all, providerCard });
}

/** The assessor records that the missing plan was reported as a deviation (once; `recordDeviation`): the journal records it. */
export function reportDeviation(review: PlanReview, input: { stepId: string; person: StaffMember; note: string; now: Date }): Decision<StepDecision<PlanReview>> {
  const text = checkFreeText(input.note, 'note', 200);
  if (!text.ok) return text;
  const d = recordDeviation(review, input.person, text.value, input.now);
  if (!d.ok) return d;
  const fx = new Effects(input.stepId);
  fx.journal(journalEvent(review.caseId, reviewActor(input.person, review.owningUnit), 'B', 'b.deviationReported', input.now, { provider: review.providerName }));
  return accept({ state: d.value, effects: fx.all });
}

// --- the provider answers: reason for a delay, plan revised -------------------------------------

export interface ProviderAnswerInput {
  stepId: string;
  person: StaffMember;
  /** The provider's reason or note, as typed (checked here: no personal identity number, not too long). */
  note: string;
  now: Date;
  /** The assessor is in the staff directory (a card can only go to someone who is); otherwise the journal and the reply name them as not reached. */
  assessorKnown: boolean;
}

export interface ProviderAnswerDecision extends StepDecision<PlanReview> {
  /** The effect id of the card that tells the assessor; undefined when there is nobody to send it to. */
  assessorNotice?: string | undefined;
}

/** What a provider's answer does besides the new review: the others' cards refreshed, the assessor told, the journal (naming the assessor when not reached). */
function providerAnswer(next: PlanReview, input: ProviderAnswerInput, refresh: { kind: string; data: Record<string, string | number> }, notice: { kind: string; data: Record<string, string | number> }, step: string, details: Record<string, string | number>): ProviderAnswerDecision {
  const fx = new Effects(input.stepId);
  fx.refreshCards(refresh, input.person.id);
  const assessorNotice = input.assessorKnown ? fx.notify(next.assessorId, notice, { about: next.caseId }) : undefined;
  const event = journalEvent(next.caseId, reviewActor(input.person, next.owningUnit), 'B', step, input.now, { ...details, ...(input.assessorKnown ? {} : { notReached: next.assessorName }) });
  fx.journal(event, assessorNotice ? { effect: assessorNotice, notReachedName: next.assessorName } : undefined);
  return { state: next, effects: fx.all, assessorNotice };
}

/**
 * The provider gives the reason why the plan is delayed (seed 001: "kontakta utförare om skäl
 * till dröjsmål"), once, from the delay card (`answerDelay`, rules.ts). Besides the new review:
 * - every delay card the provider's other contacts hold is refreshed (who answered, when; no button);
 * - the assessor is told the reason (so they can decide on a deviation);
 * - the journal records "b.delayReason" (and that the assessor could not be reached, when so).
 */
export function giveDelayReason(review: PlanReview, input: ProviderAnswerInput): Decision<ProviderAnswerDecision> {
  const text = checkFreeText(input.note, 'note');
  if (!text.ok) return text;
  const d = answerDelay(review, input.person, text.value, input.now);
  if (!d.ok) return d;
  const ref = reviewRef(d.value);
  return accept(providerAnswer(d.value, input, { kind: B_CARDS.delayCards, data: ref }, { kind: B_CARDS.delayNotice, data: ref }, 'b.delayReason', { provider: d.value.providerName }));
}

/**
 * The provider says the plan was revised after a round that was not complete (seed 001: "Utförare
 * ska ges möjlighet att revidera upprättad genomförandeplan"), once per round, latest round only
 * (`markRevised`, rules.ts). Besides the new review (state revised: the assessor reviews again):
 * - every returned card of that round the provider's other contacts hold is refreshed;
 * - the assessor is told, with the provider's note;
 * - the journal records "b.planRevised" (and that the assessor could not be reached, when so).
 */
export function reportRevised(review: PlanReview, input: ProviderAnswerInput & { round: number }): Decision<ProviderAnswerDecision> {
  const text = checkFreeText(input.note, 'note');
  if (!text.ok) return text;
  const d = markRevised(review, input.person, input.round, text.value, input.now);
  if (!d.ok) return d;
  const ref = { ...reviewRef(d.value), round: input.round };
  return accept(providerAnswer(d.value, input, { kind: B_CARDS.returnedCards, data: ref }, { kind: B_CARDS.revisedNotice, data: ref }, 'b.planRevised', { round: input.round, provider: d.value.providerName }));
}

// --- the assessor's review ----------------------------------------------------------------------

export interface AssessInput {
  stepId: string;
  person: StaffMember;
  review: ReviewInput;
  now: Date;
  /** How many finance administrators the owning unit has (kept on the review's compensation record). */
  financeAdministrators: number;
}

export interface AssessDecision extends StepDecision<PlanReview> {
  /** The round this review added. */
  round: ReviewRound;
  /** Not complete: the effect id of the card to the provider's contacts. */
  providerNotice?: string | undefined;
  /** Complete, a new client, the first time: the effect id of the card to the finance administrators. */
  compensationNotice?: string | undefined;
}

/**
 * One review round with the seed's seven questions (`reviewPlan`, rules.ts: question 2 fails when
 * the hours differ; complete iff all seven are yes; a completed review is final). Besides the new
 * review:
 * - not complete (seed 001: "Om bedömningen är att genomförandeplanen inte uppfyller dessa kriterier
 *   ska utföraren kontaktas för förtydligande"): a card listing the failed points to every contact
 *   of the provider (their ids kept on the review, so the provider's answer replaces them), and
 *   "b.reviewNotComplete" in the journal with how many contacts got it (`providerReached`);
 * - complete ("Säkerställa genomförandeplan är en händelse av betydelse och ska dokumenteras"):
 *   "b.planEnsured" in the journal and the binding follow-up task done; and for a new client
 *   ("ersättas motsvarande två timmar … för nya brukare"), once, the start compensation: marked on
 *   the review in this same decision (so no later step can send it again), a card to every
 *   finance administrator of the owning unit ("Meddela administratör för ekonomistyrning"), and
 *   "b.compensationNotified" with how many got it (`recipients`) and how many did not (`notReached`).
 */
export function assessPlan(review: PlanReview, input: AssessInput): Decision<AssessDecision> {
  const { person, now } = input;
  for (const a of input.review.answers) {
    const check = checkFreeText(a.comment ?? '', 'comment', 1000);
    if (!check.ok) return check;
  }
  const d = reviewPlan(review, person, input.review, now);
  if (!d.ok) return d;
  let next = d.value;
  const round = next.rounds.at(-1)!;
  const fx = new Effects(input.stepId);
  const actor = reviewActor(person, next.owningUnit);
  if (round.outcome === 'notComplete') {
    const providerNotice = fx.notifyRole({ role: 'providerContact', unit: providerUnit(next.providerId) }, { kind: B_CARDS.returned, data: { ...reviewRef(next), round: round.round } }, { remember: true, about: next.caseId });
    fx.journal(
      journalEvent(next.caseId, actor, 'B', 'b.reviewNotComplete', now, { round: round.round, failed: failedPoints(round).map((a) => a.question).join(','), hoursMismatch: round.hoursMismatch }),
      undefined,
      { effect: providerNotice, reached: 'providerReached' },
    );
    return accept({ state: next, effects: fx.all, round, providerNotice });
  }
  fx.journal(journalEvent(next.caseId, actor, 'B', 'b.planEnsured', now, { round: round.round, provider: next.providerName, newClient: next.newClient }));
  fx.closeTask(next.owningUnit, followUpTaskId(next.reviewId), 'done', person.id, now);
  let compensationNotice: string | undefined;
  if (compensationDue(next)) {
    const marked = markCompensationNotified(next, input.financeAdministrators, now);
    if (!marked.ok) return marked;
    next = marked.value;
    compensationNotice = fx.notifyRole({ role: 'financeAdministrator', unit: next.owningUnit }, { kind: B_CARDS.compensation, data: reviewRef(next) }, { about: next.caseId });
    fx.journal(journalEvent(next.caseId, actor, 'B', 'b.compensationNotified', now, { provider: next.providerName, hours: START_COMPENSATION_HOURS }), undefined, { effect: compensationNotice, reached: 'recipients', notReached: 'notReached' });
  }
  return accept({ state: next, effects: fx.all, round, compensationNotice });
}
