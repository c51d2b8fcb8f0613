import { z } from 'zod';
import { ROUTINE_IDS } from '../routines/shared/cases';
import { ROLES, type UnitId } from '../routines/shared/organisation';
import { TASK_STATES, type ReminderKind, type Task } from '../routines/shared/tasks';
import type { IsoDate } from '../routines/shared/workingDays';
import { EntityTable, type Stored } from './entityTable';
import { odata } from '@azure/data-tables';
import { StorageConflictError, statusOf } from './errors';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const unit = z.string().min(1).max(100) as unknown as z.ZodType<UnitId>;

export const taskSchema: z.ZodType<Task> = z.object({
  taskId: z.string().min(1).max(100),
  caseId: z.string().min(1).max(100),
  routine: z.enum(ROUTINE_IDS),
  step: z.string().min(1).max(100),
  unit,
  assignee: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('person'), personId: z.string().min(1).max(100) }),
    z.object({ kind: z.literal('role'), role: z.enum(ROLES), unit }),
  ]),
  dueDate: isoDate,
  binding: z.boolean(),
  consentRecipient: z.string().max(100).optional(),
  label: z.string().max(200),
  caseLabel: z.string().max(200).optional(),
  holder: z.string().min(1).max(100).optional(),
  context: z.record(z.string().max(40), z.string().max(200)).optional(),
  state: z.enum(TASK_STATES),
  createdAt: z.iso.datetime(),
  closedAt: z.iso.datetime().optional(),
  closedBy: z.string().max(100).optional(),
});

export interface PendingReminder {
  unit: UnitId;
  taskId: string;
  dueDate: IsoDate;
  kind: ReminderKind;
  fireOn: IsoDate;
  claimedBy?: string | undefined;
  claimedUntil?: string | undefined;
}
export const pendingReminderSchema: z.ZodType<PendingReminder> = z.object({
  unit,
  taskId: z.string().min(1).max(100),
  dueDate: isoDate,
  kind: z.enum(['before', 'dueDay', 'overdue']),
  fireOn: isoDate,
  claimedBy: z.string().max(100).optional(),
  claimedUntil: z.iso.datetime().optional(),
});

/** Where a task lives: enough to read it in one request (cards carry it). */
export interface TaskRef {
  unit: UnitId;
  taskId: string;
  dueDate: IsoDate;
}

const unitPk = (u: UnitId) => `unit|${u}`;
const openRk = (t: Pick<Task, 'dueDate' | 'taskId'>) => `open|${t.dueDate}|${t.taskId}`;
const closedRk = (taskId: string) => `closed|${taskId}`;
/** A copy of an open task under its id, in the unit partition: a task is found by id (or id prefix) without its due date. */
const idRk = (taskId: string) => `id|${taskId}`;
export const assigneeKey = (a: Task['assignee']) => (a.kind === 'person' ? `who|person:${a.personId}` : `who|role:${a.role}@${a.unit}`);

/**
 * Tasks, laid out so each view is one partition query:
 * - unit partition `unit|<unit>`: open tasks as `open|<due>|<id>` (due-date order, so "everything due
 *   in unit X before D" is one range query), closed ones as `closed|<id>`; closing moves the row
 *   inside the partition in one transaction; a copy of each open task as `id|<id>` (written and
 *   deleted in the same transactions), so a task is found by its id or by an id prefix (the tasks
 *   of one case or plan) at a cost independent of the unit's other open tasks;
 * - assignee partition `who|person:<id>` or `who|role:<role>@<unit>`: a copy of each open task, so
 *   "everything P must do" is one query per role P holds.
 * Reminders live in their own table (one partition, row key `<fireOn>|<unit>|<id>|<kind>`), so the
 * sweep reads only what is due, however many tasks are open.
 */
export class TaskStore {
  constructor(
    private readonly tasks: EntityTable<Task>,
    readonly reminders: EntityTable<PendingReminder>,
  ) {}

  static readonly REMINDERS_PK = 'pending';

  /** Creates a task with its reminders. Idempotent on taskId (a repeated create is a conflict). */
  async create(task: Task, reminders: Array<{ kind: ReminderKind; fireOn: IsoDate }>): Promise<void> {
    await this.tasks.transact(unitPk(task.unit), [
      { op: 'create', rowKey: openRk(task), value: task },
      { op: 'create', rowKey: idRk(task.taskId), value: task },
    ]);
    await this.tasks.upsert(assigneeKey(task.assignee), `${task.dueDate}|${task.taskId}`, task);
    for (const r of reminders) {
      await this.reminders.upsert(TaskStore.REMINDERS_PK, reminderRk(r.fireOn, task.unit, task.taskId, r.kind), { unit: task.unit, taskId: task.taskId, dueDate: task.dueDate, kind: r.kind, fireOn: r.fireOn });
    }
  }

  /**
   * Opens a task for a step's effect, safe to repeat: the task rows are created (existing ones are
   * kept), the assignee's copy and the reminders upserted (the reminders in one transaction). On a
   * `replay` (a relay after a crash) a task already closed is not opened again.
   */
  async open(task: Task, reminders: ReadonlyArray<{ kind: ReminderKind; fireOn: IsoDate }>, replay = false): Promise<void> {
    if (replay && (await this.tasks.get(unitPk(task.unit), closedRk(task.taskId)))) return;
    try {
      await this.tasks.transact(unitPk(task.unit), [
        { op: 'create', rowKey: openRk(task), value: task },
        { op: 'create', rowKey: idRk(task.taskId), value: task },
      ]);
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
    await this.tasks.upsert(assigneeKey(task.assignee), `${task.dueDate}|${task.taskId}`, task);
    const rows = reminders.map((r) => ({ op: 'upsert' as const, rowKey: reminderRk(r.fireOn, task.unit, task.taskId, r.kind), value: { unit: task.unit, taskId: task.taskId, dueDate: task.dueDate, kind: r.kind, fireOn: r.fireOn } }));
    if (rows.length) await this.reminders.transact(TaskStore.REMINDERS_PK, rows);
  }

  /**
   * Creates many tasks at once in batches of 100 per partition (imports, the benchmark). Tasks of
   * one unit and one assignee share partitions, so this is about three requests per 100 tasks.
   */
  async bulkCreate(items: Array<{ task: Task; reminders: Array<{ kind: ReminderKind; fireOn: IsoDate }> }>): Promise<void> {
    const groups = new Map<string, { table: EntityTable<Task> | EntityTable<PendingReminder>; rows: Array<{ op: 'create'; rowKey: string; value: never }> }>();
    const add = (table: EntityTable<Task> | EntityTable<PendingReminder>, pk: string, rowKey: string, value: unknown) => {
      const key = `${table.name}|${pk}`;
      const g = groups.get(key) ?? { table, rows: [] };
      g.rows.push({ op: 'create', rowKey, value: value as never });
      groups.set(key, g);
    };
    for (const { task, reminders } of items) {
      add(this.tasks, unitPk(task.unit), openRk(task), task);
      add(this.tasks, unitPk(task.unit), idRk(task.taskId), task);
      add(this.tasks, assigneeKey(task.assignee), `${task.dueDate}|${task.taskId}`, task);
      for (const r of reminders) add(this.reminders, TaskStore.REMINDERS_PK, reminderRk(r.fireOn, task.unit, task.taskId, r.kind), { unit: task.unit, taskId: task.taskId, dueDate: task.dueDate, kind: r.kind, fireOn: r.fireOn });
    }
    for (const [key, g] of groups) {
      const pk = key.slice(g.table.name.length + 1);
      for (let i = 0; i < g.rows.length; i += 100) await (g.table as EntityTable<unknown>).transact(pk, g.rows.slice(i, i + 100));
    }
  }

  async get(ref: TaskRef): Promise<Stored<Task> | undefined> {
    return (await this.tasks.get(unitPk(ref.unit), openRk(ref))) ?? (await this.tasks.get(unitPk(ref.unit), closedRk(ref.taskId)));
  }

  /**
   * Closes an open task (done or cancelled) exactly once: the row moves from `open|…` to
   * `closed|…` in one transaction; creating `closed|<id>` fails for the second of two concurrent
   * closers, so the loser gets StorageConflictError and nothing changes twice.
   */
  async close(ref: TaskRef, state: 'done' | 'cancelled', by: string, at: Date): Promise<Task> {
    const current = await this.tasks.get(unitPk(ref.unit), openRk(ref));
    if (!current || current.value.state !== 'open') throw new StorageConflictError(this.tasks.name, ref.taskId, 409);
    const closed: Task = { ...current.value, state, closedAt: at.toISOString(), closedBy: by };
    const move = [
      { op: 'delete' as const, rowKey: openRk(ref) },
      { op: 'create' as const, rowKey: closedRk(ref.taskId), value: closed },
    ];
    try {
      await this.tasks.transact(unitPk(ref.unit), [...move, { op: 'delete', rowKey: idRk(ref.taskId) }]);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      // A task opened before `id|` rows existed (and not yet backfilled) has none; or the open row went meanwhile.
      try {
        await this.tasks.transact(unitPk(ref.unit), move);
      } catch (again) {
        if (statusOf(again) === 404) throw new StorageConflictError(this.tasks.name, ref.taskId, 409);
        throw again;
      }
    }
    await this.tasks.delete(assigneeKey(closed.assignee), `${closed.dueDate}|${closed.taskId}`);
    return closed;
  }

  /** Open tasks of a unit due before `before` (exclusive), in due order: one range query. */
  async openInUnit(u: UnitId, before?: IsoDate): Promise<Task[]> {
    return (await this.tasks.list(unitPk(u), { from: 'open|', to: before ? `open|${before}` : 'open|~' })).map((s) => s.value);
  }

  /** An open task by its id alone (one point read). */
  async openById(u: UnitId, taskId: string): Promise<Task | undefined> {
    const s = await this.tasks.get(unitPk(u), idRk(taskId));
    return s && s.value.state === 'open' ? s.value : undefined;
  }

  /** Open tasks of a unit whose id starts with `prefix` (the tasks of one case or plan): one range query over those tasks only. */
  async openByIdPrefix(u: UnitId, prefix: string): Promise<Task[]> {
    return (await this.tasks.list(unitPk(u), { from: idRk(prefix), to: `${idRk(prefix)}~` })).map((s) => s.value).filter((t) => t.state === 'open' && t.taskId.startsWith(prefix));
  }

  /**
   * Open tasks written before `id|` rows existed get theirs: one scan of every unit's open rows,
   * once at startup (storage/backfills.ts). A task closed meanwhile loses the row again (the
   * open row is read after the write). Idempotent.
   */
  async backfillIds(): Promise<number> {
    const open = await this.tasks.query(odata`PartitionKey ge ${'unit|'} and PartitionKey lt ${'unit|~'} and RowKey ge ${'open|'} and RowKey lt ${'open|~'}`);
    let n = 0;
    for (const s of open) {
      const t = s.value;
      await this.tasks.upsert(unitPk(t.unit), idRk(t.taskId), t);
      if (!(await this.tasks.get(unitPk(t.unit), openRk(t)))) await this.tasks.delete(unitPk(t.unit), idRk(t.taskId));
      else n++;
    }
    return n;
  }

  /** Open tasks assigned to one person or one role in a unit: one partition query. */
  async openFor(assignee: Task['assignee']): Promise<Task[]> {
    return (await this.tasks.list(assigneeKey(assignee))).map((s) => s.value).filter((t) => t.state === 'open');
  }

  /** Reminders due on or before `today`, oldest first, at most `top`. */
  async dueReminders(today: IsoDate, top = 200): Promise<Stored<PendingReminder>[]> {
    return this.reminders.list(TaskStore.REMINDERS_PK, { to: `${today}~`, top });
  }
}

export function reminderRk(fireOn: IsoDate, u: UnitId, taskId: string, kind: ReminderKind): string {
  return `${fireOn}|${u}|${taskId}|${kind}`;
}
