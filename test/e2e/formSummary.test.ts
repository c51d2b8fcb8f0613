import { strict as assert } from 'node:assert';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { texts } from '../../locale';

const sv = texts('sv-SE');
const en = texts('en-US');
type InvokeBody = { value: Record<string, unknown> };

/** The text right after `label` in a card's texts: a field's value below its label. */
function valueOf(shown: string[], label: string): string | undefined {
  const i = shown.indexOf(label);
  return i < 0 ? undefined : shown[i + 1];
}

/** The title of the choice with this value in the newest form sent to the chat. */
function choiceTitle(chat: Chat, inputId: string, value: string): string {
  for (const s of [...chat.sent()].reverse()) {
    let found: string | undefined;
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (o.type === 'Input.ChoiceSet' && o.id === inputId) found ??= (o.choices as Array<{ title: string; value: string }>).find((c) => c.value === value)?.title;
        Object.values(o).forEach(walk);
      }
    };
    walk(s.activity.attachments?.[0]?.content);
    if (found) return found;
  }
  throw new Error(`no choice ${inputId}=${value}`);
}

describe('a sent form is answered by a read-only summary of what was entered (issue 17)', () => {
  let bot: RunningBot;
  let bertil: Chat, hanna: Chat;
  const now = new Date('2026-11-23T09:00:00Z');

  before(async () => {
    bot = await startBot({ clock: () => now });
    bertil = new Chat(bot, demoPerson('Bertil Berg'));
    hanna = new Chat(bot, demoPerson('Hanna Holm'));
    for (const c of [bertil, hanna]) await c.say('hej');
  });
  after(async () => bot.stop());

  it('A, the join form: the form title, each value by its label (the provider by its name, the toggle as Ja), who sent it and when', async () => {
    await bertil.pick({ menu: 'A' });
    const menu = await bertil.submit({ action: 'join' });
    assert.equal(menu.texts[0], sv.cardReceivedTitle);
    assert.equal(valueOf(menu.texts, sv.formSummary.chosen), sv.a.actions.join, menu.texts.join(' | '));
    const provider = choiceTitle(bertil, 'providerId', 'solrosen');
    const r = await bertil.submit({ reference: 'TR-2026-0701', initials: 'QX', protectedIdentity: 'true', providerId: 'solrosen', requestDate: '2026-11-20' });
    assert.equal(r.texts[0], 'Mottaget', r.texts.join(' | '));
    assert.ok(r.texts.includes(sv.a.joinTitle), r.texts.join(' | '));
    assert.equal(valueOf(r.texts, sv.a.reference), 'TR-2026-0701');
    assert.equal(valueOf(r.texts, sv.a.initials), 'QX');
    assert.equal(valueOf(r.texts, sv.a.protectedIdentity), 'Ja');
    assert.equal(valueOf(r.texts, sv.a.provider), provider);
    assert.ok(provider.startsWith('Solrosen'), provider);
    assert.equal(valueOf(r.texts, sv.a.requestDate), '2026-11-20');
    assert.equal(r.texts.at(-1), sv.cardReceived('Bertil Berg', '2026-11-23 10:00'));
    assert.ok(!JSON.stringify(r.card).includes('solrosen"') && !JSON.stringify(r.card).includes('Input.'), 'no choice values, no inputs: read-only');
    assert.equal(cardActions(r.card).length, 0, 'no buttons');
    // The dialog goes on: the consent form (step 2) follows as its own message.
    assert.ok(bertil.textsSince(r.before).includes(sv.a.consentTitle), bertil.textsSince(r.before).join(' | '));
    // A "Nej" to the consent is read back too, and answered as a valid answer.
    const c = await bertil.submit({ consent: 'no', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'false' });
    assert.equal(valueOf(c.texts, sv.a.consentGiven), sv.a.no, c.texts.join(' | '));
    assert.ok(bertil.textsSince(c.before).includes(sv.a.noConsentTitle) && !bertil.textsSince(c.before).includes(sv.errorTitle));
  });

  it('B, the registration: dates as entered, the provider and the yes/no choice by their titles, empty fields left out', async () => {
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: 'new' });
    const provider = choiceTitle(hanna, 'providerId', 'hemtjanst-vast');
    const r = await hanna.submit({ reference: 'ÄVO-2026-701', initials: 'kl', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-10-20', executionDate: '2026-11-02', grantedHours: '12.5', previousPlan: 'never', lastPlanDate: '' });
    assert.ok(r.texts.includes('Mottaget') && r.texts.includes(sv.b.registerTitle), r.texts.join(' | '));
    assert.equal(valueOf(r.texts, sv.a.reference), 'ÄVO-2026-701');
    assert.equal(valueOf(r.texts, sv.a.protectedIdentity), 'Nej');
    assert.equal(valueOf(r.texts, sv.b.provider), provider);
    assert.equal(valueOf(r.texts, sv.b.decisionDate), '2026-10-20');
    assert.equal(valueOf(r.texts, sv.b.executionDate), '2026-11-02');
    assert.equal(valueOf(r.texts, sv.b.grantedHours), '12.5');
    assert.equal(valueOf(r.texts, sv.b.previousPlan), sv.b.never);
    assert.ok(!r.texts.includes(sv.b.lastPlanDate), 'the empty date is left out');
    assert.ok(r.texts.at(-1)!.startsWith('Skickat av Hanna Holm'), r.texts.join(' | '));
    assert.ok(hanna.textsSince(r.before).some((t) => t.includes('är registrerat')), 'the registration went on');
  });

  it('in English (the Teams client in English): Received, the English labels, Yes/No, Sent by', async () => {
    const post = async (activity: unknown) => {
      const res = await bot.post(activity);
      assert.equal(res.status, 200);
      return res;
    };
    const hannaP = demoPerson('Hanna Holm');
    await post(bot.channel.submit(hannaP, { menu: 'B' }, 'en-US'));
    await post(bot.channel.execute(hannaP, 'form.submit', { formId: hanna.lastFormId(), action: 'new' }, 'en-US'));
    const res = await post(
      bot.channel.execute(hannaP, 'form.submit', { formId: hanna.lastFormId(), reference: 'ÄVO-2026-702', initials: 'mn', protectedIdentity: 'true', providerId: 'hemtjanst-vast', decisionDate: '2026-10-21', executionDate: '2026-11-03', grantedHours: '8', previousPlan: 'earlier', lastPlanDate: '2025-06-01' }, 'en-US'),
    );
    const shown = cardTexts((res.body as InvokeBody).value);
    assert.equal(shown[0], en.cardReceivedTitle, shown.join(' | '));
    assert.ok(shown.includes(en.b.registerTitle));
    assert.equal(valueOf(shown, en.a.protectedIdentity), 'Yes');
    assert.equal(valueOf(shown, en.b.previousPlan), en.b.earlier);
    assert.equal(valueOf(shown, en.b.lastPlanDate), '2025-06-01');
    assert.ok(shown.at(-1)!.startsWith('Sent by Hanna Holm at'), shown.join(' | '));
  });
});
