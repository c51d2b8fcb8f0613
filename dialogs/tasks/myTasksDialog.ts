import { Dialog, type DialogContext, type DialogTurnResult } from '../botbuilderDialogs';
import { renderTaskListCard, taskRows } from '../../cards/taskList';
import { hasRole, unitName, unitsWithRole, type StaffMember } from '../../routines/shared/organisation';
import { countsByRoutine, orderForList, type Assignee, type Task } from '../../routines/shared/tasks';
import { toIsoDate } from '../../routines/shared/workingDays';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { logViews } from '../dataProtection/accessLogging';

/** The person's own open tasks and those of their roles; supervisors also get their unit's overview. */
export class MyTasksDialog extends Dialog {
  static readonly ID = 'tasks.mine';

  constructor(private readonly deps: DialogDeps) {
    super(MyTasksDialog.ID);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { person, t, now } = turnInfo(dc.context);
    if (!person) return dc.endDialog();
    const today = toIsoDate(now);
    const mine = await this.tasksOf(person);
    logViews(dc.context, this.deps.stores, mine.map((task) => ({ caseId: task.caseId, routine: task.routine, view: 'tasks.mine', units: [task.unit] })));
    await dc.context.sendActivity({ attachments: [renderTaskListCard({ title: t.tasks.myTitle, summary: '', emptyText: t.tasks.empty, tasks: taskRows(mine, today, t, true) })] });
    for (const unit of unitsWithRole(person, 'supervisor')) {
      const tasks = await this.deps.stores.tasks.openInUnit(unit);
      logViews(dc.context, this.deps.stores, tasks.map((task) => ({ caseId: task.caseId, routine: task.routine, view: 'tasks.unit', units: [unit] })));
      const counts = countsByRoutine(tasks, today);
      const parts = (Object.keys(counts) as Array<keyof typeof counts>)
        .filter((r) => counts[r].open > 0)
        .map((r) => `${t.routines[r]} ${counts[r].open}${counts[r].overdue ? ` (${t.tasks.overdue(counts[r].overdue).toLowerCase()})` : ''}`)
        .join(', ');
      await dc.context.sendActivity({
        attachments: [renderTaskListCard({ title: t.tasks.unitTitle(unitName(unit)), summary: parts ? t.tasks.unitSummary(parts) : '', emptyText: t.tasks.empty, tasks: taskRows(tasks, today, t, false) })],
      });
    }
    return dc.endDialog();
  }

  /** One partition query per assignee key: the person, and each role they hold. */
  private async tasksOf(person: StaffMember): Promise<Task[]> {
    const keys: Assignee[] = [{ kind: 'person', personId: person.id }, ...person.roles.map((r) => ({ kind: 'role' as const, role: r.role, unit: r.unit }))];
    const lists = await Promise.all(keys.map((k) => this.deps.stores.tasks.openFor(k)));
    const byId = new Map(lists.flat().map((task) => [task.taskId, task]));
    return orderForList([...byId.values()]);
  }
}

export function myTasksFeature(deps: DialogDeps): Feature {
  return {
    id: 'myTasks',
    dialog: new MyTasksDialog(deps),
    visibleTo: (p) => p.roles.length > 0 && !(p.roles.length === 1 && hasRole(p, 'admin')),
    commands: ['mina uppgifter', 'uppgifter', 'my tasks', 'tasks', 'enhetens uppgifter', 'unit tasks'],
  };
}
