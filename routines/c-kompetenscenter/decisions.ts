import { Effects, type NotifyEffect, type StepDecision } from '../shared/effects';
import { journalEvent, type Actor as JournalActor } from '../shared/journal';
import { unitName, type Administration, type StaffMember } from '../shared/organisation';
import type { CaseFile } from '../shared/cases';
import { checkCaseReference, checkInitials } from '../shared/privacy';
import { checkFreeText } from '../shared/privacy';
import { accept, refuse, type Decision } from '../shared/refusal';
import { toIsoDate } from '../shared/workingDays';
import { deadlineEffects, type DeadlineInput } from './deadlines';
import { act, criteriaMet, referralAccess, type CAction, type CActionKind, type Outcome, type Referral, type ReferralPart } from './rules';

/**
 * Routine C's steps as whole decisions (ARCHITECTURE "A step, end to end"): given the referral,
 * the person, the step and the time, the new referral and everything the step does — the cards to
 * the other party, to KC's consultants and coordinators and to the escalation contacts (consent to
 * KC re-checked when each is sent), the cards to refresh, the deadlines as tasks, the journal
 * event. Pure: the use case in dialogs/c-kompetenscenter/ reads, calls `decideAction`, commits the
 * result once. Which step is possible when, and who may take it, stays in rules.ts (`act`,
 * `referralAccess`).
 */

/** Card kinds of routine C's effects (rendered by dialogs/c-kompetenscenter/effectCards.ts in the recipient's language). */
export const C_CARDS = {
  /** To each KC consultant: the assignment with its "take" button (data: referralId). Its id is kept on the referral. */
  assignment: 'c.assignment',
  /** To each KC coordinator: a protected case's request for a dialogue, with its "confirm" button (data: referralId). Kept. */
  coordinator: 'c.coordinator',
  /** Every assignment card sent about the referral, for every viewer, re-rendered from it (data: referralId). */
  assignmentCards: 'c.assignmentCards',
  /** Every coordinator card sent about the referral, re-rendered from it (data: referralId). */
  coordinatorCards: 'c.coordinatorCards',
  /** To the other party: who did which step, its facts, and their next step (data: referralId, step, byName). */
  notice: 'c.notice',
  /** To an escalation contact: a disagreement raised (data: referralId, disagreement — its index). */
  escalation: 'c.escalation',
  /** Every card KC holds about the referral replaced by one without case data: the consent is revoked (data: referralId). */
  consentRevokedCards: 'c.consentRevokedCards',
} as const;

/** The ids of the cards kept on the referral, by the kind of card (`CardRef.kind` in storage/referrals.ts). */
export const KEPT_CARD = { [C_CARDS.assignment]: 'assignment', [C_CARDS.coordinator]: 'coordinator' } as const;

/** The groups a step's cards may go to (the reply names a group nobody of which got the card). */
export type CardGroup = 'kc' | 'coordinators' | 'supervisors';

/** Free-text fields of each step, checked for personal identity numbers and length before they are stored. */
const FREE_TEXT: Partial<Record<CActionKind, string[]>> = {
  assign: ['needs', 'includes'],
  bookIntake: ['place', 'interpreter'],
  intakeMissed: ['reason'],
  proposeTime: ['place'],
  followUpSf: ['checkedAgainstPlan', 'clientPerception', 'complementaryNeeds'],
  followUpKc: ['progress', 'furtherNeeds'],
  event: ['text'],
  disagreement: ['question'],
  resolve: ['resolution'],
  announceClose: ['reason'],
  bookThreePartyMeeting: ['place', 'interpreter'],
  closingDocument: ['why'],
};

export interface ActionInput extends Omit<DeadlineInput, 'person'> {
  stepId: string;
  person: StaffMember;
  action: CAction;
  /** How the journal names a group nobody of which was reached (prepared by the caller, in the journal's language). */
  groupNames: Record<CardGroup, string>;
}

/** One card of the step and whom it is meant for: a party by name, or a group. */
export interface StepCard {
  effect: string;
  to: { name: string } | { group: CardGroup };
}

export interface ActionDecision<R extends Referral = Referral> extends StepDecision<R> {
  /** What the rule made of the step: its journal step, details, the side told, warnings. */
  outcome: Outcome;
  /** The part the person acted as. */
  part: Exclude<ReferralPart, 'supervisor'>;
  /** The cards of the step in order, so the reply says who got one and whom to tell another way. */
  cards: StepCard[];
}

/** Who acted, as the journal records it: the social worker for their administration, KC's consultant or coordinator for KC. */
export function journalActor(person: Pick<StaffMember, 'id' | 'name'>, part: Exclude<ReferralPart, 'supervisor'>, r: Pick<Referral, 'administration'>): JournalActor {
  if (part === 'sf') return { id: person.id, name: person.name, role: 'socialWorker', unit: r.administration };
  return { id: person.id, name: person.name, role: part === 'coordinator' ? 'kcCoordinator' : 'employmentConsultant', unit: 'kc' };
}

/** A card about the case to KC needs the consent to KC at the moment it is sent (a case without one — the coordinator route — needs none). */
const kcConsent = (r: Referral): NotifyEffect['consent'] => (r.consentId ? { caseId: r.caseId, recipient: 'kc' } : undefined);

/** The free texts of a step, checked before anything is decided. */
function checkTexts(action: CAction): Decision<null> {
  for (const field of FREE_TEXT[action.kind] ?? []) {
    const value = (action as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string' && value) {
      const check = checkFreeText(value, field);
      if (!check.ok) return check;
    }
  }
  if (action.kind === 'assign') {
    for (const g of action.goals) {
      const check = checkFreeText(g, 'goals', 500);
      if (!check.ok) return check;
    }
  }
  return accept(null);
}

/**
 * One step of a referral (seed 002, ROUTINES.md C), decided whole. The free texts hold no personal
 * identity number; the person has the part the step needs (`referralAccess`; nobody at KC once the
 * consent to KC is revoked); the rule takes the step (`act`). Besides the new referral:
 * - the assignment goes to every KC consultant, consent to KC checked at sending (step 4), and the
 *   ids of the cards are kept; a protected case's request goes to every KC coordinator (annex 1);
 * - taking the assignment, or confirming the dialogue, refreshes every such card for every viewer
 *   (who did it, when; no button); a referral that ends refreshes both kinds (no live button left);
 * - a disagreement goes to the administration's 1:e socialsekreterare and KC's coordinators (step 10);
 * - the other party is told of the step and of their next one (a card to KC: consent checked at sending);
 * - the deadlines that run now are tasks, those that no longer run are closed (`deadlineEffects`);
 * - the journal records the step with its details, how many its first card reached and, when it
 *   reached nobody, whom.
 */
export function decideAction<R extends Referral>(r: R, input: ActionInput): Decision<ActionDecision<R>> {
  const { person, action, now } = input;
  const texts = checkTexts(action);
  if (!texts.ok) return texts;
  const access = referralAccess(r, person, action.kind, input.kcMayKnow);
  if (!access.ok) return access;
  const part = access.value as Exclude<ReferralPart, 'supervisor'>;
  const o = act(r, { id: person.id, name: person.name, side: part === 'coordinator' ? 'kc' : part }, action, now, toIsoDate(now));
  if (!o.ok) return o;
  const next = { ...r, ...o.value.referral } as R;
  const outcome = { ...o.value, referral: next };
  const fx = new Effects(input.stepId);
  const cards: StepCard[] = [];
  // The step's id lets the renderer read the referral once for every card of the step.
  const data = { referralId: next.referralId, stepId: input.stepId };
  switch (outcome.step) {
    case 'c.assign':
      cards.push({ effect: fx.notifyRole({ role: 'employmentConsultant', unit: 'kc' }, { kind: C_CARDS.assignment, data }, { consent: kcConsent(next), remember: true }), to: { group: 'kc' } });
      break;
    case 'c.requestCoordinator':
      cards.push({ effect: fx.notifyRole({ role: 'kcCoordinator', unit: 'kc' }, { kind: C_CARDS.coordinator, data }, { remember: true, about: next.caseId }), to: { group: 'coordinators' } });
      break;
    case 'c.take':
      fx.refreshCards({ kind: C_CARDS.assignmentCards, data });
      break;
    case 'c.coordinatorConfirm':
      fx.refreshCards({ kind: C_CARDS.coordinatorCards, data });
      break;
    case 'c.disagreement': {
      // The seed: the question goes to the 1:e socialsekreterare (SF) and the KC coordinator.
      const escalation = { kind: C_CARDS.escalation, data: { ...data, disagreement: next.disagreements.length - 1 } };
      cards.push({ effect: fx.notifyRole({ role: 'supervisor', unit: next.administration }, escalation, { about: next.caseId }), to: { group: 'supervisors' } });
      cards.push({ effect: fx.notifyRole({ role: 'kcCoordinator', unit: 'kc' }, escalation, { about: next.caseId }), to: { group: 'coordinators' } });
      break;
    }
  }
  // A referral that ends (closed, withdrawn) leaves no live button behind: every card KC holds shows its final state.
  if (next.state === 'closed' || next.state === 'withdrawn') {
    fx.refreshCards({ kind: C_CARDS.assignmentCards, data });
    fx.refreshCards({ kind: C_CARDS.coordinatorCards, data });
  }
  // The other party is told that the step is done and which step is now theirs.
  const to = outcome.notify === 'sf' ? next.socialWorkerId : outcome.notify === 'kc' ? next.consultantId : undefined;
  if (to && to !== person.id) {
    const name = outcome.notify === 'sf' ? next.socialWorkerName : (next.consultantName ?? unitName('kc'));
    const notice = { kind: C_CARDS.notice, data: { ...data, step: outcome.step, byName: person.name } };
    cards.push({ effect: fx.notify(to, notice, { consent: outcome.notify === 'kc' ? kcConsent(next) : undefined }), to: { name } });
  }
  deadlineEffects(fx, r, next, input);
  // The journal says what the person is told: how many got a card (when any did), which group or
  // person none reached, and whether consent stopped a card.
  const nameOf = (c: StepCard) => ('name' in c.to ? c.to.name : input.groupNames[c.to.group]);
  const [first, ...rest] = cards;
  fx.journal(
    journalEvent(next.caseId, journalActor(person, part, next), 'C', outcome.step, now, outcome.details),
    undefined,
    first ? { effect: first.effect, also: rest.map((c) => c.effect), reached: 'told', omitZero: true } : undefined,
    cards.length ? { byEffect: Object.fromEntries(cards.map((c) => [c.effect, nameOf(c)])), notReached: 'notReached', separator: ', ', consentFlag: 'stoppedByConsent' } : undefined,
  );
  return accept({ state: next, effects: fx.all, outcome, part, cards });
}

export interface CreateReferralInput {
  stepId: string;
  person: StaffMember;
  /** The social worker's administration (the referral's owner). */
  administration: Administration | undefined;
  form: { reference: string; initials: string; protectedIdentity: boolean; unemployed: boolean; withinThreeYears: boolean };
  ids: { referralId: string; caseId: string };
  now: Date;
}

/**
 * A social worker starts a referral to Kompetenscenter (the Kompetenscenter routine's step 1, the
 * criteria: "arbetslös" and "inom tre år"): only a social worker of an administration, a case
 * reference and initials without personal identity numbers. Criteria met: the referral goes on to
 * the consultation with Arbetsförmedlingen; not met: it is recorded as not referred, with the
 * reason. Besides the referral: the case file is created, and the journal records the criteria.
 */
export function createReferral(input: CreateReferralInput): Decision<StepDecision<Referral> & { caseFile: CaseFile }> {
  const { person, form, ids, now } = input;
  if (!input.administration) return refuse('notAllowed');
  const reference = checkCaseReference(form.reference);
  if (!reference.ok) return reference;
  const initials = checkInitials(form.initials);
  if (!initials.ok) return initials;
  const criteria = { unemployed: form.unemployed, withinThreeYears: form.withinThreeYears };
  const met = criteriaMet(criteria);
  const referral: Referral = {
    referralId: ids.referralId,
    caseId: ids.caseId,
    socialWorkerId: person.id,
    socialWorkerName: person.name,
    administration: input.administration,
    protectedIdentity: form.protectedIdentity,
    state: met ? 'afConsultation' : 'notReferred',
    ...(met ? {} : { notReferredReason: 'criteria' as const }),
    criteria,
    decisions: [],
    intakes: [],
    plans: [],
    followUps: [],
    events: [],
    disagreements: [],
    createdAt: now.toISOString(),
  };
  const caseFile: CaseFile = { caseId: ids.caseId, routine: 'C', reference: reference.value, initials: initials.value, protectedIdentity: form.protectedIdentity, owningUnit: input.administration, createdBy: person.id, createdAt: now.toISOString(), aggregate: { kind: 'referral', id: ids.referralId } };
  const fx = new Effects(input.stepId);
  fx.createCase(caseFile);
  fx.journal(journalEvent(ids.caseId, journalActor(person, 'sf', referral), 'C', 'c.criteria', now, { ...criteria, met }));
  return accept({ state: referral, effects: fx.all, caseFile });
}
