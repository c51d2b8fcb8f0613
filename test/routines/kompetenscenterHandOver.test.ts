import { strict as assert } from 'node:assert';
import { handOverSteps, type Referral } from '../../routines/c-kompetenscenter/rules';
import { ASSIGNED_REFERRAL } from '../helpers/routineC';

/**
 * Issue 17: the next step of the party a step of routine C is handed to (seed 002), as the card
 * that tells them offers it — the routine's due steps, and what the step calls for "vid behov".
 */
const base: Referral = ASSIGNED_REFERRAL;
const intake = { at: '2026-11-30T10:00', place: 'KC', interpreter: '', clientTold: true, viaCoordinator: false };
const ongoing: Referral = { ...base, state: 'ongoing', intake, intakes: [{ at: intake.at, outcome: 'held' }], startDate: '2026-12-07', plans: ['2026-12-07'] };

const CASES: Array<{ name: string; r: Referral; side: 'sf' | 'kc'; step: string; due: string[]; ifNeeded?: string[] }> = [
  { name: 'the assignment taken → the social worker books the intake meeting', r: base, side: 'sf', step: 'c.take', due: ['bookIntake'] },
  { name: 'the intake booked → the consultant goes through the assignment (seed: "förbereder … genom att gå igenom uppdragsdokumentation")', r: { ...base, state: 'intakeBooked', intake }, side: 'kc', step: 'c.bookIntake', due: ['prepared'] },
  { name: 'the consultant prepared → the social worker records the meeting held or missed', r: { ...base, state: 'intakeBooked', intake: { ...intake, preparedAt: 'x' } }, side: 'sf', step: 'c.prepared', due: ['intakeHeld', 'intakeMissed'] },
  { name: 'a missed intake with a new meeting → the consultant gives a new time', r: { ...base, state: 'intakeMissed', intake }, side: 'kc', step: 'c.intakeMissed', due: ['proposeTime'] },
  { name: 'no new meeting → the consultant documents and cancels the booking', r: { ...base, state: 'withdrawn', intake, withdrawal: { reason: 'r', at: 'x' } }, side: 'kc', step: 'c.intakeMissed', due: ['withdrawalDocumented'] },
  { name: 'a new time → the social worker tells the client', r: { ...base, state: 'newTimeProposed', intake, proposedTime: { at: '2026-12-07T13:00', place: 'KC' } }, side: 'sf', step: 'c.proposeTime', due: ['confirmNewTime'] },
  { name: 'the intake held → the consultant executes the assignment', r: { ...base, state: 'intakeHeld', intake }, side: 'kc', step: 'c.intakeHeld', due: ['execute'] },
  { name: 'the follow-up agenda of the social worker → the consultant records his points', r: { ...ongoing, followUps: [{ date: '2027-03-01', bookedAt: 'x', sf: { checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c', at: 'x' } }] }, side: 'kc', step: 'c.followUpSf', due: ['followUpKc'] },
  { name: 'both points in → the social worker calls the next follow-up', r: { ...ongoing, followUps: [{ date: '2027-03-01', bookedAt: 'x', sf: { checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c', at: 'x' }, kc: { progress: 'p', furtherNeeds: 'f', at: 'x' } }] }, side: 'sf', step: 'c.followUpKc', due: ['bookFollowUp'] },
  { name: 'a significant event → the social worker calls a follow-up if needed', r: { ...ongoing, followUps: [{ date: '2027-03-01', bookedAt: 'x', sf: { checkedAgainstPlan: 'a', clientPerception: 'b', complementaryNeeds: 'c', at: 'x' } }] }, side: 'sf', step: 'c.event', due: [], ifNeeded: ['bookFollowUp'] },
  { name: 'a significant event → the consultant updates the implementation plan if needed', r: { ...ongoing, followUps: [{ date: '2027-03-01', bookedAt: 'x', kc: { progress: 'p', furtherNeeds: 'f', at: 'x' } }] }, side: 'kc', step: 'c.event', due: [], ifNeeded: ['plan'] },
  { name: 'a disagreement → the other party records the resolution', r: { ...ongoing, followUps: [{ date: '2027-03-01', bookedAt: 'x', kc: { progress: 'p', furtherNeeds: 'f', at: 'x' } }], disagreements: [{ side: 'sf', by: 'anna', byName: 'Anna', question: 'q', at: 'x' }] }, side: 'kc', step: 'c.disagreement', due: [], ifNeeded: ['resolve'] },
  { name: 'a renewal answered "close" → the consultant announces the close', r: { ...ongoing, followUps: [{ date: '2027-03-01', bookedAt: 'x', kc: { progress: 'p', furtherNeeds: 'f', at: 'x' } }], renewal: { answer: 'close', at: 'x' } }, side: 'kc', step: 'c.renew', due: [], ifNeeded: ['announceClose'] },
  { name: 'the closing notice, not to self-sufficiency → the social worker: the three-party meeting', r: { ...ongoing, state: 'closing', closing: { announcedAt: 'x', selfSufficiency: false, reason: 'r' } }, side: 'sf', step: 'c.announceClose', due: ['threePartyMeeting'] },
  { name: 'the closing notice, to self-sufficiency → nothing due of the social worker yet (the closing document comes first)', r: { ...ongoing, state: 'closing', closing: { announcedAt: 'x', selfSufficiency: true, reason: 'r' } }, side: 'sf', step: 'c.announceClose', due: [] },
  { name: 'the closing document → the social worker closes in Treserva', r: { ...ongoing, state: 'closing', closing: { announcedAt: 'x', selfSufficiency: true, reason: 'r', document: { endDate: '2027-10-04', why: 'w', goals: [], at: 'x' } } }, side: 'sf', step: 'c.closingDocument', due: ['treservaClosed'] },
  { name: 'closed in Treserva → the consultant closes in GWA', r: { ...ongoing, state: 'closing', closing: { announcedAt: 'x', selfSufficiency: true, reason: 'r', document: { endDate: '2027-10-04', why: 'w', goals: [], at: 'x' }, treservaClosedAt: 'x' } }, side: 'kc', step: 'c.treservaClosed', due: ['gwaClosed'] },
  { name: 'a closed referral → nothing', r: { ...ongoing, state: 'closed' }, side: 'sf', step: 'c.gwaClosed', due: [] },
];

describe('routine C: the next step on a hand-over card (handOverSteps, seed 002)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.deepEqual(handOverSteps(c.r, c.side, c.step), { due: c.due, ifNeeded: c.ifNeeded ?? [] });
    });
  }
});
