import { strict as assert } from 'node:assert';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';

type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> };

/** Finds the form id of the newest form card sent to a conversation. */
function lastFormId(bot: RunningBot, conversationId: string): string {
  const withForm = bot.connector
    .to(conversationId)
    .map((s) => cardActions(s.activity.attachments?.[0]?.content).find((a) => a.verb === 'form.submit'))
    .filter(Boolean);
  const id = withForm.at(-1)?.data?.formId;
  assert.equal(typeof id, 'string', 'a form card was sent');
  return id as string;
}

describe('card actions (Action.Execute) through /api/messages', () => {
  let bot: RunningBot;
  const olle = demoPerson('Olle Öberg');
  const newPerson = { newPersonId: '22222222-0000-0000-0000-000000000001', newPersonName: 'Sara Svensson' };
  before(async () => {
    bot = await startBot();
  });
  after(async () => bot.stop());

  it('lets an admin add a role by card; the invoke response replaces the card with a receipt', async () => {
    await bot.post(bot.channel.message(olle, 'behörigheter'));
    const conv = bot.channel.conversationOf(olle);
    await bot.connector.waitFor(() => bot.connector.to(conv).length > 0);
    const formId = lastFormId(bot, conv);
    const before = bot.connector.to(conv).length;
    const res = await bot.post(bot.channel.execute(olle, 'form.submit', { formId, action: 'add', personId: '', ...newPerson, role: 'socialWorker', unit: 'sf-nordost' }));
    assert.equal(res.status, 200);
    const body = res.body as InvokeBody;
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    assert.ok(cardTexts(body.value).includes('Mottaget'));
    await bot.connector.waitFor(() => bot.connector.to(conv).length > before);
    assert.ok(cardTexts(bot.connector.to(conv).at(-1)!.activity.attachments?.[0]?.content).some((t) => t.includes('Sara Svensson har nu rollen socialsekreterare på SF Nordost')));
    const stored = await bot.app.stores.staff.get(newPerson.newPersonId);
    assert.deepEqual(stored?.value.roles, [{ role: 'socialWorker', unit: 'sf-nordost' }]);

    // The same card pressed again is stale: nothing changes.
    const again = await bot.post(bot.channel.execute(olle, 'form.submit', { formId, action: 'add', personId: '', ...newPerson, role: 'supervisor', unit: 'sf-nordost' }));
    assert.ok(cardTexts((again.body as InvokeBody).value).includes('Kortet gäller inte längre'));
    assert.deepEqual((await bot.app.stores.staff.get(newPerson.newPersonId))?.value.roles, [{ role: 'socialWorker', unit: 'sf-nordost' }]);
  });

  it('re-renders the form naming the field when a submission is invalid', async () => {
    await bot.post(bot.channel.message(olle, 'behörigheter'));
    const conv = bot.channel.conversationOf(olle);
    await bot.connector.waitFor(() => bot.connector.to(conv).length > 2);
    const formId = lastFormId(bot, conv);
    const res = await bot.post(bot.channel.execute(olle, 'form.submit', { formId, action: 'add', personId: olle.id, role: 'chief', unit: 'ffs' }));
    const texts = cardTexts((res.body as InvokeBody).value);
    assert.ok(texts.some((t) => t.startsWith('Kontrollera: roll')), texts.join(' | '));
    assert.ok(cardActions((res.body as InvokeBody).value).some((a) => a.verb === 'form.submit' && a.data?.formId === formId), 'the same form can be corrected');
  });

  it('explains a refusal from the rules (role that cannot exist in the unit) and offers the form again', async () => {
    const conv = bot.channel.conversationOf(olle);
    const formId = lastFormId(bot, conv);
    const before = bot.connector.to(conv).length;
    await bot.post(bot.channel.execute(olle, 'form.submit', { formId, action: 'add', personId: olle.id, role: 'workGuidanceOfficer', unit: 'sf-centrum' }));
    await bot.connector.waitFor(() => bot.connector.to(conv).length >= before + 2);
    const sent = bot.connector.to(conv).slice(before);
    assert.ok(sent.some((s) => s.activity.text?.includes('kan inte finnas på enheten SF Centrum')));
    assert.notEqual(lastFormId(bot, conv), formId, 'a fresh form was offered');
    assert.deepEqual((await bot.app.stores.staff.get(olle.id))?.value.roles, [{ role: 'admin', unit: 'city' }]);
  });

  it('does not show role management to anyone but an admin', async () => {
    const anna = demoPerson('Anna Andersson');
    await bot.post(bot.channel.message(anna, 'behörigheter'));
    const conv = bot.channel.conversationOf(anna);
    await bot.connector.waitFor(() => bot.connector.to(conv).length > 0);
    const card = bot.connector.to(conv)[0]!.activity.attachments?.[0]?.content;
    assert.ok(cardTexts(card).includes('Hej Anna Andersson!'), 'the menu, not the form');
    assert.ok(!cardActions(card).some((a) => a.verb === 'form.submit'));
  });

  it('answers an unknown verb and a malformed invoke with a clear card, never a 500', async () => {
    const unknown = await bot.post(bot.channel.execute(olle, 'no.such.verb', {}));
    assert.equal(unknown.status, 200);
    assert.ok(cardTexts((unknown.body as InvokeBody).value).includes('Okänd åtgärd'));
    const malformed = await bot.post({ ...bot.channel.execute(olle, 'x', {}), value: 'not an object' });
    assert.equal(malformed.status, 200);
    assert.ok(cardTexts((malformed.body as InvokeBody).value).includes('Okänd åtgärd'));
  });
});

describe('malformed bodies on /api/messages', () => {
  let bot: RunningBot;
  before(async () => {
    bot = await startBot();
  });
  after(async () => bot.stop());

  const bodies: Array<[string, unknown]> = [
    ['not JSON', '{"type": "message",'],
    ['a JSON array', '[1,2,3]'],
    ['an empty object', {}],
    ['no conversation', { type: 'message', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', from: { id: 'x' }, text: 'hej' }],
    ['a serviceUrl that is not http(s)', { type: 'message', channelId: 'msteams', serviceUrl: 'file:///etc/passwd', from: { id: 'x' }, conversation: { id: 'c' } }],
    ['an oversized text', { type: 'message', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', from: { id: 'x' }, conversation: { id: 'c' }, text: 'x'.repeat(30_000) }],
  ];
  for (const [what, body] of bodies) {
    it(`answers 400 to ${what}, and the server stays up`, async () => {
      const res = await bot.post(body);
      assert.equal(res.status, 400);
      const health = await fetch(`${bot.url}/healthz`);
      assert.equal(health.status, 200);
    });
  }

  it('names the missing field in the 400 answer', async () => {
    const res = await bot.post(bodies[3]![1]);
    assert.match(JSON.stringify(res.body), /conversation/);
  });
});

describe('restart in the middle of a dialog', () => {
  it('continues the dialog after the bot process is replaced (state in Table storage)', async () => {
    const olle = demoPerson('Olle Öberg');
    const first = await startBot();
    await first.post(first.channel.message(olle, 'behörigheter'));
    await first.connector.waitFor(() => first.connector.sent.length > 0);
    const formId = lastFormId(first, first.channel.conversationOf(olle));
    await first.stop();

    const second = await startBot({ prefix: first.prefix, seed: false });
    try {
      const res = await second.post(second.channel.execute(olle, 'form.submit', { formId, action: 'add', personId: '', newPersonId: '33333333-0000-0000-0000-000000000001', newPersonName: 'Tor Tegnér', role: 'careNeedsAssessor', unit: 'avo' }));
      assert.ok(cardTexts((res.body as InvokeBody).value).includes('Mottaget'));
      assert.deepEqual((await second.app.stores.staff.get('33333333-0000-0000-0000-000000000001'))?.value.roles, [{ role: 'careNeedsAssessor', unit: 'avo' }]);
    } finally {
      await second.stop();
    }
  });
});
