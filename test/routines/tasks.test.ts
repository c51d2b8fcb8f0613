import { strict as assert } from 'node:assert';
import type { StaffMember } from '../../routines/shared/organisation';
import { daysLeft, isOverdue, orderForList, planReminders, reminderRecipients, type Task } from '../../routines/shared/tasks';

const task = (over: Partial<Task> = {}): Task => ({
  taskId: 't1',
  caseId: 'c1',
  routine: 'B',
  step: 'followUp',
  unit: 'avo',
  assignee: { kind: 'person', personId: 'hanna' },
  dueDate: '2026-12-28',
  binding: true,
  label: 'TR-1',
  state: 'open',
  createdAt: '2026-11-22T10:00:00.000Z',
  ...over,
});

describe('task rules', () => {
  it('plans reminders two working days before, on the day, and the first working day after', () => {
    assert.deepEqual(planReminders(task(), '2026-11-22'), [
      { kind: 'before', fireOn: '2026-12-22' }, // 24–27 December are not working days
      { kind: 'dueDay', fireOn: '2026-12-28' },
      { kind: 'overdue', fireOn: '2026-12-29' },
    ]);
  });
  it('folds a "before" reminder whose day has already passed into the due-day reminder', () => {
    assert.deepEqual(
      planReminders(task({ dueDate: '2026-11-24' }), '2026-11-24').map((p) => p.kind),
      ['dueDay', 'overdue'],
    );
  });
  it('never a "before" reminder on the day the task is created (D: reply window 2 working days, reminder 2 before)', () => {
    assert.deepEqual(planReminders(task({ dueDate: '2026-11-25' }), '2026-11-23'), [
      { kind: 'dueDay', fireOn: '2026-11-25' },
      { kind: 'overdue', fireOn: '2026-11-26' },
    ]);
    assert.deepEqual(planReminders(task({ dueDate: '2026-11-26' }), '2026-11-23')[0], { kind: 'before', fireOn: '2026-11-24' }, 'one working day after the creation is fine');
    assert.deepEqual(planReminders(task({ dueDate: '2026-11-25' }), '2026-11-23', { workingDaysBefore: 0 }).map((p) => p.kind), ['dueDay', 'overdue'], '0 days before = the due-day reminder');
  });
  it('a task created after its due date gets its overdue reminder at the next sweep, never none (late C renewal, overdue B follow-up)', () => {
    assert.deepEqual(planReminders(task({ dueDate: '2026-10-15' }), '2026-11-23'), [{ kind: 'overdue', fireOn: '2026-11-23' }]);
    // Due Friday, created on the Saturday after: overdue now, not only on Monday.
    assert.deepEqual(planReminders(task({ dueDate: '2026-11-20' }), '2026-11-21'), [{ kind: 'overdue', fireOn: '2026-11-21' }]);
    // Due on the day it is created: the due-day reminder goes at the next sweep.
    assert.deepEqual(planReminders(task({ dueDate: '2026-11-23' }), '2026-11-23')[0], { kind: 'dueDay', fireOn: '2026-11-23' });
  });
  it('derives overdue and days left from the date passed in', () => {
    assert.equal(isOverdue(task(), '2026-12-28'), false);
    assert.equal(isOverdue(task(), '2026-12-29'), true);
    assert.equal(isOverdue(task({ state: 'done' }), '2027-01-10'), false);
    assert.equal(daysLeft(task(), '2026-12-20'), 8);
    assert.equal(daysLeft(task(), '2026-12-30'), -2);
  });
  it('lists overdue first, then by due date', () => {
    const list = orderForList([task({ taskId: 'late', dueDate: '2026-11-01' }), task({ taskId: 'soon', dueDate: '2026-11-25' }), task({ taskId: 'oldest', dueDate: '2026-10-01' })]);
    assert.deepEqual(list.map((t) => t.taskId), ['oldest', 'late', 'soon']);
  });
  it('reminds the responsible person, and the unit supervisors only when a binding deadline is overdue', () => {
    const dir: StaffMember[] = [
      { id: 'hanna', name: 'Hanna', roles: [{ role: 'careNeedsAssessor', unit: 'avo' }] },
      { id: 'boss', name: 'Boss', roles: [{ role: 'supervisor', unit: 'avo' }] },
      { id: 'other', name: 'Other boss', roles: [{ role: 'supervisor', unit: 'ffs' }] },
    ];
    assert.deepEqual(reminderRecipients(task(), 'dueDay', dir).map((p) => p.id), ['hanna']);
    assert.deepEqual(reminderRecipients(task(), 'overdue', dir).map((p) => p.id), ['hanna', 'boss']);
    assert.deepEqual(reminderRecipients(task({ binding: false }), 'overdue', dir).map((p) => p.id), ['hanna']);
  });
  it('reminds every holder of a role in the unit, and nobody who lost the role', () => {
    const dir: StaffMember[] = [
      { id: 'a', name: 'A', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
      { id: 'b', name: 'B', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
      { id: 'c', name: 'C', roles: [] },
    ];
    assert.deepEqual(reminderRecipients(task({ unit: 'ffs', assignee: { kind: 'role', role: 'workGuidanceOfficer', unit: 'ffs' } }), 'before', dir).map((p) => p.id), ['a', 'b']);
    assert.deepEqual(reminderRecipients(task({ assignee: { kind: 'person', personId: 'c' } }), 'before', dir), []);
  });
  it('a role task in one holder\'s hands: its reminders go to that holder, the overdue one to the whole role (issue 17)', () => {
    const dir: StaffMember[] = [
      { id: 'a', name: 'A', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
      { id: 'b', name: 'B', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
      { id: 'c', name: 'C', roles: [{ role: 'socialWorker', unit: 'ffs' }] },
    ];
    const held = task({ unit: 'ffs', binding: false, assignee: { kind: 'role', role: 'workGuidanceOfficer', unit: 'ffs' }, holder: 'b' });
    assert.deepEqual(reminderRecipients(held, 'before', dir).map((p) => p.id), ['b']);
    assert.deepEqual(reminderRecipients(held, 'dueDay', dir).map((p) => p.id), ['b']);
    assert.deepEqual(reminderRecipients(held, 'overdue', dir).map((p) => p.id), ['a', 'b'], 'overdue: every officer of the unit');
    assert.deepEqual(reminderRecipients({ ...held, holder: 'c' }, 'before', dir).map((p) => p.id), ['a', 'b'], 'a holder without the role: the whole role');
  });
});
