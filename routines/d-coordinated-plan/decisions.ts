import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent, type Actor } from '../shared/journal';
import { hasRole, type Administration, type StaffMember } from '../shared/organisation';
import { accept, type Decision } from '../shared/refusal';
import { planReminders, type ReminderPolicy, type Task } from '../shared/tasks';
import { toIsoDate } from '../shared/workingDays';
import type { Consent } from '../shared/consent';
import { answerInvitation, approvalDue, currentVersion, decide, mayInvite, submitPlan, type CoordinatedPlan, type InvitationAnswer, type PlanContent } from './rules';

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
 * - the initiator is told only of a decision that settles the plan: returned (with the comment),
 *   or established (every other administration approved the same version);
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
 * - when every invited administration has answered, the initiator's reply task is done.
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
 * not reach, or could not go for want of consent.
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
  return accept({ state: next, effects: fx.all, cardTo, noConsent });
}
