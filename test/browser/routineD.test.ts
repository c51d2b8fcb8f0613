import { strict as assert } from 'node:assert';
import { PlaygroundChat } from './helpers/playgroundChat';
import { daysAhead, SHOTS, walkthrough } from './helpers/walkthrough';

/**
 * docs/walkthroughs.md's "Try routine D", in the Agents Playground in headless Chromium: Sofia Sandberg
 * (socialsekreterare, SF Nordost) starts a coordinated plan with FFS; Tomas Tell (1:e
 * socialsekreterare, FFS) answers the invitation and approves the plan in a Playground of his own.
 */
const REFERENCE = 'TR-SP-0001';

/** The initiator's status cards in a chat (one per plan version). */
const statusCards = (c: PlaygroundChat) => c.page.locator('.ac-adaptiveCard').filter({ hasText: `Status för samordnad plan: SP ${REFERENCE}` });
/** Waits until a status card holding `part` shows `text` (the card is updated in place) and returns it. */
async function statusCard(c: PlaygroundChat, part: string, text: RegExp) {
  const card = statusCards(c).filter({ hasText: part }).filter({ hasText: text }).last();
  await card.waitFor({ timeout: 20_000 });
  return card;
}

describe('docs/walkthroughs.md: routine D in the Agents Playground (headless Chromium)', function () {
  this.timeout(90_000);
  const w = walkthrough(['Sofia Sandberg', 'Tomas Tell']);
  let sofia: PlaygroundChat;
  let tomas: PlaygroundChat;

  it('step 1: Tomas Tell opens his chat first; Sofia Sandberg types samordnad plan and presses Starta en samordnad plan', async () => {
    tomas = await w.open('Tomas Tell');
    sofia = await w.open('Sofia Sandberg');
    const actions = await sofia.newCard('Vad vill du göra?', () => sofia.say('samordnad plan'));
    assert.match(await actions.innerText(), /Samordnad plan \(SP\)/);
    await sofia.press(actions, 'Starta en samordnad plan');
    const triage = await sofia.card('Först: finns akut oro?');
    assert.match(await triage.innerText(), /Orosanmälan tas emot av socialförvaltningarnas mottag för barn och unga/);
  });

  it('step 2: acute concern without Orosanmälan är gjord stops; ticked, the plan can start', async () => {
    let triage = await sofia.card('Först: finns akut oro?');
    await sofia.answer(triage, 'Finns akut oro?', 'Ja');
    triage = await sofia.newCard('Först: finns akut oro?', () => sofia.press(triage, 'Skicka'));
    await sofia.botMessage(/Vid akut oro ska en orosanmälan göras till socialförvaltningen omgående/);
    await sofia.answer(triage, 'Finns akut oro?', 'Ja');
    await sofia.tick(triage, 'Orosanmälan är gjord');
    await sofia.press(triage, 'Skicka');
    await sofia.card('Steg 1–2. Starta samordnad plan');
  });

  it('step 3: the other administrations, purpose, needs, questions, a proposed time and the meeting form', async () => {
    const start = await sofia.card('Steg 1–2. Starta samordnad plan');
    await sofia.tick(start, 'FFS (funktionsstöd)');
    await sofia.fill(start, /Syfte och varför samordning behövs/, 'Behov av boende och sysselsättning behöver samordnas');
    await sofia.fill(start, /Den enskildes aktuella behov/, 'Stöd i vardagen och daglig sysselsättning');
    await sofia.fill(start, /Frågor att arbeta vidare med/, 'Vem ansvarar för vad? Mål: en samlad plan');
    await sofia.fill(start, /Förslag på tidpunkt/, `${daysAhead(7)} kl 10`);
    await sofia.choose(start, 'Mötesform', 'Videomöte');
    await sofia.screenshot(SHOTS, 'd1-start', start, start, 700, 'top');
    await sofia.press(start, 'Skicka');
    await sofia.card('Steg 3. Samtycke');
  });

  it('step 4: consent (Ja) for FFS; the invitation goes out', async () => {
    const consent = await sofia.card('Steg 3. Samtycke');
    assert.match(await consent.innerText(), /Samtycker den enskilde till att uppgifter lämnas till FFS \(funktionsstöd\)\?/);
    await sofia.answer(consent, 'Samtycke', 'Ja');
    await sofia.fill(consent, /Ärendereferens/, REFERENCE);
    await sofia.fill(consent, /Initialer/, 'KL');
    await sofia.fill(consent, /Den enskildes namn/, 'Kalle Larsson');
    await sofia.fill(consent, /Vilka uppgifter får lämnas/, 'Behov och insatser');
    await sofia.tick(consent, /samtycket kan återkallas/);
    await sofia.press(consent, 'Skicka');
    const sent = await sofia.card('Kallelserna är skickade');
    assert.match(await sent.innerText(), /1 förvaltning\(ar\) har fått kallelsen/);
    // Issue 17: her status card of the invitation (updated in place below).
    const status = await sofia.card(`Status för samordnad plan: SP ${REFERENCE}`);
    assert.match(await status.innerText(), /FFS \(funktionsstöd\): inget svar än/);
  });

  it("step 5: Tomas Tell's chat shows the invitation; he accepts, and Sofia is told", async () => {
    const invitation = await tomas.card('Kallelse till SP-möte från SF Nordost');
    const text = await invitation.innerText();
    for (const expected of [REFERENCE, 'Stöd i vardagen och daglig sysselsättning', 'Behov av boende och sysselsättning behöver samordnas', 'Videomöte']) assert.ok(text.includes(expected), `${expected} in ${text}`);
    for (const button of ['Acceptera', 'Föreslå annan tid', 'Avböj']) assert.ok(await invitation.getByRole('button', { name: button }).isVisible(), button);
    await tomas.screenshot(SHOTS, 'd2-invitation', invitation);
    await tomas.press(invitation, 'Acceptera');
    const answered = await tomas.card(/Tomas Tell accepterade/);
    assert.equal(await answered.getByRole('button', { name: 'Acceptera' }).count(), 0, 'no buttons left');
    await sofia.botMessage(/FFS \(funktionsstöd\): Tomas Tell accepterade/);
    // The same status card in Sofia's chat now says who answered (an update of that activity, not a new message).
    await statusCard(sofia, 'Svar på kallelsen', /Tomas Tell accepterade/);
    assert.equal(await statusCards(sofia).count(), 1, 'one status card for the invitation');
  });

  it('step 6: Sofia documents the plan; Tomas gets the approval card and presses Godkänn', async () => {
    const actions = await sofia.newCard('Vad vill du göra?', () => sofia.say('samordnad plan'));
    await sofia.press(actions, /^Dokumentera planen: /);
    const plan = await sofia.card('Steg 4. Samordnad plan – version 1');
    await sofia.fill(plan, /^Deltagare/, 'SF Nordost, FFS');
    await sofia.fill(plan, /^Bakgrund/, 'Behov från två förvaltningar');
    await sofia.fill(plan, /aktuella behov/, 'Boende och sysselsättning');
    await sofia.fill(plan, /Överenskommet ansvar per förvaltning/, 'FFS: daglig verksamhet från nästa månad.');
    await sofia.date(plan, 'Datum för uppföljning', daysAhead(60));
    await sofia.fill(plan, /Hur den enskilde varit delaktig/, 'Deltog via företrädare');
    await sofia.press(plan, 'Skicka');
    await sofia.botMessage(/Planen är skickad för godkännande till 1 förvaltning\(ar\)/);
    const approval = await tomas.card('Godkänn samordnad plan från SF Nordost (version 1)');
    assert.match(await approval.innerText(), /FFS: daglig verksamhet från nästa månad\./);
    await tomas.press(approval, 'Godkänn');
    const decided = await tomas.card(/FFS \(funktionsstöd\): Tomas Tell godkände/);
    assert.equal(await decided.getByRole('button', { name: 'Godkänn' }).count(), 0, 'a decision replaces the card: no buttons left');
    await tomas.screenshot(SHOTS, 'd3-approved', decided);
  });

  it('step 7: every other administration has approved: Sofia is told the plan is established and to scan it into Treserva', async () => {
    const done = await sofia.botMessage('Planen är fastställd');
    assert.match(await done.innerText(), /Skanna in den i Treserva/);
    await sofia.screenshot(SHOTS, 'd4-established', done);
  });

  it("step 7: Sofia's status card of version 1 shows who approved, when, and that nothing is missing; the invitation's card says it is replaced", async () => {
    const v1 = await statusCard(sofia, 'Beslut om version 1', /Läge: Fastställd/);
    assert.match(await v1.innerText(), /FFS \(funktionsstöd\): Tomas Tell godkände/);
    assert.match(await v1.innerText(), /Inget saknas\./);
    await statusCard(sofia, 'Svar på kallelsen', /Ersatt av version 1/);
    await sofia.screenshot(SHOTS, 'd5-status', v1);
  });
});
