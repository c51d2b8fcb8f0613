import { strict as assert } from 'node:assert';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { crashAtEveryRequest } from '../helpers/crash';
import { Chat } from '../helpers/flow';
import { report } from './support';

/** The id of the newest form sent to a person since index `since` (undefined when none was). */
function formIn(chat: Chat, since: number): string | undefined {
  for (const sent of chat.sent().slice(since).reverse()) {
    const a = cardActions(sent.activity.attachments?.[0]?.content).find((x) => x.verb === 'form.submit');
    if (a?.data?.formId) return a.data.formId as string;
  }
  return undefined;
}

const PROVIDER = 'solrosen';
const CONSENT = { consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' };

describe('reliability: the bot dies at every storage request of a queue registration and restarts on the same storage (routine A)', function () {
  this.timeout(600_000);
  const t0 = new Date('2026-11-23T09:00:00Z');
  const bertil = demoPerson('Bertil Berg');
  const david = demoPerson('David Dahl');
  let first: RunningBot;

  before(async () => {
    first = await startBot({ clock: () => t0 });
    await new Chat(first, bertil).say('hej');
    await new Chat(first, david).say('hej');
  });
  after(async () => {
    await first.app.close();
    await first.connector.stop();
  });

  it('the join form and the consent card: the entry, the consent, the journal and the provider\'s card exactly once at every crash', async () => {
    const runs = new Map<string, { reference: string; consentFormId?: string | undefined }>();
    let round = 100;
    const caseOf = async (bot: RunningBot, key: string) => (await bot.app.stores.waitingList.caseIdsByReference(runs.get(key)!.reference, ['ffs']))[0];
    const entriesOf = async (bot: RunningBot, key: string) => {
      const caseId = await caseOf(bot, key);
      return caseId ? (await bot.app.stores.waitingList.queue(PROVIDER)).filter((e) => e.caseId === caseId) : [];
    };
    const act = async (bot: RunningBot, key: string, again = true): Promise<{ texts: string[] }> => {
      const run = runs.get(key)!;
      const chat = new Chat(bot, bertil);
      const since = chat.sent().length;
      if (!run.consentFormId) {
        await chat.pick({ menu: 'A' });
        const afterMenu = chat.sent().length;
        await chat.submit({ action: 'join' }).catch(() => undefined);
        const joinFormId = formIn(chat, afterMenu);
        if (!joinFormId) return { texts: chat.textsSince(since) };
        const afterJoin = chat.sent().length;
        await bot.post(bot.channel.execute(bertil, 'form.submit', { formId: joinFormId, reference: run.reference, initials: 'CR', protectedIdentity: 'false', providerId: PROVIDER, requestDate: '2026-11-20' })).catch(() => undefined);
        // The consent form of this run (none when the bot died before sending it: then all again next time).
        run.consentFormId = formIn(chat, afterJoin);
        if (!run.consentFormId) return { texts: chat.textsSince(since) };
      }
      const res = await bot.post(bot.channel.execute(bertil, 'form.submit', { formId: run.consentFormId, ...CONSENT }));
      const texts = [...cardTexts((res.body as { value?: unknown } | undefined)?.value), ...chat.textsSince(since)];
      // The bot died before it kept the form's dialog step: the card is stale (nothing was done), so the officer starts again.
      if (again && texts.some((t) => t.includes('gäller inte längre'))) {
        run.consentFormId = undefined;
        return { texts: [...texts, ...(await act(bot, key, false)).texts] };
      }
      return { texts };
    };
    const r = await crashAtEveryRequest(first, t0, {
      arrange: async (_bot, key) => {
        runs.set(key, { reference: `CRASH-A-${round++}` });
      },
      // Menu, "join", the join form, then the consent card; pressed again after a restart, the same consent card.
      act: (bot, key) => act(bot, key),
      committed: async (bot, key) => (await entriesOf(bot, key)).length > 0,
      // Committed: done already (or, when the turn died before its effects, finished now with the position); otherwise registered now.
      assertAgain: (texts, committed, label) => assert.ok(committed ? /redan gjort|plats \*\*\d+\*\*/.test(texts.join(' | ')) : /plats \*\*\d+\*\*/.test(texts.join(' | ')), `${label}: ${texts.join(' | ')}`),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const caseId = await caseOf(bot, key);
        assert.ok(caseId, `${label}: the case exists`);
        assert.equal((await entriesOf(bot, key)).length, 1, `${label}: one entry`);
        assert.equal((await stores.consents.forCase(caseId)).length, 1, `${label}: one consent`);
        const journal = await stores.journal.forCase(caseId, 1000);
        assert.equal(journal.filter((e) => e.step === 'a.queued').length, 1, `${label}: a.queued once`);
        assert.equal(journal.filter((e) => e.step === 'a.consentRecorded').length, 1, `${label}: a.consentRecorded once`);
        assert.deepEqual(await stores.waitingList.casesOpenEntries(caseId), [{ providerId: PROVIDER, entryId: (await entriesOf(bot, key))[0]!.entryId }], `${label}: the case index names the entry`);
        assert.equal((await stores.waitingList.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        const cards = new Chat(bot, david).sent().filter((s) => JSON.stringify(s.activity).includes(runs.get(key)!.reference)).length;
        assert.ok(cards >= 1 && cards <= 2, `${label}: the provider's card ${cards} times`);
        return { cards };
      },
    });
    report('crash', `A queue registration (join form + consent card): ${r.requests} storage requests over the turns; died at each and restarted: the entry, the consent, a.queued exactly once, the provider's card ≥1 ≤2 (${r.duplicates} twice); ${r.outcomes.join(', ')}`);
  });
});
