import { strict as assert } from 'node:assert';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { crashAtEveryRequest } from '../helpers/crash';
import { Chat } from '../helpers/flow';
import { ClickEnv } from './clickCases';
import { addProvider, report } from './support';

const ESTABLISHED = 'Planen är fastställd';

/** The id of the newest form sent to a person since index `since` (undefined when none was). */
function formIn(chat: Chat, since: number): string | undefined {
  for (const sent of chat.sent().slice(since).reverse()) {
    const a = cardActions(sent.activity.attachments?.[0]?.content).find((x) => x.verb === 'form.submit');
    if (a?.data?.formId) return a.data.formId as string;
  }
  return undefined;
}
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

  it('an officer registers that a place ends, on a form: the release, the offer, its task and the officers\' cards exactly once at every crash', async () => {
    const bertil = demoPerson('Bertil Berg');
    const runs = new Map<string, { providerId: string; caseId: string; formId?: string }>();
    let round = 9500;
    const act = async (bot: RunningBot, key: string, again = true): Promise<{ texts: string[] }> => {
      const run = runs.get(key)!;
      const chat = new Chat(bot, bertil);
      const since = chat.sent().length;
      if (!run.formId) {
        await chat.pick({ menu: 'A' });
        const afterMenu = chat.sent().length;
        await chat.submit({ action: 'release' }).catch(() => undefined);
        // The provider form of this run (none when the bot died before sending it: then all again next time).
        run.formId = formIn(chat, afterMenu);
        if (!run.formId) return { texts: chat.textsSince(since) };
      }
      const res = await bot.post(bot.channel.execute(bertil, 'form.submit', { formId: run.formId, providerId: run.providerId }));
      const texts = [...cardTexts((res.body as { value?: unknown } | undefined)?.value), ...chat.textsSince(since)];
      // The bot died before it kept the form's dialog step: the card is stale (nothing was done), so the officer starts again.
      if (again && texts.some((t) => t.includes('gäller inte längre'))) {
        run.formId = undefined;
        return { texts: [...texts, ...(await act(bot, key, false)).texts] };
      }
      return { texts };
    };
    const r = await crashAtEveryRequest(first, t0, {
      arrange: async (bot, key) => {
        const providerId = `crash-rel-${round}`;
        const caseId = `crash-rel-case-${round++}`;
        await addProvider(bot.app.stores, { providerId, places: 1, occupied: 1 });
        const env = new ClickEnv(bot);
        const actor = await env.officer();
        const joined = await env.a.joinQueue(actor, {
          caseFile: { caseId, routine: 'A', reference: `REL-${round}`, initials: 'RL', protectedIdentity: false, owningUnit: 'ffs', createdBy: actor.id, createdAt: t0.toISOString() },
          providerId,
          requestDate: '2026-11-20',
          consent: { recipients: [], information: 'kö', givenBy: 'individual', method: 'inPerson', givenAt: t0.toISOString(), toldHowToRevoke: true },
        });
        if (!joined.ok) throw new Error(`arrange: ${joined.code}`);
        runs.set(key, { providerId, caseId });
      },
      // Menu, "a place ends", then the provider form; pressed again after a restart, the same form.
      act: (bot, key) => act(bot, key),
      committed: async (bot, key) => (await bot.app.stores.waitingList.provider(runs.get(key)!.providerId))!.value.occupied === 0,
      assertAgain: (texts, committed, label) => assert.ok(texts.join(' | ').includes(committed ? 'redan gjort' : 'Registrerat att en plats upphört'), `${label}: ${texts.join(' | ')}`),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const run = runs.get(key)!;
        const p = (await stores.waitingList.provider(run.providerId))!.value;
        assert.equal(p.occupied, 0, `${label}: one place released`);
        const [entry] = await stores.waitingList.queue(run.providerId);
        assert.equal(p.openOffer, entry?.entryId, `${label}: the first in line is offered the place`);
        assert.equal(entry?.state, 'offered', `${label}: offered`);
        assert.equal((await stores.journal.forCase(`provider:${run.providerId}`)).filter((e) => e.step === 'a.released').length, 1, `${label}: one release in the journal`);
        assert.equal((await stores.journal.forCase(run.caseId)).filter((e) => e.step === 'a.offerOpened').length, 1, `${label}: one offer in the journal`);
        assert.equal((await stores.tasks.openByIdPrefix('ffs', `a-offer-${run.providerId}-`)).length, 1, `${label}: one follow-up task`);
        assert.ok((entry?.offer?.cards?.length ?? 0) >= 1, `${label}: the officers' card ids are kept on the entry`);
        assert.equal((await stores.waitingList.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        return { cards: 1 };
      },
    });
    report('crash', `A a place ends (form): ${r.requests} storage requests over the three turns; died at each and restarted: the release, the offer, its task and journal exactly once; ${r.outcomes.join(', ')}`);
  });
});
