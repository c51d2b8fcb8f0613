import { expandCard, type CardAttachment } from './expand';
import template from './templates/taskList.json';
import type { Texts } from '../locale';
import { daysLeft, type Task } from '../routines/shared/tasks';
import type { IsoDate } from '../routines/shared/workingDays';

export interface TaskListRow {
  taskId: string;
  unit: string;
  dueDate: string;
  routine: string;
  what: string;
  detail: string;
  when: string;
  color: 'Attention' | 'Warning' | 'Default';
  openLabel: string;
}

export interface TaskListCardData {
  title: string;
  summary: string;
  emptyText: string;
  tasks: TaskListRow[];
}

/** "My tasks", "the unit's tasks" and reminders: rows with what, for which case, and days left. */
export function renderTaskListCard(d: TaskListCardData): CardAttachment {
  return expandCard(template, d);
}

/** Rows for tasks already in list order: what, for which case, and how much time is left. */
export function taskRows(tasks: readonly Task[], today: IsoDate, t: Texts, withOpenButton: boolean): TaskListRow[] {
  return tasks.map((task) => {
    const left = daysLeft(task, today);
    const when = left < 0 ? t.tasks.overdue(-left) : left === 0 ? t.tasks.dueToday : t.tasks.daysLeft(left);
    return {
      taskId: task.taskId,
      unit: task.unit,
      dueDate: task.dueDate,
      routine: task.routine,
      what: `${t.routines[task.routine]}: ${t.steps[task.step] ?? task.step}`,
      // The case first (two tasks for one provider differ by it), then the routine's own label when it says more.
      detail: [task.caseLabel && !task.label.includes(task.caseLabel) ? task.caseLabel : '', task.label, t.tasks.due(task.dueDate)].filter(Boolean).join(' · '),
      when,
      color: left < 0 ? 'Attention' : left <= 2 ? 'Warning' : 'Default',
      openLabel: withOpenButton ? t.tasks.open : '',
    };
  });
}
