import { strict as assert } from 'node:assert';
import { cFormFields, C_STEP_VERB, type CFormKind } from '../../cards/c-kompetenscenter/forms';
import { refusalText } from '../../locale';
import { en } from '../../locale/en';
import { sv } from '../../locale/sv';
import type { CActionKind } from '../../routines/c-kompetenscenter/rules';
import { refuse } from '../../routines/shared/refusal';
import type { StoredReferral } from '../../storage/referrals';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardActions, cardTexts } from '../helpers/connector';
import { Chat, choose, openStep } from '../helpers/flow';
import { handOverCard as handOverCardOf, type Button } from '../helpers/routineC';

/**
 * Issue 17, routine C — "the card that hands over carries the next step": every card that hands a
 * step of the referral to the other party carries the button of that party's next step. Through
 * /api/messages, for each hand-over card: the receiving party presses it and the step starts (its
 * form opens, or — a step without input — it is done on the card); the other party and someone
 * without a part in the referral pressing the same button are refused, and nothing changes; the
 * refusal to someone without a part is word for word the one for a referral that does not exist.
 */



/** Opens routine C from the menu and presses the step matching `re`. */
const step = (c: Chat, re: RegExp) => openStep(c, 'C', re);

/** The inputs of a card (the fields of a form). */
function inputIds(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') out.push(o.id);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe('routine C: the card that hands a step over carries the next step (issue 17, through /api/messages)', () => {
  let bot: RunningBot;
  let anna: Chat, ivar: Chat, petra: Chat;
  let now = new Date('2026-11-23T09:00:00Z');
  let referral: StoredReferral;
  const today = () => now.toISOString().slice(0, 10);

  const stored = async () => (await bot.app.stores.referrals.get(referral.referralId))!;

  const handOverCard = (c: Chat, from: number, kind: CActionKind) => handOverCardOf(bot, c, referral.referralId, from, kind);

  /** Presses a hand-over button as `c`: an Action.Submit is a message with its data, an Action.Execute an invoke. Returns what the person read. */
  async function press(c: Chat, button: Button, data: Record<string, unknown> = button.data ?? {}): Promise<{ texts: string[]; newCards: unknown[] }> {
    if (button.type === 'Action.Submit') {
      const before = await c.pick(data);
      return { texts: c.textsSince(before), newCards: c.sent().slice(before).map((s) => s.activity.attachments?.[0]?.content) };
    }
    assert.equal(button.type, 'Action.Execute');
    const r = await c.execute(button.verb!, data);
    return { texts: r.texts, newCards: [r.card] };
  }

  /**
   * The other party (unless the step is either party's: a disagreement resolved, the three-party
   * meeting) and someone without a part (Petra, a social worker of another administration) press
   * the button: refused, no form opens, nothing about the referral changes; Petra reads
   * exactly what she reads for a referral that does not exist, with nothing of the case in it.
   */
  async function othersAreRefused(button: Button, otherParty: Chat | undefined) {
    const before = await stored();
    if (otherParty) {
      const party = await press(otherParty, button);
      assert.ok(party.texts.includes(refusalText(sv, refuse('notAllowed'))), `${otherParty.person.name}: ${party.texts.join(' | ')}`);
      assert.ok(!party.newCards.some((card) => cardActions(card).some((a) => a.verb === 'form.submit' && inputIds(card).length > 0)), 'no form opens for the other party');
    }
    const outsider = await press(petra, button);
    const none = await press(petra, button, { ...button.data, referralId: 'no-such-referral' });
    assert.ok(outsider.texts.includes(refusalText(sv, refuse('notFoundOrNotAllowed'))), `Petra: ${outsider.texts.join(' | ')}`);
    assert.deepEqual(outsider.texts, none.texts, 'the same words whether or not the referral exists');
    for (const t of outsider.texts) for (const banned of ['TR-HO-1', 'Anna Andersson', 'Ivar Ivarsson']) assert.ok(!t.includes(banned), `nothing of the case in the refusal: ${t}`);
    const after = await stored();
    assert.equal(after.etag, before.etag, 'refused presses change nothing');
  }

  /** The receiver presses an "open the step" button: that step's form opens at once, with the step's fields. */
  async function opensForm(c: Chat, button: Button, kind: CFormKind) {
    const r = await press(c, button);
    const form = r.newCards.filter((card) => cardActions(card).some((a) => a.verb === 'form.submit')).at(-1);
    assert.ok(form, `${kind}: a form opened for ${c.person.name}: ${r.texts.join(' | ')}`);
    assert.ok(cardTexts(form).includes(sv.c.forms[kind]!), `${kind}: the form titled ${sv.c.forms[kind]} (${cardTexts(form).join(' | ')})`);
    assert.deepEqual(inputIds(form), cFormFields(kind, sv, (await stored()).value, today()).map((f) => f.id), `${kind}: the form's fields`);
  }

  before(async () => {
    bot = await startBot({ clock: () => now });
    anna = new Chat(bot, demoPerson('Anna Andersson'));
    ivar = new Chat(bot, demoPerson('Ivar Ivarsson'));
    petra = new Chat(bot, demoPerson('Petra Persson'));
    for (const c of [anna, ivar, petra]) await c.say('hej');
    // To the assignment at KC, through the routine's step list.
    await step(anna, /^new$/);
    await anna.submit({ reference: 'TR-HO-1', initials: 'AB', protectedIdentity: 'false', unemployed: 'yes', withinThreeYears: 'yes' });
    referral = (await bot.app.stores.referrals.open()).find((x) => x.socialWorkerId === anna.person.id)!;
    await anna.submit({ ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' });
    await choose(anna, /:consent$/);
    await anna.submit({ information: 'Behov och mål', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true', workPlanUpdatedOn: '2026-11-23' });
    await choose(anna, /:decide$/);
    await anna.submit({ decisionDate: '2026-11-23', communicated: 'true' });
    await choose(anna, /:assign$/);
    await anna.submit({ needs: 'Arbetslivserfarenhet', includes: 'Praktik', goals: 'Praktikplats\nSvenska B' });
  });
  after(async () => bot.stop());

  it('the assignment taken → the social worker: "book the intake meeting" opens its form', async () => {
    const from = anna.sent().length;
    await ivar.execute('c.take', { referralId: referral.referralId });
    const { card, button } = await handOverCard(anna, from, 'bookIntake');
    assert.equal(button.title, sv.c.buttons.bookIntake);
    assert.ok(cardActions(card).some((a) => a.type === 'Action.Submit' && a.data?.menu === 'C' && a.title === sv.c.open), 'the routine can still be opened');
    await othersAreRefused(button, ivar);
    await opensForm(anna, button, 'bookIntake');
    await anna.submit({ date: '2026-11-30', time: '10:00', place: 'KC Centrum', interpreter: 'arabiska', clientTold: 'true' });
    assert.equal((await stored()).value.state, 'intakeBooked');
  });

  it('the booked intake time → the consultant: "gone through the assignment" is done on the card itself', async () => {
    const { card, button } = await handOverCard(ivar, 0, 'prepared');
    assert.ok(cardTexts(card).includes('2026-11-30 10:00') && cardTexts(card).includes('KC Centrum'), 'the booking travels with its next step');
    assert.equal(button.verb, C_STEP_VERB);
    await othersAreRefused(button, anna);
    const from = anna.sent().length;
    const done = await press(ivar, button);
    assert.ok(done.texts.some((t) => t.includes(sv.c.done['c.prepared']!)), done.texts.join(' | '));
    assert.deepEqual(cardActions(done.newCards[0]), [], 'the pressed card keeps no button');
    assert.ok((await stored()).value.intake!.preparedAt, 'the step is taken');
    const tasks = await bot.app.stores.tasks.openFor({ kind: 'person', personId: ivar.person.id });
    assert.ok(!tasks.some((t) => t.step === 'c.prepareIntake'), 'its task is closed');
    // Pressed again: told who did it and when (not "steps in order"), done once.
    const again = await press(ivar, button);
    assert.ok(again.texts.some((t) => t.startsWith('Det här är redan gjort av Ivar Ivarsson')), again.texts.join(' | '));
    const journal = (await bot.app.stores.journal.forCase(referral.caseId, 200)).filter((e) => e.step === 'c.prepared');
    assert.equal(journal.length, 1);
    // …and the social worker is handed the next step in turn: the intake meeting held or missed.
    const next = await handOverCard(anna, from, 'intakeMissed');
    assert.ok(cardActions(next.card).some((a) => a.data?.step === 'intakeHeld'), 'both outcomes of the meeting are on the card');
  });

  it('the consultant prepared → the social worker: "the client missed the meeting" opens its form', async () => {
    now = new Date('2026-11-30T12:00:00Z');
    const { button } = await handOverCard(anna, 0, 'intakeMissed');
    await othersAreRefused(button, ivar);
    await opensForm(anna, button, 'intakeMissed');
    await anna.submit({ followedUpOn: '2026-11-30', newMeeting: 'yes', reason: '' });
    assert.equal((await stored()).value.state, 'intakeMissed');
  });

  it('a missed intake → the consultant: "give a new time" opens its form', async () => {
    const { button } = await handOverCard(ivar, 0, 'proposeTime');
    await othersAreRefused(button, anna);
    await opensForm(ivar, button, 'proposeTime');
    await ivar.submit({ date: '2026-12-07', time: '13:00', place: 'KC Centrum' });
    assert.equal((await stored()).value.state, 'newTimeProposed');
  });

  it('a new intake time → the social worker: "confirm the new time" opens its form', async () => {
    const { card, button } = await handOverCard(anna, 0, 'confirmNewTime');
    assert.ok(cardTexts(card).includes('2026-12-07 13:00'), 'the new time is on the card');
    await othersAreRefused(button, ivar);
    await opensForm(anna, button, 'confirmNewTime');
    await anna.submit({ clientTold: 'true' });
    assert.equal((await stored()).value.state, 'intakeBooked');
  });

  it('the new time booked → the consultant: "gone through the assignment" on the card, again', async () => {
    const { button } = await handOverCard(ivar, 0, 'prepared');
    await othersAreRefused(button, anna);
    const done = await press(ivar, button);
    assert.deepEqual(cardActions(done.newCards[0]), [], 'the pressed card keeps no button');
    assert.ok((await stored()).value.intake!.preparedAt);
  });

  it('the consultant prepared → the social worker: "the intake meeting is held" opens its form; the intake held → the consultant (in English): "execute the assignment"', async () => {
    now = new Date('2026-12-07T15:00:00Z');
    // The consultant's latest turn is in English: the card he gets next is written in English.
    assert.equal((await bot.post(bot.channel.message(ivar.person, 'hi', 'en-US'))).status, 200);
    const from = ivar.sent().length;
    const { button } = await handOverCard(anna, 0, 'intakeHeld');
    await othersAreRefused(button, ivar);
    await opensForm(anna, button, 'intakeHeld');
    await anna.submit({ attendedInPerson: 'true', requirementsExplained: 'true', firstFollowUp: '2027-03-01' });
    assert.equal((await stored()).value.state, 'intakeHeld');
    const next = await handOverCard(ivar, from, 'execute');
    assert.equal(next.button.title, en.c.buttons.execute);
    assert.ok(cardTexts(next.card).some((t) => t.includes('Your next step: ')), cardTexts(next.card).join(' | '));
    assert.ok(cardActions(next.card).some((a) => a.title === en.c.open));
    await othersAreRefused(next.button, anna);
    await opensForm(ivar, next.button, 'execute');
    await ivar.submit({ startDate: '2026-12-07', executed: 'true' });
    assert.equal((await stored()).value.state, 'ongoing');
  });

  it('the effort started → the social worker: her follow-up points; the follow-up agenda → the consultant: his points; then the next follow-up is called', async () => {
    const started = await handOverCard(anna, 0, 'followUpSf');
    now = new Date('2027-03-01T14:00:00Z');
    await othersAreRefused(started.button, ivar);
    const iFrom = ivar.sent().length;
    await opensForm(anna, started.button, 'followUpSf');
    await anna.submit({ checkedAgainstPlan: 'Följer planen', clientPerception: 'Nöjd med praktiken', complementaryNeeds: 'Inga' });
    // The follow-up agenda reaches the consultant with the button of his points.
    const agenda = await handOverCard(ivar, iFrom, 'followUpKc');
    assert.ok(cardTexts(agenda.card).includes('Nöjd med praktiken'), 'the agenda travels with its next step');
    await othersAreRefused(agenda.button, anna);
    const aFrom2 = anna.sent().length;
    await opensForm(ivar, agenda.button, 'followUpKc');
    await ivar.submit({ progress: 'God progression mot målen', furtherNeeds: 'Inga' });
    const r = (await stored()).value;
    assert.equal(r.followUps[0]!.kc!.progress, 'God progression mot målen');
    // Both points in: the social worker calls the next follow-up (every three months).
    const held = await handOverCard(anna, aFrom2, 'bookFollowUp');
    await othersAreRefused(held.button, ivar);
    await opensForm(anna, held.button, 'bookFollowUp');
  });

  it('a significant event from KC → the social worker: "call a follow-up" if needed; from SF → the consultant: "update the implementation plan" if needed', async () => {
    const aFrom = anna.sent().length;
    await step(ivar, /:event$/);
    await ivar.submit({ text: 'Deltagaren har bytt praktikplats' });
    const toSf = await handOverCard(anna, aFrom, 'bookFollowUp');
    assert.ok(cardTexts(toSf.card).includes('Deltagaren har bytt praktikplats'), 'the event travels with the step');
    assert.ok(cardTexts(toSf.card).some((t) => t.includes('Vid behov: Kalla till uppföljningsmöte.')), cardTexts(toSf.card).join(' | '));
    await othersAreRefused(toSf.button, ivar);
    await opensForm(anna, toSf.button, 'bookFollowUp');
    await anna.submit({ date: '2027-05-20' });
    assert.equal((await stored()).value.followUps.length, 2);
    const iFrom = ivar.sent().length;
    await step(anna, /:event$/);
    await anna.submit({ text: 'Klienten har fått en ny bostad, restid ändras' });
    const toKc = await handOverCard(ivar, iFrom, 'plan');
    assert.ok(cardTexts(toKc.card).includes('Klienten har fått en ny bostad, restid ändras'));
    await othersAreRefused(toKc.button, anna);
    await opensForm(ivar, toKc.button, 'plan');
    await ivar.submit({ date: '2027-03-01' });
    assert.deepEqual((await stored()).value.plans, ['2027-03-01']);
  });

  it('a disagreement → the other party: "record the resolution"; a renewal answered "close" → the consultant: "announce the close"', async () => {
    const aFrom = anna.sent().length;
    await step(ivar, /:disagreement$/);
    await ivar.submit({ question: 'Avslut eller fortsatt insats?' });
    const raised = await handOverCard(anna, aFrom, 'resolve');
    // Either party records the resolution: only someone without a part is refused.
    await othersAreRefused(raised.button, undefined);
    await opensForm(anna, raised.button, 'resolve');
    await anna.submit({ resolution: 'Insatsen avslutas' });
    const iFrom = ivar.sent().length;
    await step(anna, /:renew$/);
    await anna.submit({ answer: 'close', decisionDate: '', communicated: 'false' });
    const closing = await handOverCard(ivar, iFrom, 'announceClose');
    await othersAreRefused(closing.button, anna);
    await opensForm(ivar, closing.button, 'announceClose');
    await ivar.submit({ selfSufficiency: 'no', reason: 'Långvarig sjukskrivning' });
    assert.equal((await stored()).value.state, 'closing');
  });

  it('the closing notice → the social worker: "three-party meeting held"; → the consultant: the closing document', async () => {
    const { card, button } = await handOverCard(anna, 0, 'threePartyMeeting');
    assert.ok(cardTexts(card).includes('Långvarig sjukskrivning'));
    // Either party records the three-party meeting: only someone without a part is refused.
    await othersAreRefused(button, undefined);
    const iFrom = ivar.sent().length;
    await opensForm(anna, button, 'threePartyMeeting');
    await anna.submit({ date: today() });
    const next = await handOverCard(ivar, iFrom, 'closingDocument');
    await othersAreRefused(next.button, anna);
    await opensForm(ivar, next.button, 'closingDocument');
    await ivar.submit({ endDate: today(), why: 'Sjukskrivning', goal0: 'partlyMet', goal1: 'notMet' });
    assert.ok((await stored()).value.closing!.document);
  });

  it('the closing document → the social worker closes in Treserva on the card; → the consultant closes in GWA on the card; the referral is closed', async () => {
    const toSf = await handOverCard(anna, 0, 'treservaClosed');
    assert.equal(toSf.button.verb, C_STEP_VERB);
    await othersAreRefused(toSf.button, ivar);
    const iFrom = ivar.sent().length;
    const done = await press(anna, toSf.button);
    assert.ok(done.texts.some((t) => t.includes(sv.c.done['c.treservaClosed']!)), done.texts.join(' | '));
    assert.ok((await stored()).value.closing!.treservaClosedAt);
    const toKc = await handOverCard(ivar, iFrom, 'gwaClosed');
    await othersAreRefused(toKc.button, anna);
    const aFrom = anna.sent().length;
    const closed = await press(ivar, toKc.button);
    assert.ok(closed.texts.some((t) => t.includes(sv.c.done['c.gwaClosed']!)), closed.texts.join(' | '));
    assert.equal((await stored()).value.state, 'closed');
    // The referral is closed: the social worker's last card offers no step.
    await bot.connector.waitFor(() => anna.sent().length > aFrom);
    const last = anna.sent().at(-1)!.activity.attachments?.[0]?.content;
    assert.ok(cardTexts(last).some((t) => t.includes(sv.c.done['c.gwaClosed']!)), cardTexts(last).join(' | '));
    assert.ok(!cardActions(last).some((a) => a.data?.step), 'no step button on a closed referral');
  });
});
