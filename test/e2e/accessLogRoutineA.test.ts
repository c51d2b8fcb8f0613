import { strict as assert } from 'node:assert';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import type { AccessEntry } from '../../routines/shared/accessLog';

/**
 * Issue 19, routine A and cards: every view of a queue entry (the queue, the offer from a task,
 * a revocation's confirmation) and every card about a case that reached someone (the provider's
 * queue card, every officer's offer card) is an access row; a refused view is none.
 * Through /api/messages; the rows are written after the answer, so they are awaited.
 */
describe('issue 19: routine A views and delivered cards are in the access log, through /api/messages', () => {
  let bot: RunningBot;
  let bertil: Chat, cecilia: Chat, david: Chat, eva: Chat;
  const now = new Date('2026-11-23T09:00:00Z');
  const from = new Date('2026-11-22T00:00:00Z');
  const to = new Date('2026-11-24T00:00:00Z');
  let caseId = '';

  const rows = (): Promise<AccessEntry[]> => bot.app.stores.accessLog.forCase(caseId, from, to);
  async function eventually(what: string, ok: (r: AccessEntry[]) => boolean): Promise<AccessEntry[]> {
    for (let i = 0; i < 100; i++) {
      const r = await rows();
      if (ok(r)) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.fail(`${what}: ${JSON.stringify((await rows()).map((e) => [e.personName, e.view]))}`);
  }

  before(async () => {
    bot = await startBot({ clock: () => now });
    bertil = new Chat(bot, demoPerson('Bertil Berg'));
    cecilia = new Chat(bot, demoPerson('Cecilia Carlsson'));
    david = new Chat(bot, demoPerson('David Dahl'));
    eva = new Chat(bot, demoPerson('Eva Ek'));
    for (const c of [bertil, cecilia, david, eva]) await c.say('hej');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-AL-0001', initials: 'AL', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    caseId = (await bot.app.stores.waitingList.queue('solrosen'))[0]!.caseId;
  });
  after(async () => bot.stop());

  it('the provider contact who got the queue card has seen the case; nobody else is recorded for it', async () => {
    const r = await eventually('the provider card', (x) => x.some((e) => e.personId === david.person.id && e.view === 'card.a.queuedCard'));
    const card = r.find((e) => e.view === 'card.a.queuedCard')!;
    assert.deepEqual([card.routine, card.role, card.unit], ['A', 'providerContact', 'provider:solrosen']);
    assert.ok(!JSON.stringify(r).includes('TR-AL-0001') && !JSON.stringify(r).includes('"AL"'), 'ids and codes only');
    assert.ok(!r.some((e) => e.personId === eva.person.id || e.personId === cecilia.person.id), 'no row for people who saw nothing');
  });

  it('an officer viewing the queue and a provider contact viewing its own queue are recorded, each under their role', async () => {
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'queue' });
    await bertil.submit({ providerId: 'solrosen' });
    await david.pick({ menu: 'A' });
    await david.submit({ action: 'queue' });
    await david.submit({ providerId: 'solrosen' });
    const r = await eventually('the queue views', (x) => x.some((e) => e.personId === bertil.person.id && e.view === 'a.queue') && x.some((e) => e.personId === david.person.id && e.view === 'a.queue.provider'));
    assert.equal(r.find((e) => e.view === 'a.queue')!.role, 'workGuidanceOfficer');
  });

  it('a refused view of another provider\'s queue writes no access row', async () => {
    await eva.pick({ menu: 'A' });
    await eva.submit({ action: 'queue' });
    // Eva is offered only her own provider's queue; a forged choice of Solrosen is refused.
    const forged = await eva.submit({ providerId: 'solrosen' });
    await bot.connector.waitFor(() => eva.textsSince(forged.before).some((t) => t.includes('Du har inte behörighet')));
    // A view written after the answer would have landed by the time the next turn's has.
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'queue' });
    await bertil.submit({ providerId: 'solrosen' });
    await eventually('the next view', (x) => x.filter((e) => e.personId === bertil.person.id && e.view === 'a.queue').length >= 2);
    assert.ok(!(await rows()).some((e) => e.personId === eva.person.id), 'no row for the refused view');
  });

  it('the journal of a routine A case is exported to an officer (and logged); a provider contact gets the answer of no case', async () => {
    await bertil.say('exportera journal TR-AL-0001');
    const card = bertil.sent().at(-1)!.activity.attachments?.[0]?.content;
    assert.ok(JSON.stringify(card).includes('Journalexport: TR-AL-0001 (AL)'), JSON.stringify(card).slice(0, 400));
    await eventually('the export view', (x) => x.some((e) => e.personId === bertil.person.id && e.view === 'journal.export'));
    await david.say('exportera journal TR-AL-0001');
    assert.ok(JSON.stringify(david.sent().at(-1)!.activity).includes('Inget ärende hittades som du har behörighet till'), 'the same answer as for no case');
  });

  it('a freed place: every officer who got the offer card has seen the case', async () => {
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId: 'solrosen' });
    const r = await eventually('the offer cards', (x) => [bertil, cecilia].every((c) => x.some((e) => e.personId === c.person.id && e.view === 'card.a.offerCard')));
    assert.ok(r.filter((e) => e.view === 'card.a.offerCard').every((e) => e.role === 'workGuidanceOfficer' && e.routine === 'A'));
  });
});
