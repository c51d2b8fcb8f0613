import { readFileSync } from 'node:fs';
import { strict as assert } from 'node:assert';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';

describe('HTTP endpoint (real server, connector stand-in, Azurite)', () => {
  let bot: RunningBot;
  before(async () => {
    bot = await startBot();
  });
  after(async () => bot.stop());

  it('answers a Teams message with the menu of the routines the person may open', async () => {
    const anna = demoPerson('Anna Andersson');
    const res = await bot.post(bot.channel.message(anna, 'hej'));
    assert.equal(res.status, 200);
    await bot.connector.waitFor((s) => s.some((a) => a.conversationId === bot.channel.conversationOf(anna)));
    const [reply] = bot.connector.to(bot.channel.conversationOf(anna));
    const card = reply!.activity.attachments?.[0]?.content;
    assert.ok(card, 'a card was sent');
    const texts = cardTexts(card);
    assert.ok(texts.includes('Hej Anna Andersson!'), texts.join(' | '));
    // A social worker takes part in all four routines (B: the seed applies to social workers too).
    assert.ok(texts.includes('Väntelista daglig verksamhet (LSS)'));
    assert.ok(texts.includes('Samordnad plan (SP)'), texts.join(' | '));
    assert.ok(texts.includes('Genomförandeplan hemtjänst'));
    assert.ok(cardActions(card).some((a) => a.title === 'Hjälp'));
  });

  it('speaks English when the activity locale is English', async () => {
    const petra = demoPerson('Petra Persson');
    await bot.post(bot.channel.message(petra, 'menu', 'en-US'));
    await bot.connector.waitFor((s) => s.some((a) => a.conversationId === bot.channel.conversationOf(petra)));
    const card = bot.connector.to(bot.channel.conversationOf(petra))[0]!.activity.attachments?.[0]?.content;
    assert.ok(cardTexts(card).includes('Hello Petra Persson!'));
  });

  it('answers in Swedish for the Agents Playground, which always sends en-US, when LOCALE_OVERRIDE=sv', async () => {
    const local = await startBot({ env: { LOCALE_OVERRIDE: 'sv' } });
    try {
      const bertil = demoPerson('Bertil Berg');
      // As the Playground sends it: from.id is its own user id, aadObjectId the directory id, locale en-US.
      const activity = { ...local.channel.message(bertil, 'hello', 'en-US'), from: { id: 'demo-user-2', name: 'Bertil Berg', aadObjectId: bertil.id } };
      await local.post(activity);
      await local.connector.waitFor(() => local.connector.to(local.channel.conversationOf(bertil)).length > 0);
      assert.ok(cardTexts(local.connector.to(local.channel.conversationOf(bertil))[0]!.activity.attachments?.[0]?.content).includes('Hej Bertil Berg!'));
    } finally {
      await local.stop();
    }
  });

  it('tells a person without a role whom to ask', async () => {
    const stranger = { id: '99999999-0000-0000-0000-000000000001', name: 'Okänd Person' };
    await bot.post(bot.channel.message(stranger, 'hej'));
    await bot.connector.waitFor((s) => s.some((a) => a.conversationId === bot.channel.conversationOf(stranger)));
    const texts = cardTexts(bot.connector.to(bot.channel.conversationOf(stranger))[0]!.activity.attachments?.[0]?.content);
    assert.ok(texts.some((t) => t.includes('Olle Öberg')), texts.join(' | '));
  });

  it('reports health with storage reachable', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; storage: string; version: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.storage, 'ok');
    assert.equal(body.version, (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });
});
