import { strict as assert } from 'node:assert';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAzurite, type LocalAzurite } from '../../scripts/lib/azurite';
import { freePort } from '../../scripts/lib/ports';
import { RequestCounter } from '../../storage/tableClients';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardActions, cardTexts } from '../helpers/connector';
import { Chat } from '../helpers/flow';

const SV_OUTAGE = /når inte sin lagring just nu\. Försök igen om en stund/;
const EN_OUTAGE = /cannot reach its storage right now\. Try again shortly/;
type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> };

/**
 * Sees every storage request of the bot; when armed, stops the real Azurite right after the first
 * request that matches has been answered, i.e. in the middle of a turn.
 */
class StopAfter extends RequestCounter {
  private when: ((method: string, url: string, status: number) => boolean) | undefined;
  private stop: (() => Promise<void>) | undefined;
  arm(when: (method: string, url: string, status: number) => boolean, stop: () => Promise<void>): void {
    this.when = when;
    this.stop = stop;
  }
  override readonly policy = {
    name: 'stopAfter',
    sendRequest: async (request: never, next: (r: never) => Promise<never>) => {
      const res = await next(request);
      const req = request as unknown as { method: string; url: string };
      if (this.when?.(req.method, req.url, (res as unknown as { status: number }).status)) {
        const stop = this.stop!;
        this.when = undefined;
        await stop();
      }
      return res;
    },
  };
}

describe('storage faults: Azurite stops and comes back', () => {
  let dir: string;
  let port: number;
  let azurite: LocalAzurite;
  let bot: RunningBot;
  const anna = demoPerson('Anna Andersson');
  const now = new Date('2026-11-23T09:00:00Z');
  const switchOff = new StopAfter();

  async function stopStorage(): Promise<void> {
    // Stopped the way `npm start` stops it (SIGINT, on which Azurite saves its data).
    await azurite.stop();
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 503, 'storage is really down');
  }
  async function startStorage(): Promise<void> {
    azurite = await startAzurite({ port, location: dir });
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
  }

  /** Everything stored (every table, every row): a failed turn must leave this unchanged. */
  async function snapshot(): Promise<string> {
    const opts = { allowInsecureConnection: true };
    const service = TableServiceClient.fromConnectionString(azurite.connectionString, opts);
    const out: string[] = [];
    for await (const t of service.listTables()) {
      if (!t.name?.startsWith(bot.prefix)) continue;
      for await (const e of TableClient.fromConnectionString(azurite.connectionString, t.name, opts).listEntities()) out.push(`${t.name}|${String(e.partitionKey)}|${String(e.rowKey)}|${String(e.etag)}`);
    }
    return out.sort().join('\n');
  }

  before(async function () {
    this.timeout(60000);
    dir = mkdtempSync(path.join(tmpdir(), 'azurite-fault-'));
    port = await freePort();
    azurite = await startAzurite({ port, location: dir });
    bot = await startBot({ connectionString: azurite.connectionString, clock: () => now, requestCounter: switchOff });
  });
  // A failed test must not leave the next one without storage.
  afterEach(async function () {
    this.timeout(30000);
    if (azurite.process.exitCode !== null || azurite.process.signalCode !== null) azurite = await startAzurite({ port, location: dir });
  });
  after(async () => {
    await bot?.stop();
    await azurite?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells the person to try again shortly, turns /healthz to 503, stays up, and continues when storage returns', async function () {
    this.timeout(60000);
    await bot.post(bot.channel.message(anna, 'hej'));
    const conv = bot.channel.conversationOf(anna);
    await bot.connector.waitFor(() => bot.connector.to(conv).length === 1);

    await azurite.stop();
    const health = await fetch(`${bot.url}/healthz`);
    assert.equal(health.status, 503);
    const report = (await health.json()) as { reason: string; storage: string };
    assert.equal(report.storage, 'unavailable');
    assert.match(report.reason, /table storage/);

    const res = await bot.post(bot.channel.message(anna, 'meny'));
    assert.equal(res.status, 200);
    await bot.connector.waitFor(() => bot.connector.to(conv).length === 2, 30000);
    const outage = bot.connector.to(conv)[1]!.activity;
    // A card (was: a bare text), so the message looks like every other answer of the bot.
    assert.ok(cardTexts(outage.attachments?.[0]?.content).some((t) => SV_OUTAGE.test(t)), JSON.stringify(outage));

    await startStorage();
    await bot.post(bot.channel.message(anna, 'meny'));
    await bot.connector.waitFor(() => bot.connector.to(conv).length === 3, 30000);
    const third = bot.connector.to(conv)[2]!.activity;
    assert.ok(cardTexts(third.attachments?.[0]?.content).includes('Hej Anna Andersson!'), `the directory survived: nothing was lost (got ${third.text ?? JSON.stringify(third.attachments)})`);
  });

  it('a form submitted during an outage answers a clear card and stays open: the same card is accepted once storage is back', async function () {
    this.timeout(90000);
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    await bertil.say('hej');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-2026-0101', initials: 'QX', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    const consentForm = bertil.lastFormId();
    const consent = { consent: 'yes', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'true' };
    const stored = await snapshot();

    await stopStorage();
    const sentBefore = bertil.sent().length;
    const failed = await bot.post(bot.channel.execute(bertil.person, 'form.submit', { formId: consentForm, ...consent }));
    assert.equal(failed.status, 200, 'an invoke is answered, never an empty 501');
    const body = failed.body as InvokeBody;
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.ok(cardTexts(body.value).some((t) => SV_OUTAGE.test(t)), JSON.stringify(body.value));
    assert.equal(bertil.sent().length, sentBefore, 'nothing else was sent');

    await startStorage();
    assert.equal(await snapshot(), stored, 'the failed turn changed nothing in storage');
    assert.equal(bertil.lastFormId(), consentForm);
    const again = await bertil.submit(consent);
    assert.ok(again.texts.some((t) => t.includes('Mottaget')) || !again.texts.some((t) => /gäller inte längre|redan/.test(t)), again.texts.join(' | '));
    await bot.connector.waitFor(() => bertil.textsSince(again.before).some((t) => t.includes('plats **1**')), 10000);
    const queue = await bot.app.stores.waitingList.queue('solrosen');
    assert.equal(queue.filter((e) => e.state === 'waiting' || e.state === 'offered').length, 1);
  });

  it('a form whose turn loses storage after the form was claimed: clear card, and the same card is accepted once storage is back', async function () {
    this.timeout(90000);
    const cecilia = new Chat(bot, demoPerson('Cecilia Carlsson'));
    await cecilia.say('hej');
    await cecilia.pick({ menu: 'A' });
    await cecilia.submit({ action: 'join' });
    // The join form is claimed before it goes on (a consent "yes" is not: its registration is sent once by its own step).
    const joinForm = cecilia.lastFormId();
    const join = { reference: 'TR-2026-0103', initials: 'RS', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-21' };
    const consent = { consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' };

    // Storage goes away right after the form's one-time claim was written, before its effect.
    switchOff.arm((method, url, status) => method === 'POST' && url.includes(`${bot.prefix}Claims`) && status < 300, () => azurite.stop());
    const failed = await bot.post(bot.channel.execute(cecilia.person, 'form.submit', { formId: joinForm, ...join }));
    assert.equal(failed.status, 200);
    assert.ok(cardTexts((failed.body as InvokeBody).value).some((t) => SV_OUTAGE.test(t)), JSON.stringify(failed.body));
    assert.equal(azurite.process.exitCode !== null || azurite.process.signalCode !== null, true, 'storage really stopped mid-turn');

    await startStorage();
    const queued = (await bot.app.stores.waitingList.queue('solrosen')).map((e) => e.entryId);
    assert.equal(cecilia.lastFormId(), joinForm, 'no other form came meanwhile');
    const again = await cecilia.submit(join);
    assert.ok(!again.texts.some((t) => /gäller inte längre|redan skickat|redan gjort/i.test(t)), `the same card is accepted (was: already sent): ${again.texts.join(' | ')}`);
    const last = await cecilia.submit(consent);
    await bot.connector.waitFor(() => cecilia.textsSince(last.before).some((t) => /plats \*\*\d+\*\*/.test(t)), 10000);
    assert.equal((await bot.app.stores.waitingList.queue('solrosen')).length, queued.length + 1, 'queued once');
  });

  it('a state-changing card button (take an offer) in an outage answers a clear card in the person\'s language, and works once storage is back', async function () {
    this.timeout(90000);
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    const cecilia = new Chat(bot, demoPerson('Cecilia Carlsson'));
    await cecilia.say('hej');
    const cBefore = cecilia.sent().length;
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId: 'solrosen' });
    await bot.connector.waitFor(() => cecilia.sent().slice(cBefore).some((s) => cardActions(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'a.offer.take')));
    const offer = cecilia.sent().slice(cBefore).map((s) => s.activity.attachments?.[0]?.content).find((c) => cardActions(c).some((a) => a.verb === 'a.offer.take'));
    const take = cardActions(offer).find((a) => a.verb === 'a.offer.take')!.data!;
    const stored = await snapshot();

    await stopStorage();
    const failed = await bot.post(bot.channel.execute(cecilia.person, 'a.offer.take', take, 'en-US'));
    assert.equal(failed.status, 200, 'an invoke is answered, never an empty 501');
    const body = failed.body as InvokeBody;
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.ok(cardTexts(body.value).some((t) => EN_OUTAGE.test(t)), JSON.stringify(body.value));

    await startStorage();
    assert.equal(await snapshot(), stored, 'the failed press changed nothing in storage');
    const again = await cecilia.execute('a.offer.take', take);
    assert.ok(cardActions(again.card).some((a) => a.verb === 'a.offer.answer'), `the same button takes the offer: ${again.texts.join(' | ')}`);
  });

  it('an install during an outage gets a clear card in the person\'s language, and the welcome once storage is back', async function () {
    this.timeout(90000);
    const erik = demoPerson('Anna Andersson');
    const conv = bot.channel.conversationOf(erik);
    await stopStorage();
    const before = bot.connector.to(conv).length;
    const res = await bot.post({ ...bot.channel.install(erik), locale: 'en-US' });
    assert.ok(res.status < 300, `install answered ${res.status}`);
    await bot.connector.waitFor(() => bot.connector.to(conv).length === before + 1, 30000);
    const card = bot.connector.to(conv).at(-1)!.activity.attachments?.[0]?.content;
    assert.ok(cardTexts(card).some((t) => EN_OUTAGE.test(t)), JSON.stringify(card));

    await startStorage();
    await bot.post(bot.channel.install(erik));
    await bot.connector.waitFor(() => bot.connector.to(conv).length === before + 2, 30000);
    assert.ok(cardTexts(bot.connector.to(conv).at(-1)!.activity.attachments?.[0]?.content).includes('Hej Anna Andersson!'));
  });
});
