import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CARD_SAMPLES, WRAP_PROBES } from './cardSamples';
import { launchChromium, type HeadlessChromium } from './helpers/chromium';

/** About the width of a card in Teams on a phone: the narrowest place a card is shown. */
const CARD_WIDTH_PX = 320;
const TEMPLATES = path.join(__dirname, '..', '..', 'cards', 'templates');

interface Report {
  parseEvents: Array<{ event: string; message: string }>;
  failures: Array<{ owner: string; event: string; message: string }>;
  overflowing: Array<{ tag: string; className: string; text: string; scrollWidth: number; clientWidth: number }>;
  text: string;
}

type Json = Record<string, unknown>;

/** Every object in a card (elements, actions, facts, choices), depth first. */
function objects(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) objects(n, out);
  else if (node && typeof node === 'object') {
    out.push(node as Json);
    for (const v of Object.values(node)) objects(v, out);
  }
  return out;
}

const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const SWEDISH = /[åäöÅÄÖ]/;

/** Text a person needs that the card left empty: a TextBlock, a button, a fact, a label, a choice. */
function emptyRequiredText(card: Json): string[] {
  const problems: string[] = [];
  for (const o of objects(card)) {
    const type = typeof o.type === 'string' ? o.type : '';
    if (type === 'TextBlock' && !filled(o.text)) problems.push(`TextBlock without text: ${JSON.stringify(o).slice(0, 100)}`);
    if (type.startsWith('Action.') && !filled(o.title)) problems.push(`${type} without a title`);
    if (type === 'Input.Toggle' && !filled(o.title)) problems.push(`Input.Toggle ${String(o.id)} without a title`);
    if (type.startsWith('Input.') && type !== 'Input.Toggle' && !filled(o.label)) problems.push(`${type} ${String(o.id)} without a label`);
    if (type.startsWith('Input.') && o.isRequired === true && !filled(o.errorMessage)) problems.push(`required ${type} ${String(o.id)} without an error message`);
    if (!type && 'title' in o && 'value' in o && !('id' in o) && !(filled(o.title) && filled(o.value))) problems.push(`fact or choice with an empty title or value: ${JSON.stringify(o)}`);
  }
  return problems;
}

/** TextBlocks and toggles that carry Swedish letters or long data but would cut them off. */
function unwrapped(card: Json): string[] {
  return objects(card)
    .filter((o) => o.type === 'TextBlock' || o.type === 'Input.Toggle')
    .filter((o) => {
      const s = String(o.type === 'TextBlock' ? o.text : o.title);
      return SWEDISH.test(s) || WRAP_PROBES.some((p) => s.includes(p)) || s.length > 30;
    })
    .filter((o) => o.wrap !== true)
    .map((o) => `${String(o.type)} "${String(o.type === 'TextBlock' ? o.text : o.title).slice(0, 60)}" has no wrap: true`);
}

describe('card templates in the Adaptive Cards renderer (schema 1.5) in Chromium', function () {
  this.timeout(60_000);
  let chromium: HeadlessChromium;
  let page: Page;

  before(async () => {
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setContent('<!doctype html><html lang="sv"><head><meta charset="utf-8"></head><body></body></html>');
    // The renderer's own bundle, served from node_modules (no network).
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
    await page.addScriptTag({ path: path.join(__dirname, 'page', 'renderCard.js') });
  });
  after(async () => {
    await chromium?.close();
  });

  it('has sample data for every template in cards/templates', () => {
    const templates = readdirSync(TEMPLATES).filter((f) => f.endsWith('.json')).sort();
    const sampled = new Set(CARD_SAMPLES.map((s) => s.template));
    const missing = templates.filter((t) => !sampled.has(t));
    assert.deepEqual(missing, [], `add a sample for each of these to test/browser/cardSamples.ts: ${missing.join(', ')}`);
    assert.deepEqual([...sampled].filter((t) => !templates.includes(t)), [], 'samples name templates that exist');
  });

  for (const sample of CARD_SAMPLES) {
    it(`${sample.template}: ${sample.name}`, async () => {
      const card = sample.card.content;
      assert.equal(card.version, '1.5');
      assert.doesNotMatch(JSON.stringify(card), /\$\{/, 'every template expression was expanded');
      assert.deepEqual(emptyRequiredText(card), []);
      assert.deepEqual(unwrapped(card), []);

      await page.evaluate('clearCards()');
      const report = (await page.evaluate(([json, width]) => (globalThis as unknown as { renderCardReport(j: unknown, w: number): unknown }).renderCardReport(json, width), [card, CARD_WIDTH_PX] as const)) as Report;
      assert.deepEqual(report.parseEvents, [], 'the renderer reports nothing while parsing (no unknown element, action or property value)');
      assert.deepEqual(report.failures, [], 'the renderer validates the card without failures');
      assert.deepEqual(report.overflowing, [], `no text is cut off or runs outside a ${CARD_WIDTH_PX} px card`);
      const seen = report.text.replace(/\s+/g, ' ');
      for (const s of sample.mustShow) assert.ok(seen.includes(s.replace(/\s+/g, ' ')), `the card shows "${s}" in full`);
    });
  }
});
