import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { cardActions } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { containsPersonalIdentityNumber } from '../../routines/shared/privacy';

/**
 * Stored data still holds ids of the old generator (UUID v4), and a UUID may read like a date and
 * four digits. A card button carrying such an id must work; a personal identity number typed into
 * a free-text field of the same button must still be refused.
 */
describe('identifiers are not personal identity numbers (through /api/messages)', () => {
  let bot: RunningBot;
  let hanna: Chat, rut: Chat;
  const now = new Date('2026-11-23T09:00:00Z');
  let n = 0;
  // Valid UUIDs v4 as the old generator could produce them: "19850101-12NN-4…-8…-…".
  const oldShapedId = () => `19850101-12${String(n++ % 100).padStart(2, '0')}-4${randomBytes(2).toString('hex').slice(1)}-8${randomBytes(2).toString('hex').slice(1)}-${randomBytes(6).toString('hex')}`;

  before(async () => {
    bot = await startBot({ clock: () => now, newId: oldShapedId });
    hanna = new Chat(bot, demoPerson('Hanna Holm'));
    rut = new Chat(bot, demoPerson('Rut Rask'));
    for (const c of [hanna, rut]) await c.say('hej');
  });
  after(async () => bot.stop());

  it('a provider answers a plan-review card whose review id looks like a personal identity number; a number typed in the comment is refused', async () => {
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: 'new' });
    await hanna.submit({ reference: 'ÄVO-2026-901', initials: 'ab', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-10-20', executionDate: '2026-11-02', grantedHours: '10', previousPlan: 'never', lastPlanDate: '' });
    const [review] = await bot.app.stores.planReviews.inUnit('avo');
    assert.ok(review, 'registered');
    assert.ok(containsPersonalIdentityNumber(review.reviewId), `the id has the old dangerous shape: ${review.reviewId}`);

    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${review.reviewId}` });
    const rBefore = rut.sent().length;
    await hanna.submit({ q1: 'yes', q2: 'yes', q3: 'no', c3: 'Delaktighet saknas', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'yes', allocatedHours: '10' });
    await bot.connector.waitFor(() => rut.sent().length > rBefore);
    const card = [...rut.sent()].reverse().map((s) => s.activity.attachments?.[0]?.content).find((c) => cardActions(c).some((a) => a.verb === 'b.revised'));
    const button = cardActions(card).find((a) => a.verb === 'b.revised')!;
    assert.equal(button.data?.reviewId, review.reviewId, 'the card carries the id');

    const typed = await rut.execute('b.revised', { ...button.data, note: 'Gäller 19850101-1234' });
    assert.ok(typed.texts.some((t) => t.includes('Kontrollera: kommentar') && t.includes('Personnummer')), typed.texts.join(' | '));

    const done = await rut.execute('b.revised', { ...button.data, note: 'Delaktighet tillagd' });
    assert.ok(!done.texts.some((t) => t.includes('Personnummer')), done.texts.join(' | '));
    assert.ok(done.texts.some((t) => t.startsWith('Markerad som reviderad av Rut Rask')), done.texts.join(' | '));
  });
});
