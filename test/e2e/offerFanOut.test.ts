import { strict as assert } from 'node:assert';
import { cardActions } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { RequestCounter } from '../../storage/tableClients';
import { REFS_PER_QUERY } from '../../storage/conversationReferences';
import { hasRole } from '../../routines/shared/organisation';

const EXTRA_OFFICERS = 500;

/**
 * Releasing a place sends the offer card to every work guidance officer. With a large unit the
 * pressing officer's turn must not read each officer's conversation one by one: the references
 * are read in batches, and every officer still gets the card.
 */
describe('offer fan-out to many work guidance officers', function () {
  this.timeout(180_000);
  let bot: RunningBot;
  const counter = new RequestCounter();
  const now = new Date('2026-11-23T09:00:00Z');
  let officers: Chat[] = [];

  before(async () => {
    bot = await startBot({ clock: () => now, requestCounter: counter, proactiveSpacingMs: 0 });
    const extra = Array.from({ length: EXTRA_OFFICERS }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Handläggare ${i}`, roles: [{ role: 'workGuidanceOfficer' as const, unit: 'ffs' as const }] }));
    for (let i = 0; i < extra.length; i += 25) await Promise.all(extra.slice(i, i + 25).map((p) => bot.app.stores.staff.save(p, undefined)));
    const all = (await bot.app.stores.staff.all()).filter((p) => hasRole(p, 'workGuidanceOfficer', 'ffs'));
    officers = all.map((p) => new Chat(bot, { id: p.id, name: p.name }));
    // Everyone has talked to the bot once, so the offer card can reach them.
    for (let i = 0; i < officers.length; i += 10) await Promise.all(officers.slice(i, i + 10).map((c) => c.say('hej')));
  });
  after(async () => bot.stop());

  it('reads the conversation references in batches on the pressing officer’s turn, and every officer gets the card', async () => {
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-2026-0801', initials: 'QX', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    const before = officers.map((o) => o.sent().length);
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    const requestsBefore = counter.count;
    const started = Date.now();
    await bertil.submit({ providerId: 'solrosen' });
    const ms = Date.now() - started;
    const requests = counter.count - requestsBefore;
    const recipients = officers.length;
    if (process.env.FANOUT_REPORT) console.log(`release turn: ${requests} storage requests, ${ms} ms, ${recipients} officers`);
    assert.ok(recipients > EXTRA_OFFICERS);
    assert.ok(requests <= Math.ceil(recipients / REFS_PER_QUERY) + 30, `${requests} storage requests for ${recipients} officers`);
    assert.ok(requests <= recipients / 10 + 30, `${requests} storage requests for ${recipients} officers`);
    const missing = officers.filter((o, i) => !o.sent().slice(before[i]).some((s) => cardActions(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'a.offer.take')));
    assert.deepEqual(
      missing.map((o) => o.person.name),
      [],
      'every officer got the offer card',
    );
    // Every card is kept on the entry, so each can be replaced when the offer is taken.
    const entry = (await bot.app.stores.waitingList.queue('solrosen')).find((e) => e.state === 'offered');
    assert.equal(entry?.offer?.cards?.length, recipients);
  });
});
