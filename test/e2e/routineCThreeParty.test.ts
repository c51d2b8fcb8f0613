import { strict as assert } from 'node:assert';
import { refusalText } from '../../locale';
import { sv } from '../../locale/sv';
import type { CActionKind } from '../../routines/c-kompetenscenter/rules';
import { refuse } from '../../routines/shared/refusal';
import type { StoredReferral } from '../../storage/referrals';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardTexts } from '../helpers/connector';
import { Chat, choose, openStep } from '../helpers/flow';
import { handOverCard as handOverCardOf } from '../helpers/routineC';

/**
 * Issue 17, routine C — the three-party meeting before a close not to self-sufficiency, through
 * /api/messages (seed 002, "Avslut av insats": KC books it; the social worker takes part): the
 * consultant books it a week ahead (time, place, interpreter), the social worker's card shows the
 * booking and carries "Trepartsmöte hållet"; a new booking reaches her again; the closing document
 * is refused until the meeting is recorded held, and accepted after.
 */



/** Opens routine C from the menu and presses the step matching `re`. */
const step = (c: Chat, re: RegExp) => openStep(c, 'C', re);

describe('routine C: the three-party meeting before a close is booked by KC and handed to the social worker (issue 17, through /api/messages)', () => {
  let bot: RunningBot;
  let anna: Chat, ivar: Chat;
  let now = new Date('2026-11-23T09:00:00Z');
  let referral: StoredReferral;

  const stored = async () => (await bot.app.stores.referrals.get(referral.referralId))!.value;

  const handOverCard = (c: Chat, from: number, kind: CActionKind) => handOverCardOf(bot, c, referral.referralId, from, kind);

  before(async () => {
    bot = await startBot({ clock: () => now });
    anna = new Chat(bot, demoPerson('Anna Andersson'));
    ivar = new Chat(bot, demoPerson('Ivar Ivarsson'));
    for (const c of [anna, ivar]) await c.say('hej');
    // To an ongoing effort, through the routine's step lists.
    await step(anna, /^new$/);
    await anna.submit({ reference: 'TR-TP-1', initials: 'AB', protectedIdentity: 'false', unemployed: 'yes', withinThreeYears: 'yes' });
    referral = (await bot.app.stores.referrals.open()).find((x) => x.socialWorkerId === anna.person.id)!;
    await anna.submit({ ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' });
    await choose(anna, /:consent$/);
    await anna.submit({ information: 'Behov och mål', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true', workPlanUpdatedOn: '2026-11-23' });
    await choose(anna, /:decide$/);
    await anna.submit({ decisionDate: '2026-11-23', communicated: 'true' });
    await choose(anna, /:assign$/);
    await anna.submit({ needs: 'Arbetslivserfarenhet', includes: 'Praktik', goals: 'Praktikplats\nSvenska B' });
    await ivar.execute('c.take', { referralId: referral.referralId });
    await step(anna, /:bookIntake$/);
    await anna.submit({ date: '2026-11-30', time: '10:00', place: 'KC Centrum', interpreter: '', clientTold: 'true' });
    now = new Date('2026-11-30T12:00:00Z');
    await step(anna, /:intakeHeld$/);
    await anna.submit({ attendedInPerson: 'true', requirementsExplained: 'true', firstFollowUp: '2027-03-01' });
    await step(ivar, /:execute$/);
    await ivar.submit({ startDate: '2026-11-30', executed: 'true' });
    assert.equal((await stored()).state, 'ongoing');
  });
  after(async () => bot.stop());

  it('the close announced not to self-sufficiency: the consultant\'s next step is to book the meeting', async () => {
    now = new Date('2026-12-01T09:00:00Z');
    await step(ivar, /:announceClose$/);
    const r = await ivar.submit({ selfSufficiency: 'no', reason: 'Långvarig sjukskrivning' });
    assert.equal((await stored()).state, 'closing');
    // The routine goes on for him at once: booking the meeting is among his steps.
    assert.ok(ivar.textsSince(r.before).some((t) => t.includes(sv.c.actions.bookThreePartyMeeting!)), ivar.textsSince(r.before).join(' | '));
    // The social worker's card, as before: she may record the meeting held.
    const { card, button } = await handOverCard(anna, 0, 'threePartyMeeting');
    assert.equal(button.title, sv.c.buttons.threePartyMeeting);
    // …and told that KC books the meeting first.
    assert.ok(cardTexts(card).some((x) => x.includes(sv.c.nextForOther(sv.c.actions.bookThreePartyMeeting!))), cardTexts(card).join(' | '));
  });

  it('KC books it a week ahead: the social worker\'s card shows the time, place and interpreter and carries "Trepartsmöte hållet"; a task on the meeting day', async () => {
    const from = anna.sent().length;
    await choose(ivar, /:bookThreePartyMeeting$/);
    const form = ivar.sent().at(-1)!.activity.attachments?.[0]?.content;
    assert.ok(cardTexts(form).includes(sv.c.forms.bookThreePartyMeeting!), cardTexts(form).join(' | '));
    // Not in the past.
    const past = await ivar.submit({ date: '2026-11-30', time: '10:00', place: 'KC Centrum, rum 3', interpreter: 'arabiska' });
    assert.ok(ivar.textsSince(past.before).some((t) => t.includes('2026-12-01')), ivar.textsSince(past.before).join(' | '));
    assert.equal((await stored()).closing!.threePartyBooking, undefined);
    const booked = await ivar.submit({ date: '2026-12-08', time: '10:00', place: 'KC Centrum, rum 3', interpreter: 'arabiska' });
    assert.ok(ivar.textsSince(booked.before).some((t) => t.includes(sv.c.done['c.bookThreePartyMeeting']!)), ivar.textsSince(booked.before).join(' | '));
    assert.ok(ivar.textsSince(booked.before).includes(sv.c.threePartyBooked('2026-12-08 10:00', 'KC Centrum, rum 3', 'arabiska')), 'the booking is in the status facts');
    const b = (await stored()).closing!.threePartyBooking!;
    assert.deepEqual({ at: b.at, place: b.place, interpreter: b.interpreter, byName: b.byName }, { at: '2026-12-08T10:00', place: 'KC Centrum, rum 3', interpreter: 'arabiska', byName: 'Ivar Ivarsson' });
    const { card, button } = await handOverCard(anna, from, 'threePartyMeeting');
    const texts = cardTexts(card);
    for (const expected of ['2026-12-08 10:00', 'KC Centrum, rum 3', 'arabiska', 'Ivar Ivarsson']) assert.ok(texts.includes(expected), `${expected} in ${texts.join(' | ')}`);
    assert.ok(texts.some((t) => t.includes(sv.c.done['c.bookThreePartyMeeting']!)), texts.join(' | '));
    assert.equal(button.title, 'Trepartsmöte hållet');
    const tasks = await bot.app.stores.tasks.openFor({ kind: 'person', personId: anna.person.id });
    assert.ok(tasks.some((t) => t.step === 'c.threePartyHeld' && t.dueDate === '2026-12-08'), JSON.stringify(tasks.map((t) => [t.step, t.dueDate])));
    const journal = (await bot.app.stores.journal.forCase(referral.caseId, 200)).filter((e) => e.step === 'c.bookThreePartyMeeting');
    assert.equal(journal.length, 1);
  });

  it('booked again before it is held: the new time reaches the social worker, the task moves, the journal says what it replaced', async () => {
    const from = anna.sent().length;
    await step(ivar, /:bookThreePartyMeeting$/);
    await ivar.submit({ date: '2026-12-09', time: '13:30', place: 'KC Centrum, rum 3', interpreter: 'arabiska' });
    assert.equal((await stored()).closing!.threePartyBooking!.at, '2026-12-09T13:30');
    const { card } = await handOverCard(anna, from, 'threePartyMeeting');
    assert.ok(cardTexts(card).includes('2026-12-09 13:30'), cardTexts(card).join(' | '));
    const tasks = await bot.app.stores.tasks.openFor({ kind: 'person', personId: anna.person.id });
    assert.deepEqual(tasks.filter((t) => t.step === 'c.threePartyHeld').map((t) => t.dueDate), ['2026-12-09']);
    const journal = (await bot.app.stores.journal.forCase(referral.caseId, 200)).filter((e) => e.step === 'c.bookThreePartyMeeting');
    assert.equal(journal.length, 2);
    assert.ok(JSON.stringify(journal.map((e) => e.details)).includes('2026-12-08T10:00'), 'the new booking says which one it replaced');
  });

  it('the closing document is refused before the meeting is held, and accepted after "Trepartsmöte hållet"', async () => {
    now = new Date('2026-12-09T14:30:00Z');
    await step(ivar, /:closingDocument$/);
    const early = await ivar.submit({ endDate: '2026-12-09', why: 'Sjukskrivning', goal0: 'partlyMet', goal1: 'notMet' });
    assert.ok(ivar.textsSince(early.before).includes(refusalText(sv, refuse('threePartyMeetingFirst'))), ivar.textsSince(early.before).join(' | '));
    assert.equal((await stored()).closing!.document, undefined);
    // The social worker presses "Trepartsmöte hållet" on her card: its form opens; the meeting is recorded held.
    const { button } = await handOverCard(anna, 0, 'threePartyMeeting');
    const iFrom = ivar.sent().length;
    await anna.pick(button.data!);
    const future = await anna.submit({ date: '2026-12-10' });
    assert.ok(anna.textsSince(future.before).includes(refusalText(sv, refuse('dateInFuture'))), anna.textsSince(future.before).join(' | '));
    await anna.submit({ date: '2026-12-09' });
    assert.equal((await stored()).closing!.threePartyMeetingOn, '2026-12-09');
    const tasks = await bot.app.stores.tasks.openFor({ kind: 'person', personId: anna.person.id });
    assert.ok(!tasks.some((t) => t.step === 'c.threePartyHeld'), 'the task is closed');
    // The consultant is handed the closing document, which is now accepted.
    const next = await handOverCard(ivar, iFrom, 'closingDocument');
    await ivar.pick(next.button.data!);
    await ivar.submit({ endDate: '2026-12-09', why: 'Sjukskrivning', goal0: 'partlyMet', goal1: 'notMet' });
    const r = await stored();
    assert.ok(r.closing!.document, 'the closing document is accepted');
    assert.equal(r.closing!.threePartyBooking!.at, '2026-12-09T13:30', 'the booking stays on the record');
  });
});
