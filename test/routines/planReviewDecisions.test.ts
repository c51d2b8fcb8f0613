import { strict as assert } from 'node:assert';
import { assessPlan, B_CARDS, followUpTaskId, giveDelayReason, reportRevised, reviewActor, type AssessInput, type ProviderAnswerInput } from '../../routines/b-plan-review/decisions';
import { deadlines, REVIEW_QUESTIONS, type PlanReview, type QuestionId, type ReviewInput } from '../../routines/b-plan-review/rules';
import type { Effect, JournalEffect } from '../../routines/shared/effects';
import type { StaffMember } from '../../routines/shared/organisation';
import type { Refusal } from '../../routines/shared/refusal';

/**
 * Routine B's provider answers and the assessor's review as whole decisions
 * (routines/b-plan-review/decisions.ts), checked against seed 001 (genomförandeplan, hemtjänst):
 * "kontakta utförare om skäl till dröjsmål"; "Om bedömningen är att genomförandeplanen inte
 * uppfyller dessa kriterier ska utföraren kontaktas för förtydligande"; "Utförare ska ges
 * möjlighet att revidera upprättad genomförandeplan"; "Säkerställa genomförandeplan är en händelse
 * av betydelse och ska dokumenteras"; "ersättas motsvarande två timmar … vid start av insatser för
 * nya brukare"; "Meddela administratör för ekonomistyrning". Everything is read from the returned
 * decision: the new review and the effects the relay will carry out.
 */

// The same people and review as test/routines/planReview.test.ts.
const now = new Date('2026-11-23T09:00:00Z');
const later = new Date('2026-11-24T10:30:00Z');
const hanna: StaffMember = { id: 'h', name: 'Hanna', roles: [{ role: 'careNeedsAssessor', unit: 'avo' }] };
const colleague: StaffMember = { id: 'k', name: 'Klara', roles: [{ role: 'socialWorker', unit: 'avo' }] };
const ffsAssessor: StaffMember = { id: 'f', name: 'Frans', roles: [{ role: 'careNeedsAssessor', unit: 'ffs' }] };
const rut: StaffMember = { id: 'r', name: 'Rut', roles: [{ role: 'providerContact', unit: 'provider:hemtjanst-vast' }] };
const rolf: StaffMember = { id: 'rf', name: 'Rolf', roles: [{ role: 'providerContact', unit: 'provider:hemtjanst-vast' }] };
const otto: StaffMember = { id: 'o', name: 'Otto', roles: [{ role: 'providerContact', unit: 'provider:omsorg-nord' }] };
const PIN = 'Gäller 19850101-1234';

const review = (over: Partial<PlanReview> = {}): PlanReview => ({
  reviewId: 'r1', caseId: 'c1', code: 'B-7K2Q', owningUnit: 'avo', assessorId: 'h', assessorName: 'Hanna', providerId: 'hemtjanst-vast', providerName: 'Hemtjänst Väst AB',
  decisionDate: '2026-10-20', executionDate: '2026-11-01', grantedHours: 12.5, lastPlanWithProvider: null, newClient: true,
  ...deadlines('2026-11-01'), state: 'awaitingPlan', rounds: [], createdAt: now.toISOString(), ...over,
});
const missing = (over: Partial<PlanReview> = {}) => review({ state: 'planMissing', delay: { recordedAt: now.toISOString(), recordedBy: 'h', recordedByName: 'Hanna' }, ...over });

const answers = (noes: QuestionId[], hours = 12.5, comments: Partial<Record<QuestionId, string>> = {}): ReviewInput => ({
  allocatedHours: hours,
  answers: REVIEW_QUESTIONS.map((question) => ({ question, yes: !noes.includes(question), comment: comments[question] ?? '' })),
});
const assess = (person: StaffMember, input: ReviewInput, over: Partial<AssessInput> = {}): AssessInput => ({ stepId: 'step-1', person, review: input, now, financeAdministrators: 2, ...over });
const provider = (person: StaffMember, note: string, over: Partial<ProviderAnswerInput> = {}): ProviderAnswerInput => ({ stepId: 'step-1', person, note, now, assessorKnown: true, ...over });

const ok = <T>(d: { ok: true; value: T } | Refusal): T => {
  assert.ok(d.ok, `expected an accepted decision, got ${JSON.stringify(d)}`);
  return d.value;
};
const refused = (d: { ok: boolean }): Refusal => {
  assert.ok(!d.ok, `expected a refusal, got ${JSON.stringify(d)}`);
  return d as Refusal;
};
const ofType = <T extends Effect['type']>(effects: readonly Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const journalOf = (effects: readonly Effect[], step: string): JournalEffect => {
  const j = ofType(effects, 'journal').filter((e) => e.event.step === step);
  assert.equal(j.length, 1, `exactly one journal ${step}`);
  return j[0]!;
};

/** Round 1 returned with 'participation' and 'when' failed. */
const returned = () => ok(assessPlan(review(), assess(hanna, answers(['participation', 'when'], 12.5, { participation: 'Delaktighet saknas', when: 'Veckodagar saknas' })))).state;

describe('routine B decisions: the provider\'s answers and the assessor\'s review (seed 001)', () => {
  describe('giveDelayReason(): "kontakta utförare om skäl till dröjsmål"', () => {
    it('the provider\'s reason is kept once and does exactly: refresh the other contacts\' delay cards, tell the assessor, journal', () => {
      const d = ok(giveDelayReason(missing(), provider(rut, '  Sjukdom i personalgruppen  ')));
      assert.deepEqual(d.state.delay!.reason, { text: 'Sjukdom i personalgruppen', by: 'r', byName: 'Rut', at: now.toISOString() });
      assert.equal(d.state.state, 'planMissing', 'the deviation is still the assessor\'s to report');
      assert.deepEqual(d.effects, [
        { type: 'refreshCards', id: 'step-1:1', card: { kind: B_CARDS.delayCards, data: { unit: 'avo', reviewId: 'r1' } }, except: 'r' },
        { type: 'notify', id: 'step-1:2', personId: 'h', card: { kind: B_CARDS.delayNotice, data: { unit: 'avo', reviewId: 'r1' } }, about: 'c1' },
        {
          type: 'journal',
          id: 'step-1:3',
          event: { caseId: 'c1', at: now.toISOString(), actorId: 'r', actorName: 'Rut', role: 'providerContact', unit: 'provider:hemtjanst-vast', routine: 'B', step: 'b.delayReason', details: { provider: 'Hemtjänst Väst AB' } },
          undeliveredFrom: { effect: 'step-1:2', notReachedName: 'Hanna' },
        },
      ]);
      assert.equal(d.assessorNotice, 'step-1:2');
    });

    it('an assessor no longer in the directory gets no card; the journal names them as not reached', () => {
      const d = ok(giveDelayReason(missing(), provider(rut, 'Personalbrist', { assessorKnown: false })));
      assert.equal(d.assessorNotice, undefined);
      assert.deepEqual(ofType(d.effects, 'notify'), []);
      const j = journalOf(d.effects, 'b.delayReason');
      assert.deepEqual(j.event.details, { provider: 'Hemtjänst Väst AB', notReached: 'Hanna' });
      assert.equal(j.undeliveredFrom, undefined);
    });

    it('once: a second answer (by any contact) is alreadyDone, naming who answered and when', () => {
      const answered = ok(giveDelayReason(missing(), provider(rut, 'Personalbrist'))).state;
      assert.deepEqual(refused(giveDelayReason(answered, provider(rolf, 'Igen', { now: later }))), { ok: false, code: 'alreadyDone', params: { by: 'Rut', at: now.toISOString() } });
    });

    it('a reason is required, and may not hold a personal identity number', () => {
      assert.equal(refused(giveDelayReason(missing(), provider(rut, '   '))).code, 'reasonRequired');
      assert.equal(refused(giveDelayReason(missing(), provider(rut, PIN))).code, 'personalIdentityNumber');
    });

    it('only a contact of the case\'s provider answers; another provider learns nothing; no delay asked = stale card', () => {
      assert.deepEqual(refused(giveDelayReason(missing(), provider(otto, 'x'))), { ok: false, code: 'notFoundOrNotAllowed', params: {} });
      assert.equal(refused(giveDelayReason(missing(), provider(hanna, 'x'))).code, 'notAllowed');
      assert.equal(refused(giveDelayReason(review(), provider(rut, 'x'))).code, 'staleCard');
    });
  });

  describe('reportRevised(): "Utförare ska ges möjlighet att revidera upprättad genomförandeplan"', () => {
    it('the provider marks the returned round revised: state revised (the assessor reviews again), the round\'s cards refreshed, the assessor told, journaled', () => {
      const d = ok(reportRevised(returned(), { ...provider(rut, ' Delaktighet och veckodagar tillagda ', { stepId: 's2', now: later }), round: 1 }));
      assert.equal(d.state.state, 'revised');
      assert.deepEqual(d.state.rounds[0]!.providerResponse, { note: 'Delaktighet och veckodagar tillagda', by: 'r', byName: 'Rut', at: later.toISOString() });
      assert.deepEqual(d.effects, [
        { type: 'refreshCards', id: 's2:1', card: { kind: B_CARDS.returnedCards, data: { unit: 'avo', reviewId: 'r1', round: 1 } }, except: 'r' },
        { type: 'notify', id: 's2:2', personId: 'h', card: { kind: B_CARDS.revisedNotice, data: { unit: 'avo', reviewId: 'r1', round: 1 } }, about: 'c1' },
        {
          type: 'journal',
          id: 's2:3',
          event: { caseId: 'c1', at: later.toISOString(), actorId: 'r', actorName: 'Rut', role: 'providerContact', unit: 'provider:hemtjanst-vast', routine: 'B', step: 'b.planRevised', details: { round: 1, provider: 'Hemtjänst Väst AB' } },
          undeliveredFrom: { effect: 's2:2', notReachedName: 'Hanna' },
        },
      ]);
    });

    it('an empty note is fine (the button alone says it); a personal identity number is not', () => {
      assert.equal(ok(reportRevised(returned(), { ...provider(rut, ''), round: 1 })).state.rounds[0]!.providerResponse!.note, '');
      assert.equal(refused(reportRevised(returned(), { ...provider(rut, PIN), round: 1 })).code, 'personalIdentityNumber');
    });

    it('once per round, latest round only: a second press is alreadyDone; a round that does not exist or passed is a stale card', () => {
      const revised = ok(reportRevised(returned(), { ...provider(rut, 'Klart'), round: 1 })).state;
      assert.deepEqual(refused(reportRevised(revised, { ...provider(rolf, 'Igen', { now: later }), round: 1 })), { ok: false, code: 'alreadyDone', params: { by: 'Rut', at: now.toISOString() } });
      assert.equal(refused(reportRevised(returned(), { ...provider(rut, 'x'), round: 2 })).code, 'staleCard');
      // Round 2 returned again: the card of round 1 no longer takes an answer.
      const round2 = ok(assessPlan(revised, assess(hanna, answers(['how'])))).state;
      const stale = { ...round2, rounds: round2.rounds.map((r) => (r.round === 1 ? { ...r, providerResponse: undefined } : r)) };
      assert.equal(refused(reportRevised(stale, { ...provider(rut, 'x'), round: 1 })).code, 'staleCard');
      assert.ok(ok(reportRevised(round2, { ...provider(rut, 'x'), round: 2 })).state.state === 'revised');
    });

    it('only the case\'s provider: another provider gets notFoundOrNotAllowed, the assessor notAllowed', () => {
      assert.equal(refused(reportRevised(returned(), { ...provider(otto, 'x'), round: 1 })).code, 'notFoundOrNotAllowed');
      assert.equal(refused(reportRevised(returned(), { ...provider(hanna, 'x'), round: 1 })).code, 'notAllowed');
    });
  });

  describe('assessPlan(), not complete: "ska utföraren kontaktas för förtydligande"', () => {
    it('the review goes back to the provider: one card to every contact of the provider (remembered), journaled with how many got it', () => {
      const d = ok(assessPlan(review(), assess(hanna, answers(['participation', 'when'], 12.5, { participation: 'Delaktighet saknas' }))));
      assert.equal(d.state.state, 'returned');
      assert.equal(d.round.outcome, 'notComplete');
      assert.deepEqual(d.effects, [
        { type: 'notify', id: 'step-1:1', role: { role: 'providerContact', unit: 'provider:hemtjanst-vast' }, card: { kind: B_CARDS.returned, data: { unit: 'avo', reviewId: 'r1', round: 1 } }, remember: true, about: 'c1' },
        {
          type: 'journal',
          id: 'step-1:2',
          event: { caseId: 'c1', at: now.toISOString(), actorId: 'h', actorName: 'Hanna', role: 'careNeedsAssessor', unit: 'avo', routine: 'B', step: 'b.reviewNotComplete', details: { round: 1, failed: 'participation,when', hoursMismatch: false } },
          deliveryCounts: { effect: 'step-1:1', reached: 'providerReached' },
        },
      ]);
      assert.equal(d.providerNotice, 'step-1:1');
      assert.equal(d.compensationNotice, undefined);
    });

    it('"Stämmer fördelad tid … överens med den tid du beviljat?": other hours fail question 2 even when answered yes', () => {
      const d = ok(assessPlan(review(), assess(hanna, answers([], 10))));
      assert.equal(d.state.state, 'returned');
      assert.deepEqual(journalOf(d.effects, 'b.reviewNotComplete').event.details, { round: 1, failed: 'time', hoursMismatch: true });
    });

    it('no task is closed and no compensation is told for a round that is not complete', () => {
      const d = ok(assessPlan(review(), assess(hanna, answers(['how']))));
      assert.deepEqual(ofType(d.effects, 'closeTask'), []);
      assert.equal(d.state.compensation, undefined);
      assert.deepEqual(ofType(d.effects, 'notify').map((n) => n.role?.role), ['providerContact']);
    });
  });

  describe('assessPlan(), complete: "en händelse av betydelse", and the start compensation for a new client', () => {
    it('a new client: ensured in the journal, the follow-up task done, the compensation marked on the review in the same decision and told to every finance administrator of the unit', () => {
      const d = ok(assessPlan(review(), assess(hanna, answers([]))));
      assert.equal(d.state.state, 'complete');
      assert.equal(d.state.completedAt, now.toISOString());
      assert.deepEqual(d.state.compensation, { notifiedAt: now.toISOString(), recipients: 2 }, 'no separate claim: the decision itself marks it');
      assert.deepEqual(d.effects, [
        {
          type: 'journal',
          id: 'step-1:1',
          event: { caseId: 'c1', at: now.toISOString(), actorId: 'h', actorName: 'Hanna', role: 'careNeedsAssessor', unit: 'avo', routine: 'B', step: 'b.planEnsured', details: { round: 1, provider: 'Hemtjänst Väst AB', newClient: true } },
        },
        { type: 'closeTask', id: 'step-1:2', unit: 'avo', taskId: 'b-followup-r1', outcome: 'done', by: 'h', at: now.toISOString() },
        { type: 'notify', id: 'step-1:3', role: { role: 'financeAdministrator', unit: 'avo' }, card: { kind: B_CARDS.compensation, data: { unit: 'avo', reviewId: 'r1' } }, about: 'c1' },
        {
          type: 'journal',
          id: 'step-1:4',
          event: { caseId: 'c1', at: now.toISOString(), actorId: 'h', actorName: 'Hanna', role: 'careNeedsAssessor', unit: 'avo', routine: 'B', step: 'b.compensationNotified', details: { provider: 'Hemtjänst Väst AB', hours: 2 } },
          deliveryCounts: { effect: 'step-1:3', reached: 'recipients', notReached: 'notReached' },
        },
      ]);
      assert.equal(d.compensationNotice, 'step-1:3');
      assert.equal(followUpTaskId('r1'), 'b-followup-r1');
    });

    it('"Med ny brukare menas enskild som inte haft insatser hos utföraren de senaste två åren": an old client is ensured, with no compensation', () => {
      const d = ok(assessPlan(review({ newClient: false, lastPlanWithProvider: '2025-06-01' }), assess(hanna, answers([]))));
      assert.equal(d.state.state, 'complete');
      assert.equal(d.state.compensation, undefined);
      assert.equal(d.compensationNotice, undefined);
      assert.deepEqual(d.effects.map((e) => e.type), ['journal', 'closeTask']);
      assert.deepEqual(journalOf(d.effects, 'b.planEnsured').event.details, { round: 1, provider: 'Hemtjänst Väst AB', newClient: false });
    });

    it('complete on the second round, after a revision: still one compensation, and a unit without finance administrators records 0 recipients', () => {
      const revised = ok(reportRevised(returned(), { ...provider(rut, 'Klart'), round: 1 })).state;
      const d = ok(assessPlan(revised, assess(colleague, answers([]), { now: later, financeAdministrators: 0 })));
      assert.equal(d.round.round, 2);
      assert.deepEqual(d.state.compensation, { notifiedAt: later.toISOString(), recipients: 0 });
      assert.equal(ofType(d.effects, 'notify').length, 1);
      assert.equal(journalOf(d.effects, 'b.planEnsured').event.role, 'socialWorker', 'a colleague of the unit may review');
    });

    it('"ersättas … två timmar" exactly once: a completed review takes no further round (reviewComplete), so nothing is sent again', () => {
      const done = ok(assessPlan(review(), assess(hanna, answers([])))).state;
      assert.deepEqual(refused(assessPlan(done, assess(colleague, answers([]), { now: later }))), { ok: false, code: 'reviewComplete', params: { by: 'Hanna', at: now.toISOString() } });
      // Even a review marked compensated by older data (before this rule) is not compensated again.
      const before = review({ compensation: { notifiedAt: now.toISOString(), recipients: 1 } });
      const d = ok(assessPlan(before, assess(hanna, answers([]), { now: later })));
      assert.deepEqual(d.state.compensation, { notifiedAt: now.toISOString(), recipients: 1 });
      assert.equal(d.compensationNotice, undefined);
    });
  });

  describe('ownership and input: "Gäller för: Biståndshandläggare samt socialsekreterare" of the owning administration', () => {
    it('the provider and another administration\'s assessor cannot review', () => {
      assert.equal(refused(assessPlan(review(), assess(rut, answers([])))).code, 'notAllowed');
      assert.deepEqual(refused(assessPlan(review(), assess(ffsAssessor, answers([])))), { ok: false, code: 'notFoundOrNotAllowed', params: {} });
    });

    it('all seven answers are needed; a comment may not hold a personal identity number; hours stay within a week', () => {
      assert.equal(refused(assessPlan(review(), assess(hanna, { allocatedHours: 12.5, answers: answers([]).answers.slice(0, 6) }))).code, 'outOfRange');
      assert.equal(refused(assessPlan(review(), assess(hanna, answers(['how'], 12.5, { how: PIN })))).code, 'personalIdentityNumber');
      assert.equal(refused(assessPlan(review(), assess(hanna, answers([], 169)))).code, 'outOfRange');
    });

    it('a refusal or a decision changes nothing passed in', () => {
      const r = review();
      const before = JSON.stringify(r);
      refused(assessPlan(r, assess(rut, answers([]))));
      ok(assessPlan(r, assess(hanna, answers([]))));
      ok(assessPlan(r, assess(hanna, answers(['how']))));
      assert.equal(JSON.stringify(r), before);
    });

    it('the actor of a provider step is the provider\'s contact at the provider; of the review, the assessor\'s role at the unit', () => {
      assert.deepEqual(reviewActor(rut, 'avo'), { id: 'r', name: 'Rut', role: 'providerContact', unit: 'provider:hemtjanst-vast' });
      assert.deepEqual(reviewActor(colleague, 'avo'), { id: 'k', name: 'Klara', role: 'socialWorker', unit: 'avo' });
    });
  });

  describe('effects: idempotent ids, deterministic, ids and codes only', () => {
    it('effect ids are <stepId>:1, <stepId>:2, … in the listed order, unique', () => {
      for (const d of [ok(assessPlan(review(), assess(hanna, answers([]), { stepId: 'x' }))), ok(giveDelayReason(missing(), provider(rut, 'a', { stepId: 'x' })))]) {
        assert.deepEqual(d.effects.map((e) => e.id), d.effects.map((_, i) => `x:${i + 1}`));
      }
    });

    it('the same input twice gives identical decisions, reading no clock and no randomness', () => {
      const OriginalDate = globalThis.Date;
      const originalRandom = Math.random;
      const forbidden = (what: string) => () => {
        throw new Error(`a decision read ${what}`);
      };
      class NoClockDate extends OriginalDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) forbidden('the clock (new Date())')();
          super(...(args as [string]));
        }
        static override now(): number {
          return forbidden('the clock (Date.now)')() as never;
        }
      }
      const r = returned();
      const run = () => [assessPlan(review(), assess(hanna, answers([]))), assessPlan(review(), assess(hanna, answers(['how']))), giveDelayReason(missing(), provider(rut, 'a')), reportRevised(r, { ...provider(rut, 'b'), round: 1 })];
      let first, second;
      try {
        globalThis.Date = NoClockDate as DateConstructor;
        Math.random = forbidden('Math.random');
        first = run();
        second = run();
      } finally {
        globalThis.Date = OriginalDate;
        Math.random = originalRandom;
      }
      assert.deepEqual(first, second);
      assert.ok(first.every((d) => d.ok));
    });

    it('no effect carries the provider\'s text or the assessor\'s comments; card data holds unit, reviewId and round only', () => {
      const texts = ['Delaktighet saknas', 'Sjukdom i personalgruppen', 'Veckodagar tillagda'];
      const decisions = [
        ok(assessPlan(review(), assess(hanna, answers(['participation'], 12.5, { participation: texts[0] })))),
        ok(giveDelayReason(missing(), provider(rut, texts[1]!))),
        ok(reportRevised(returned(), { ...provider(rut, texts[2]!), round: 1 })),
        ok(assessPlan(review(), assess(hanna, answers([])))),
      ];
      for (const d of decisions) {
        const json = JSON.stringify(d.effects);
        for (const s of texts) assert.ok(!json.includes(s), `an effect holds "${s}"`);
        for (const e of d.effects) if (e.type === 'notify' || e.type === 'refreshCards') for (const key of Object.keys(e.card.data)) assert.ok(['unit', 'reviewId', 'round'].includes(key), `card ${e.card.kind} holds ${key}`);
      }
    });
  });
});
