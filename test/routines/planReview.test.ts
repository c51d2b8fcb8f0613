import { strict as assert } from 'node:assert';
import {
  answerDelay,
  checkRegistration,
  compensationDue,
  deadlines,
  daysLeft,
  failedPoints,
  isNewClient,
  markCompensationNotified,
  markRevised,
  mayReview,
  providerCaseText,
  recordDeviation,
  recordPlanMissing,
  REVIEW_QUESTIONS,
  reviewPlan,
  sortForList,
  type PlanReview,
  type QuestionId,
  type ReviewInput,
} from '../../routines/b-plan-review/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { isWorkingDay } from '../../routines/shared/workingDays';

const now = new Date('2026-11-23T09:00:00Z');
const hanna: StaffMember = { id: 'h', name: 'Hanna', roles: [{ role: 'careNeedsAssessor', unit: 'avo' }] };
const colleague: StaffMember = { id: 'k', name: 'Klara', roles: [{ role: 'careNeedsAssessor', unit: 'avo' }] };
const ffsAssessor: StaffMember = { id: 'f', name: 'Frans', roles: [{ role: 'careNeedsAssessor', unit: 'ffs' }] };
const finance: StaffMember = { id: 'm', name: 'Maria', roles: [{ role: 'financeAdministrator', unit: 'avo' }] };
const rut: StaffMember = { id: 'r', name: 'Rut', roles: [{ role: 'providerContact', unit: 'provider:hemtjanst-vast' }] };
const otherProvider: StaffMember = { id: 'o', name: 'Otto', roles: [{ role: 'providerContact', unit: 'provider:omsorg-nord' }] };

const review = (over: Partial<PlanReview> = {}): PlanReview => ({
  reviewId: 'r1', caseId: 'c1', code: 'B-7K2Q', owningUnit: 'avo', assessorId: 'h', assessorName: 'Hanna', providerId: 'hemtjanst-vast', providerName: 'Hemtjänst Väst AB',
  decisionDate: '2026-10-20', executionDate: '2026-11-01', grantedHours: 12.5, lastPlanWithProvider: null, newClient: true,
  ...deadlines('2026-11-01'), state: 'awaitingPlan', rounds: [], createdAt: now.toISOString(), ...over,
});
const allYes = (hours = 12.5): ReviewInput => ({ allocatedHours: hours, answers: REVIEW_QUESTIONS.map((question) => ({ question, yes: true })) });
const withNo = (noes: QuestionId[], hours = 12.5): ReviewInput => ({
  allocatedHours: hours,
  answers: REVIEW_QUESTIONS.map((question) => ({ question, yes: !noes.includes(question), comment: noes.includes(question) ? `Saknas: ${question}` : '' })),
});
const ok = <T>(d: { ok: boolean; value?: T }): T => {
  assert.ok(d.ok, JSON.stringify(d));
  return d.value as T;
};
const code = (d: { ok: boolean }) => (d as { code?: string }).code;

describe('routine B rules', () => {
  describe('registration', () => {
    const base = { decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: 10, previousPlan: 'never' as const, lastPlanDate: '' as const };
    it('refuses an execution before the decision, a date in the future and hours outside 0–168', () => {
      assert.equal(code(checkRegistration({ ...base, executionDate: '2026-11-01' }, '2026-11-23')), 'executionBeforeDecision');
      assert.equal(code(checkRegistration({ ...base, executionDate: '2026-11-24' }, '2026-11-23')), 'dateInFuture');
      assert.equal(code(checkRegistration({ ...base, decisionDate: '2026-12-01', executionDate: '2026-12-02' }, '2026-11-23')), 'dateInFuture');
      assert.equal(code(checkRegistration({ ...base, grantedHours: 168.5 }, '2026-11-23')), 'outOfRange');
      assert.equal(code(checkRegistration({ ...base, grantedHours: -1 }, '2026-11-23')), 'outOfRange');
      assert.ok(checkRegistration({ ...base, grantedHours: 168 }, '2026-11-23').ok);
      assert.ok(checkRegistration({ ...base, grantedHours: 0, executionDate: '2026-11-02' }, '2026-11-23').ok, 'same day is fine');
    });
    it('needs the date of an earlier plan when there was one, and decides new client by it', () => {
      assert.equal(code(checkRegistration({ ...base, previousPlan: 'earlier', lastPlanDate: '' }, '2026-11-23')), 'lastPlanDateMissing');
      assert.deepEqual(ok(checkRegistration({ ...base, previousPlan: 'earlier', lastPlanDate: '2025-06-01' }, '2026-11-23')), { newClient: false, lastPlanWithProvider: '2025-06-01' });
      assert.deepEqual(ok(checkRegistration({ ...base, previousPlan: 'earlier', lastPlanDate: '2023-06-01' }, '2026-11-23')), { newClient: true, lastPlanWithProvider: '2023-06-01' });
      assert.deepEqual(ok(checkRegistration(base, '2026-11-23')), { newClient: true, lastPlanWithProvider: null });
    });
  });

  describe('the two-year rule at its boundary', () => {
    it('a plan exactly two years before the start counts as within the two years; one day more makes a new client', () => {
      assert.equal(isNewClient('2026-11-09', '2024-11-09'), false);
      assert.equal(isNewClient('2026-11-09', '2024-11-08'), true);
      assert.equal(isNewClient('2026-11-09', null), true);
    });
    it('across a leap day: two years before 2028-02-29 is 2026-02-28', () => {
      assert.equal(isNewClient('2028-02-29', '2026-02-28'), false);
      assert.equal(isNewClient('2028-02-29', '2026-02-27'), true);
      assert.equal(isNewClient('2026-03-01', '2024-02-29'), true, '2024-02-29 is before 2024-03-01');
      assert.equal(isNewClient('2026-02-28', '2024-02-28'), false);
    });
  });

  describe('deadlines', () => {
    it('two weeks for the dignity guarantee and one month for the follow-up, across month ends and leap years', () => {
      assert.deepEqual(deadlines('2026-11-09'), { dignityDeadline: '2026-11-23', followUpDeadline: '2026-12-09' });
      assert.deepEqual(deadlines('2026-12-25'), { dignityDeadline: '2027-01-08', followUpDeadline: '2027-01-25' });
      // 2027-02-14 and 2027-02-28 are Sundays, 2028-03-05 too: moved back to the Friday before.
      assert.deepEqual(deadlines('2027-01-31'), { dignityDeadline: '2027-02-12', followUpDeadline: '2027-02-26' });
      assert.deepEqual(deadlines('2028-01-31'), { dignityDeadline: '2028-02-14', followUpDeadline: '2028-02-29' });
      assert.deepEqual(deadlines('2028-02-20'), { dignityDeadline: '2028-03-03', followUpDeadline: '2028-03-20' });
    });
    it('both deadlines land on the last Swedish working day on or before ("senast inom"): Christmas, Easter, midsummer, month ends', () => {
      const cases: Array<[string, string, string, string]> = [
        // execution, dignity guarantee, follow-up, why
        ['2026-11-25', '2026-12-09', '2026-12-23', 'one month = juldagen 2026-12-25 (julafton before it) → Wednesday 23 December'],
        ['2026-11-24', '2026-12-08', '2026-12-23', 'one month = julafton → 23 December'],
        ['2026-12-11', '2026-12-23', '2027-01-11', 'two weeks = juldagen 2026-12-25 → 23 December'],
        ['2026-12-17', '2026-12-30', '2027-01-15', 'two weeks = nyårsafton 2026-12-31 → 30 December'],
        ['2026-03-03', '2026-03-17', '2026-04-02', 'one month = långfredagen 2026-04-03 → skärtorsdagen 2 April'],
        ['2026-03-06', '2026-03-20', '2026-04-02', 'one month = annandag påsk 2026-04-06, back over Easter and Good Friday → 2 April'],
        ['2026-05-19', '2026-06-02', '2026-06-18', 'one month = midsommarafton 2026-06-19 → Thursday 18 June'],
        ['2026-05-20', '2026-06-03', '2026-06-18', 'one month = midsommardagen 2026-06-20 → 18 June'],
        ['2026-01-31', '2026-02-13', '2026-02-27', 'month end: 28 February 2026 is a Saturday; two weeks = Saturday 14 February'],
        ['2026-04-30', '2026-05-13', '2026-05-29', 'month end: one month = Saturday 30 May; two weeks = Kristi himmelfärd 14 May'],
        ['2026-12-01', '2026-12-15', '2026-12-30', 'one month = nyårsdagen 2027-01-01, nyårsafton before it → 30 December'],
      ];
      for (const [execution, dignity, followUp, why] of cases) {
        assert.deepEqual(deadlines(execution), { dignityDeadline: dignity, followUpDeadline: followUp }, `${execution}: ${why}`);
        for (const d of [dignity, followUp]) assert.ok(isWorkingDay(d), `${d} is a working day`);
      }
    });
    it('counts days left, negative when overdue, and lists overdue first and completed last', () => {
      const r = review();
      assert.equal(daysLeft(r, '2026-11-23'), 8);
      assert.equal(daysLeft(r, '2026-12-03'), -2);
      assert.equal(daysLeft({ ...r, state: 'complete' }, '2026-12-03'), undefined);
      const list = sortForList([
        review({ reviewId: 'late', followUpDeadline: '2026-12-20' }),
        review({ reviewId: 'done', state: 'complete', followUpDeadline: '2026-11-01' }),
        review({ reviewId: 'overdue', followUpDeadline: '2026-11-20' }),
      ]);
      assert.deepEqual(list.map((x) => x.reviewId), ['overdue', 'late', 'done']);
    });
  });

  describe('who may review', () => {
    it('the assessor or a colleague of the same administration; nobody else', () => {
      assert.ok(mayReview(hanna, review()));
      assert.ok(mayReview(colleague, review()));
      for (const p of [ffsAssessor, finance, rut]) {
        assert.equal(mayReview(p, review()), false, p.name);
        // A party of the review (finance, the provider) is told it is not theirs to do; anyone else learns nothing of it (issue 14).
        assert.equal(code(reviewPlan(review(), p, allYes(), now)), p === ffsAssessor ? 'notFoundOrNotAllowed' : 'notAllowed', p.name);
      }
    });
  });

  describe('review', () => {
    it('is complete iff all seven are yes', () => {
      assert.equal(ok(reviewPlan(review(), hanna, allYes(), now)).state, 'complete');
      for (const q of REVIEW_QUESTIONS) {
        const r = ok(reviewPlan(review(), hanna, withNo([q]), now));
        assert.equal(r.state, 'returned', q);
        assert.equal(r.rounds[0]!.outcome, 'notComplete');
      }
    });
    it('flags question 2 when the plan\'s hours differ from the granted hours, even if answered yes', () => {
      const r = ok(reviewPlan(review(), hanna, allYes(10), now));
      assert.equal(r.state, 'returned');
      assert.equal(r.rounds[0]!.hoursMismatch, true);
      assert.deepEqual(failedPoints(r.rounds[0]!).map((a) => a.question), ['time']);
      assert.equal(ok(reviewPlan(review(), hanna, allYes(12.5), now)).rounds[0]!.hoursMismatch, false);
    });
    it('refuses allocated hours out of range and incomplete answers', () => {
      assert.equal(code(reviewPlan(review(), hanna, allYes(169), now)), 'outOfRange');
      assert.equal(code(reviewPlan(review(), hanna, { allocatedHours: 12.5, answers: allYes().answers.slice(1) }, now)), 'outOfRange');
    });
    it('lists exactly the failed points with comments, in the seed\'s order', () => {
      const r = ok(reviewPlan(review(), hanna, withNo(['when', 'participation']), now));
      assert.deepEqual(failedPoints(r.rounds[0]!), [
        { question: 'participation', yes: false, comment: 'Saknas: participation' },
        { question: 'when', yes: false, comment: 'Saknas: when' },
      ]);
    });
    it('a completed review cannot be changed; a new round after a return is a new record', () => {
      const returned = ok(reviewPlan(review(), hanna, withNo(['how']), now));
      const revised = ok(markRevised(returned, rut, 1, 'Beskrivit hur', now));
      const done = ok(reviewPlan(revised, colleague, allYes(), new Date('2026-11-24T09:00:00Z')));
      assert.equal(done.rounds.length, 2);
      assert.deepEqual(done.rounds[0], revised.rounds[0], 'round 1 kept unchanged');
      assert.equal(done.rounds[1]!.byName, 'Klara');
      const again = reviewPlan(done, hanna, withNo(['how']), now);
      assert.equal(code(again), 'reviewComplete');
      assert.equal((again as { params: Record<string, string> }).params.by, 'Klara');
    });
  });

  describe('the provider', () => {
    it('only the case\'s provider may answer, once, and only the latest returned round', () => {
      const returned = ok(reviewPlan(review(), hanna, withNo(['how']), now));
      assert.equal(code(markRevised(returned, otherProvider, 1, 'x', now)), 'notFoundOrNotAllowed'); // was 'notAllowed' before issue 14
      assert.equal(code(markRevised(returned, hanna, 1, 'x', now)), 'notAllowed');
      assert.equal(code(markRevised(returned, rut, 2, 'x', now)), 'staleCard');
      const revised = ok(markRevised(returned, rut, 1, 'klart', now));
      assert.equal(revised.state, 'revised');
      assert.equal(code(markRevised(revised, rut, 1, 'igen', now)), 'alreadyDone');
    });
    it('sees the reference of an ordinary case but never initials, and only the code of a protected case', () => {
      const c = { reference: 'ÄVO-2026-114', initials: 'KL', protectedIdentity: false, owningUnit: 'avo' as const };
      assert.equal(providerCaseText(review(), c), 'ÄVO-2026-114');
      assert.equal(providerCaseText(review(), { ...c, protectedIdentity: true }), 'B-7K2Q');
    });
  });

  describe('plan missing at the follow-up', () => {
    it('records the delay once, the provider gives the reason once, and a deviation is recorded once', () => {
      const missing = ok(recordPlanMissing(review(), hanna, now));
      assert.equal(missing.state, 'planMissing');
      assert.equal(code(recordPlanMissing(missing, hanna, now)), 'alreadyDone');
      assert.equal(code(answerDelay(missing, otherProvider, 'x', now)), 'notFoundOrNotAllowed'); // was 'notAllowed' before issue 14
      assert.equal(code(answerDelay(missing, rut, '  ', now)), 'reasonRequired');
      const answered = ok(answerDelay(missing, rut, 'Personalbrist', now));
      assert.equal(code(answerDelay(answered, rut, 'igen', now)), 'alreadyDone');
      assert.equal(code(recordDeviation(answered, ffsAssessor, '', now)), 'notFoundOrNotAllowed'); // was 'notAllowed' before issue 14
      const reported = ok(recordDeviation(answered, hanna, 'Avvikelse AV-12', now));
      assert.equal(reported.delay!.deviation!.note, 'Avvikelse AV-12');
      assert.equal(code(recordDeviation(reported, hanna, '', now)), 'alreadyDone');
      assert.equal(ok(reviewPlan(reported, hanna, allYes(), now)).state, 'complete', 'the plan can still be reviewed once it exists');
    });
  });

  describe('start compensation', () => {
    it('is due only after a complete review, only for a new client, and only once', () => {
      assert.equal(compensationDue(review()), false, 'not before the review');
      const done = ok(reviewPlan(review(), hanna, allYes(), now));
      assert.equal(compensationDue(done), true);
      assert.equal(compensationDue({ ...done, newClient: false }), false, 'never for an old client');
      const told = ok(markCompensationNotified(done, 1, now));
      assert.equal(compensationDue(told), false);
      assert.equal(code(markCompensationNotified(told, 1, now)), 'alreadyDone');
      assert.equal(code(markCompensationNotified({ ...done, newClient: false }, 1, now)), 'notAllowed');
    });
  });
});
