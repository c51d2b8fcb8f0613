import { strict as assert } from 'node:assert';
import { startBot, type RunningBot } from '../helpers/app';
import { cardTexts } from '../helpers/connector';
import { CLICK_CASES, ClickEnv } from './clickCases';
import { report } from './support';

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

/**
 * Issue 8 §2: every state-changing card action (CLICK_CASES) pressed twice at the same moment and
 * once more after completion, through /api/messages, about CLICK_PRESSES presses in all (default
 * 1,000). Each effect must happen exactly once; the two later presses must get the clear
 * "already done by … at …" card, naming who did it.
 */
const PRESSES = Number(process.env.CLICK_PRESSES ?? 1000);
const ALREADY = /redan gjort av (.+?) \d{4}-\d{2}-\d{2} \d{2}:\d{2}/;

describe('reliability: double and stale presses of every state-changing card action', () => {
  let bot: RunningBot;
  let env: ClickEnv;
  before(async () => {
    bot = await startBot({ clock: () => new Date('2026-11-23T09:00:00Z'), proactiveSpacingMs: 0 });
    env = new ClickEnv(bot);
    await env.greetAll();
  });
  after(async () => bot.stop());

  it(`${PRESSES} presses across ${CLICK_CASES.length} actions: each effect once, later presses told "already done by … at …"`, async function () {
    this.timeout(240000);
    const rounds = Math.ceil(PRESSES / 3);
    const perCase = new Map<string, { rounds: number; done: number; already: number }>();
    let presses = 0;
    for (let round = 0; round < rounds; round++) {
      const c = CLICK_CASES[round % CLICK_CASES.length]!;
      const armed = await c.arm(env, round);
      const press = async () => {
        const res = await bot.post(bot.channel.execute(armed.presser, armed.verb, armed.data));
        assert.equal(res.status, 200, `${c.name}: HTTP ${res.status}`);
        return cardTexts((res.body as InvokeBody).value).join(' ');
      };
      const first = await Promise.all([press(), press()]);
      const later = await press();
      presses += 3;
      const texts = [...first, later];
      const already = texts.filter((t) => ALREADY.test(t));
      assert.equal(already.length, 2, `${c.name} (round ${round}): two presses told "already done by … at …"; got: ${texts.join(' || ')}`);
      for (const t of already) assert.equal(ALREADY.exec(t)![1], armed.presser.name, `${c.name}: names who did it`);
      assert.ok(ALREADY.test(later), `${c.name}: the press after completion is told`);
      assert.equal(await armed.effects(), 1, `${c.name} (round ${round}): the effect happened exactly once`);
      const s = perCase.get(c.name) ?? { rounds: 0, done: 0, already: 0 };
      perCase.set(c.name, { rounds: s.rounds + 1, done: s.done + 1, already: s.already + already.length });
    }
    const lines = [...perCase].map(([name, s]) => `${name} – ${s.rounds} rounds, ${s.done} effects, ${s.already} told "already done"`);
    report('double/stale presses', `${presses} presses over ${CLICK_CASES.length} actions, ${rounds} effects (each exactly once), ${rounds * 2} later presses told "already done by … at …", 0 failures`);
    for (const l of lines) report('  per action', l);
  });
});
