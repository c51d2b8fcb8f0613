import { strict as assert } from 'node:assert';
import {
  act,
  actionsFor,
  criteriaMet,
  dueSteps,
  expiryOf,
  followUpDue,
  handleOf,
  isPossible,
  maySee,
  nextFollowUpAfterExpiry,
  planDue,
  renewalPromptOn,
  type Actor,
  type CAction,
  type Referral,
} from '../../routines/c-kompetenscenter/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { addCalendarDays, isWorkingDay, toIsoDate } from '../../routines/shared/workingDays';

const sf: Actor = { id: 'anna', name: 'Anna', side: 'sf' };
const kc: Actor = { id: 'ivar', name: 'Ivar', side: 'kc' };

const fresh = (over: Partial<Referral> = {}): Referral => ({
  referralId: 'r1-abcdef',
  caseId: 'c1',
  socialWorkerId: 'anna',
  socialWorkerName: 'Anna',
  administration: 'sf-centrum',
  protectedIdentity: false,
  state: 'afConsultation',
  criteria: { unemployed: true, withinThreeYears: true },
  decisions: [],
  intakes: [],
  plans: [],
  followUps: [],
  events: [],
  disagreements: [],
  createdAt: '2026-01-10T09:00:00.000Z',
  ...over,
});

/** A clock that the test moves forward; every step is applied at the clock's time. */
class Clock {
  constructor(public now: Date) {}
  set(iso: string) {
    this.now = new Date(iso);
  }
  get today() {
    return toIsoDate(this.now);
  }
}

function step(r: Referral, actor: Actor, action: CAction, clock: Clock): Referral {
  const d = act(r, actor, action, clock.now, clock.today);
  assert.ok(d.ok, `${action.kind} refused: ${JSON.stringify(d)}`);
  return d.value.referral;
}
function refused(r: Referral, actor: Actor, action: CAction, clock: Clock): string {
  const d = act(r, actor, action, clock.now, clock.today);
  assert.ok(!d.ok, `${action.kind} should be refused`);
  return d.code;
}

const AF: CAction = { kind: 'af', ssbtekOn: '2026-01-12', askedOn: '2026-01-12', afActivity: 'none', formsSentOn: '2026-01-13' };

/** From criteria to an ongoing effort, each step at its own time. */
function started(clock: Clock, over: Partial<Referral> = {}): Referral {
  clock.set('2026-01-14T09:00:00Z');
  let r = fresh(over);
  r = step(r, sf, AF, clock);
  if (r.protectedIdentity) {
    r = step(r, sf, { kind: 'requestCoordinator' }, clock);
    r = step(r, { id: 'johanna', name: 'Johanna', side: 'kc' }, { kind: 'coordinatorConfirm' }, clock);
  }
  r = step(r, sf, { kind: 'consent', consentId: 'k1', workPlanUpdatedOn: '2026-01-14' }, clock);
  r = step(r, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: true }, clock);
  r = step(r, sf, { kind: 'assign', needs: 'Arbetsträning', includes: 'Praktik', goals: ['Praktikplats', 'Svenska B'] }, clock);
  r = step(r, kc, { kind: 'take' }, clock);
  r = step(r, sf, { kind: 'bookIntake', at: '2026-01-20T10:00', place: 'KC Centrum', interpreter: '', clientTold: true, viaCoordinator: r.protectedIdentity }, clock);
  r = step(r, kc, { kind: 'prepared' }, clock);
  clock.set('2026-01-20T12:00:00Z');
  r = step(r, sf, { kind: 'intakeHeld', attendedInPerson: true, requirementsExplained: true, firstFollowUp: '2026-04-15' }, clock);
  r = step(r, kc, { kind: 'execute', startDate: '2026-01-20' }, clock);
  return r;
}

describe('routine C rules', () => {
  it('the two guiding criteria must both hold', () => {
    assert.equal(criteriaMet({ unemployed: true, withinThreeYears: true }), true);
    assert.equal(criteriaMet({ unemployed: false, withinThreeYears: true }), false);
    assert.equal(criteriaMet({ unemployed: true, withinThreeYears: false }), false);
  });

  describe('the state machine runs in order', () => {
    it('walks from AF consultation to an ongoing effort', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      const r = started(clock);
      assert.equal(r.state, 'ongoing');
      assert.equal(r.startDate, '2026-01-20');
      assert.deepEqual(r.decisions.map((d) => d.expiresOn), ['2027-01-14']);
      assert.deepEqual(r.followUps.map((f) => f.date), ['2026-04-15'], 'the first follow-up is booked at the intake');
      assert.deepEqual(r.intakes.map((i) => i.outcome), ['held']);
    });

    const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
    const outOfOrder: Array<[string, Partial<Referral>, Actor, CAction]> = [
      ['no consent before the AF consultation', {}, sf, { kind: 'consent', consentId: 'k', workPlanUpdatedOn: '2026-01-14' }],
      ['no decision before consent', { state: 'consent' }, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: true }],
      ['no assignment before a decision', { state: 'decision' }, sf, { kind: 'assign', needs: 'n', includes: 'i', goals: ['g'] }],
      ['no intake booked before a consultant took the assignment', { state: 'assigned' }, sf, { kind: 'bookIntake', at: '2026-01-20T10:00', place: 'p', interpreter: '', clientTold: true, viaCoordinator: false }],
      ['no start before the intake was held', { state: 'intakeBooked', consultantId: 'ivar' }, kc, { kind: 'execute', startDate: '2026-01-14' }],
      ['no follow-up before the start', { state: 'intakeHeld', consultantId: 'ivar' }, sf, { kind: 'bookFollowUp', date: '2026-02-01' }],
      ['no closing document before the close is announced', { state: 'ongoing', consultantId: 'ivar' }, kc, { kind: 'closingDocument', endDate: '2026-01-14', why: 'w', goals: [] }],
      ['no new time before a missed intake', { state: 'intakeBooked', consultantId: 'ivar' }, kc, { kind: 'proposeTime', at: '2026-01-20T10:00', place: 'p' }],
    ];
    for (const [name, over, actor, action] of outOfOrder) {
      it(name, () => assert.equal(refused(fresh(over), actor, action, clock), 'outOfOrder'));
    }

    it('each step belongs to one side', () => {
      assert.equal(refused(fresh(), kc, AF, clock), 'notAllowed');
      assert.equal(refused(fresh({ state: 'intakeHeld', consultantId: 'ivar' }), sf, { kind: 'execute', startDate: '2026-01-14' }, clock), 'notAllowed');
      assert.deepEqual(actionsFor(fresh(), 'sf'), ['af']);
      assert.deepEqual(actionsFor(fresh(), 'kc'), []);
    });

    it('a closed referral is read-only', () => {
      assert.equal(refused(fresh({ state: 'closed' }), sf, { kind: 'event', text: 'x' }, clock), 'alreadyDone');
    });
  });

  describe('AF consultation', () => {
    const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
    it('stops the referral when AF has an ongoing or planned measure', () => {
      const r = step(fresh(), sf, { kind: 'af', ssbtekOn: '2026-01-12', askedOn: '2026-01-12', afActivity: 'ongoingOrPlanned' }, clock);
      assert.equal(r.state, 'notReferred');
      assert.equal(r.notReferredReason, 'afMeasure');
    });
    it('needs step (3): the consent and information forms sent to AF; no dates in the future', () => {
      assert.equal(refused(fresh(), sf, { ...AF, formsSentOn: undefined } as CAction, clock), 'reasonRequired');
      assert.equal(refused(fresh(), sf, { ...AF, ssbtekOn: '2026-01-15' } as CAction, clock), 'dateInFuture');
    });
  });

  describe('decision and deadlines', () => {
    it('a decision is for one year, across month ends and leap years', () => {
      assert.equal(expiryOf('2026-01-14'), '2027-01-14');
      assert.equal(expiryOf('2028-02-29'), '2029-02-28');
      assert.equal(expiryOf('2026-12-31'), '2027-12-31');
    });
    it('the decision must be communicated and not dated in the future', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      const r = fresh({ state: 'decision' });
      assert.equal(refused(r, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: false }, clock), 'reasonRequired');
      assert.equal(refused(r, sf, { kind: 'decide', decisionDate: '2026-01-15', communicated: true }, clock), 'dateInFuture');
    });
    it('implementation plan: 14 days after the start (configurable), then every six months', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = started(clock);
      assert.equal(planDue(r), '2026-02-03');
      assert.equal(planDue(r, { implementationPlanDays: 7, renewalDaysBefore: 60 }), '2026-01-27');
      clock.set('2026-01-31T09:00:00Z');
      r = step(r, kc, { kind: 'plan', date: '2026-01-31' }, clock);
      assert.equal(planDue(r), '2026-07-31');
      clock.set('2026-08-31T09:00:00Z');
      r = step(r, kc, { kind: 'plan', date: '2026-08-31' }, clock);
      assert.equal(planDue(r), '2027-02-26', 'month end: 31 August + 6 months = Sunday 28 February → the Friday before');
    });
    it('follow-ups every three months from the start or the last one held, always before the expiry', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      const r = started(clock);
      assert.equal(followUpDue({ ...r, followUps: [] }), '2026-04-20');
      const held = { ...r, followUps: [{ date: '2026-11-30', bookedAt: '', sf: { checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c', at: '' } }] };
      assert.equal(followUpDue(held), '2027-01-13', 'capped at the day before the expiry (2027-01-14), not 2027-02-28');
      const early = { ...r, followUps: [{ date: '2026-08-31', bookedAt: '', sf: { checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c', at: '' } }] };
      assert.equal(followUpDue(early), '2026-11-30', '31 August + 3 months = 30 November');
    });
    it('refuses a follow-up on or after the expiry, and warns when the next would fall after it', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = started(clock);
      clock.set('2026-04-15T09:00:00Z');
      r = step(r, sf, { kind: 'followUpSf', checkedAgainstPlan: 'ok', clientPerception: 'ok', complementaryNeeds: 'inga' }, clock);
      assert.equal(refused(r, sf, { kind: 'bookFollowUp', date: '2027-01-14' }, clock), 'afterExpiry');
      const ok = act(r, sf, { kind: 'bookFollowUp', date: '2026-07-15' }, clock.now, clock.today);
      assert.ok(ok.ok && ok.value.warnings.length === 0);
      const late = act(r, sf, { kind: 'bookFollowUp', date: '2026-10-15' }, clock.now, clock.today);
      assert.ok(late.ok && late.value.warnings.includes('nextFollowUpAfterExpiry'));
      assert.equal(nextFollowUpAfterExpiry(r, '2026-10-13'), false);
      assert.equal(nextFollowUpAfterExpiry(r, '2026-10-14'), true);
    });
    it('renewal prompt 60 days (configurable) before the expiry; a renewal keeps the history', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = started(clock);
      assert.equal(renewalPromptOn(r), '2026-11-13', '60 days before 2027-01-14 is Sunday 15 November → the Friday before');
      assert.equal(renewalPromptOn(r, { implementationPlanDays: 14, renewalDaysBefore: 30 }), '2026-12-15');
      clock.set('2026-12-01T09:00:00Z');
      assert.equal(refused(r, sf, { kind: 'renew', answer: 'renew', decisionDate: '2026-12-01', communicated: false }, clock), 'reasonRequired');
      r = step(r, sf, { kind: 'renew', answer: 'renew', decisionDate: '2026-12-01', communicated: true }, clock);
      assert.deepEqual(r.decisions.map((d) => d.expiresOn), ['2027-01-14', '2027-12-01']);
      assert.equal(renewalPromptOn(r), '2027-10-01', 'the next prompt follows the new decision (Saturday 2 October → Friday)');
      r = step(r, sf, { kind: 'renew', answer: 'close', communicated: false }, clock);
      assert.equal(isPossible(r, 'renew'), false, 'answered: close');
    });
  });

  describe('deadlines on Swedish working days (the last working day on or before: every C deadline is an upper bound in the seed)', () => {
    const base = (startDate: string, decisionDate: string) => ({ startDate, plans: [] as string[], followUps: [], decisions: [{ decisionDate, expiresOn: expiryOf(decisionDate) }] }) as unknown as Referral;
    const heldOn = (date: string) => [{ date, bookedAt: '', sf: { checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c', at: '' } }];
    it('implementation plan: 14 days after a start on 2026-12-11 is juldagen → 23 December; six months after 2026-12-25 is midsommarafton → 24 June', () => {
      assert.equal(planDue(base('2026-12-11', '2026-12-01')), '2026-12-23');
      assert.equal(planDue({ ...base('2026-06-01', '2026-06-01'), plans: ['2026-12-25'] } as unknown as Referral), '2027-06-24', 'six months = midsommarafton 2027-06-25 → Thursday 24 June');
    });
    it('follow-up: three months to Easter, and "always before the expiry" moved back too', () => {
      const r = base('2026-01-06', '2026-01-02');
      assert.equal(followUpDue(r), '2026-04-02', 'three months after 6 January = annandag påsk 2026-04-06 → skärtorsdagen');
      const nearExpiry = { ...base('2026-01-05', '2025-12-26'), followUps: heldOn('2026-11-20') } as unknown as Referral;
      // expiry 2026-12-26 (annandag jul); the day before is juldagen → 23 December.
      assert.equal(followUpDue(nearExpiry), '2026-12-23');
    });
    it('renewal prompt: 60 days before an expiry on 2027-03-01 is nyårsafton → 30 December', () => {
      assert.equal(renewalPromptOn(base('2026-03-02', '2026-03-01')), '2026-12-30');
    });
    it('every due step of an ongoing referral is a working day, over a whole year of starts', () => {
      for (let start = '2026-01-01'; start < '2027-01-01'; start = addCalendarDays(start, 1)) {
        const r = base(start, start);
        for (const d of [planDue(r), followUpDue(r), renewalPromptOn(r), followUpDue({ ...r, followUps: heldOn(addCalendarDays(start, 100)) } as unknown as Referral)]) {
          assert.ok(d && isWorkingDay(d), `${start}: ${d}`);
        }
      }
    });
  });

  describe('follow-up meeting', () => {
    it('each side records its agenda for the meeting, in either order, not before the meeting day', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = started(clock);
      assert.equal(refused(r, kc, { kind: 'followUpKc', progress: 'p', furtherNeeds: 'n' }, clock), 'outOfRange', 'the meeting (2026-04-15) has not been held');
      clock.set('2026-04-15T14:00:00Z');
      r = step(r, sf, { kind: 'followUpSf', checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c' }, clock);
      assert.deepEqual(actionsFor(r, 'kc').filter((k) => k.startsWith('followUp')), ['followUpKc']);
      r = step(r, kc, { kind: 'followUpKc', progress: 'p', furtherNeeds: 'n' }, clock);
      assert.deepEqual(r.followUps, [{ ...r.followUps[0]!, sf: r.followUps[0]!.sf, kc: { progress: 'p', furtherNeeds: 'n', at: clock.now.toISOString() } }]);
      assert.equal(isPossible(r, 'followUpKc'), false);
      assert.equal(followUpDue(r), '2026-07-15');
    });
  });

  describe('intake', () => {
    it('a missed intake with a new time goes back to booked; with no new meeting it is withdrawn and closed by KC', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = fresh({ state: 'assigned', consultantId: 'ivar', decisions: [{ decisionDate: '2026-01-14', expiresOn: '2027-01-14', at: '' }], assignment: { needs: 'n', includes: 'i', goals: ['g'], sentAt: '' } });
      r = step(r, sf, { kind: 'bookIntake', at: '2026-01-20T10:00', place: 'KC', interpreter: 'arabiska', clientTold: true, viaCoordinator: false }, clock);
      clock.set('2026-01-21T09:00:00Z');
      r = step(r, sf, { kind: 'intakeMissed', followedUpOn: '2026-01-21', newMeeting: true, reason: '' }, clock);
      assert.deepEqual(actionsFor(r, 'kc'), ['proposeTime', 'disagreement']);
      assert.equal(refused(r, kc, { kind: 'proposeTime', at: '2026-01-19T10:00', place: 'KC' }, clock), 'outOfRange');
      r = step(r, kc, { kind: 'proposeTime', at: '2026-01-27T13:00', place: 'KC' }, clock);
      r = step(r, sf, { kind: 'confirmNewTime', clientTold: true }, clock);
      assert.equal(r.state, 'intakeBooked');
      assert.equal(r.intake!.at, '2026-01-27T13:00');
      assert.equal(r.intake!.interpreter, 'arabiska');
      clock.set('2026-01-28T09:00:00Z');
      assert.equal(refused(r, sf, { kind: 'intakeMissed', followedUpOn: '2026-01-28', newMeeting: false, reason: ' ' }, clock), 'reasonRequired');
      r = step(r, sf, { kind: 'intakeMissed', followedUpOn: '2026-01-28', newMeeting: false, reason: 'Klienten vill inte delta' }, clock);
      assert.equal(r.state, 'withdrawn');
      assert.deepEqual(r.intakes.map((i) => i.outcome), ['missed', 'missed']);
      assert.equal(refused(r, kc, { kind: 'withdrawalDocumented', bookingCancelled: false }, clock), 'reasonRequired');
      r = step(r, kc, { kind: 'withdrawalDocumented', bookingCancelled: true }, clock);
      assert.equal(r.state, 'closed');
    });
    it('the first follow-up booked at the intake must fall before the expiry', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      const r = fresh({ state: 'intakeBooked', consultantId: 'ivar', decisions: [{ decisionDate: '2026-01-14', expiresOn: '2027-01-14', at: '' }], intake: { at: '2026-01-14T10:00', place: 'p', interpreter: '', clientTold: true, viaCoordinator: false } });
      assert.equal(refused(r, sf, { kind: 'intakeHeld', attendedInPerson: true, requirementsExplained: true, firstFollowUp: '2027-01-14' }, clock), 'afterExpiry');
      assert.equal(refused(r, sf, { kind: 'intakeHeld', attendedInPerson: false, requirementsExplained: true, firstFollowUp: '2026-04-14' }, clock), 'reasonRequired');
    });
  });

  describe('closing', () => {
    it('without self-sufficiency the three-party meeting comes before the closing document; both sides close', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = started(clock);
      clock.set('2026-06-01T09:00:00Z');
      r = step(r, kc, { kind: 'announceClose', selfSufficiency: false, reason: 'Sjukskriven' }, clock);
      assert.equal(r.state, 'closing');
      const doc: CAction = { kind: 'closingDocument', endDate: '2026-06-01', why: 'Sjukskrivning', goals: ['partlyMet', 'notMet'] };
      assert.equal(refused(r, kc, doc, clock), 'threePartyMeetingFirst');
      assert.equal(refused(r, kc, { kind: 'gwaClosed' }, clock), 'outOfOrder');
      r = step(r, sf, { kind: 'threePartyMeeting', date: '2026-06-01' }, clock);
      assert.equal(refused(r, kc, { ...doc, goals: ['met'] } as CAction, clock), 'reasonRequired', 'one assessment per goal');
      r = step(r, kc, doc, clock);
      assert.deepEqual(r.closing!.document!.goals, [{ goal: 'Praktikplats', assessment: 'partlyMet' }, { goal: 'Svenska B', assessment: 'notMet' }]);
      r = step(r, kc, { kind: 'gwaClosed' }, clock);
      assert.equal(r.state, 'closing');
      r = step(r, sf, { kind: 'treservaClosed' }, clock);
      assert.equal(r.state, 'closed');
    });
    it('with self-sufficiency no three-party meeting is needed', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = started(clock);
      r = step(r, kc, { kind: 'announceClose', selfSufficiency: true, reason: 'Anställning' }, clock);
      assert.equal(isPossible(r, 'threePartyMeeting'), false);
      r = step(r, kc, { kind: 'closingDocument', endDate: '2026-01-20', why: 'Arbete', goals: ['met', 'met'] }, clock);
      assert.equal(r.closing!.document!.goals.length, 2);
    });
  });

  describe('disagreement', () => {
    it('either side escalates once at a time; the resolution is recorded', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = started(clock);
      const d = act(r, kc, { kind: 'disagreement', question: 'Avslut?' }, clock.now, clock.today);
      assert.ok(d.ok && d.value.notify === 'sf');
      r = d.value.referral;
      assert.equal(refused(r, sf, { kind: 'disagreement', question: 'x' }, clock), 'outOfOrder');
      r = step(r, sf, { kind: 'resolve', resolution: 'Fortsatt insats' }, clock);
      assert.equal(r.disagreements[0]!.resolution, 'Fortsatt insats');
      assert.ok(isPossible(r, 'disagreement'));
    });
  });

  it('a decision before the consultation with Arbetsförmedlingen is refused with that reason (issue 17)', () => {
    const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
    const r = fresh();
    assert.equal(r.state, 'afConsultation');
    assert.equal(refused(r, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: true }, clock), 'afConsultationFirst');
    const after = step(r, sf, AF, clock);
    assert.equal(refused(after, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: true }, clock), 'outOfOrder', 'after it, the consent comes first: the steps in order');
  });

  describe('protected identity', () => {
    it('requires the KC coordinator contact before the decision and booking through the coordinator', () => {
      const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
      let r = step(fresh({ protectedIdentity: true }), sf, AF, clock);
      r = step(r, sf, { kind: 'consent', consentId: 'k', workPlanUpdatedOn: '2026-01-14' }, clock);
      assert.equal(refused(r, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: true }, clock), 'coordinatorFirst');
      r = step(r, sf, { kind: 'requestCoordinator' }, clock);
      assert.equal(refused(r, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: true }, clock), 'coordinatorFirst', 'asked is not enough: the coordinator confirms');
      r = step(r, { id: 'johanna', name: 'Johanna', side: 'kc' }, { kind: 'coordinatorConfirm' }, clock);
      r = step(r, sf, { kind: 'decide', decisionDate: '2026-01-14', communicated: true }, clock);
      assert.equal(refused(r, sf, { kind: 'assign', needs: 'ring 070-123 45 67', includes: 'i', goals: ['g'] }, clock), 'identifyingContent');
      r = step(r, sf, { kind: 'assign', needs: 'Arbetsträning', includes: 'Praktik', goals: ['Praktik'] }, clock);
      r = step(r, kc, { kind: 'take' }, clock);
      assert.equal(refused(r, sf, { kind: 'bookIntake', at: '2026-01-20T10:00', place: 'p', interpreter: '', clientTold: true, viaCoordinator: false }, clock), 'coordinatorFirst');
      r = step(r, sf, { kind: 'bookIntake', at: '2026-01-20T10:00', place: 'p', interpreter: '', clientTold: true, viaCoordinator: true }, clock);
      assert.equal(r.intake!.viaCoordinator, true);
    });
    it('an ordinary case has no coordinator step', () => {
      assert.equal(isPossible(fresh(), 'requestCoordinator'), false);
    });
    it('the handle for KC cards carries nothing of the case', () => {
      assert.equal(handleOf({ referralId: 'ab12-cd34-ef' }), 'KC-AB12CD');
    });
  });

  describe('who may see', () => {
    const person = (id: string, roles: StaffMember['roles']): StaffMember => ({ id, name: id, roles });
    const r = fresh({ state: 'ongoing', consultantId: 'ivar', consentId: 'k1' });
    const cases: Array<[string, StaffMember, boolean]> = [
      ['the social worker', person('anna', [{ role: 'socialWorker', unit: 'sf-centrum' }]), true],
      ['the consultant who took it', person('ivar', [{ role: 'employmentConsultant', unit: 'kc' }]), true],
      ['the 1:e socialsekreterare of the administration', person('gunilla', [{ role: 'supervisor', unit: 'sf-centrum' }]), true],
      ['a KC coordinator', person('johanna', [{ role: 'kcCoordinator', unit: 'kc' }]), true],
      ['another consultant', person('other', [{ role: 'employmentConsultant', unit: 'kc' }]), false],
      ['a supervisor elsewhere', person('fredrik', [{ role: 'supervisor', unit: 'sf-hisingen' }]), false],
      ['another social worker of the same administration', person('bo', [{ role: 'socialWorker', unit: 'sf-centrum' }]), false],
    ];
    for (const [name, p, expected] of cases) it(`${name}: ${expected}`, () => assert.equal(maySee(r, p), expected));
    it('the KC coordinator sees nothing before consent to KC (or, protected, before being asked)', () => {
      const johanna = person('johanna', [{ role: 'kcCoordinator', unit: 'kc' }]);
      assert.equal(maySee(fresh({ state: 'decision' }), johanna), false);
      assert.equal(maySee(fresh({ state: 'consent', protectedIdentity: true, coordinatorContact: { requestedAt: '2026-01-14T09:00:00.000Z' } }), johanna), true);
    });
    it('KC consultants see an assignment not yet taken', () => {
      assert.equal(maySee(fresh({ state: 'assigned' }), person('other', [{ role: 'employmentConsultant', unit: 'kc' }])), true);
    });
  });
});

describe('routine C due steps (tasks)', () => {
  it('runs the intake, plan, follow-up and renewal deadlines from the referral', () => {
    const clock = new Clock(new Date('2026-01-14T09:00:00Z'));
    const r = started(clock);
    assert.deepEqual(dueSteps(r), [
      { key: 'plan-0', step: 'c.plan', side: 'kc', dueDate: '2026-02-03' },
      { key: 'followup-0', step: 'c.followUp', side: 'sf', dueDate: '2026-04-20' },
      { key: 'renew-1', step: 'c.renew', side: 'sf', dueDate: '2026-11-13' }, // 60 days before the expiry is a Sunday: the Friday before,
    ]);
    const booked = fresh({ state: 'intakeBooked', intake: { at: '2026-01-20T10:00', place: 'p', interpreter: '', clientTold: true, viaCoordinator: false } });
    assert.deepEqual(dueSteps(booked).map((d) => `${d.side}:${d.step}:${d.dueDate}`), ['sf:c.intakeOutcome:2026-01-20', 'kc:c.prepareIntake:2026-01-20']);
    assert.deepEqual(dueSteps({ ...r, state: 'closed' }), []);
  });
});
