import { randomUUID } from 'node:crypto';
import { renderMessageCard } from '../cards/message';
import { renderTaskListCard, taskRows } from '../cards/taskList';
import type { Texts } from '../locale';
import type { Notifier } from '../dialogs/ports';
import { mayTell } from '../routines/shared/consent';
import { hasRole, type StaffMember } from '../routines/shared/organisation';
import { reminderRecipients, type Task } from '../routines/shared/tasks';
import { toIsoDate } from '../routines/shared/workingDays';
import type { Stores } from '../storage';
import { StorageConflictError } from '../storage/errors';
import type { PendingReminder } from '../storage/tasks';
import type { Stored } from '../storage/entityTable';
import { withLogContext, type Logger } from './logger';

export interface SweepReport {
  due: number;
  claimed: number;
  sent: number;
  skippedClosed: number;
  skippedNoConsent: number;
  /** Earlier reminders of a task whose later reminder is also due (only the latest is sent). */
  superseded: number;
  undelivered: number;
}

/**
 * Sends the reminders that are due. Safe to run on every instance at once: each reminder is
 * claimed with an ETag-conditional write before anything is sent, and deleted after; an instance
 * that dies mid-way leaves a claim that expires, so the reminder is retried (at-least-once in that
 * rare case, exactly once otherwise). Consent and the recipient's role are rechecked at send time.
 */
export class ReminderSweep {
  private readonly instanceId = randomUUID();

  constructor(
    private readonly stores: Stores,
    private readonly notifier: Notifier,
    private readonly log: Logger,
    private readonly claimMs = 120_000,
  ) {}

  async run(now: Date): Promise<SweepReport> {
    const report: SweepReport = { due: 0, claimed: 0, sent: 0, skippedClosed: 0, skippedNoConsent: 0, superseded: 0, undelivered: 0 };
    const today = toIsoDate(now);
    const due = await this.stores.tasks.dueReminders(today);
    report.due = due.length;
    if (due.length === 0) return report;
    const toldAdminsAbout = new Set<string>();
    // Rows come in fire-date order; when a sweep catches up, only a task's latest reminder is sent.
    const latest = new Map<string, Stored<PendingReminder>>();
    for (const r of due) latest.set(`${r.value.unit}|${r.value.taskId}`, r);
    for (const r of due) {
      if (r.value.claimedUntil && Date.parse(r.value.claimedUntil) > now.getTime()) continue;
      const claim = await this.claim(r, now);
      if (!claim) continue;
      report.claimed++;
      if (latest.get(`${r.value.unit}|${r.value.taskId}`) !== r) {
        report.superseded++;
        await this.stores.tasks.reminders.delete(r.partitionKey, r.rowKey, claim);
        continue;
      }
      const task = (await this.stores.tasks.get({ unit: r.value.unit, taskId: r.value.taskId, dueDate: r.value.dueDate }))?.value;
      if (!task || task.state !== 'open') {
        report.skippedClosed++;
        await this.stores.tasks.reminders.delete(r.partitionKey, r.rowKey, claim);
        continue;
      }
      if (task.consentRecipient) {
        const consents = await this.stores.consents.forCase(task.caseId);
        if (!mayTell(consents, task.caseId, task.consentRecipient, now).ok) {
          report.skippedNoConsent++;
          await this.stores.tasks.reminders.delete(r.partitionKey, r.rowKey, claim);
          continue;
        }
      }
      const recipients = reminderRecipients(task, r.value.kind, await this.candidates(task, r.value.kind));
      const responsibleNames = recipients.filter((p) => !hasRole(p, 'supervisor', task.unit) || task.assignee.kind === 'role').map((p) => p.name).join(', ');
      for (const person of recipients) {
        const outcome = await withLogContext({ routine: task.routine, step: `${task.step}.reminder.${r.value.kind}` }, () => this.notifier.sendCard(person.id, (t) => this.reminderCard(task, r.value, today, person, responsibleNames, t), (t) => t.tasks.reminderTitle[r.value.kind]));
        if (outcome.sent) report.sent++;
        else {
          report.undelivered++;
          if (!toldAdminsAbout.has(person.id)) {
            toldAdminsAbout.add(person.id);
            await this.tellAdmins(person);
          }
        }
      }
      await this.stores.tasks.reminders.delete(r.partitionKey, r.rowKey, claim);
    }
    this.log.info({ event: 'sweep', ...report }, 'reminder sweep');
    return report;
  }

  private async claim(r: Stored<PendingReminder>, now: Date): Promise<string | undefined> {
    try {
      const s = await this.stores.tasks.reminders.replace(r.partitionKey, r.rowKey, { ...r.value, claimedBy: this.instanceId, claimedUntil: new Date(now.getTime() + this.claimMs).toISOString() }, r.etag);
      return s.etag;
    } catch (err) {
      if (err instanceof StorageConflictError) return undefined; // another instance has it
      throw err;
    }
  }

  /** A reminder in the recipient's language (the notifier knows it from the person's own turns). */
  private reminderCard(task: Task, r: PendingReminder, today: string, person: StaffMember, responsible: string, t: Texts) {
    const supervisorCopy = r.kind === 'overdue' && task.binding && hasRole(person, 'supervisor', task.unit) && !(task.assignee.kind === 'role' && task.assignee.role === 'supervisor');
    return renderTaskListCard({
      title: t.tasks.reminderTitle[r.kind],
      summary: supervisorCopy ? t.tasks.reminderSupervisor(responsible) : '',
      emptyText: t.tasks.empty,
      tasks: taskRows([task], today, t, true),
    });
  }

  /**
   * Everyone reminderRecipients may choose for this task, read by key instead of the whole
   * directory: the assigned person, the holders of the assigned role, the unit's supervisors.
   * One object per id (reminderRecipients compares by identity), in id order like the directory.
   */
  private async candidates(task: Task, kind: PendingReminder['kind']): Promise<StaffMember[]> {
    const a = task.assignee;
    const groups = await Promise.all([
      a.kind === 'person' ? this.stores.staff.getMany([a.personId]) : this.stores.staff.holders(a.role, a.unit),
      kind === 'overdue' && task.binding ? this.stores.staff.holders('supervisor', task.unit) : Promise.resolve([]),
    ]);
    const byId = new Map<string, StaffMember>();
    for (const p of groups.flat()) if (!byId.has(p.id)) byId.set(p.id, p);
    return [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }

  private async tellAdmins(person: StaffMember): Promise<void> {
    const card = (t: Texts) => renderMessageCard({ title: t.tasks.notInstalledTitle, text: t.tasks.notInstalled(person.name), tone: 'warning' });
    for (const admin of await this.stores.staff.holders('admin', 'city')) await this.notifier.sendCard(admin.id, card, (t) => t.tasks.notInstalledTitle);
  }
}
