import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { sv } from '../../locale/sv';
import { startBot, type RunningBot } from '../helpers/app';
import { cardTexts } from '../helpers/connector';
import { CLICK_CASES, ClickEnv } from '../reliability/clickCases';

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

/**
 * Issue 16 §3: a step answers the person as soon as it is committed; its effects (cards to
 * others, tasks, the journal) follow, without delaying the answer. With the connector holding
 * every card the bot sends, the pressed button is still answered; once the connector answers,
 * every effect is there. A card that then reached nobody turns the pressed card, in place, into
 * the same card with the warning.
 */
describe('a step answers before its effects are carried out', () => {
  let bot: RunningBot;
  let env: ClickEnv;
  before(async () => {
    bot = await startBot({ clock: () => new Date('2026-11-23T09:00:00Z'), proactiveSpacingMs: 0 });
    env = new ClickEnv(bot);
    await env.greetAll();
  });
  after(async () => bot.stop());

  /** The press as Teams sends it, answered by HTTP; the turn may still be running. */
  async function press(activity: Record<string, unknown>): Promise<{ status: number; card: Record<string, unknown> }> {
    const answered = fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }).then(async (r) => ({ status: r.status, card: ((await r.json()) as InvokeBody).value }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer while the connector held the cards: the answer waited for the effects')), 10_000)));
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  const steps = ['D: approve the plan', 'D: answer the invitation', 'A: take the offer', 'B: the provider answers why the plan is delayed', 'B: the provider says the plan is revised', 'C: a consultant takes the assignment', 'C: the KC coordinator confirms the dialogue (protected identity)'];
  for (const name of steps) {
    it(`${name}: answered while the connector holds the step's cards; the effects follow once, after`, async function () {
      this.timeout(30_000);
      const c = CLICK_CASES.find((x) => x.name === name)!;
      const armed = await c.arm(env, 900 + steps.indexOf(name));
      const gone = () => bot.connector.sent.length + bot.connector.updated.length;
      const sentBefore = gone();
      const release = bot.connector.hold();
      try {
        const r = await press({ ...bot.channel.execute(armed.presser, armed.verb, armed.data), replyToId: `pressed-${randomUUID()}` });
        assert.equal(r.status, 200);
        const texts = cardTexts(r.card).join(' | ');
        for (const failure of [sv.errorTitle, sv.invalidCardTitle, sv.unknownActionTitle]) assert.ok(!texts.includes(failure), `${name}: ${texts}`);
        assert.ok(!/redan gjort/.test(texts), `${name}: the first press is not "already done": ${texts}`);
        assert.equal(gone(), sentBefore, `${name}: no card had gone when the person got the answer`);
      } finally {
        release();
      }
      await bot.app.idle();
      assert.equal(await armed.effects(), 1, `${name}: the effect happened once`);
      // Every step but the take of an offer nobody else was shown tells someone.
      if (name !== 'A: take the offer') assert.ok(gone() > sentBefore, `${name}: the step's cards went after the answer`);
    });
  }

  it('a notice that reached nobody: the pressed card is updated in place to the same card with the warning', async function () {
    this.timeout(30_000);
    const c = CLICK_CASES.find((x) => x.name === 'D: answer the invitation')!;
    const armed = await c.arm(env, 950);
    const replyToId = `pressed-${randomUUID()}`;
    const updatesBefore = bot.connector.updated.length;
    bot.connector.failNext(500, 500, 500, 500);
    const r = await press({ ...bot.channel.execute(armed.presser, armed.verb, armed.data), replyToId });
    assert.ok(!cardTexts(r.card).some((t) => t.includes('kunde inte nås')), 'the answer itself does not know yet');
    await bot.app.idle();
    const update = bot.connector.updated.slice(updatesBefore).find((u) => u.activityId === replyToId);
    assert.ok(update, 'the pressed card was updated (PUT on the invoke\'s replyToId)');
    const texts = cardTexts(update.activity.attachments?.[0]?.content);
    assert.ok(texts.some((t) => t.includes('Sofia Sandberg kunde inte nås i Teams')), texts.join(' | '));
    assert.deepEqual(cardTexts(r.card).filter((t) => !texts.includes(t)), [], 'the update is the answer plus the warning');
  });
});
