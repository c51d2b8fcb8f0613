import { strict as assert } from 'node:assert';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { crashAtEveryRequest } from '../helpers/crash';
import { Chat } from '../helpers/flow';
import { ClickEnv } from './clickCases';
import { report } from './support';

const ESTABLISHED = 'Planen är fastställd';
const ANSWERED = 'Tomas Tell accepterade';

describe('reliability: the bot dies at every storage request of a step and restarts on the same storage (routines A and D)', function () {
  this.timeout(300_000);
  const t0 = new Date('2026-11-23T09:00:00Z');
  const sofia = demoPerson('Sofia Sandberg');
  const tomas = demoPerson('Tomas Tell');
  let first: RunningBot;

  before(async () => {
    first = await startBot({ clock: () => t0 });
    await new Chat(first, sofia).say('hej');
    await new Chat(first, tomas).say('hej');
    await new Chat(first, demoPerson('Bertil Berg')).say('hej');
    await new Chat(first, demoPerson('Karin Kvist')).say('hej');
  });
  after(async () => {
    await first.app.close();
    await first.connector.stop();
  });

  /** A consultation plan with FFS invited; awaiting FFS's (last) approval, with its task open, or awaiting FFS's answer. */
  async function plan(bot: RunningBot, spId: string, stage: 'invited' | 'awaitingApproval'): Promise<void> {
    const p: StoredPlan = {
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
      invitations: [stage === 'invited' ? { administration: 'ffs' } : { administration: 'ffs', answer: 'accepted', by: tomas.id, byName: tomas.name, at: t0.toISOString() }],
      versions: stage === 'invited' ? [] : [{ version: 1, content: { participants: 'SF Nordost, FFS', background: 'b', needs: 'n', responsibilities: 'r', followUpDate: '2027-01-15', individualParticipation: 'i' }, submittedAt: t0.toISOString(), decisions: [] }],
      state: stage,
      createdAt: t0.toISOString(),
    };
    await bot.app.stores.plans.add(p);
    const task = stage === 'invited'
      ? { taskId: `d-reply-${spId}`, step: 'd.invitationReply', unit: 'sf-nordost' as const, assignee: { kind: 'person' as const, personId: sofia.id }, binding: false }
      : { taskId: `d-approve-${spId}-1-ffs`, step: 'd.approve', unit: 'ffs' as const, assignee: { kind: 'role' as const, role: 'supervisor' as const, unit: 'ffs' as const }, binding: true };
    await bot.app.stores.tasks.open({ ...task, caseId: `sp:${spId}`, routine: 'D', dueDate: '2026-11-30', label: 'SP', state: 'open', createdAt: t0.toISOString(), context: { spId } }, []);
  }

  /** Cards the initiator has got with `text` (the runs are one after another: each counts its own by the difference). */
  const cardsTo = (bot: RunningBot, text: string) => bot.connector.to(bot.channel.conversationOf(sofia)).filter((s) => cardTexts(s.activity.attachments?.[0]?.content).some((t) => t.includes(text))).length;
  const seen = new Map<string, number>();

  it('a supervisor approves the last version: state, journal, tasks exactly once at every crash; the initiator told', async () => {
    const r = await crashAtEveryRequest(first, t0, {
      arrange: async (bot, key) => {
        await plan(bot, `ap-${key}`, 'awaitingApproval');
        seen.set(key, cardsTo(bot, ESTABLISHED));
      },
      act: (bot, key) => new Chat(bot, tomas).execute('d.plan.decide', { spId: `ap-${key}`, administration: 'ffs', version: 1, decision: 'approved' }),
      committed: async (bot, key) => (await bot.app.stores.plans.get(`ap-${key}`))!.value.state === 'established',
      assertAgain: (texts, committed, label) => assert.ok(texts.join(' | ').includes(committed ? 'redan gjort' : 'Tomas Tell godkände'), `${label}: ${texts.join(' | ')}`),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const spId = `ap-${key}`;
        const p = (await stores.plans.get(spId))!.value;
        assert.equal(p.state, 'established', `${label}: state`);
        assert.equal(p.versions[0]!.decisions.length, 1, `${label}: one decision`);
        assert.deepEqual((await stores.journal.forCase(`sp:${spId}`)).map((e) => e.step).sort(), ['d.approved', 'd.established'], `${label}: journal`);
        assert.equal(await stores.tasks.openById('ffs', `d-approve-${spId}-1-ffs`), undefined, `${label}: the approval task is closed`);
        assert.equal((await stores.tasks.openFor({ kind: 'person', personId: sofia.id })).filter((t) => t.taskId === `d-followup-${spId}-1`).length, 1, `${label}: one follow-up task`);
        assert.ok(await stores.tasks.openById('sf-nordost', `d-followup-${spId}-1`), `${label}: the follow-up in the unit's list`);
        assert.equal((await stores.plans.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        const cards = cardsTo(bot, ESTABLISHED) - seen.get(key)!;
        assert.ok(cards >= 1 && cards <= 2, `${label}: the initiator is told (${cards} cards)`);
        return { cards };
      },
    });
    // The one window left: the card went out and the bot died before recording it (one request).
    assert.ok(r.duplicates <= 1, r.outcomes.join(', '));
    report('crash', `D approval: ${r.requests} storage requests; died at each and restarted: state, journal, tasks exactly once; the initiator's card once (twice in ${r.duplicates}: died between the send and its record); ${r.outcomes.join(', ')}`);
  });

  it('an invited administration answers: state, journal, the reply task exactly once at every crash; the initiator told', async () => {
    const r = await crashAtEveryRequest(first, t0, {
      arrange: async (bot, key) => {
        await plan(bot, `in-${key}`, 'invited');
        seen.set(`in-${key}`, cardsTo(bot, ANSWERED));
      },
      act: (bot, key) => new Chat(bot, tomas).execute('d.invite.answer', { spId: `in-${key}`, administration: 'ffs', answer: 'accepted' }),
      committed: async (bot, key) => Boolean((await bot.app.stores.plans.get(`in-${key}`))!.value.invitations[0]!.answer),
      assertAgain: (texts, committed, label) => assert.ok(texts.join(' | ').includes(committed ? 'redan gjort' : 'Tomas Tell accepterade'), `${label}: ${texts.join(' | ')}`),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const spId = `in-${key}`;
        const p = (await stores.plans.get(spId))!.value;
        assert.equal(p.invitations[0]!.answer, 'accepted', `${label}: answer`);
        assert.deepEqual((await stores.journal.forCase(`sp:${spId}`)).map((e) => e.step), ['d.invitationAnswered'], `${label}: journal`);
        assert.equal(await stores.tasks.openById('sf-nordost', `d-reply-${spId}`), undefined, `${label}: every administration answered: the reply task is done`);
        assert.equal((await stores.plans.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        const cards = cardsTo(bot, ANSWERED) - seen.get(spId)!;
        assert.ok(cards >= 1 && cards <= 2, `${label}: the initiator is told (${cards} cards)`);
        return { cards };
      },
    });
    assert.ok(r.duplicates <= 1, r.outcomes.join(', '));
    report('crash', `D invitation answer: ${r.requests} storage requests; died at each and restarted: state, journal, task exactly once; the initiator's card once (twice in ${r.duplicates}); ${r.outcomes.join(', ')}`);
  });

  it('a work guidance officer takes the open offer: the entry and the journal exactly once at every crash; the other officers see who took it', async () => {
    const bertil = demoPerson('Bertil Berg');
    const offers = new Map<string, { providerId: string; entryId: string; caseId: string }>();
    let round = 9000;
    const r = await crashAtEveryRequest(first, t0, {
      arrange: async (bot, key) => {
        offers.set(key, await new ClickEnv(bot).openOffer(round++));
      },
      act: (bot, key) => new Chat(bot, bertil).execute('a.offer.take', { providerId: offers.get(key)!.providerId, entryId: offers.get(key)!.entryId }),
      committed: async (bot, key) => Boolean((await bot.app.stores.waitingList.entry(offers.get(key)!.providerId, offers.get(key)!.entryId))!.value.offer?.takenBy),
      assertAgain: (texts, committed, label) => assert.ok(texts.join(' | ').includes(committed ? 'redan gjort' : 'Bertil Berg kontaktar personen'), `${label}: ${texts.join(' | ')}`),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const o = offers.get(key)!;
        const entry = (await stores.waitingList.entry(o.providerId, o.entryId))!.value;
        assert.equal(entry.offer?.takenBy, bertil.id, `${label}: taken by Bertil`);
        assert.equal((await stores.journal.forCase(o.caseId)).filter((e) => e.step === 'a.offerTaken').length, 1, `${label}: journal`);
        assert.equal((await stores.waitingList.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        return { cards: 1 };
      },
    });
    report('crash', `A take an offer: ${r.requests} storage requests; died at each and restarted: the entry and the journal exactly once; ${r.outcomes.join(', ')}`);
  });
});
