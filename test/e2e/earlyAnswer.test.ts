import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { sv } from '../../locale/sv';
import { RequestCounter } from '../../storage/tableClients';
import { DEMO_STAFF } from '../../storage/demoData';
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

/** Storage that fails every request after the next entity-group transaction (a step's commit), until healed. */
const DEMO_SOFIA = DEMO_STAFF.find((s) => s.name === 'Sofia Sandberg')!.id;

class FailsAfterCommit extends RequestCounter {
  private armed = false;
  private dead = false;
  override readonly policy = {
    name: 'requestCounter',
    sendRequest: async (request: { method: string; url: string }, next: (r: never) => Promise<never>) => {
      this.count++;
      if (this.dead) throw new Error('injected: storage stopped answering after the commit');
      const res = await next(request as never);
      if (this.armed && request.method === 'POST' && request.url.includes('$batch')) this.dead = true;
      return res;
    },
  };
  arm(): void {
    this.armed = true;
  }
  heal(): void {
    this.armed = false;
    this.dead = false;
  }
}

describe('a step whose effects fail after its commit', () => {
  it('the pressed card says the step is saved and the rest follows (never "it did not work"); the sweep finishes the effects once', async function () {
    this.timeout(60_000);
    const storage = new FailsAfterCommit();
    const t0 = new Date('2026-11-23T09:00:00Z');
    let now = t0;
    const lines: string[] = [];
    const bot = await startBot({ clock: () => now, proactiveSpacingMs: 0, requestCounter: storage, logLevel: 'debug', logDestination: { write: (line) => void lines.push(line) } });
    try {
      const env = new ClickEnv(bot);
      await env.greetAll();
      const c = CLICK_CASES.find((x) => x.name === 'D: answer the invitation')!;
      const armed = await c.arm(env, 1);
      const sofia = bot.channel.conversationOf({ id: DEMO_SOFIA, name: '' });
      const toldBefore = bot.connector.to(sofia).length;
      const replyToId = `pressed-${randomUUID()}`;
      storage.arm();
      const res = await bot.post({ ...bot.channel.execute(armed.presser, armed.verb, armed.data), replyToId });
      assert.equal(res.status, 200);
      const shown = bot.connector.updated.filter((u) => u.activityId === replyToId).at(-1)?.activity.attachments?.[0]?.content ?? (res.body as InvokeBody).value;
      const texts = cardTexts(shown).join(' | ');
      assert.ok(texts.includes(sv.effectsPendingTitle) && !texts.includes(sv.errorTitle), texts);
      storage.heal();
      assert.equal(await armed.effects(), 0, 'the journal event is among the effects still to do');
      now = new Date(t0.getTime() + 5 * 60_000);
      const fromSweep = lines.length;
      assert.equal(await bot.app.relayPending(now), 1, 'the sweep carries out the step left in the outbox');
      // Issue 18: the sweep's lines name the step whose effects they are, not only "outbox.relay".
      const relayed = lines.slice(fromSweep).map((l) => JSON.parse(l) as { routine?: string; step?: string; event?: string });
      assert.ok(relayed.some((l) => l.routine === 'D' && l.step === 'invitationAnswered.relay'), JSON.stringify(relayed.map((l) => [l.event, l.routine, l.step])));
      assert.equal(await armed.effects(), 1, 'journalled once');
      assert.equal(bot.connector.to(sofia).length - toldBefore, 1, 'the initiator told once');
      assert.equal(await bot.app.relayPending(new Date(now.getTime() + 5 * 60_000)), 0, 'nothing left');
    } finally {
      await bot.stop();
    }
  });
});
