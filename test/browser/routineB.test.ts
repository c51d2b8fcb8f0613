import { strict as assert } from 'node:assert';
import { PlaygroundChat } from './helpers/playgroundChat';
import { daysAgo, SHOTS, walkthrough } from './helpers/walkthrough';

/**
 * docs/walkthroughs.md's "Try routine B", step by step, in the Agents Playground in headless Chromium: Hanna Holm
 * (care-needs assessor, ÄVO) registers and reviews; Rut Rask (Hemtjänst Väst AB's contact) and Maria
 * Mattsson (finance administrator, ÄVO) each in a Playground of their own, opened first so the bot
 * can reach them.
 */
const REFERENCE = 'ÄVO-2026-114';
const FAILED = [3, 6];

describe('docs/walkthroughs.md: routine B in the Agents Playground (headless Chromium)', function () {
  this.timeout(90_000);
  const w = walkthrough(['Hanna Holm', 'Rut Rask', 'Maria Mattsson']);
  let hanna: PlaygroundChat;
  let rut: PlaygroundChat;
  let maria: PlaygroundChat;

  it('step 1: Rut Rask and Maria Mattsson open their chats first; Hanna Holm types genomförandeplan and chooses Registrera ärende för uppföljning', async () => {
    [rut, maria] = await Promise.all([w.open('Rut Rask'), w.open('Maria Mattsson')]);
    hanna = await w.open('Hanna Holm');
    const actions = await hanna.newCard('Vad vill du göra?', () => hanna.say('genomförandeplan'));
    for (const button of ['Registrera ärende för uppföljning', 'Mina planuppföljningar']) assert.ok(await actions.getByRole('button', { name: button }).isVisible(), button);
    await hanna.press(actions, 'Registrera ärende för uppföljning');
  });

  it('step 2: an execution date before the decision is refused, and the card comes back with what was entered', async () => {
    const card = await hanna.card('Registrera hemtjänstärende för uppföljning');
    await hanna.fill(card, /Ärendereferens/, REFERENCE);
    await hanna.fill(card, /Initialer/, 'KL');
    await hanna.choose(card, /Utförare/, /Hemtjänst Väst AB/);
    await hanna.date(card, 'Beslutsdatum', daysAgo(34));
    await hanna.date(card, /Verkställt/, daysAgo(40));
    await hanna.number(card, /Beviljade timmar per vecka/, '12.5');
    await hanna.pickRadio(card, 'Nej, aldrig');
    await hanna.press(card, 'Skicka');
    const again = await hanna.card('kan inte ligga före beslutsdatumet');
    assert.equal(await again.getByRole('textbox', { name: /Ärendereferens/ }).inputValue(), REFERENCE, 'what was entered comes back');
  });

  it('with the dates right, the answer names both deadlines and that the person is a new client', async () => {
    const card = await hanna.card('kan inte ligga före beslutsdatumet');
    await hanna.date(card, /Verkställt/, daysAgo(21));
    await hanna.screenshot(SHOTS, 'b1-register', card);
    await hanna.press(card, 'Skicka');
    const answer = await hanna.card(`Ärendet ${REFERENCE} (KL) är registrerat`);
    const text = await answer.innerText();
    assert.match(text, /Värdighetsgarantin: planen ska vara gjord med den enskilde senast \d{4}-\d{2}-\d{2}/);
    assert.match(text, /Din uppföljning: senast \d{4}-\d{2}-\d{2}/);
    assert.match(text, /ny brukare hos utföraren/);
  });

  it('step 3: Mina planuppföljningar lists the case with days left', async () => {
    const actions = await hanna.newCard('Vad vill du göra?', () => hanna.say('genomförandeplan'));
    assert.ok(await actions.getByRole('button', { name: `Planen är inte upprättad: ${REFERENCE} (KL)` }).isVisible());
    await hanna.press(actions, 'Mina planuppföljningar');
    const list = await hanna.card('Väntar på plan');
    assert.match(await list.innerText(), new RegExp(`${REFERENCE} \\(KL\\)[\\s\\S]*Väntar på plan · uppföljning senast \\d{4}-\\d{2}-\\d{2} · \\d+ dagar kvar`));
  });

  it('step 4: Bedöm planen shows the seven questions; two answered Nej go to the provider', async () => {
    const actions = await hanna.newCard('Vad vill du göra?', () => hanna.say('genomförandeplan'));
    await hanna.press(actions, `Bedöm planen: ${REFERENCE} (KL)`);
    const review = await hanna.card(`Bedöm genomförandeplanen – ${REFERENCE} (KL)`);
    assert.equal(await review.getByRole('radiogroup').count(), 7, 'the seed\'s seven questions');
    assert.match(await review.innerText(), /Beviljad tid: 12,5 tim\/vecka/);
    for (let q = 1; q <= 7; q++) await hanna.answer(review, new RegExp(`^${q}\\. `), FAILED.includes(q) ? 'Nej' : 'Ja');
    await hanna.fill(review, /Kommentar till fråga 3/, 'Det framgår inte vad som är viktigt för den enskilde');
    await hanna.fill(review, /Kommentar till fråga 6/, 'Veckodagar saknas');
    await hanna.number(review, /Fördelad tid i planen/, '12.5');
    await hanna.screenshot(SHOTS, 'b2-review', review, review, 620, 'top');
    await hanna.press(review, 'Skicka');
    await hanna.card('Planen är inte fullständig (2 punkter)');
  });

  it("Rut Rask's chat shows the provider card with exactly those two points and comments, the reference and no initials", async () => {
    const card = await rut.card(`Genomförandeplanen behöver kompletteras – ärende ${REFERENCE}`);
    const text = await card.innerText();
    assert.match(text, /Kan du utläsa hur den enskilde alternativt legal företrädare varit delaktig och vad som är viktigt för den enskilde\?\s+Det framgår inte vad som är viktigt för den enskilde/);
    assert.match(text, /Beskrivs ”när” insatserna ska utföras – veckodagar, tidsangivelser, hur tiden är fördelad mellan insatserna\?\s+Veckodagar saknas/);
    // The question's number is markdown in the fact title: the Playground shows it as a numbered list item.
    const numbers = await card.locator('ol').evaluateAll((lists) => lists.map((l) => l.getAttribute('start') ?? '1'));
    assert.deepEqual(numbers, ['3', '6'], 'exactly the two failed points');
    for (const other of ['aktuell och daterad', 'Stämmer fördelad tid', '”vad” som ska utföras', 'mål/delmål', '”hur” insatserna']) assert.ok(!text.includes(other), `${other} is not on the card`);
    assert.doesNotMatch(text, /\bKL\b/, 'never initials on a provider card');
    await rut.screenshot(SHOTS, 'b3-provider', card);
  });

  it('Rut presses Planen är reviderad; the card says who did it and Hanna is told', async () => {
    const card = await rut.card(`Genomförandeplanen behöver kompletteras – ärende ${REFERENCE}`);
    await rut.fill(card, /Kommentar till handläggaren/, 'Delaktighet och veckodagar tillagda');
    await rut.press(card, 'Planen är reviderad');
    await rut.card(/Markerad som reviderad av Rut Rask/);
    await hanna.botMessage(/Hemtjänst Väst AB \(Rut Rask\) har reviderat genomförandeplanen: ”Delaktighet och veckodagar tillagda”/);
  });

  it('step 5: Hanna reviews again with all Ja: säkerställd, Treserva, and Maria Mattsson gets the start-compensation card', async () => {
    const actions = await hanna.newCard('Vad vill du göra?', () => hanna.say('genomförandeplan'));
    await hanna.press(actions, `Bedöm den reviderade planen: ${REFERENCE} (KL)`);
    const review = await hanna.card(`Bedöm genomförandeplanen – ${REFERENCE} (KL) (omgång 2)`);
    assert.match(await review.innerText(), /Delaktighet och veckodagar tillagda/, "the provider's note is shown");
    for (let q = 1; q <= 7; q++) await hanna.answer(review, new RegExp(`^${q}\\. `), 'Ja');
    await hanna.number(review, /Fördelad tid i planen/, '12.5');
    await hanna.press(review, 'Skicka');
    const done = await hanna.card('säkerställd och bedömd som fullständig');
    const text = await done.innerText();
    assert.match(text, /registrera händelsen i Treserva/);
    assert.match(text, /startersättning, två timmar, som betalas i efterskott/);
    const finance = await maria.card('Startersättning för genomförandeplan');
    const ftext = await finance.innerText();
    assert.match(ftext, /Hemtjänst Väst AB ska ersättas motsvarande två timmar/);
    assert.match(ftext, new RegExp(`${REFERENCE} \\(KL\\)`), 'the finance administrator is in the same administration');
    assert.equal(await maria.page.locator('.ac-adaptiveCard').filter({ hasText: 'Startersättning för genomförandeplan' }).count(), 1, 'one card');
    await maria.screenshot(SHOTS, 'b4-compensation', finance);
  });
});
