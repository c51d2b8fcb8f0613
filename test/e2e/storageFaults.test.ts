import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAzurite, type LocalAzurite } from '../../scripts/lib/azurite';
import { freePort } from '../../scripts/lib/ports';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardTexts } from '../helpers/connector';

describe('storage faults: Azurite stops and comes back', () => {
  let dir: string;
  let port: number;
  let azurite: LocalAzurite;
  let bot: RunningBot;
  const anna = demoPerson('Anna Andersson');

  before(async function () {
    this.timeout(60000);
    dir = mkdtempSync(path.join(tmpdir(), 'azurite-fault-'));
    port = await freePort();
    azurite = await startAzurite({ port, location: dir });
    bot = await startBot({ connectionString: azurite.connectionString });
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

    // Stopped the way `npm start` stops it (SIGINT, on which Azurite saves its data).
    await azurite.stop();
    const health = await fetch(`${bot.url}/healthz`);
    assert.equal(health.status, 503);
    const report = (await health.json()) as { reason: string; storage: string };
    assert.equal(report.storage, 'unavailable');
    assert.match(report.reason, /table storage/);

    const res = await bot.post(bot.channel.message(anna, 'meny'));
    assert.equal(res.status, 200);
    await bot.connector.waitFor(() => bot.connector.to(conv).length === 2, 30000);
    assert.match(bot.connector.to(conv)[1]!.activity.text ?? '', /når inte sin lagring just nu\. Försök igen om en stund/);

    azurite = await startAzurite({ port, location: dir });
    assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
    await bot.post(bot.channel.message(anna, 'meny'));
    await bot.connector.waitFor(() => bot.connector.to(conv).length === 3, 30000);
    const third = bot.connector.to(conv)[2]!.activity;
    assert.ok(cardTexts(third.attachments?.[0]?.content).includes('Hej Anna Andersson!'), `the directory survived: nothing was lost (got ${third.text ?? JSON.stringify(third.attachments)})`);
  });
});
