import { strict as assert } from 'node:assert';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';

/**
 * Cards to people outside the current turn are written in the recipient's language: the locale
 * of their own latest turn with the bot (Swedish when unknown) — not the sender's.
 */
describe('proactive cards speak the recipient\'s language', () => {
  let bot: RunningBot;
  const now = new Date('2026-11-23T09:00:00Z');
  before(async () => {
    bot = await startBot({ clock: () => now });
  });
  after(async () => bot.stop());

  it('a Swedish assessor returns a plan; the English-speaking provider gets the card in English, and answers in English', async () => {
    const hanna = new Chat(bot, demoPerson('Hanna Holm'));
    const rut = new Chat(bot, demoPerson('Rut Rask'));
    await hanna.say('hej');
    const res = await bot.post(bot.channel.message(rut.person, 'hello', 'en-GB'));
    assert.equal(res.status, 200);
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: 'new' });
    await hanna.submit({ reference: 'ÄVO-LANG-1', initials: 'LA', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: '8', previousPlan: 'never' });
    const review = (await bot.app.stores.planReviews.inUnit('avo'))[0]!;
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${review.reviewId}` });
    const before = rut.sent().length;
    const r = await hanna.submit({ q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'no', c7: 'Hur saknas', allocatedHours: '8' });
    assert.ok(hanna.textsSince(r.before).some((t) => t.includes('Planen är inte fullständig')), 'the sender reads Swedish');
    await bot.connector.waitFor(() => rut.sent().length > before);
    const card = rut.sent().at(-1)!.activity.attachments![0]!.content;
    const texts = cardTexts(card);
    assert.ok(texts.includes('The implementation plan needs to be completed – case ÄVO-LANG-1'), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('7. Does it describe “how”')), texts.join(' | '));
    assert.equal(cardActions(card)[0]!.title, 'The plan is revised');
    // Hanna (Swedish) is told in Swedish when Rut answers.
    const hBefore = hanna.sent().length;
    await bot.post(bot.channel.execute(rut.person, 'b.revised', { unit: 'avo', reviewId: review.reviewId, round: 1 }, 'en-GB'));
    await bot.connector.waitFor(() => hanna.sent().length > hBefore);
    assert.ok(hanna.textsSince(hBefore).some((t) => t.startsWith('Reviderad genomförandeplan')), hanna.textsSince(hBefore).join(' | '));
  });
});
