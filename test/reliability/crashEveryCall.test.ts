import { strict as assert } from 'node:assert';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { RequestCounter } from '../../storage/tableClients';
import { cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { report } from './support';

/**
 * A storage request counter that can stop the bot dead at the k-th request from now: that request
 * and every later one fail before they reach storage, as if the process had been killed there
 * (nothing after that point is written). The bot is then "restarted": a new app on the same
 * storage and the same Teams side, later by more than the in-turn claim.
 */
class DyingCounter extends RequestCounter {
  private dieAt = Number.POSITIVE_INFINITY;
  override readonly policy = {
    name: 'requestCounter',
    sendRequest: async (request: never, next: (r: never) => Promise<never>) => {
      this.count++;
      if (this.count >= this.dieAt) throw new Error('injected crash: the bot died before this storage request');
      return next(request);
    },
  };
  /** Dies at the k-th request from now (1 = the next one). */
  dieIn(k: number): void {
    this.dieAt = this.count + k;
  }
}

const ESTABLISHED = 'Planen är fastställd';

describe('reliability: the bot dies at every storage request of a step and restarts (routine D approval)', function () {
  this.timeout(300_000);
  const t0 = new Date('2026-11-23T09:00:00Z');
  const sofia = demoPerson('Sofia Sandberg');
  const tomas = demoPerson('Tomas Tell');
  let first: RunningBot;

  before(async () => {
    first = await startBot({ clock: () => t0 });
    await new Chat(first, sofia).say('hej');
    await new Chat(first, tomas).say('hej');
  });
  after(async () => {
    await first.app.close();
    await first.connector.stop();
  });

  /** A plan awaiting the last approval (FFS), with FFS's approval task open. */
  async function planAwaitingApproval(bot: RunningBot, spId: string): Promise<void> {
    const plan: StoredPlan = {
      spId,
      caseId: null,
      mode: 'consultation',
      initiatorId: sofia.id,
      initiatorName: sofia.name,
      initiatingAdministration: 'sf-nordost',
      others: ['ffs'],
      acuteConcern: false,
      concernReported: false,
      purpose: 'Samordning',
      needs: 'Boende',
      questions: 'Vem gör vad?',
      proposedTime: '2026-11-30 kl 10',
      meetingForm: 'video',
      individualTakesPart: false,
      invitations: [{ administration: 'ffs', answer: 'accepted', by: tomas.id, byName: tomas.name, at: t0.toISOString() }],
      versions: [{ version: 1, content: { participants: 'SF Nordost, FFS', background: 'b', needs: 'n', responsibilities: 'r', followUpDate: '2027-01-15', individualParticipation: 'i' }, submittedAt: t0.toISOString(), decisions: [] }],
      state: 'awaitingApproval',
      createdAt: t0.toISOString(),
    };
    await bot.app.stores.plans.add(plan);
    await bot.app.stores.tasks.open(
      { taskId: `d-approve-${spId}-1-ffs`, caseId: `sp:${spId}`, routine: 'D', step: 'd.approve', unit: 'ffs', assignee: { kind: 'role', role: 'supervisor', unit: 'ffs' }, dueDate: '2026-11-30', binding: true, label: 'SP', state: 'open', createdAt: t0.toISOString(), context: { spId } },
      [],
    );
  }

  const approve = (bot: RunningBot, spId: string) => new Chat(bot, tomas).execute('d.plan.decide', { spId, administration: 'ffs', version: 1, decision: 'approved' });
  const establishedCards = (bot: RunningBot) => bot.connector.to(bot.channel.conversationOf(sofia)).filter((s) => cardTexts(s.activity.attachments?.[0]?.content).includes(ESTABLISHED)).length;

  /** Everything the approval does, exactly once (a card at most twice: see the note on the send/record window). */
  async function assertOnce(bot: RunningBot, spId: string, cardsBefore: number, label: string): Promise<{ cards: number }> {
    const { stores } = bot.app;
    const plan = (await stores.plans.get(spId))!.value;
    assert.equal(plan.state, 'established', `${label}: state`);
    assert.equal(plan.versions[0]!.decisions.length, 1, `${label}: one decision`);
    const journal = await stores.journal.forCase(`sp:${spId}`);
    assert.deepEqual(journal.map((e) => e.step).sort(), ['d.approved', 'd.established'], `${label}: journal`);
    assert.equal(await stores.tasks.openById('ffs', `d-approve-${spId}-1-ffs`), undefined, `${label}: the approval task is closed`);
    const followUps = (await stores.tasks.openFor({ kind: 'person', personId: sofia.id })).filter((t) => t.taskId === `d-followup-${spId}-1`);
    assert.equal(followUps.length, 1, `${label}: one follow-up task`);
    assert.ok(await stores.tasks.openById('sf-nordost', `d-followup-${spId}-1`), `${label}: follow-up in the unit's list`);
    assert.equal((await stores.plans.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
    const cards = establishedCards(bot) - cardsBefore;
    assert.ok(cards >= 1 && cards <= 2, `${label}: the initiator is told (${cards} cards)`);
    return { cards };
  }

  it('counts the requests of one approval, then for each of them: dies there, restarts, and every effect happens exactly once', async () => {
    // The step's requests, counted once without dying.
    const counter = new DyingCounter();
    const probe = await startBot({ clock: () => t0, prefix: first.prefix, seed: false, requestCounter: counter, shared: { connector: first.connector, channel: first.channel } });
    await planAwaitingApproval(probe, 'probe');
    const before = counter.count;
    const ok = await approve(probe, 'probe');
    assert.ok(ok.texts.some((t) => t.includes('Tomas Tell godkände')), ok.texts.join(' | '));
    const requests = counter.count - before;
    await assertOnce(probe, 'probe', 0, 'without a crash');
    await probe.stop();
    assert.ok(requests >= 5 && requests < 60, `${requests} requests`);

    const outcomes: string[] = [];
    let duplicates = 0;
    for (let k = 1; k <= requests; k++) {
      const spId = `crash${k}`;
      const dying = new DyingCounter();
      const bot = await startBot({ clock: () => t0, prefix: first.prefix, seed: false, requestCounter: dying, shared: { connector: first.connector, channel: first.channel } });
      await planAwaitingApproval(bot, spId);
      const cardsBefore = establishedCards(bot);
      dying.dieIn(k);
      await approve(bot, spId).catch(() => undefined);
      await bot.stop();

      // Restarted later than the turn's claim on its outbox row: the sweep may take it over.
      const later = new Date(t0.getTime() + 5 * 60_000);
      const restarted = await startBot({ clock: () => later, prefix: first.prefix, seed: false, shared: { connector: first.connector, channel: first.channel } });
      const committed = (await restarted.app.stores.plans.get(spId))!.value.state === 'established';
      // The supervisor sees no answer (or an error) and presses again: "already done" only when it was.
      const again = await approve(restarted, spId);
      const said = again.texts.join(' | ');
      if (committed) assert.ok(said.includes('redan gjort'), `k=${k}: ${said}`);
      else assert.ok(said.includes('Tomas Tell godkände'), `k=${k}: ${said}`);
      await restarted.app.relayPending(later);
      const { cards } = await assertOnce(restarted, spId, cardsBefore, `crash at request ${k} of ${requests}`);
      if (cards > 1) duplicates++;
      outcomes.push(`${k}:${committed ? 'committed' : 'not committed'}${cards > 1 ? ' (card twice)' : ''}`);
      await restarted.stop();
    }
    // The only window left: the card went out and the bot died before recording it (one request).
    assert.ok(duplicates <= 1, outcomes.join(', '));
    report('crash', `routine D approval: ${requests} storage requests; died at each, restarted: state, journal, tasks exactly once every time; initiator's card once (twice in ${duplicates} case: died between the send and its record); ${outcomes.join(', ')}`);
  });
});
