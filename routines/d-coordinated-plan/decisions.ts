import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent, type Actor } from '../shared/journal';
import { hasRole, type Administration, type StaffMember } from '../shared/organisation';
import { accept, type Decision } from '../shared/refusal';
import { planReminders, type ReminderPolicy, type Task } from '../shared/tasks';
import { toIsoDate } from '../shared/workingDays';
import type { Consent } from '../shared/consent';
import { refreshStatusCards, sendStatusCard } from './status';
import { answerInvitation, approvalDue, invitationReplyDue, closePlan, currentVersion, decide, mayInvite, participants, planCode, raiseDisagreement, recordDisagreementOutcome, submitPlan, type CoordinatedPlan, type InvitationAnswer, type PlanContent } from './rules';

/**
 * Routine D's steps as whole decisions (ARCHITECTURE "A step, end to end"): given the plan, the
 * person, the input and the time, the new plan and everything the step does — journal events,
 * tasks opened and closed with their deadlines, cards to people, cards to refresh. Pure: the
 * use case in dialogs/d-coordinated-plan/ reads, calls one of these, commits the result once.
 */

/** Card kinds of routine D's effects (rendered by dialogs/d-coordinated-plan/cards.ts in the recipient's language). */
export const D_CARDS = {
  /** Every approval card of one version, for every viewer, re-rendered from the plan. */
  approvalCards: 'd.approvalCards',
  /** To the initiator: a supervisor returned the version (data: byName, comment). */
  returned: 'd.returned',
  /** To the initiator: every administration approved; the plan is established. */
  established: 'd.established',
  /** Every invitation card of one administration, for every viewer, re-rendered from the plan (data: spId, administration). */
  invitationCards: 'd.invitationCards',
  /** To the initiator: an administration answered the invitation (data: initiatingAdministration, administration, answer, byName, note). */
  invitationAnswered: 'd.invitationAnswered',
  /** To the supervisors of one other administration: the version to approve (data: spId, version, administration); the ids are kept on the plan. */
  approvalCard: 'd.approvalCard',
  /** To the supervisors (else social workers) of one other administration: the invitation (data: spId, administration); the ids are kept on the plan. */
  invitationCard: 'd.invitationCard',
  /** Every invitation and approval card of the plan, for every viewer, in its final state (data: spId). */
  allCards: 'd.allCards',
  /** To an other administration: the plan is closed (data: initiatingAdministration, code, byName) — nothing identifying. */
  closedNotice: 'd.closedNotice',
  /** To the supervisors of a participant: a disagreement was raised (data: spId, byName, administration, reason). */
  disagreement: 'd.disagreement',
  /** Every invitation and approval card of the plan, for every viewer, replaced by "consent revoked", nothing about the person (data: spId). */
  consentRevokedCards: 'd.consentRevokedCards',
} as const;

/** The case id the plan's journal and tasks are kept under: its case, or the plan itself for a consultation. */
export function planCaseId(plan: Pick<CoordinatedPlan, 'caseId' | 'spId'>): string {
  return plan.caseId ?? `sp:${plan.spId}`;
}

/** Who acts for an administration on a plan: its supervisor when the person is one there. */
export function planActor(person: StaffMember, admin: Administration): Actor {
  return { id: person.id, name: person.name, role: hasRole(person, 'supervisor', admin) ? 'supervisor' : 'socialWorker', unit: admin };
}

export interface ApprovalInput {
  stepId: string;
  person: StaffMember;
  version: number;
  administration: Administration;
  decision: 'approved' | 'returned';
  comment: string;
  now: Date;
  /** The follow-up task's texts (its label in the task list and its case label), prepared by the caller. */
  followUpLabels: { label: string; caseLabel: string };
  policy: ReminderPolicy;
}

export interface ApprovalDecision extends StepDecision<CoordinatedPlan> {
  /** The effect id of the card that tells the initiator, when the decision settles the plan. */
  initiatorNotice?: string | undefined;
}

export const approvalTaskId = (spId: string, version: number, admin: Administration) => `d-approve-${spId}-${version}-${admin}`;
export const followUpTaskId = (spId: string, version: number) => `d-followup-${spId}-${version}`;

/**
 * A supervisor of an invited administration approves or returns the current version (seed 004:
 * "planen godkänns av ansvarig chef i respektive förvaltning innan den upprättas"). Who may decide
 * and when is `decide` (rules.ts). Besides the new plan:
 * - every approval card of the version is refreshed for every other viewer (who decided what, when);
 * - the deciding administration's approval task is done; a return ends the others' too;
 * - the initiator gets a message of a decision that settles the plan: returned (with the comment),
 *   or established (every other administration approved the same version); and her status card of
 *   the version is updated in place at every decision (routines/d-coordinated-plan/status.ts);
 * - the journal records the decision (and, when the initiator could not be reached, that too);
 * - an established plan: "d.established" in the journal and the initiator's follow-up task,
 *   due on the plan's follow-up date, with its reminders.
 */
export function approve(plan: CoordinatedPlan, input: ApprovalInput): Decision<ApprovalDecision> {
  const { person, version, administration: admin, decision, comment, now } = input;
  const d = decide(plan, version, admin, person, decision, comment, now);
  if (!d.ok) return d;
  const next = { ...plan, ...d.value };
  const fx = new Effects(input.stepId);
  const caseId = planCaseId(next);
  const actor = planActor(person, admin);
  fx.refreshCards({ kind: D_CARDS.approvalCards, data: { spId: next.spId, version } }, person.id);
  fx.closeTask(admin, approvalTaskId(next.spId, version, admin), 'done', person.id, now);
  let initiatorNotice: string | undefined;
  if (next.state === 'returned') {
    // The others' approvals of this version are no longer asked for: cancelled, not done.
    for (const other of next.others) if (other !== admin) fx.closeTask(other, approvalTaskId(next.spId, version, other), 'cancelled', person.id, now);
    initiatorNotice = fx.notify(next.initiatorId, { kind: D_CARDS.returned, data: { byName: person.name, comment: comment.trim() } });
  }
  if (next.state === 'established') initiatorNotice = fx.notify(next.initiatorId, { kind: D_CARDS.established, data: {} });
  fx.journal(journalEvent(caseId, actor, 'D', decision === 'approved' ? 'd.approved' : 'd.returned', now, { version, administration: admin }), initiatorNotice ? { effect: initiatorNotice, notReachedName: next.initiatorName } : undefined);
  if (next.state === 'established') {
    fx.journal(journalEvent(caseId, actor, 'D', 'd.established', now, { version }));
    const task: Task = {
      taskId: followUpTaskId(next.spId, version),
      caseId,
      routine: 'D',
      step: 'd.followUp',
      unit: next.initiatingAdministration,
      assignee: { kind: 'person', personId: next.initiatorId },
      dueDate: currentVersion(next)!.content.followUpDate,
      binding: false,
      label: input.followUpLabels.label,
      caseLabel: input.followUpLabels.caseLabel,
      context: { spId: next.spId },
      state: 'open',
      createdAt: now.toISOString(),
    };
    fx.openTask(task, planReminders(task, toIsoDate(now), input.policy));
  }
  // Every decision reaches the initiator: her status card of the version is updated in place.
  refreshStatusCards(fx, next.spId, version);
  return accept({ state: next, effects: fx.all, initiatorNotice });
}

export interface InvitationAnswerInput {
  stepId: string;
  person: StaffMember;
  administration: Administration;
  answer: InvitationAnswer;
  note: string;
  now: Date;
}

export interface InvitationAnswerDecision extends StepDecision<CoordinatedPlan> {
  /** The effect id of the card that tells the initiator of the answer. */
  initiatorNotice: string;
}

export const replyTaskId = (spId: string) => `d-reply-${spId}`;

/**
 * A supervisor (or social worker) of an invited administration answers the invitation to the SP
 * meeting (seed 004: the invited "ska delta"; another time or a no needs a comment — `answerInvitation`,
 * rules.ts). Besides the new plan:
 * - every invitation card of that administration is refreshed for every other viewer (who answered, when);
 * - the initiator is told of every answer (with the comment), and the journal records the answer
 *   (and that the initiator could not be reached, when so);
 * - when every invited administration has answered, the initiator's reply task is done;
 * - the initiator's status cards are updated in place (who answered, when, who has not).
 */
export function answer(plan: CoordinatedPlan, input: InvitationAnswerInput): Decision<InvitationAnswerDecision> {
  const { person, administration: admin, now } = input;
  const d = answerInvitation(plan, admin, person, input.answer, input.note, now);
  if (!d.ok) return d;
  const next = { ...plan, ...d.value };
  const fx = new Effects(input.stepId);
  fx.refreshCards({ kind: D_CARDS.invitationCards, data: { spId: next.spId, administration: admin } }, person.id);
  const initiatorNotice = fx.notify(next.initiatorId, { kind: D_CARDS.invitationAnswered, data: { initiatingAdministration: next.initiatingAdministration, administration: admin, answer: input.answer, byName: person.name, note: input.note.trim() } });
  fx.journal(journalEvent(planCaseId(next), planActor(person, admin), 'D', 'd.invitationAnswered', now, { administration: admin, answer: input.answer }), { effect: initiatorNotice, notReachedName: next.initiatorName });
  if (next.invitations.every((i) => i.answer)) fx.closeTask(next.initiatingAdministration, replyTaskId(next.spId), 'done', person.id, now);
  refreshStatusCards(fx, next.spId);
  return accept({ state: next, effects: fx.all, initiatorNotice });
}

export interface SubmitInput {
  stepId: string;
  person: StaffMember;
  content: PlanContent;
  now: Date;
  /** The case's consents (none for a consultation): an administration the consent does not cover gets nothing. */
  consents: readonly Consent[];
  /** The approval tasks' texts, prepared by the caller. */
  taskLabels: { label: string; caseLabel: string };
  /** Working days a supervisor has to decide (APPROVAL_WORKING_DAYS). */
  approvalWorkingDays: number;
  policy: ReminderPolicy;
}

export interface SubmitDecision extends StepDecision<CoordinatedPlan> {
  /** The approval card's notify effect of each administration it goes to. */
  cardTo: Partial<Record<Administration, string>>;
  /** Administrations the consent did not cover when the step was decided (no card, no task). */
  noConsent: Administration[];
}

/**
 * The initiator submits (a new version of) the plan for approval (seed 004: "planen godkänns av
 * ansvarig chef i respektive förvaltning innan den upprättas"; who may and when: `submitPlan`).
 * For every other administration the consent covers: a card with the version to each of its
 * supervisors (consent checked again when it is sent; the card ids kept on the plan, so later
 * decisions replace them for every viewer), and a binding approval task for its supervisors, due
 * in `approvalWorkingDays` working days. The journal records the version, and where it went, did
 * not reach, or could not go for want of consent. The initiator (and her administration's
 * supervisors) get the version's status card, updated in place by later decisions.
 */
export function submit(plan: CoordinatedPlan, input: SubmitInput): Decision<SubmitDecision> {
  const { person, now } = input;
  const d = submitPlan(plan, person, input.content, now);
  if (!d.ok) return d;
  const next = { ...plan, ...d.value };
  const v = currentVersion(next)!;
  const fx = new Effects(input.stepId);
  const caseId = planCaseId(next);
  const cardTo: Partial<Record<Administration, string>> = {};
  const noConsent: Administration[] = [];
  const due = approvalDue(toIsoDate(now), input.approvalWorkingDays);
  for (const admin of next.others) {
    if (!mayInvite(next, admin, input.consents, now).ok) {
      noConsent.push(admin);
      continue;
    }
    const consent = next.caseId && next.mode === 'consent' ? { caseId: next.caseId, recipient: admin } : undefined;
    cardTo[admin] = fx.notifyRole({ role: 'supervisor', unit: admin }, { kind: D_CARDS.approvalCard, data: { spId: next.spId, version: v.version, administration: admin } }, { consent, remember: true });
    const task: Task = {
      taskId: approvalTaskId(next.spId, v.version, admin),
      caseId,
      routine: 'D',
      step: 'd.approve',
      unit: admin,
      assignee: { kind: 'role', role: 'supervisor', unit: admin },
      dueDate: due,
      binding: true,
      label: input.taskLabels.label,
      caseLabel: input.taskLabels.caseLabel,
      context: { spId: next.spId },
      ...(consent ? { consentRecipient: admin } : {}),
      state: 'open',
      createdAt: now.toISOString(),
    };
    fx.openTask(task, planReminders(task, toIsoDate(now), input.policy));
  }
  const byEffect = Object.fromEntries(Object.entries(cardTo).map(([admin, effect]) => [effect, admin]));
  fx.journal(journalEvent(caseId, planActor(person, next.initiatingAdministration), 'D', 'd.planSubmitted', now, { version: v.version, to: '', notReached: '', noConsent: noConsent.join(',') }), undefined, undefined, { byEffect, reached: 'to', notReached: 'notReached', noConsent: 'noConsent' });
  // The previous version's (or the invitation's) status cards now say which version replaced them.
  refreshStatusCards(fx, next.spId, v.version - 1);
  sendStatusCard(fx, next, person, v.version);
  return accept({ state: next, effects: fx.all, cardTo, noConsent });
}

/** The id prefixes of every task about a plan (reply, approvals, follow-up): never a unit's other tasks. */
export const planTaskPrefixes = (spId: string) => [`d-reply-${spId}`, `d-approve-${spId}-`, `d-followup-${spId}-`];

export interface PlanNoticeDecision extends StepDecision<CoordinatedPlan> {
  /** The notice's notify effect for each administration it goes to. */
  noticeTo: Partial<Record<Administration, string>>;
}

/**
 * The initiator closes the plan "när behovet upphör" (seed 004; who may: `closePlan`). Every open
 * task about it ends (cancelled), every invitation and approval card shows its final state for
 * every viewer, and each other administration's recipients (its supervisors, else its social
 * workers) get a notice with the plan's code only. The journal records the reason and whom the notice reached.
 */
export function close(plan: CoordinatedPlan, input: { stepId: string; person: StaffMember; reason: string; now: Date }): Decision<PlanNoticeDecision> {
  const { person, now } = input;
  const d = closePlan(plan, person, input.reason);
  if (!d.ok) return d;
  const next = { ...plan, ...d.value };
  const fx = new Effects(input.stepId);
  for (const unit of participants(next)) for (const prefix of planTaskPrefixes(next.spId)) fx.closeTasks(unit, prefix, 'cancelled', person.id, now);
  fx.refreshCards({ kind: D_CARDS.allCards, data: { spId: next.spId } });
  const noticeTo: Partial<Record<Administration, string>> = {};
  for (const admin of next.others) {
    noticeTo[admin] = fx.notifyRole({ role: 'supervisor', unit: admin, orElse: 'socialWorker' }, { kind: D_CARDS.closedNotice, data: { initiatingAdministration: next.initiatingAdministration, code: planCode(next), byName: person.name, supportContact: next.caseId !== null } });
  }
  const byEffect = Object.fromEntries(Object.entries(noticeTo).map(([admin, effect]) => [effect, admin]));
  fx.journal(journalEvent(planCaseId(next), planActor(person, next.initiatingAdministration), 'D', 'd.closed', now, { reason: input.reason.slice(0, 500), told: '', notReached: '' }), undefined, undefined, { byEffect, reached: 'told', notReached: 'notReached', noConsent: 'notReached' });
  refreshStatusCards(fx, next.spId);
  return accept({ state: next, effects: fx.all, noticeTo });
}

/**
 * Either side raises a disagreement (seed 004: "vid oenighet … kontaktar respektive chef"; who
 * may: `raiseDisagreement`). The supervisors of every administration of the plan get a card saying
 * the support to the individual continues meanwhile (the plan's code, never a reference); the
 * journal records how many were reached and which administrations were not.
 */
export function disagree(plan: CoordinatedPlan, input: { stepId: string; person: StaffMember; administration: Administration; reason: string; now: Date }): Decision<PlanNoticeDecision> {
  const { person, now, administration } = input;
  const d = raiseDisagreement(plan, person, administration, input.reason, now);
  if (!d.ok) return d;
  const next = { ...plan, ...d.value };
  const fx = new Effects(input.stepId);
  const noticeTo: Partial<Record<Administration, string>> = {};
  for (const admin of participants(next)) {
    noticeTo[admin] = fx.notifyRole({ role: 'supervisor', unit: admin }, { kind: D_CARDS.disagreement, data: { spId: next.spId, byName: person.name, administration, reason: input.reason.trim() } });
  }
  const [first, ...rest] = Object.values(noticeTo) as string[];
  const byEffect = Object.fromEntries(Object.entries(noticeTo).map(([admin, effect]) => [effect, admin]));
  fx.journal(journalEvent(planCaseId(next), planActor(person, administration), 'D', 'd.disagreement', now, { administration, recipients: 0, notReached: '' }), undefined, { effect: first!, also: rest, reached: 'recipients' }, { byEffect, notReached: 'notReached', noConsent: 'notReached' });
  // The owners' status cards show the open disagreement (and no second "Lyft oenighet").
  refreshStatusCards(fx, next.spId);
  return accept({ state: next, effects: fx.all, noticeTo });
}

/** The outcome of a disagreement, recorded by the initiator's side (`recordDisagreementOutcome`); journalled. */
export function disagreementOutcome(plan: CoordinatedPlan, input: { stepId: string; person: StaffMember; outcome: string; now: Date }): Decision<StepDecision<CoordinatedPlan>> {
  const d = recordDisagreementOutcome(plan, input.person, input.outcome);
  if (!d.ok) return d;
  const next = { ...plan, ...d.value };
  const fx = new Effects(input.stepId);
  fx.journal(journalEvent(planCaseId(next), planActor(input.person, next.initiatingAdministration), 'D', 'd.disagreementOutcome', input.now, { outcome: input.outcome.slice(0, 500) }));
  // The status cards no longer show it open (a new one can be raised from them again).
  refreshStatusCards(fx, next.spId);
  return accept({ state: next, effects: fx.all });
}

export interface StartInput {
  stepId: string;
  /** The initiator, as they act now (the consent's journal event names their role). */
  person: StaffMember;
  now: Date;
  /** The case's consents (none for a consultation). */
  consents: readonly Consent[];
  /** The consent just recorded for the plan, journalled with the step (none for a consultation). */
  consentRecorded?: { givenBy: string; method: string } | undefined;
  /** The reply task's texts, prepared by the caller. */
  taskLabels: { label: string; caseLabel: string };
  invitationReplyWorkingDays: number;
  policy: ReminderPolicy;
}

/**
 * The initiator starts a coordinated plan (seed 004: "kallelse till SP-möte"; with consent, or as
 * an unidentified consultation). Each other administration the consent covers gets the invitation
 * (its supervisors, else its social workers; consent checked again when sent; the card ids kept
 * on the plan); the initiator gets a task to follow up the answers within
 * `invitationReplyWorkingDays` working days. The journal records the consent (when one was given)
 * and where the invitation went, did not reach, or could not go. The initiator (and her
 * administration's supervisors) get the status card of the invitation (version 0).
 */
export function start(plan: CoordinatedPlan, input: StartInput): Decision<PlanNoticeDecision & { noConsent: Administration[] }> {
  const { now } = input;
  const fx = new Effects(input.stepId);
  const caseId = planCaseId(plan);
  const actor: Actor = { id: plan.initiatorId, name: plan.initiatorName, role: 'socialWorker', unit: plan.initiatingAdministration };
  if (input.consentRecorded) fx.journal(journalEvent(caseId, planActor(input.person, plan.initiatingAdministration), 'D', 'd.consentRecorded', now, { administrations: plan.others.join(','), ...input.consentRecorded }));
  const noticeTo: Partial<Record<Administration, string>> = {};
  const noConsent: Administration[] = [];
  for (const admin of plan.others) {
    if (!mayInvite(plan, admin, input.consents, now).ok) {
      noConsent.push(admin);
      continue;
    }
    const consent = plan.caseId && plan.mode === 'consent' ? { caseId: plan.caseId, recipient: admin } : undefined;
    noticeTo[admin] = fx.notifyRole({ role: 'supervisor', unit: admin, orElse: 'socialWorker' }, { kind: D_CARDS.invitationCard, data: { spId: plan.spId, administration: admin } }, { consent, remember: true });
  }
  const byEffect = Object.fromEntries(Object.entries(noticeTo).map(([admin, effect]) => [effect, admin]));
  fx.journal(journalEvent(caseId, actor, 'D', 'd.invited', now, { administrations: '', notReached: '', noConsent: noConsent.join(','), mode: plan.mode }), undefined, undefined, { byEffect, reached: 'administrations', notReached: 'notReached', noConsent: 'noConsent' });
  const task: Task = {
    taskId: replyTaskId(plan.spId),
    caseId,
    routine: 'D',
    step: 'd.invitationReply',
    unit: plan.initiatingAdministration,
    assignee: { kind: 'person', personId: plan.initiatorId },
    dueDate: invitationReplyDue(toIsoDate(now), input.invitationReplyWorkingDays),
    binding: false,
    label: input.taskLabels.label,
    caseLabel: input.taskLabels.caseLabel,
    context: { spId: plan.spId },
    state: 'open',
    createdAt: now.toISOString(),
  };
  fx.openTask(task, planReminders(task, toIsoDate(now), input.policy));
  sendStatusCard(fx, plan, input.person, 0);
  return accept({ state: plan, effects: fx.all, noticeTo, noConsent });
}
