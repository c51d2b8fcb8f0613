import { planReminders, type ReminderPolicy, type Task } from '../../routines/shared/tasks';
import { toIsoDate } from '../../routines/shared/workingDays';
import type { Stores } from '../../storage';
import type { TaskRef } from '../../storage/tasks';

/**
 * How routines create and close their due steps: the rule plans the reminders, the store keeps
 * the task where each view finds it with one query. Routines call these; they never write
 * tasks or reminders directly.
 */
export async function openTask(stores: Stores, task: Omit<Task, 'state' | 'createdAt'>, now: Date, policy?: ReminderPolicy): Promise<Task> {
  const full: Task = { ...task, state: 'open', createdAt: now.toISOString() };
  await stores.tasks.create(full, planReminders(full, toIsoDate(now), policy));
  return full;
}

export function completeTask(stores: Stores, ref: TaskRef, by: string, now: Date): Promise<Task> {
  return stores.tasks.close(ref, 'done', by, now);
}

export function cancelTask(stores: Stores, ref: TaskRef, by: string, now: Date): Promise<Task> {
  return stores.tasks.close(ref, 'cancelled', by, now);
}
