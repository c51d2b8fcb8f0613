import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';

/**
 * Property-based fuzzing of what reaches /api/messages: malformed activities and card submissions
 * with arbitrary data, for every verb the bot knows. The server must answer every one with a
 * 2xx or a 4xx (never a 500; 501 only for invoke kinds the bot does not implement), stay healthy,
 * and write nothing for a rejected submission.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

describe('fuzzing raw activities and card submissions (fast-check)', () => {
  let bot: RunningBot;
  before(async () => {
    bot = await startBot();
  });
  after(async () => bot.stop());

  it(`answers ${RUNS} arbitrary activity bodies without a 5xx and stays up`, async function () {
    this.timeout(120000);
    const anna = demoPerson('Anna Andersson');
    const base = bot.channel.message(anna, 'hej');
    const activity = fc.record(
      {
        type: fc.oneof(fc.constantFrom('message', 'invoke', 'conversationUpdate', 'event', 'typing', ''), fc.string({ maxLength: 20 })),
        name: fc.oneof(fc.constant('adaptiveCard/action'), fc.string({ maxLength: 30 })),
        text: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('meny'), fc.constant('avbryt')),
        value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ action: fc.record({ verb: fc.constantFrom('form.submit', 'a.offer.take', 'a.offer.answer', 'a.places.forward', 'a.places.register', 'd.invite.answer', 'd.plan.decide', 'd.disagree', 'x'), data: fc.jsonValue({ maxDepth: 2 }) }) }), fc.record({ menu: fc.string({ maxLength: 50 }) })),
        locale: fc.oneof(fc.constantFrom('sv-SE', 'en-US', ''), fc.string({ maxLength: 10 })),
        conversation: fc.oneof(fc.constant(base.conversation), fc.record({ id: fc.string({ maxLength: 40 }) })),
        from: fc.oneof(fc.constant(base.from), fc.record({ id: fc.string({ maxLength: 40 }) })),
      },
      { requiredKeys: [] },
    );
    let statuses: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(activity, async (a) => {
        const res = await bot.post({ ...base, ...a });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        // 501 is Bot Framework's answer to an invoke the bot does not implement (not a failure);
        // Action.Execute invokes must always get a card (200).
        const unsupportedInvoke = a.type === 'invoke' && (a.name ?? undefined) !== 'adaptiveCard/action';
        if (a.type === 'invoke' && a.name === 'adaptiveCard/action') return res.status === 200 || res.status === 400;
        return res.status < 500 || (unsupportedInvoke && res.status === 501);
      }),
      { numRuns: RUNS },
    );
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    assert.ok(Object.keys(statuses).length > 0);
    statuses = {};
  });

  it('writes nothing for rejected card submissions (arbitrary data for every state-changing verb)', async function () {
    this.timeout(120000);
    const tomas = demoPerson('Tomas Tell');
    const verbs = ['a.offer.take', 'a.offer.answer', 'a.places.forward', 'a.places.register', 'd.invite.answer', 'd.plan.decide', 'd.disagree'];
    const before = JSON.stringify({ providers: await bot.app.stores.waitingList.allProviders(), staff: await bot.app.stores.staff.all() });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...verbs), fc.dictionary(fc.constantFrom('providerId', 'entryId', 'spId', 'administration', 'answer', 'version', 'decision', 'places', 'note', 'x'), fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null))), async (verb, data) => {
        const res = await bot.post(bot.channel.execute(tomas, verb, data));
        return res.status === 200;
      }),
      { numRuns: RUNS },
    );
    const after = JSON.stringify({ providers: await bot.app.stores.waitingList.allProviders(), staff: await bot.app.stores.staff.all() });
    assert.equal(after, before, 'no provider or directory change from arbitrary submissions');
  });
});
