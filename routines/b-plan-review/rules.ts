import { caseLabelFor, type CaseFile, type CaseLabelSource } from '../shared/cases';
import { hasRole, isAdministration, type Administration, type StaffMember } from '../shared/organisation';
import { accept, refuse, type Decision } from '../shared/refusal';
import { addCalendarDays, addMonths, addYears, daysBetween, lastWorkingDayOnOrBefore, type IsoDate } from '../shared/workingDays';

/**
 * Routine B — ensuring and assessing the implementation plan (genomförandeplan) of home care
 * (seed 001). The assessor follows up within one month of execution that the plan exists; if it
 * does not, the provider is asked why and a deviation is reported. The plan is reviewed with the
 * seed's seven questions; a plan that is not complete goes back to the provider, who may revise
 * it, and the review repeats. A complete plan is an event of significance (Treserva), and for a
 * new client of the provider the finance administrator is told to pay two hours, in arrears.
 */

/** The seed's seven questions, in order (q1 … q7). */
export const REVIEW_QUESTIONS = ['current', 'time', 'participation', 'what', 'goals', 'when', 'how'] as const;
export type QuestionId = (typeof REVIEW_QUESTIONS)[number];
export const MAX_WEEKLY_HOURS = 168;
/** Hours paid to the provider for drawing up the plan of a new client (seed: "två timmar"). */
export const START_COMPENSATION_HOURS = 2;
/** A person without a plan with the provider for this long is a new client (seed: "de senaste två åren"). */
export const NEW_CLIENT_YEARS = 2;
/** Dignity guarantee: the plan is made with the individual within two weeks of the start. */
export const DIGNITY_GUARANTEE_DAYS = 14;
/** The assessor follows up no later than one month after execution. */
export const FOLLOW_UP_MONTHS = 1;

export type ReviewState = 'awaitingPlan' | 'planMissing' | 'returned' | 'revised' | 'complete';

export interface HomeCareProvider {
  providerId: string;
  name: string;
}

export interface ReviewAnswer {
  question: QuestionId;
  yes: boolean;
  comment?: string | undefined;
}

export interface ReviewRound {
  round: number;
  answers: ReviewAnswer[];
  /** Hours per week allocated in the plan, compared with the granted hours (question 2). */
  allocatedHours: number;
  hoursMismatch: boolean;
  outcome: 'complete' | 'notComplete';
  by: string;
  byName: string;
  at: string;
  /** The provider's answer to a round that was not complete. */
  providerResponse?: { note: string; by: string; byName: string; at: string } | undefined;
}

export interface DelayRecord {
  recordedAt: string;
  recordedBy: string;
  recordedByName: string;
  reason?: { text: string; by: string; byName: string; at: string } | undefined;
  deviation?: { note: string; by: string; byName: string; at: string } | undefined;
}

export interface PlanReview {
  reviewId: string;
  caseId: string;
  /** Non-identifying code shown where the reference may not be (a provider's card for a protected case). */
  code: string;
  owningUnit: Administration;
  assessorId: string;
  assessorName: string;
  providerId: string;
  providerName: string;
  decisionDate: IsoDate;
  executionDate: IsoDate;
  grantedHours: number;
  /** Date of the latest earlier plan with this provider, or null when there was none. */
  lastPlanWithProvider: IsoDate | null;
  newClient: boolean;
  dignityDeadline: IsoDate;
  followUpDeadline: IsoDate;
  state: ReviewState;
  delay?: DelayRecord | undefined;
  rounds: ReviewRound[];
  compensation?: { notifiedAt: string; recipients: number } | undefined;
  completedAt?: string | undefined;
  /**
   * The case's label as its case file gives it, from the registration: the provider's cards name the
   * case (per viewer, `caseLabelFor`) without reading the case file. Reviews registered before have
   * none. Redacted with the review's texts by retention (FREE_TEXT_FIELDS.B).
   */
  label?: CaseLabelSource | undefined;
  /** False between writing the review and its journal event and follow-up task (a registration in flight, or cut off by a crash). */
  setupDone?: boolean | undefined;
  createdAt: string;
}

// --- registration ----------------------------------------------------------------------------

export interface RegistrationInput {
  decisionDate: IsoDate;
  executionDate: IsoDate;
  grantedHours: number;
  previousPlan: 'never' | 'earlier';
  lastPlanDate: IsoDate | '';
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** Who may register and review plans: care-needs assessors and social workers (seed: "Gäller för"), per administration. */
export function assessorUnits(person: Pick<StaffMember, 'roles'>): Administration[] {
  return [...new Set(person.roles.filter((r) => (r.role === 'careNeedsAssessor' || r.role === 'socialWorker') && isAdministration(r.unit)).map((r) => r.unit as Administration))];
}

/** The facts of a registration, checked: dates in order and not in the future, hours within a week. */
export function checkRegistration(input: RegistrationInput, today: IsoDate): Decision<{ newClient: boolean; lastPlanWithProvider: IsoDate | null }> {
  for (const [field, d] of [['decisionDate', input.decisionDate], ['executionDate', input.executionDate]] as const) {
    if (!ISO.test(d)) return refuse('outOfRange', { field, min: '', max: today });
    if (d > today) return refuse('dateInFuture', { field });
  }
  if (input.executionDate < input.decisionDate) return refuse('executionBeforeDecision', { decision: input.decisionDate, execution: input.executionDate });
  if (!Number.isFinite(input.grantedHours) || input.grantedHours < 0 || input.grantedHours > MAX_WEEKLY_HOURS) return refuse('outOfRange', { field: 'grantedHours', min: 0, max: MAX_WEEKLY_HOURS });
  if (input.previousPlan === 'never') return accept({ newClient: true, lastPlanWithProvider: null });
  if (!ISO.test(input.lastPlanDate)) return refuse('lastPlanDateMissing');
  if (input.lastPlanDate > today) return refuse('dateInFuture', { field: 'lastPlanDate' });
  return accept({ newClient: isNewClient(input.executionDate, input.lastPlanDate), lastPlanWithProvider: input.lastPlanDate });
}

/**
 * A new client has had no implementation plan with this provider during the two years before the
 * start of the effort. A plan dated exactly two years before the start is within the two years.
 */
export function isNewClient(executionDate: IsoDate, lastPlanWithProvider: IsoDate | null): boolean {
  if (!lastPlanWithProvider) return true;
  return lastPlanWithProvider < addYears(executionDate, -NEW_CLIENT_YEARS);
}

/**
 * The two deadlines that run from execution: the dignity guarantee and the assessor's follow-up.
 * Both land on a Swedish working day, and both move to the last working day ON OR BEFORE the
 * calendar date, because the seed bounds them from above: the dignity guarantee says the planning
 * "ska vara klar inom två veckor", the follow-up is done "senast inom en månad" — a later day would
 * give more time than the seed allows. (Execution 2026-11-25: one month is juldagen 2026-12-25,
 * so the follow-up is due Wednesday 2026-12-23, before julafton.)
 */
export function deadlines(executionDate: IsoDate): { dignityDeadline: IsoDate; followUpDeadline: IsoDate } {
  return {
    dignityDeadline: lastWorkingDayOnOrBefore(addCalendarDays(executionDate, DIGNITY_GUARANTEE_DAYS)),
    followUpDeadline: lastWorkingDayOnOrBefore(addMonths(executionDate, FOLLOW_UP_MONTHS)),
  };
}

/** Days left to the follow-up (negative when overdue); undefined once the review is complete. */
export function daysLeft(review: Pick<PlanReview, 'state' | 'followUpDeadline'>, today: IsoDate): number | undefined {
  return review.state === 'complete' ? undefined : daysBetween(today, review.followUpDeadline);
}

/** "My plan reviews": open ones first, overdue first, then by deadline; completed ones last. */
export function sortForList<T extends Pick<PlanReview, 'state' | 'followUpDeadline' | 'createdAt'>>(reviews: readonly T[]): T[] {
  return [...reviews].sort((a, b) => {
    const ca = a.state === 'complete' ? 1 : 0;
    const cb = b.state === 'complete' ? 1 : 0;
    if (ca !== cb) return ca - cb;
    return a.followUpDeadline.localeCompare(b.followUpDeadline) || a.createdAt.localeCompare(b.createdAt);
  });
}

// --- who may do what ---------------------------------------------------------------------------

/** The case's assessor, or a colleague (assessor or social worker) of the same administration. */
export function mayReview(person: StaffMember, review: Pick<PlanReview, 'assessorId' | 'owningUnit'>): boolean {
  return person.id === review.assessorId || assessorUnits(person).includes(review.owningUnit);
}

/** A contact of the provider the case is with, and no other provider. */
export function isProviderOf(person: StaffMember, review: Pick<PlanReview, 'providerId'>): boolean {
  return hasRole(person, 'providerContact', `provider:${review.providerId}`);
}

/** The part a person has in a plan review: the owning unit's assessors, the provider's contacts, the unit's supervisors and finance. */
export type ReviewPart = 'assessor' | 'provider' | 'supervisor' | 'finance';

/**
 * Who may see / act on a plan review — the one place routine B decides it. `as` names the part the
 * step needs (the assessor's steps, the provider's answers); without it, any part may see. Everyone
 * else gets 'notFoundOrNotAllowed', the same answer as for a review that does not exist.
 */
export function reviewAccess(person: StaffMember, review: Pick<PlanReview, 'assessorId' | 'owningUnit' | 'providerId'>, as?: ReviewPart): Decision<ReviewPart> {
  const parts: ReviewPart[] = [];
  if (mayReview(person, review)) parts.push('assessor');
  if (isProviderOf(person, review)) parts.push('provider');
  if (hasRole(person, 'supervisor', review.owningUnit)) parts.push('supervisor');
  if (hasRole(person, 'financeAdministrator', review.owningUnit)) parts.push('finance');
  if (!parts.length) return refuse('notFoundOrNotAllowed');
  // A party of the review asking for a step of another part may know that the review exists.
  const part = as ? parts.find((p) => p === as) : parts[0];
  return part ? accept(part) : refuse('notAllowed');
}

// --- plan missing at the follow-up, reason, deviation -------------------------------------------

export function recordPlanMissing(review: PlanReview, person: StaffMember, now: Date): Decision<PlanReview> {
  const access = reviewAccess(person, review, 'assessor');
  if (!access.ok) return access;
  if (review.state === 'complete') return refuse('reviewComplete');
  if (review.delay) return refuse('alreadyDone', { by: review.delay.recordedByName, at: review.delay.recordedAt });
  if (review.state !== 'awaitingPlan') return refuse('staleCard');
  return accept({ ...review, state: 'planMissing', delay: { recordedAt: now.toISOString(), recordedBy: person.id, recordedByName: person.name } });
}

/** The provider answers why the plan is delayed (once). */
export function answerDelay(review: PlanReview, person: StaffMember, reason: string, now: Date): Decision<PlanReview> {
  const access = reviewAccess(person, review, 'provider');
  if (!access.ok) return access;
  if (!review.delay) return refuse('staleCard');
  if (review.delay.reason) return refuse('alreadyDone', { by: review.delay.reason.byName, at: review.delay.reason.at });
  if (!reason.trim()) return refuse('reasonRequired');
  return accept({ ...review, delay: { ...review.delay, reason: { text: reason.trim(), by: person.id, byName: person.name, at: now.toISOString() } } });
}

/** The plan is still not established: the assessor reports a deviation (avvikelse), recorded once. */
export function recordDeviation(review: PlanReview, person: StaffMember, note: string, now: Date): Decision<PlanReview> {
  const access = reviewAccess(person, review, 'assessor');
  if (!access.ok) return access;
  if (!review.delay || review.state !== 'planMissing') return refuse('staleCard');
  if (review.delay.deviation) return refuse('alreadyDone', { by: review.delay.deviation.byName, at: review.delay.deviation.at });
  return accept({ ...review, delay: { ...review.delay, deviation: { note: note.trim(), by: person.id, byName: person.name, at: now.toISOString() } } });
}

// --- the review ---------------------------------------------------------------------------------

export interface ReviewInput {
  answers: Array<{ question: QuestionId; yes: boolean; comment?: string | undefined }>;
  allocatedHours: number;
}

/** The allocated time matches the granted time (to the minute). */
export function hoursMatch(allocated: number, granted: number): boolean {
  return Math.abs(allocated - granted) < 1 / 60;
}

/**
 * One review round. Question 2 counts as "no" when the plan's hours differ from the granted
 * hours, whatever was answered. Complete iff all seven are yes. A completed review is final: a
 * later round is refused; every round is kept as its own record.
 */
export function reviewPlan(review: PlanReview, person: StaffMember, input: ReviewInput, now: Date): Decision<PlanReview> {
  const access = reviewAccess(person, review, 'assessor');
  if (!access.ok) return access;
  if (review.state === 'complete') {
    const last = review.rounds.at(-1);
    return refuse('reviewComplete', { by: last?.byName ?? '', at: last?.at ?? '' });
  }
  if (!Number.isFinite(input.allocatedHours) || input.allocatedHours < 0 || input.allocatedHours > MAX_WEEKLY_HOURS) return refuse('outOfRange', { field: 'allocatedHours', min: 0, max: MAX_WEEKLY_HOURS });
  const given = new Map(input.answers.map((a) => [a.question, a]));
  if (REVIEW_QUESTIONS.some((q) => !given.has(q)) || given.size !== REVIEW_QUESTIONS.length) return refuse('outOfRange', { field: 'answers', min: 7, max: 7 });
  const hoursMismatch = !hoursMatch(input.allocatedHours, review.grantedHours);
  const answers: ReviewAnswer[] = REVIEW_QUESTIONS.map((q) => {
    const a = given.get(q)!;
    const comment = a.comment?.trim() || undefined;
    return { question: q, yes: q === 'time' && hoursMismatch ? false : a.yes, ...(comment ? { comment } : {}) };
  });
  const outcome = answers.every((a) => a.yes) ? 'complete' : 'notComplete';
  const round: ReviewRound = { round: review.rounds.length + 1, answers, allocatedHours: input.allocatedHours, hoursMismatch, outcome, by: person.id, byName: person.name, at: now.toISOString() };
  return accept({
    ...review,
    rounds: [...review.rounds, round],
    state: outcome === 'complete' ? 'complete' : 'returned',
    ...(outcome === 'complete' ? { completedAt: now.toISOString() } : {}),
  });
}

/** The points of a round that failed, in the seed's order. */
export function failedPoints(round: Pick<ReviewRound, 'answers'>): ReviewAnswer[] {
  return round.answers.filter((a) => !a.yes);
}

/** The provider says the plan was revised after a round that was not complete (once per round, latest round only). */
export function markRevised(review: PlanReview, person: StaffMember, round: number, note: string, now: Date): Decision<PlanReview> {
  const access = reviewAccess(person, review, 'provider');
  if (!access.ok) return access;
  const r = review.rounds.find((x) => x.round === round);
  if (!r || r.outcome !== 'notComplete') return refuse('staleCard');
  if (r.providerResponse) return refuse('alreadyDone', { by: r.providerResponse.byName, at: r.providerResponse.at });
  if (r !== review.rounds.at(-1) || review.state !== 'returned') return refuse('staleCard');
  const rounds = review.rounds.map((x) => (x === r ? { ...x, providerResponse: { note: note.trim(), by: person.id, byName: person.name, at: now.toISOString() } } : x));
  return accept({ ...review, rounds, state: 'revised' });
}

// --- start compensation --------------------------------------------------------------------------

/** The finance administrator is told only after a complete review, only for a new client, and only once. */
export function compensationDue(review: Pick<PlanReview, 'state' | 'newClient' | 'compensation'>): boolean {
  return review.state === 'complete' && review.newClient && !review.compensation;
}

export function markCompensationNotified(review: PlanReview, recipients: number, now: Date): Decision<PlanReview> {
  if (review.compensation) return refuse('alreadyDone', { by: '', at: review.compensation.notifiedAt });
  if (!compensationDue(review)) return refuse('notAllowed');
  return accept({ ...review, compensation: { notifiedAt: now.toISOString(), recipients } });
}

// --- what a provider sees -------------------------------------------------------------------------

/** The case as a provider may see it: the reference of an ordinary case, only the code of a protected one; never initials. */
export function providerCaseText(review: Pick<PlanReview, 'code'>, caseFile: Pick<CaseFile, 'reference' | 'initials' | 'protectedIdentity' | 'owningUnit'>): string {
  const l = caseLabelFor(caseFile, { kind: 'provider' });
  return l.reference ?? review.code;
}
