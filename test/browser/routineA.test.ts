import { strict as assert } from 'node:assert';
import { PlaygroundChat } from './helpers/playgroundChat';
import { SHOTS, walkthrough } from './helpers/walkthrough';

/**
 * docs/walkthroughs.md's "Try routine A", step by step, in the Agents Playground in headless Chromium, started
 * the way `npm start` starts it (Azurite + demo data + the bot + the Playground, Swedish answers).
 * Bertil Berg (work guidance officer) chats in one Playground; David Dahl (Solrosen's contact)
 * in a second one, as `npm run playground -- "David Dahl"` starts it, to see the provider's card.
 * Screenshots go to test-results/browser (E2E_SCREENSHOT_DIR=docs/images refreshes those of docs/walkthroughs.md).
 */
const REFERENCE = 'TR-2026-0001';
const REFUSED_REFERENCE = 'TR-2026-0002';

describe('docs/walkthroughs.md: routine A in the Agents Playground (headless Chromium)', function () {
  this.timeout(90_000);
  const w = walkthrough(['Bertil Berg', 'David Dahl'], { firstIsDefaultUser: true });
  let bertil: PlaygroundChat;
  let david: PlaygroundChat;

  it('David Dahl opens his chat first, so the bot knows where to reach him: the menu greets him by name', async () => {
    david = await w.open('David Dahl');
    const menu = await david.card('Hej David Dahl!');
    assert.match(await menu.innerText(), /Väntelista daglig verksamhet \(LSS\)/);
  });

  it('step 1 of "Chat with it locally": Bertil Berg gets the menu with routine A, Mina uppgifter and Hjälp', async () => {
    bertil = await w.open('Bertil Berg');
    await bertil.say('meny');
    const menu = await bertil.card('Hej Bertil Berg!');
    const text = await menu.innerText();
    assert.match(text, /Väntelista daglig verksamhet \(LSS\)/);
    for (const button of ['Öppna', 'Mina uppgifter', 'Hjälp']) assert.ok(await menu.getByRole('button', { name: button, exact: true }).isVisible(), `${button} is on the menu`);
    await bertil.screenshot(SHOTS, 'a1-menu', menu);
  });

  it('Öppna lists what a work guidance officer may do; choosing Majornas says no queue is needed', async () => {
    await bertil.press(await bertil.card('Hej Bertil Berg!'), 'Öppna');
    const actions = await bertil.card('Ställ en person i kö hos en utförare');
    assert.match(await actions.innerText(), /Registrera att en plats upphör/);
    await bertil.screenshot(SHOTS, 'a1-actions', actions);
    await bertil.press(actions, /Ställ en person i kö hos en utförare/);
    const join = await bertil.card('Ställ i kö – välj utförare');
    await bertil.fill(join, /Ärendereferens/, 'TR-2026-0009');
    await bertil.fill(join, /Initialer/, 'MN');
    await bertil.choose(join, /Utförare/, /Majornas/);
    await bertil.press(join, 'Skicka');
    const answer = await bertil.botMessage(/Majornas dagliga verksamhet har ledig plats utan kö och är valbar/);
    assert.match(await answer.innerText(), /Ingen kö behövs/);
  });

  it('step 2–3: a case for Solrosen brings the consent card (step 1: what to tell, step 2: consent)', async () => {
    await bertil.say('meny');
    await bertil.press(await bertil.card('Hej Bertil Berg!'), 'Öppna');
    await bertil.press(await bertil.card('Ställ en person i kö hos en utförare'), /Ställ en person i kö hos en utförare/);
    const join = await bertil.card('Ställ i kö – välj utförare');
    await bertil.fill(join, /Ärendereferens/, REFUSED_REFERENCE);
    await bertil.fill(join, /Initialer/, 'ÅÖ');
    await bertil.choose(join, /Utförare/, /Solrosen/);
    await bertil.screenshot(SHOTS, 'a2-join', join);
    await bertil.press(join, 'Skicka');
    const consent = await bertil.card('Samtycke till att informera utföraren');
    const text = await consent.innerText();
    assert.match(text, /Steg 1\. Informera personen: Solrosen Daglig Verksamhet AB är inte valbar just nu/);
    assert.match(text, /Samtycker personen\?/);
    assert.match(text, /Personen har fått veta att samtycket kan återkallas och hur/);
  });

  it('answering Nej sends nothing and registers nobody', async () => {
    const consent = await bertil.card('Samtycke till att informera utföraren');
    await bertil.pickRadio(consent, 'Nej');
    await bertil.press(consent, 'Skicka');
    await bertil.botMessage(/Utan samtycke skickas inget till utföraren och personen registreras inte i kön/);
  });

  it('answering Ja records the consent, puts the person in the queue and tells the position', async () => {
    await bertil.say('meny');
    await bertil.press(await bertil.card('Hej Bertil Berg!'), 'Öppna');
    await bertil.press(await bertil.card('Ställ en person i kö hos en utförare'), /Ställ en person i kö hos en utförare/);
    const join = await bertil.card('Ställ i kö – välj utförare');
    await bertil.fill(join, /Ärendereferens/, REFERENCE);
    await bertil.fill(join, /Initialer/, 'ÅÖ');
    await bertil.choose(join, /Utförare/, /Solrosen/);
    await bertil.press(join, 'Skicka');
    const consent = await bertil.card('Samtycke till att informera utföraren');
    await bertil.pickRadio(consent, 'Ja');
    await bertil.tick(consent, /samtycket kan återkallas/);
    await bertil.screenshot(SHOTS, 'a3-consent', consent);
    await bertil.press(consent, 'Skicka');
    const answer = await bertil.botMessage(/står i kö hos Solrosen Daglig Verksamhet AB/);
    const text = (await answer.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /på plats 1\b/, 'the first in the queue (Solrosen has no queue in the demo data)');
    assert.match(text, /Steg 5\. Dokumentera i personens journal i Treserva/);
    await bertil.screenshot(SHOTS, 'a4-position', answer);
  });

  it("David Dahl's chat shows Solrosen's card: the case reference and position only, never the initials", async () => {
    const card = await david.card(REFERENCE);
    const text = await card.innerText();
    assert.match(text, /Ny person i er kö/);
    assert.match(text, /Plats i kön\s+1/);
    assert.doesNotMatch(text, /ÅÖ/, 'the provider never sees initials');
    const cards = await david.page.locator('.ac-adaptiveCard').allInnerTexts();
    assert.equal(cards.filter((c) => c.includes(REFUSED_REFERENCE)).length, 0, 'no card for the case without consent');
    await david.screenshot(SHOTS, 'a5-provider', card);
  });
});
