import { strict as assert } from 'node:assert';
import { PlaygroundChat } from './helpers/playgroundChat';
import { daysAgo, daysAhead, SHOTS, walkthrough } from './helpers/walkthrough';

/**
 * docs/walkthroughs.md's "Try routine C", in the Agents Playground in headless Chromium: Anna Andersson
 * (socialsekreterare, SF Centrum) takes a referral from the criteria to the assignment; Ivar
 * Ivarsson (arbetsmarknadskonsulent, Kompetenscenter), in a Playground of his own, takes it, and
 * Anna books the intake meeting he is told about.
 */
const REFERENCE = 'TR-2026-0042';
const LABEL = `${REFERENCE} (AB)`;

describe('docs/walkthroughs.md: routine C in the Agents Playground (headless Chromium)', function () {
  this.timeout(90_000);
  const w = walkthrough(['Anna Andersson', 'Ivar Ivarsson']);
  let anna: PlaygroundChat;
  let ivar: PlaygroundChat;

  /** The routine's step card offered right after the previous step: presses `step` on it. */
  async function next(step: string): Promise<void> {
    const choices = await anna.card(`${LABEL}: ${step}`);
    await anna.press(choices, `${LABEL}: ${step}`);
  }

  it('step 1–2: Ivar Ivarsson opens his chat first; Anna Andersson types kompetenscenter and presses Ny anvisning', async () => {
    ivar = await w.open('Ivar Ivarsson');
    anna = await w.open('Anna Andersson');
    const actions = await anna.newCard('Anvisning till Kompetenscenter', () => anna.say('kompetenscenter'));
    await anna.press(actions, 'Ny anvisning – pröva kriterierna');
    await anna.card('Ny anvisning: vägledande kriterier');
  });

  it('step 2: the case and the two guiding criteria; the AF checklist follows', async () => {
    const card = await anna.card('Ny anvisning: vägledande kriterier');
    await anna.fill(card, /Ärendereferens/, REFERENCE);
    await anna.fill(card, /Initialer/, 'AB');
    await anna.answer(card, /Är klienten arbetslös på hel- eller deltid/, 'Ja');
    await anna.answer(card, /Beräknas klienten komma i arbete eller reguljära studier inom tre år/, 'Ja');
    await anna.press(card, 'Skicka');
    await anna.card(`Anvisningen ${LABEL} är påbörjad. Nästa steg: samråd med Arbetsförmedlingen.`);
    await anna.card('Samråd med Arbetsförmedlingen (alltid före beslut)');
  });

  it('step 3: steps (1) and (2) dated, no AF measure, and the date the forms were sent to AF (3)', async () => {
    const card = await anna.card('Samråd med Arbetsförmedlingen (alltid före beslut)');
    await anna.date(card, /\(1\) Datum: information hämtad från SSBTEK/, daysAgo(3));
    await anna.date(card, /\(2\) Datum: sökande tillfrågad/, daysAgo(3));
    await anna.answer(card, /Har sökande en pågående eller planerad insats via Arbetsförmedlingen\?/, 'Nej – ingen pågående eller planerad insats');
    await anna.date(card, /\(3\) Datum: samtyckesblankett/, daysAgo(2));
    await anna.screenshot(SHOTS, 'c1-af', card);
    await anna.press(card, 'Skicka');
    const done = await anna.card(/Klart: samråd med Arbetsförmedlingen registrerat/);
    assert.match(await done.innerText(), /Dokumentera samrådet i Treserva/);
  });

  it('step 4: consent to KC and the work plan date, then the decision: the bot sets the expiry one year later', async () => {
    await next('Samtycke till KC och arbetsplan');
    const consent = await anna.card('Samtycke till Kompetenscenter');
    await anna.fill(consent, /Vilka uppgifter får lämnas till KC/, 'Behov, mål och närvaro');
    await anna.pickRadio(consent, 'Vid möte');
    await anna.tick(consent, /Klienten har fått veta att samtycket kan återkallas och hur/);
    await anna.press(consent, 'Skicka');
    await anna.card(/Klart: samtycke till KC och uppdaterad arbetsplan registrerat/);

    await next('Beslut enligt 12 kap 4 § SoL');
    const decision = await anna.card('Beslut enligt 12 kap 4 § SoL (ett år)');
    const today = daysAgo(0);
    await anna.date(decision, 'Beslutsdatum', today);
    await anna.tick(decision, /Beslutet är kommunicerat till klienten/);
    await anna.press(decision, 'Skicka');
    const done = await anna.card(/Klart: beslut enligt 12 kap 4 § SoL fattat/);
    const [y, m, d] = today.split('-');
    const expiry = `${Number(y) + 1}-${m}-${m === '02' && d === '29' ? '28' : d}`;
    assert.match(await done.innerText(), new RegExp(`Beslutet gäller till ${expiry}\\.`));
  });

  it('step 4: the assignment (needs, what it includes, one goal per line) goes to every KC consultant', async () => {
    await next('Skriv uppdraget och anvisa till KC');
    const card = await anna.card('Uppdrag till Kompetenscenter');
    await anna.fill(card, /Den enskildes behov/, 'Arbetslivserfarenhet och svenska');
    await anna.fill(card, /Vad som ingår i uppdraget/, 'Praktik och studiestöd');
    await anna.fill(card, /Mål för insatsen/, 'Praktikplats\nSvenska B');
    await anna.press(card, 'Skicka');
    await anna.card(/Klart: uppdraget är skrivet och anvisat till Kompetenscenter/);
    const assignment = await ivar.card(LABEL);
    const text = await assignment.innerText();
    for (const expected of ['Arbetslivserfarenhet och svenska', 'Praktik och studiestöd']) assert.ok(text.includes(expected), `${expected} in ${text}`);
    assert.match(text, /• Praktikplats\n+• Svenska B/, 'one goal per line');
    assert.ok(await assignment.getByRole('button', { name: 'Ta uppdraget' }).isVisible());
    await ivar.screenshot(SHOTS, 'c2-assignment', assignment);
  });

  it('step 5: Ivar presses Ta uppdraget; Anna is told her next step is to book the intake meeting', async () => {
    const assignment = await ivar.card(LABEL);
    await ivar.press(assignment, 'Ta uppdraget');
    const taken = await ivar.card(/Uppdraget togs av Ivar Ivarsson/);
    assert.equal(await taken.getByRole('button', { name: 'Ta uppdraget' }).count(), 0, 'no button left');
    await anna.card(/Ditt nästa steg: Boka inskrivningsmöte/);
  });

  it('step 5: Anna books the intake from the card that handed it to her (date, time, place, interpreter, client told); Ivar gets the time and place', async () => {
    // Issue 17: the hand-over card carries the next step; pressing it opens the booking form at once.
    const handOver = await anna.card(/Ditt nästa steg: Boka inskrivningsmöte/);
    const card = await anna.newCard('Boka inskrivningsmöte (trepartssamtal på plats)', () => anna.press(handOver, 'Boka inskrivningsmöte'));
    const day = daysAhead(7);
    await anna.date(card, /^Datum/, day);
    await anna.time(card, /^Tid/, '10:00');
    await anna.fill(card, /^Plats/, 'KC Centrum');
    await anna.fill(card, /Tolk behövs/, 'arabiska');
    await anna.tick(card, /Klienten har fått tid och plats/);
    await anna.press(card, 'Skicka');
    await anna.card(/Klart: inskrivningsmöte bokat/);
    const notice = await ivar.card(/inskrivningsmöte bokat/);
    const text = await notice.innerText();
    for (const expected of [`${day} 10:00`, 'KC Centrum', 'arabiska']) assert.ok(text.includes(expected), `${expected} in ${text}`);
    await ivar.screenshot(SHOTS, 'c3-intake', notice);
  });

  it("step 5: Ivar confirms on that card that he has gone through the assignment; his card changes, and Anna's next card carries the meeting's outcomes", async () => {
    const notice = await ivar.card(/inskrivningsmöte bokat/);
    await ivar.press(notice, 'Bekräfta: uppdraget genomgånget');
    const done = await ivar.card(/Klart: har gått igenom uppdraget/);
    assert.equal(await done.getByRole('button', { name: 'Bekräfta: uppdraget genomgånget' }).count(), 0, 'no button left');
    const next = await anna.card(/har gått igenom uppdraget/);
    for (const button of ['Inskrivningsmötet är hållet', 'Klienten missade mötet']) assert.ok(await next.getByRole('button', { name: button }).isVisible(), button);
  });
});
