import type { RoutineId } from './cases';
import { hasRole, type Role, type StaffMember, type UnitId } from './organisation';
import { addWorkingDays, daysBetween, type IsoDate } from './workingDays';

/**
 * A task is a due step of a routine: who must do what, for which case, by when. Routines create,
 * complete and cancel tasks as their steps happen; this module holds the rules shared by all of
 * them (reminder schedule, recipients, ordering). "Overdue" is derived, never stored.
 */
export type Assignee = { kind: 'person'; personId: string } | { kind: 'role'; role: Role; unit: UnitId };

export const TASK_STATES = ['open', 'done', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface Task {
  taskId: string;
  caseId: string;
  routine: RoutineId;
  /** A stable step code of the routine (its dialog knows how to resume it). */
  step: string;
  /** The unit the task belongs to (its overview lists it). */
  unit: UnitId;
  assignee: Assignee;
  dueDate: IsoDate;
  /** A deadline the seeds call binding: overdue reminders also go to the unit's supervisors. */
  binding: boolean;
  /** When set, reminders may only be sent while consent covers this recipient. */
  consentRecipient?: string | undefined;
  /** A short, non-identifying label shown in lists (e.g. the case reference when allowed). */
  label: string;
  /**
   * Which case the task is about, as every list shows it: the case reference, never initials, and
   * the routine's non-identifying code for a protected case (see `taskCaseLabel`). Set where the
   * task is opened; older tasks may lack it.
   */
  caseLabel?: string | undefined;
  /**
   * For a task assigned to a role: the one holder who has it in hand (e.g. the officer who tried to
   * reach the person). Every holder of the role sees it; reminders before and on the due date go to
   * this holder alone, the overdue one to the whole role — nobody is the single point of failure.
   */
  holder?: string | undefined;
  /** Ids the routine needs to resume the step (never personal data). */
  context?: Record<string, string> | undefined;
  state: TaskState;
  createdAt: string;
  closedAt?: string | undefined;
  closedBy?: string | undefined;
}

/**
 * The case label of a task: the reference of an ordinary case, the code of a protected one (or of
 * a case the routine cannot name, e.g. an unidentified consultation). Never initials.
 */
export function taskCaseLabel(c: { reference: string; protectedIdentity: boolean } | undefined | null, code: string): string {
  return c && !c.protectedIdentity ? c.reference : code;
}

export type ReminderKind = 'before' | 'dueDay' | 'overdue';
export interface ReminderPlan {
  kind: ReminderKind;
  fireOn: IsoDate;
}

export interface ReminderPolicy {
  /** Working days before the due date for the first reminder (default 2). */
  workingDaysBefore: number;
}
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { workingDaysBefore: 2 };

/**
 * The reminders of a task created on `today` (its Stockholm date): N working days before, on the
 * due day, and the first working day after.
 * - A "before" reminder comes only once the task can be acted on: after the day it was created
 *   (the person who just caused it needs no reminder seconds later) and before the due day. When
 *   its day is not in that window it is folded into the due-day reminder.
 * - A reminder whose day has already passed is never dropped: a task created after its due date
 *   (a late registration, an already overdue follow-up) gets its overdue reminder on `today`, so the
 *   next sweep sends it, worded as overdue; the sweep sends only a task's latest due reminder.
 */
export function planReminders(task: Pick<Task, 'dueDate'>, today: IsoDate, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): ReminderPlan[] {
  const plans: ReminderPlan[] = [];
  const before = addWorkingDays(task.dueDate, -policy.workingDaysBefore);
  if (policy.workingDaysBefore > 0 && before > today && before < task.dueDate) plans.push({ kind: 'before', fireOn: before });
  if (task.dueDate >= today) plans.push({ kind: 'dueDay', fireOn: task.dueDate });
  plans.push({ kind: 'overdue', fireOn: task.dueDate < today ? today : addWorkingDays(task.dueDate, 1) });
  return plans;
}

export function isOverdue(task: Pick<Task, 'state' | 'dueDate'>, today: IsoDate): boolean {
  return task.state === 'open' && task.dueDate < today;
}

/** Calendar days left until the due date (negative when overdue). */
export function daysLeft(task: Pick<Task, 'dueDate'>, today: IsoDate): number {
  return daysBetween(today, task.dueDate);
}

/** "My tasks" order: overdue first (oldest first), then by due date, then by routine. */
export function orderForList<T extends Pick<Task, 'dueDate' | 'routine' | 'taskId'>>(tasks: readonly T[]): T[] {
  return [...tasks].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.routine.localeCompare(b.routine) || a.taskId.localeCompare(b.taskId));
}

/** May this person act on (and be reminded of) this task now? */
export function isResponsible(person: StaffMember, task: Pick<Task, 'assignee' | 'unit'>): boolean {
  if (task.assignee.kind === 'person') return task.assignee.personId === person.id && person.roles.some((r) => r.unit === task.unit);
  return hasRole(person, task.assignee.role, task.assignee.unit);
}

/** Who gets a reminder of this kind: the responsible people, plus the unit's supervisors when a binding deadline is overdue. */
export function reminderRecipients(task: Task, kind: ReminderKind, directory: readonly StaffMember[]): StaffMember[] {
  const all = directory.filter((p) => isResponsible(p, task));
  // The holder first; the whole role once it is overdue, or when the holder no longer has the role.
  const holder = task.holder && kind !== 'overdue' ? all.filter((p) => p.id === task.holder) : [];
  const responsible = holder.length ? holder : all;
  if (kind !== 'overdue' || !task.binding) return responsible;
  const supervisors = directory.filter((p) => hasRole(p, 'supervisor', task.unit) && !responsible.includes(p));
  return [...responsible, ...supervisors];
}

/** Counts of open tasks per routine, for the unit overview. */
export function countsByRoutine(tasks: readonly Pick<Task, 'routine' | 'dueDate' | 'state'>[], today: IsoDate): Record<RoutineId, { open: number; overdue: number }> {
  const out = { A: { open: 0, overdue: 0 }, B: { open: 0, overdue: 0 }, C: { open: 0, overdue: 0 }, D: { open: 0, overdue: 0 } };
  for (const t of tasks) {
    if (t.state !== 'open') continue;
    out[t.routine].open++;
    if (isOverdue(t, today)) out[t.routine].overdue++;
  }
  return out;
}
