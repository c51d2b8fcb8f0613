import { strict as assert } from 'node:assert';
import { cFormFields, C_STEP_SUBMISSIONS } from '../../cards/c-kompetenscenter/forms';
import { sv } from '../../locale/sv';
import { ASSIGNED_REFERRAL } from '../helpers/routineC';
import { act, actionsFor, awaitedFromOther, dueActionsFor, dueSteps, handOverSteps, isPossible, type Actor, type CAction, type Referral } from '../../routines/c-kompetenscenter/rules';

/**
 * Issue 17, routine C — the three-party meeting before a close not to self-sufficiency (seed 002,
 * "Avslut av insats": "Om deltagaren ej avslutas till självförsörjning bokas ett trepartsmöte" under
 * Kompetenscenters ansvar; "Socialsekreteraren deltar på ett trepartsmöte …"): KC books it (time,
 * place, interpreter; not in the past; a new booking replaces it until it is held), the social
 * worker is handed it, it is recorded held (not in the future), and the closing document waits
 * for it.
 */
const sf: Actor = { id: 'anna', name: 'Anna', side: 'sf' };
const kc: Actor = { id: 'ivar', name: 'Ivar', side: 'kc' };
const now = new Date('2027-06-01T09:00:00Z');
const today = '2027-06-01';

const ongoing: Referral = {
  ...ASSIGNED_REFERRAL,
  state: 'ongoing',
  intake: { at: '2026-11-30T10:00', place: 'KC', interpreter: '', clientTold: true, viaCoordinator: false },
  intakes: [{ at: '2026-11-30T10:00', outcome: 'held' }],
  startDate: '2026-12-07',
  plans: ['2026-12-07'],
  followUps: [{ date: '2027-03-01', bookedAt: 'x', sf: { checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c', at: 'x' }, kc: { progress: 'p', furtherNeeds: 'f', at: 'x' } }],
};

const BOOK: CAction = { kind: 'bookThreePartyMeeting', at: '2027-06-08T10:00', place: 'KC Centrum', interpreter: 'arabiska' };
const DOC: CAction = { kind: 'closingDocument', endDate: today, why: 'Sjukskrivning', goals: ['partlyMet', 'notMet'] };

function step(r: Referral, actor: Actor, action: CAction, at = now, day = today) {
  const d = act(r, actor, action, at, day);
  assert.ok(d.ok, `${action.kind} refused: ${JSON.stringify(d)}`);
  return d.value;
}
function refused(r: Referral, actor: Actor, action: CAction, at = now, day = today): string {
  const d = act(r, actor, action, at, day);
  assert.ok(!d.ok, `${action.kind} should be refused`);
  return d.code;
}
const announced = (selfSufficiency: boolean) => step(ongoing, kc, { kind: 'announceClose', selfSufficiency, reason: 'Långvarig sjukskrivning' }).referral;

describe('routine C: booking the three-party meeting before a close (issue 17, seed 002 "Avslut av insats")', () => {
  it('is KC\'s step, possible only once a close not to self-sufficiency is announced', () => {
    assert.equal(refused(ongoing, kc, BOOK), 'outOfOrder', 'not while the effort runs');
    const toWork = announced(true);
    assert.equal(isPossible(toWork, 'bookThreePartyMeeting'), false);
    assert.equal(refused(toWork, kc, BOOK), 'outOfOrder', 'no meeting when the participant leaves for self-sufficiency');
    const r = announced(false);
    assert.ok(actionsFor(r, 'kc').includes('bookThreePartyMeeting'));
    assert.ok(!actionsFor(r, 'sf').includes('bookThreePartyMeeting'));
    assert.equal(refused(r, sf, BOOK), 'notAllowed', 'the social worker does not book it');
  });

  it('needs a time not in the past and a place; the interpreter is optional', () => {
    const r = announced(false);
    assert.equal(refused(r, kc, { ...BOOK, at: '2027-05-31T10:00' } as CAction), 'outOfRange', 'yesterday');
    assert.equal(refused(r, kc, { ...BOOK, at: '2027-06-08' } as CAction), 'outOfRange', 'no time');
    assert.equal(refused(r, kc, { ...BOOK, place: '  ' } as CAction), 'reasonRequired');
    const o = step(r, kc, { ...BOOK, at: `${today}T15:00`, interpreter: '' } as CAction);
    assert.equal(o.referral.closing!.threePartyBooking!.interpreter, '');
  });

  it('is recorded on the closing (time, place, interpreter, who booked, when) and handed to the social worker', () => {
    const o = step(announced(false), kc, BOOK);
    assert.deepEqual(o.referral.closing!.threePartyBooking, { at: '2027-06-08T10:00', place: 'KC Centrum', interpreter: 'arabiska', byName: 'Ivar', bookedAt: now.toISOString() });
    assert.equal(o.referral.state, 'closing');
    assert.equal(o.step, 'c.bookThreePartyMeeting');
    assert.equal(o.notify, 'sf', 'the social worker gets a card');
    assert.deepEqual(o.details, { at: '2027-06-08T10:00', interpreter: true, bookedBy: 'Ivar', rebooked: false });
  });

  it('can be booked again before it is held: the new booking replaces it, and the journal says who had booked what', () => {
    const first = step(announced(false), kc, BOOK).referral;
    const later = new Date('2027-06-02T08:00:00Z');
    const again = step(first, { id: 'ivar', name: 'Ivar Ivarsson', side: 'kc' }, { ...BOOK, at: '2027-06-15T13:00', place: 'Stadsdelshuset' } as CAction, later, '2027-06-02');
    assert.deepEqual(again.referral.closing!.threePartyBooking, { at: '2027-06-15T13:00', place: 'Stadsdelshuset', interpreter: 'arabiska', byName: 'Ivar Ivarsson', bookedAt: later.toISOString() });
    assert.deepEqual(again.details, { at: '2027-06-15T13:00', interpreter: true, bookedBy: 'Ivar Ivarsson', rebooked: true, previousAt: '2027-06-08T10:00', previousBookedBy: 'Ivar' });
    assert.equal(again.notify, 'sf');
    // Once held, it is no longer booked.
    const held = step(again.referral, sf, { kind: 'threePartyMeeting', date: '2027-06-02' }, later, '2027-06-02').referral;
    assert.equal(isPossible(held, 'bookThreePartyMeeting'), false);
    assert.equal(refused(held, kc, BOOK, later, '2027-06-02'), 'outOfOrder');
  });

  it('the meeting is recorded held by either party, not in the future; the closing document waits until then', () => {
    const booked = step(announced(false), kc, BOOK).referral;
    assert.equal(refused(booked, kc, DOC), 'threePartyMeetingFirst', 'booked is not held');
    const meetingDay = new Date('2027-06-08T12:00:00Z');
    assert.equal(refused(booked, sf, { kind: 'threePartyMeeting', date: '2027-06-09' }, meetingDay, '2027-06-08'), 'dateInFuture');
    const held = step(booked, sf, { kind: 'threePartyMeeting', date: '2027-06-08' }, meetingDay, '2027-06-08');
    assert.equal(held.referral.closing!.threePartyMeetingOn, '2027-06-08');
    assert.ok(held.referral.closing!.threePartyBooking, 'the booking stays on the record');
    assert.equal(held.notify, 'kc');
    const doc = step(held.referral, kc, DOC, meetingDay, '2027-06-08');
    assert.ok(doc.referral.closing!.document);
    // The consultant may record it held as well.
    assert.ok(step(booked, kc, { kind: 'threePartyMeeting', date: today }).referral.closing!.threePartyMeetingOn);
    // …and, as before, without a booking in the bot.
    assert.ok(step(announced(false), sf, { kind: 'threePartyMeeting', date: today }).referral.closing!.threePartyMeetingOn);
  });

  it('the next steps: KC books first; after the booking the social worker\'s card carries "the meeting held"; the closing document is nobody\'s next step until then', () => {
    const r = announced(false);
    assert.deepEqual(dueActionsFor(r, 'kc'), ['bookThreePartyMeeting']);
    assert.deepEqual(handOverSteps(r, 'sf', 'c.announceClose'), { due: ['threePartyMeeting'], ifNeeded: [] }, 'the social worker may record it held, as before');
    const booked = step(r, kc, BOOK).referral;
    assert.deepEqual(handOverSteps(booked, 'sf', 'c.bookThreePartyMeeting'), { due: ['threePartyMeeting'], ifNeeded: [] });
    assert.deepEqual(dueActionsFor(booked, 'kc'), ['threePartyMeeting'], 'booked again only if needed');
    assert.ok(actionsFor(booked, 'kc').includes('bookThreePartyMeeting'), 'a new booking stays possible');
    const held = step(booked, sf, { kind: 'threePartyMeeting', date: today }).referral;
    assert.deepEqual(handOverSteps(held, 'kc', 'c.threePartyMeeting'), { due: ['closingDocument'], ifNeeded: [] });
  });

  it('the social worker\'s card of the close announcement also names what KC does first: book the meeting; once held, the card to KC names nothing awaited of her', () => {
    const r = announced(false);
    assert.deepEqual(awaitedFromOther(r, 'sf', 'c.announceClose', handOverSteps(r, 'sf', 'c.announceClose')), ['bookThreePartyMeeting']);
    const held = step(step(r, kc, BOOK).referral, sf, { kind: 'threePartyMeeting', date: today }).referral;
    assert.deepEqual(awaitedFromOther(held, 'kc', 'c.threePartyMeeting', handOverSteps(held, 'kc', 'c.threePartyMeeting')), [], 'KC has a due step of its own');
    assert.deepEqual(awaitedFromOther({ ...held, state: 'closed' }, 'sf', 'c.gwaClosed', { due: [], ifNeeded: [] }), [], 'nothing on a referral that is over');
  });

  it('the booked meeting is a task of the social worker, due on the meeting\'s day; a new day is a new task; held, it is gone', () => {
    const r = announced(false);
    assert.deepEqual(dueSteps(r), []);
    const booked = step(r, kc, BOOK).referral;
    assert.deepEqual(dueSteps(booked), [{ key: 'threeparty', step: 'c.threePartyHeld', side: 'sf', dueDate: '2027-06-08' }]);
    const moved = step(booked, kc, { ...BOOK, at: '2027-06-15T13:00' } as CAction).referral;
    assert.deepEqual(dueSteps(moved).map((d) => d.dueDate), ['2027-06-15']);
    const held = step(moved, sf, { kind: 'threePartyMeeting', date: today }).referral;
    assert.deepEqual(dueSteps(held), []);
    assert.ok(sv.steps['c.threePartyHeld'], 'the task has a label');
  });

  it('the form: date, time, place, interpreter; booked again it starts from the booking; the submission becomes the step', () => {
    const r = announced(false);
    assert.deepEqual(cFormFields('bookThreePartyMeeting', sv, r, today).map((f) => [f.id, f.kind, f.required, f.value]), [
      ['date', 'date', true, ''],
      ['time', 'time', true, ''],
      ['place', 'text', true, ''],
      ['interpreter', 'text', false, ''],
    ]);
    const booked = step(r, kc, BOOK).referral;
    assert.deepEqual(cFormFields('bookThreePartyMeeting', sv, booked, today).map((f) => f.value), ['2027-06-08', '10:00', 'KC Centrum', 'arabiska']);
    const parsed = C_STEP_SUBMISSIONS.bookThreePartyMeeting.parse({ formId: 'f1', date: '2027-06-08', time: '10:00:00', place: ' KC Centrum ', interpreter: '' });
    assert.deepEqual(parsed, { kind: 'bookThreePartyMeeting', at: '2027-06-08T10:00', place: 'KC Centrum', interpreter: '' });
    assert.equal(C_STEP_SUBMISSIONS.bookThreePartyMeeting.safeParse({ formId: 'f1', date: '2027-06-08', time: '10:00', place: '' }).success, false, 'a place is required');
  });
});
