import { strict as assert } from 'node:assert';
import { cardActions } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { REDACTED } from '../../routines/shared/retention';

const DAY = 86_400_000;

/**
 * Issue 19, routine A's retention: a case that waits in no queue any more keeps its reference and
 * initials for RETENTION_DAYS (730) from its last journal event, then is pseudonymised, its
 * consents' texts removed; the row that said how its offer ended goes too. A case still waiting is
 * never touched. Through /api/messages, then the retention sweep with the clock moved on.
 */
describe('issue 19: retention of routine A (a case that left its queue), through /api/messages', () => {
  let bot: RunningBot;
  const t0 = new Date('2026-11-23T09:00:00Z');
  let clock = t0;
  let bertil: Chat;
  let endedCase = '';
  let waitingCase = '';
  let entryId = '';

  before(async () => {
    bot = await startBot({ clock: () => clock });
    bertil = new Chat(bot, demoPerson('Bertil Berg'));
    await bertil.say('hej');
    for (const [reference, requestDate] of [['TR-RA-0001', '2026-11-19'], ['TR-RA-0002', '2026-11-20']] as const) {
      await bertil.pick({ menu: 'A' });
      await bertil.submit({ action: 'join' });
      await bertil.submit({ reference, initials: 'RA', protectedIdentity: 'false', providerId: 'solrosen', requestDate });
      await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    }
    const queue = await bot.app.stores.waitingList.queue('solrosen');
    [endedCase, waitingCase] = [queue[0]!.caseId, queue[1]!.caseId];
    entryId = queue[0]!.entryId;
    // A place ends: the first in line is offered it, taken, and no longer wants it.
    const before = bertil.sent().length;
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId: 'solrosen' });
    const offer = bertil.sent().slice(before).map((s) => s.activity.attachments?.[0]?.content).find((c) => cardActions(c).some((a) => a.verb === 'a.offer.take'));
    await bertil.execute('a.offer.take', cardActions(offer).find((a) => a.verb === 'a.offer.take')!.data!);
    const r = await bertil.execute('a.offer.answer', { providerId: 'solrosen', entryId, answer: 'noLongerWants', confirm: 'yes' });
    assert.ok(r.texts.length > 0);
    assert.ok(await bot.app.stores.waitingList.answered('solrosen', entryId), 'how the offer ended is kept beside the queue');
  });
  after(async () => bot.stop());

  it('the day before the period ends nothing changes; after it the ended case is pseudonymised, the waiting one is not', async () => {
    const { cases, consents, waitingList } = bot.app.stores;
    const kept = await bot.app.retention(new Date(t0.getTime() + 729 * DAY));
    assert.equal((await cases.get(endedCase))!.value.reference, 'TR-RA-0001', 'still there the day before');
    assert.ok(await waitingList.answered('solrosen', entryId), 'the offer ending too');
    assert.equal(kept.offerEndingsRemoved, 0);

    clock = new Date(t0.getTime() + 731 * DAY);
    const after = await bot.app.retention(clock);
    assert.ok(after.queueCasesPseudonymised >= 1 && after.offerEndingsRemoved >= 1, JSON.stringify(after));
    const ended = (await cases.get(endedCase))!.value;
    assert.ok(ended.reference.startsWith('GALLRAD-') && ended.initials === '–', JSON.stringify(ended));
    assert.ok((await consents.forCase(endedCase)).every((c) => c.information === REDACTED || c.information === ''), 'the consent\'s information text');
    assert.equal(await waitingList.answered('solrosen', entryId), undefined, 'the offer ending is removed');
    // Found by its pseudonym only.
    assert.deepEqual(await waitingList.caseIdsByReference('TR-RA-0001', ['ffs']), []);
    const waiting = (await cases.get(waitingCase))!.value;
    assert.equal(waiting.reference, 'TR-RA-0002', 'a case that still waits keeps its reference');
    // A second run changes nothing more.
    const again = await bot.app.retention(clock);
    assert.equal(again.queueCasesPseudonymised, 0);
  });
});
