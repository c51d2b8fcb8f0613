import { strict as assert } from 'node:assert';
import { localize } from '../../dialogs/ports';
import { sv } from '../../locale/sv';
import { createLogger } from '../../bot/logger';
import { ReminderSweep } from '../../bot/reminderSweep';
import type { Notifier } from '../../dialogs/ports';
import { completeTask, openTask } from '../../dialogs/tasks/taskActions';
import { recordConsent, revokeConsent } from '../../routines/shared/consent';
import type { Task } from '../../routines/shared/tasks';
import { StorageConflictError } from '../../storage/errors';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardTexts } from '../helpers/connector';

const hanna = demoPerson('Hanna Holm');
const olle = demoPerson('Olle Öberg');

function taskFor(id: string, over: Partial<Task> = {}): Omit<Task, 'state' | 'createdAt'> {
  return { taskId: id, caseId: `case-${id}`, routine: 'B', step: 'followUp', unit: 'avo', assignee: { kind: 'person', personId: hanna.id }, dueDate: '2026-12-01', binding: true, label: `TR-${id}`, ...over };
}

describe('deadlines and reminders (clock passed in, Azurite, connector stand-in)', () => {
  let bot: RunningBot;
  let now = new Date('2026-11-23T08:00:00Z');
  // Each test gets its own tables, so one test's reminders never fall due in another's sweep.
  beforeEach(async () => {
    now = new Date('2026-11-23T08:00:00Z');
    bot = await startBot({ clock: () => now });
    // Hanna and Olle have talked to the bot, so their conversations are known.
    await bot.post(bot.channel.message(hanna, 'hej'));
    await bot.post(bot.channel.message(olle, 'hej'));
  });
  afterEach(async () => bot.stop());

  it('sends the reminder card into the responsible person\'s conversation when the clock reaches it', async () => {
    now = new Date('2026-11-23T08:00:00Z');
    await openTask(bot.app.stores, taskFor('e2e', { dueDate: '2026-11-30' }), now);
    const conv = bot.channel.conversationOf(hanna);
    const before = bot.connector.to(conv).length;
    assert.equal((await bot.app.sweep.run(now)).sent, 0, 'nothing is due on the 23rd');
    now = new Date('2026-11-26T07:00:00Z'); // Thursday: two working days before Monday the 30th
    const report = await bot.app.sweep.run(now);
    assert.equal(report.sent, 1);
    const sent = bot.connector.to(conv).slice(before);
    assert.equal(sent.length, 1);
    const texts = cardTexts(sent[0]!.activity.attachments?.[0]?.content);
    assert.ok(texts.includes('Påminnelse: snart dags'), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('TR-e2e')));
    assert.ok(texts.includes('4 dagar kvar'));
    assert.equal((await bot.app.sweep.run(now)).sent, 0, 'the same reminder is never sent twice');
  });

  it('sends each reminder exactly once when three instances sweep at the same time', async () => {
    now = new Date('2026-11-23T08:00:00Z');
    for (let i = 0; i < 15; i++) await openTask(bot.app.stores, taskFor(`race${i}`, { dueDate: '2026-11-24' }), now);
    const counts = new Map<string, number>();
    const counting: Notifier = {
      async sendCard(personId, card) {
        const key = `${personId}|${cardTexts((await localize(card, sv)).content).find((t) => t.includes('TR-race'))}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return { sent: true };
      },
      updateCard: async () => true,
    };
    const log = createLogger('silent');
    const sweeps = [0, 1, 2].map(() => new ReminderSweep(bot.app.stores, counting, log));
    const reports = await Promise.all(sweeps.map((s) => s.run(new Date('2026-11-24T07:00:00Z'))));
    assert.equal(counts.size, 15, 'every task was reminded');
    assert.deepEqual([...new Set(counts.values())], [1], 'and none twice');
    assert.equal(reports.reduce((n, r) => n + r.claimed, 0), 15);
  });

  it('retries a throttled send (429) with backoff and delivers it once', async () => {
    now = new Date('2026-11-23T08:00:00Z');
    await openTask(bot.app.stores, taskFor('throttled', { dueDate: '2026-11-25' }), now);
    const conv = bot.channel.conversationOf(hanna);
    const before = bot.connector.to(conv).length;
    bot.connector.failNext(429, 429);
    const report = await bot.app.sweep.run(new Date('2026-11-25T07:00:00Z'));
    assert.equal(report.sent, 1);
    assert.equal(bot.connector.to(conv).slice(before).filter((s) => cardTexts(s.activity.attachments?.[0]?.content).some((t) => t.includes('TR-throttled'))).length, 1);
  });

  it('does not remind about a task that was completed', async () => {
    now = new Date('2026-11-23T08:00:00Z');
    const t = await openTask(bot.app.stores, taskFor('done', { dueDate: '2026-11-27' }), now);
    await completeTask(bot.app.stores, { unit: t.unit, taskId: t.taskId, dueDate: t.dueDate }, hanna.id, now);
    await assert.rejects(completeTask(bot.app.stores, { unit: t.unit, taskId: t.taskId, dueDate: t.dueDate }, hanna.id, now), StorageConflictError, 'a task closes once');
    const report = await bot.app.sweep.run(new Date('2026-11-27T07:00:00Z'));
    assert.ok(report.skippedClosed >= 1);
    assert.ok(!bot.connector.sent.some((s) => cardTexts(s.activity.attachments?.[0]?.content).some((x) => x.includes('TR-done'))));
  });

  it('does not send a reminder once the consent it needs is revoked', async () => {
    now = new Date('2026-11-23T08:00:00Z');
    const consent = recordConsent(
      { recipients: ['avo'], information: 'uppföljning', givenBy: 'individual', method: 'inPerson', givenAt: now.toISOString(), toldHowToRevoke: true },
      { consentId: 'k1', caseId: 'case-consent', routine: 'B', capturedBy: hanna.id },
      now,
    );
    assert.ok(consent.ok);
    await bot.app.stores.consents.add(consent.value);
    await openTask(bot.app.stores, { ...taskFor('consent', { dueDate: '2026-12-02' }), caseId: 'case-consent', consentRecipient: 'avo' }, now);
    const stored = await bot.app.stores.consents.get('case-consent', 'k1');
    const revoked = revokeConsent(stored!.value, hanna.id, new Date('2026-11-24T08:00:00Z'));
    assert.ok(revoked.ok);
    await bot.app.stores.consents.update(revoked.value, stored!.etag);
    const report = await bot.app.sweep.run(new Date('2026-12-02T07:00:00Z'));
    assert.ok(report.skippedNoConsent >= 1);
    assert.ok(!bot.connector.sent.some((s) => cardTexts(s.activity.attachments?.[0]?.content).some((x) => x.includes('TR-consent'))));
  });

  it('spaces proactive messages into one conversation (Teams rate limits)', async () => {
    const paced = await startBot({ proactiveSpacingMs: 150 });
    try {
      await paced.post(paced.channel.message(hanna, 'hej'));
      const conv = paced.channel.conversationOf(hanna);
      const before = paced.connector.to(conv).length;
      const card = { contentType: 'application/vnd.microsoft.card.adaptive' as const, content: { type: 'AdaptiveCard', version: '1.5', body: [] } };
      const started = Date.now();
      await Promise.all([1, 2, 3].map(() => paced.app.deps.notifier.sendCard(hanna.id, card, 'x')));
      assert.equal(paced.connector.to(conv).length - before, 3);
      // A lower bound only: three sends need at least two gaps, however fast the machine is.
      assert.ok(Date.now() - started >= 290, 'sends were spaced');
    } finally {
      await paced.stop();
    }
  });

  it('marks a conversation stale on 403 and tells the admin that the person cannot be reached', async () => {
    now = new Date('2026-11-23T08:00:00Z');
    await openTask(bot.app.stores, taskFor('blocked', { dueDate: '2026-12-03' }), now);
    bot.connector.failNext(403);
    const report = await bot.app.sweep.run(new Date('2026-12-03T07:00:00Z'));
    assert.equal(report.undelivered, 1);
    assert.ok((await bot.app.stores.conversations.get(hanna.id))?.staleSince, 'the reference is marked stale');
    await bot.connector.waitFor(() => bot.connector.to(bot.channel.conversationOf(olle)).some((s) => cardTexts(s.activity.attachments?.[0]?.content).some((t) => t.includes('Hanna Holm har inte installerat'))));
    // Writing to the bot again makes the conversation usable.
    await bot.post(bot.channel.message(hanna, 'hej'));
  });

  it('lists the person\'s tasks in "mina uppgifter", overdue first, with days left', async () => {
    const fresh = await startBot({ clock: () => new Date('2026-11-30T09:00:00Z') });
    try {
      const t0 = new Date('2026-11-01T09:00:00Z');
      await openTask(fresh.app.stores, taskFor('later', { dueDate: '2026-12-10' }), t0);
      await openTask(fresh.app.stores, taskFor('overdue', { dueDate: '2026-11-20' }), t0);
      await openTask(fresh.app.stores, taskFor('today', { dueDate: '2026-11-30' }), t0);
      await openTask(fresh.app.stores, taskFor('someone-else', { dueDate: '2026-11-10', assignee: { kind: 'person', personId: olle.id } }), t0);
      await fresh.post(fresh.channel.message(hanna, 'mina uppgifter'));
      const conv = fresh.channel.conversationOf(hanna);
      await fresh.connector.waitFor(() => fresh.connector.to(conv).length > 0);
      const texts = cardTexts(fresh.connector.to(conv)[0]!.activity.attachments?.[0]?.content);
      const order = texts.filter((t) => t.startsWith('TR-')).map((t) => t.split(' ')[0]);
      assert.deepEqual(order, ['TR-overdue', 'TR-today', 'TR-later']);
      assert.ok(texts.includes('Försenad 10 dagar'));
      assert.ok(texts.includes('Ska vara klar i dag'));
    } finally {
      await fresh.stop();
    }
  });
});
