import { strict as assert } from 'node:assert';
import { startBot, type RunningBot } from '../helpers/app';
import { cardActions } from '../helpers/connector';
import { Chat } from '../helpers/flow';
import { addProvider, addStaff, journalSteps, report } from './support';

/**
 * Issue 8 §1: a queue under concurrent load through the real endpoint. Registrants (social
 * workers, who may guide an individual into a queue) walk the whole dialog over HTTP; at the same
 * moment officers register freed places; then every officer presses "take" on each offer at once.
 * Sizes are knobs (RACE_REGISTRANTS, RACE_OFFERS) with the figures as defaults.
 */
const REGISTRANTS = Number(process.env.RACE_REGISTRANTS ?? 50);
const OFFERS = Number(process.env.RACE_OFFERS ?? 20);
const PROVIDER = 'racetest';
const consentYes = { consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' };

describe('reliability: one queue under concurrent registrations and offers through /api/messages', () => {
  let bot: RunningBot;
  before(async () => {
    bot = await startBot({ clock: () => new Date('2026-11-23T09:00:00Z'), proactiveSpacingMs: 0 });
  });
  after(async () => bot.stop());

  it(`${REGISTRANTS} registrations and ${OFFERS} released places at once: 0 lost, 0 duplicated, 0 offered twice, positions contiguous`, async function () {
    this.timeout(180000);
    const stores = bot.app.stores;
    await addProvider(stores, { providerId: PROVIDER, places: OFFERS + 5, occupied: OFFERS + 5 });
    const registrants = (await addStaff(stores, REGISTRANTS, 'socialWorker', (i) => (['sf-centrum', 'sf-hisingen', 'sf-nordost', 'sf-sydvast'] as const)[i % 4]!, 'Kö')).map((p) => new Chat(bot, p));
    const officers = (await addStaff(stores, OFFERS, 'workGuidanceOfficer', 'ffs', 'Avg')).map((p) => new Chat(bot, p));
    const everyone = [...registrants, ...officers];
    await Promise.all(everyone.map((c) => c.say('hej')));

    // One individual waits from an earlier day, so the provider is never selectable during the race.
    const first = registrants[0]!;
    await first.pick({ menu: 'A' });
    await first.submit({ action: 'join' });
    await first.submit({ reference: 'RACE-000', initials: 'AA', protectedIdentity: 'false', providerId: PROVIDER, requestDate: '2026-11-01' });
    await first.submit(consentYes);

    // Everyone walks to the last form; then all last submissions go at once.
    await Promise.all(everyone.map((c) => c.pick({ menu: 'A' })));
    await Promise.all(registrants.map((c) => c.submit({ action: 'join' })));
    await Promise.all(officers.map((c) => c.submit({ action: 'release' })));
    await Promise.all(registrants.map((c, i) => c.submit({ reference: `RACE-${String(i + 1).padStart(3, '0')}`, initials: 'BB', protectedIdentity: 'false', providerId: PROVIDER, requestDate: '2026-11-20' })));
    const marks = everyone.map((c) => c.sent().length);
    const answers = await Promise.all([...registrants.map((c) => c.submit(consentYes)), ...officers.map((c) => c.submit({ providerId: PROVIDER }))]);

    const shown = registrants.map((c, i) => {
      const m = c.textsSince(marks[i]!).join(' ').match(/plats \*\*(\d+)\*\*/);
      return m ? Number(m[1]) : 0;
    });
    const unshown = registrants.flatMap((c, i) => (shown[i] ? [] : [`RACE-${String(i + 1).padStart(3, '0')}: ${c.textsSince(marks[i]!).join(' | ') || '(no message)'} / card: ${answers[i]!.texts.join(' | ')}`]));
    assert.deepEqual(unshown, [], 'every registration was shown a position');
    assert.deepEqual([...shown].sort((a, b) => a - b), Array.from({ length: REGISTRANTS }, (_, i) => i + 2), 'each registration was shown its own position');
    const releasesDone = officers.filter((c, i) => c.textsSince(marks[REGISTRANTS + i]!).some((t) => t.startsWith('Registrerat att en plats upphört'))).length;

    let queue = await stores.waitingList.queue(PROVIDER);
    const total = REGISTRANTS + 1;
    assert.equal(queue.length, total, 'no lost entries');
    assert.equal(new Set(queue.map((e) => e.caseId)).size, total, 'no duplicated entries');
    assert.deepEqual(queue.map((e) => e.seq).sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i + 1), 'sequence contiguous');
    let provider = (await stores.waitingList.provider(PROVIDER))!.value;
    assert.equal(releasesDone, OFFERS, 'every release was confirmed');
    assert.equal(provider.occupied, 5, `all ${OFFERS} releases counted`);
    assert.equal(provider.waiting, total);

    // The offers: every officer presses "take" at once; one wins, the others read who took it.
    let takes = 0;
    let alreadyDone = 0;
    const assigned: string[] = [];
    for (let round = 0; round < OFFERS; round++) {
      provider = (await stores.waitingList.provider(PROVIDER))!.value;
      assert.ok(provider.openOffer, `an offer is open in round ${round + 1}`);
      assert.equal(provider.openOffer, queue[0]!.entryId, 'offered to the first in line');
      const take = cardActions(officers[0]!.sent().filter((s) => cardActions(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'a.offer.take' && a.data?.entryId === provider.openOffer)).at(-1)?.activity.attachments?.[0]?.content).find((a) => a.verb === 'a.offer.take');
      assert.ok(take?.data, 'every officer received the offer card');
      const answers = await Promise.all(officers.map((o) => o.execute('a.offer.take', take.data!)));
      const winners = answers.map((a, i) => ({ a, i })).filter(({ a }) => cardActions(a.card).some((x) => x.verb === 'a.offer.answer'));
      assert.equal(winners.length, 1, `exactly one officer took offer ${round + 1}`);
      takes++;
      for (const a of answers.filter((_, i) => i !== winners[0]!.i)) {
        assert.ok(a.texts.some((t) => /redan gjort av Avg \d+/.test(t)), a.texts.join(' | '));
        alreadyDone++;
      }
      const r = await officers[winners[0]!.i]!.execute('a.offer.answer', { ...take.data!, answer: 'stillWants' });
      // The test provider has no contact in the directory: the place is taken, and the reply says the assignment did not arrive.
      assert.ok(r.texts.some((t) => t.startsWith(`Platsen hos Testutförare ${PROVIDER} är belagd, men ingen kontaktperson`)), r.texts.join(' | '));
      assigned.push(queue[0]!.caseId);
      queue = await stores.waitingList.queue(PROVIDER);
    }

    provider = (await stores.waitingList.provider(PROVIDER))!.value;
    assert.equal(provider.occupied, provider.places, 'every released place was filled');
    assert.equal(provider.openOffer, null, 'no offer open without a free place');
    assert.equal(provider.waiting, total - OFFERS);
    assert.equal(queue.length, total - OFFERS);
    assert.equal(new Set(assigned).size, OFFERS, 'each place went to a different individual');
    for (const [i, e] of queue.entries()) assert.equal(await stores.waitingList.position(PROVIDER, e.entryId), i + 1, 'positions 1..N contiguous');
    let offeredTwice = 0;
    for (const caseId of assigned) {
      const steps = await journalSteps(stores, caseId);
      if ((steps.get('a.offerOpened') ?? 0) !== 1) offeredTwice++;
      assert.equal(steps.get('a.assigned'), 1);
      assert.equal(steps.get('a.offerTaken'), 1);
    }
    for (const e of queue) assert.equal((await journalSteps(stores, e.caseId)).get('a.offerOpened') ?? 0, 0, 'nobody still waiting was offered');
    assert.equal(offeredTwice, 0);
    report('queue race', `${total} registered (${REGISTRANTS} at once with ${OFFERS} releases), ${OFFERS} offers, ${takes * officers.length} take presses (${takes} won, ${alreadyDone} "already done by"), 0 lost, 0 duplicated, ${offeredTwice} offered twice, positions 1..${queue.length} contiguous`);
  });
});
