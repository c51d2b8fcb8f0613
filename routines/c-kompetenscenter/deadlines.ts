import type { Effects } from '../shared/effects';
import type { StaffMember, UnitId } from '../shared/organisation';
import { planReminders, taskCaseLabel, type ReminderPolicy, type Task } from '../shared/tasks';
import { toIsoDate } from '../shared/workingDays';
import { dueSteps, handleOf, type CSettings, type DueStep, type Referral, type Side } from './rules';

/**
 * Routine C's deadlines as tasks (ROUTINES.md C: the intake meeting, the implementation plan and
 * its six-monthly update, the three-monthly follow-up, the renewal prompt), decided with each step:
 * the tasks of the deadlines that run after the step are opened, those that no longer run closed.
 * Pure: the caller reads the referral's open tasks; the relay opens and closes them by their ids.
 */

/** An open task of the referral as the caller read it (its id starts with `taskPrefix`). */
export interface OpenTaskRef {
  unit: UnitId;
  taskId: string;
}

export const taskPrefix = (r: Pick<Referral, 'referralId'>) => `c-${r.referralId}-`;
export const taskIdOf = (r: Pick<Referral, 'referralId'>, d: Pick<DueStep, 'key' | 'dueDate'>) => `${taskPrefix(r)}${d.key}-${d.dueDate}`;
export const unitOf = (r: Pick<Referral, 'administration'>, side: Side): UnitId => (side === 'sf' ? r.administration : 'kc');

export interface DeadlineInput {
  person: Pick<StaffMember, 'id'>;
  now: Date;
  /** KC may know of the case (no consent, or one not revoked): KC's tasks need it. */
  kcMayKnow: boolean;
  /** The case's reference and whether its identity is protected: the task's label names the case by it (never initials). */
  caseFile: { reference: string; protectedIdentity: boolean } | undefined;
  /** The referral's open tasks in the administration and at KC, read when the step was decided. */
  openTasks: readonly OpenTaskRef[];
  settings: CSettings;
  policy: ReminderPolicy;
}

/** The deadlines that run for a referral: the social worker's always, the consultant's while KC may know of the case. */
export function runningDeadlines(r: Referral, settings: CSettings, kcMayKnow: boolean): DueStep[] {
  return dueSteps(r, settings).filter((d) => d.side === 'sf' || (Boolean(r.consultantId) && kcMayKnow));
}

/**
 * Adds the task effects of a step from `before` to `after`: every open task (read, or running
 * before the step — it may not be written yet when another step's relay is still on its way) that
 * no longer runs is closed (cancelled when the referral closes, done otherwise); every deadline
 * that runs and has no open task gets one, with its reminders.
 */
export function deadlineEffects(fx: Effects, before: Referral, after: Referral, input: DeadlineInput): void {
  const { now, person } = input;
  const running = runningDeadlines(after, input.settings, input.kcMayKnow);
  const wanted = new Set(running.map((d) => taskIdOf(after, d)));
  const open = new Map(input.openTasks.filter((t) => t.taskId.startsWith(taskPrefix(after))).map((t) => [t.taskId, t.unit]));
  for (const d of runningDeadlines(before, input.settings, input.kcMayKnow)) {
    const taskId = taskIdOf(before, d);
    if (!open.has(taskId)) open.set(taskId, unitOf(before, d.side));
  }
  const outcome = after.state === 'closed' ? 'cancelled' : 'done';
  for (const [taskId, unit] of open) if (!wanted.has(taskId)) fx.closeTask(unit, taskId, outcome, person.id, now);
  // The label names the case in every list: the reference, never initials; the handle for a protected case.
  const label = taskCaseLabel(input.caseFile, handleOf(after));
  const existing = new Set(input.openTasks.map((t) => t.taskId));
  for (const d of running) {
    const taskId = taskIdOf(after, d);
    if (existing.has(taskId)) continue;
    const task: Task = {
      taskId,
      caseId: after.caseId,
      routine: 'C',
      step: d.step,
      unit: unitOf(after, d.side),
      assignee: { kind: 'person', personId: d.side === 'sf' ? after.socialWorkerId : after.consultantId! },
      dueDate: d.dueDate,
      binding: false,
      label,
      caseLabel: label,
      context: { referralId: after.referralId },
      ...(d.side === 'kc' && after.consentId ? { consentRecipient: 'kc' } : {}),
      state: 'open',
      createdAt: now.toISOString(),
    };
    fx.openTask(task, planReminders(task, toIsoDate(now), input.policy));
  }
}
