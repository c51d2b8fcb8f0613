import { strict as assert } from 'node:assert';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardActions, cardTexts } from '../helpers/connector';

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

/**
 * Issue 17: the bot is personal scope. In a group chat or a channel it answers — once per
 * message, button or install — that it works in the personal chat, with a deep link there; it never
 * posts the personal menu (or a case) where others read, and never stays silent.
 */
describe('outside the personal chat the bot points to it, and shows nothing else', () => {
  let bot: RunningBot;
  const anna = demoPerson('Anna Andersson');
  before(async () => {
    bot = await startBot();
  });
  after(async () => bot.stop());

  const inConversation = <T extends Record<string, unknown>>(activity: T, conversationType: 'groupChat' | 'channel', id: string): T => ({ ...activity, conversation: { id, conversationType, tenantId: bot.channel.tenantId } });
  const repliesIn = (id: string) => bot.connector.to(id);
  const deepLink = (card: unknown) => cardActions(card).find((a) => a.type === 'Action.OpenUrl') as { url?: string } | undefined;

  for (const scope of ['groupChat', 'channel'] as const) {
    it(`${scope}: a message gets one card with a link to the personal chat, in the person's language; no menu, nothing stored`, async () => {
      const id = `19:${scope}-message@thread.v2`;
      const conversationsBefore = await bot.app.stores.conversations.get(anna.id);
      const sv = await bot.post(inConversation(bot.channel.message(anna, 'meny'), scope, id));
      assert.equal(sv.status, 200);
      const replies = repliesIn(id);
      assert.equal(replies.length, 1, 'one answer');
      const card = replies[0]!.activity.attachments?.[0]?.content;
      const texts = cardTexts(card).join(' | ');
      assert.ok(texts.includes('personliga chatten'), texts);
      assert.equal(deepLink(card)?.url, `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(bot.channel.botId)}`);
      assert.ok(!cardActions(card).some((a) => a.verb === 'form.submit' || a.type === 'Action.Submit'), 'not the menu');
      assert.deepEqual(await bot.app.stores.conversations.get(anna.id), conversationsBefore, 'the group conversation is not kept as the person\'s');

      await bot.post(inConversation(bot.channel.message(anna, 'menu', 'en-US'), scope, id));
      assert.equal(repliesIn(id).length, 2);
      assert.ok(cardTexts(repliesIn(id)[1]!.activity.attachments?.[0]?.content).some((t) => t.includes('personal chat')), 'in English for an English client');
    });

    it(`${scope}: a card button is answered with the same card and changes nothing`, async () => {
      const id = `19:${scope}-button@thread.v2`;
      const res = await bot.post(inConversation(bot.channel.execute(anna, 'a.offer.take', { providerId: 'solrosen', entryId: 'x' }), scope, id));
      assert.equal(res.status, 200);
      const card = (res.body as InvokeBody).value;
      assert.ok(cardTexts(card).some((t) => t.includes('personliga chatten')), JSON.stringify(card));
      assert.ok(deepLink(card)?.url?.startsWith('https://teams.microsoft.com/l/chat/0/0?users='));
      assert.equal(repliesIn(id).length, 0, 'nothing posted into the conversation');
    });

    it(`${scope}: installing the bot there posts the pointer once`, async () => {
      const id = `19:${scope}-install@thread.v2`;
      await bot.post(inConversation(bot.channel.install(anna), scope, id));
      assert.equal(repliesIn(id).length, 1);
      assert.ok(deepLink(repliesIn(id)[0]!.activity.attachments?.[0]?.content));
    });
  }
});
