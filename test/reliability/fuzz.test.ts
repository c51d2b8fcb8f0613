import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardActions } from '../helpers/connector';
import { Chat } from '../helpers/flow';
import { FORM_CASES } from './forms';
import { InProcessTurns, cardVerbs } from './inProcess';
import { report } from './support';

/**
 * Property-based fuzzing (issue 8 §5) of raw activities, card buttons with arbitrary data for every
 * verb, and every dialog form. The same properties run through /api/messages and — for the bulk
 * of the cases — through the app's turn handler in-process (same validation, same TeamsBot, same
 * Azurite; replies recorded in memory), which is about twice as fast on this machine.
 * FUZZ_TOTAL (default 10,000) is split: in-process 40 % raw, 25 % buttons; HTTP 10 % raw,
 * 10 % buttons, 15 % forms. Every activity gets a 2xx or 4xx (never 5xx; 501 only for invoke kinds
 * the bot does not implement), no turn fails, nothing is written for a rejected button.
 */
const TOTAL = Number(process.env.FUZZ_TOTAL ?? 10_000);
const SHARE = { rawInProcess: 0.4, buttonsInProcess: 0.25, rawHttp: 0.1, buttonsHttp: 0.1, formsHttp: 0.15 };
const runs = (k: keyof typeof SHARE) => Math.max(1, Math.round(TOTAL * SHARE[k]));
const WIDTH = Number(process.env.FUZZ_WIDTH ?? 4);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const WORKERS = ['Anna Andersson', 'Bertil Berg', 'Cecilia Carlsson', 'David Dahl', 'Eva Ek', 'Fredrik Fors', 'Gunilla Gran', 'Hanna Holm'];
const tally = { cases: 0, http: 0, inProcess: 0, ms: 0 };

/** fast-check's assert over `WIDTH` workers at once (each its own person and seed; FUZZ_SEED reproduces a run). */
async function assertParallel<T>(total: number, property: (worker: number) => fc.IAsyncProperty<T>): Promise<void> {
  const width = Math.max(1, Math.min(WIDTH, WORKERS.length, total));
  await Promise.all(Array.from({ length: width }, (_, w) => fc.assert(property(w), { numRuns: Math.floor(total / width) + (w < total % width ? 1 : 0), seed: SEED + w })));
}

type Post = (activity: unknown) => Promise<number>;

/** Arbitrary activities: every field may be missing, of the wrong type, or nonsense. */
function activityArb(verbs: string[]) {
  return fc.record(
    {
      type: fc.oneof(fc.constantFrom('message', 'invoke', 'conversationUpdate', 'event', 'typing', ''), fc.string({ maxLength: 20 })),
      name: fc.oneof(fc.constant('adaptiveCard/action'), fc.string({ maxLength: 30 })),
      text: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('meny', 'avbryt', 'hjälp', 'kö', 'samordnad plan', 'mina uppgifter', 'behörigheter')),
      value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ action: fc.record({ verb: fc.constantFrom('form.submit', ...verbs, 'x'), data: fc.jsonValue({ maxDepth: 2 }) }) }), fc.record({ menu: fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('A', 'B', 'C', 'D', 'myTasks', 'admin')) })),
      locale: fc.oneof(fc.constantFrom('sv-SE', 'en-US', ''), fc.string({ maxLength: 10 })),
      conversation: fc.oneof(fc.constant('own'), fc.record({ id: fc.string({ maxLength: 40 }) })),
      from: fc.oneof(fc.constant('own'), fc.record({ id: fc.string({ maxLength: 40 }) })),
    },
    { requiredKeys: [] },
  );
}

function rawProperty(bot: RunningBot, post: Post, statuses: Record<string, number>, worker: number) {
  return fc.asyncProperty(activityArb(cardVerbs(bot.app)), async (a) => {
    const own = bot.channel.message(demoPerson(WORKERS[worker]!), 'hej');
    const status = await post({ ...own, ...a, conversation: a.conversation === 'own' || a.conversation === undefined ? own.conversation : a.conversation, from: a.from === 'own' || a.from === undefined ? own.from : a.from });
    statuses[status] = (statuses[status] ?? 0) + 1;
    // 501 is Bot Framework's answer to an invoke kind the bot does not implement (not a failure);
    // Action.Execute invokes must always get a card (200) or a 400 for a malformed body.
    if (a.type === 'invoke' && a.name === 'adaptiveCard/action') return status === 200 || status === 400;
    return status < 500 || (a.type === 'invoke' && status === 501);
  });
}

function buttonProperty(bot: RunningBot, post: Post) {
  const tomas = demoPerson('Tomas Tell');
  const keys = fc.constantFrom('providerId', 'entryId', 'spId', 'administration', 'answer', 'version', 'decision', 'places', 'note', 'reportId', 'x');
  return fc.asyncProperty(fc.constantFrom(...cardVerbs(bot.app)), fc.dictionary(keys, fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null))), async (verb, data) => (await post(bot.channel.execute(tomas, verb, data))) === 200);
}

async function snapshot(bot: RunningBot): Promise<string> {
  return JSON.stringify({ providers: await bot.app.stores.waitingList.allProviders(), staff: await bot.app.stores.staff.all() });
}

describe('fuzzing raw activities, card buttons and dialog forms (fast-check)', () => {
  let bot: RunningBot;
  let inProcess: InProcessTurns;
  before(async () => {
    bot = await startBot();
    inProcess = new InProcessTurns(bot.app);
  });
  after(async () => {
    report('fuzz total', `${tally.cases} cases (${tally.inProcess} in-process, ${tally.http} through /api/messages) in ${(tally.ms / 1000).toFixed(1)} s, seed ${SEED}, 0 failures`);
    await bot.stop();
  });

  const http: () => Post = () => async (activity) => (await bot.post(activity)).status;
  const direct: () => Post = () => async (activity) => (await inProcess.process(activity)).status;

  for (const [path, post, n] of [
    ['in-process', direct, runs('rawInProcess')],
    ['/api/messages', http, runs('rawHttp')],
  ] as const) {
    it(`answers ${n} arbitrary activities (${path}) without a 5xx or a failed turn`, async function () {
      this.timeout(180000);
      const started = Date.now();
      const statuses: Record<string, number> = {};
      const failedBefore = inProcess.failures.length;
      await assertParallel(n, (w) => rawProperty(bot, post(), statuses, w));
      assert.deepEqual(inProcess.failures.slice(failedBefore).map((e) => e.message), [], 'no turn failed');
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      const ms = Date.now() - started;
      Object.assign(tally, { cases: tally.cases + n, ms: tally.ms + ms, ...(path === 'in-process' ? { inProcess: tally.inProcess + n } : { http: tally.http + n }) });
      report(`fuzz raw activities (${path})`, `${n} cases, statuses ${JSON.stringify(statuses)}, ${(n / (ms / 1000)).toFixed(0)} cases/s`);
    });
  }

  for (const [path, post, n] of [
    ['in-process', direct, runs('buttonsInProcess')],
    ['/api/messages', http, runs('buttonsHttp')],
  ] as const) {
    it(`writes nothing for ${n} card buttons with arbitrary data, every verb (${path})`, async function () {
      this.timeout(180000);
      const started = Date.now();
      const before = await snapshot(bot);
      await assertParallel(n, () => buttonProperty(bot, post()));
      assert.equal(await snapshot(bot), before, 'no provider or directory change from arbitrary submissions');
      const ms = Date.now() - started;
      Object.assign(tally, { cases: tally.cases + n, ms: tally.ms + ms, ...(path === 'in-process' ? { inProcess: tally.inProcess + n } : { http: tally.http + n }) });
      report(`fuzz card buttons (${path})`, `${n} cases, 0 writes, ${(n / (ms / 1000)).toFixed(0)} cases/s`);
    });
  }

  it(`answers ${runs('formsHttp')} arbitrary submissions of every dialog form with a card, never a failure`, async function () {
    this.timeout(180000);
    const started = Date.now();
    const n = runs('formsHttp');
    const value = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('', ' ', 'true', 'false', 'yes', 'no', 'solrosen', 'ffs', '2026-11-20', '2099-01-01', '19850312-2384', 'å'.repeat(3000), 'x'.repeat(70_000)),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    );
    const outcomes = { reRendered: 0, wentOn: 0 };
    let cases = 0;
    // Each form gets its own person (the roles of the demo person it names), so all run at once.
    await Promise.all(
      FORM_CASES.map(async (f, i) => {
        const demo = (await bot.app.stores.staff.get(demoPerson(f.person).id))!.value;
        const clone = { id: `f0f0f0f0-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, name: demo.name, roles: demo.roles };
        await bot.app.stores.staff.save(clone, undefined);
        const chat = new Chat(bot, { id: clone.id, name: clone.name });
        await f.reach(chat, bot);
        const keys = [...Object.keys(f.valid), 'junk'];
        await fc.assert(
          fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }), fc.integer({ min: 0, max: 4 }), async (data, mode) => {
            const formId = chat.lastFormId();
            // One case in five starts from a valid submission with a few fields spoiled.
            const r = await chat.submit(mode === 0 ? { ...f.valid, ...data } : data);
            cases++;
            const ok = r.card.type === 'AdaptiveCard' && !r.texts.some((t) => t.includes('Något gick fel'));
            if (chat.lastFormId() === formId && cardActions(r.card).some((a) => a.data?.formId === formId)) outcomes.reRendered++;
            else {
              // A valid submission moved the dialog on: back to the form for the next case.
              outcomes.wentOn++;
              await f.reach(chat, bot);
            }
            return ok;
          }),
          { numRuns: Math.max(1, Math.floor(n / FORM_CASES.length) + (i < n % FORM_CASES.length ? 1 : 0)), seed: SEED + 100 + i },
        );
      }),
    );
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    const ms = Date.now() - started;
    Object.assign(tally, { cases: tally.cases + cases, http: tally.http + cases, ms: tally.ms + ms });
    report('fuzz dialog forms (/api/messages)', `${cases} cases over ${FORM_CASES.length} forms (${outcomes.reRendered} refused and shown again, ${outcomes.wentOn} valid and went on), 0 failures, ${(cases / (ms / 1000)).toFixed(0)} cases/s`);
  });
});
