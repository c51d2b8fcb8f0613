import { strict as assert } from 'node:assert';
import { answer, approve, approvalTaskId, close, D_CARDS, disagree, disagreementOutcome, followUpTaskId, planTaskPrefixes, replyTaskId, start, submit, type ApprovalInput, type InvitationAnswerInput, type StartInput, type SubmitInput } from '../../routines/d-coordinated-plan/decisions';
import { revokeConsent } from '../../routines/d-coordinated-plan/consentRevocation';
import { D_STATUS_CARDS } from '../../routines/d-coordinated-plan/status';
import { approvalDue, invitationReplyDue, participants, planCode, submitPlan, type CoordinatedPlan, type PlanContent } from '../../routines/d-coordinated-plan/rules';
import type { Consent } from '../../routines/shared/consent';
import type { CloseTaskEffect, Effect, JournalEffect, NotifyEffect, OpenTaskEffect, RefreshCardsEffect } from '../../routines/shared/effects';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import type { Decision, Refusal } from '../../routines/shared/refusal';
import { planReminders } from '../../routines/shared/tasks';
import { isWorkingDay } from '../../routines/shared/workingDays';

/**
 * Routine D's steps as whole decisions (routines/d-coordinated-plan/decisions.ts): first the
 * approval step (`approve`), then `answer`, `submit`, `start`, `close`, `disagree`,
 * `disagreementOutcome` and `revokeConsent` further down. The approval step is
 * checked against seed 004 (samordnad plan): "skicka planen för godkännande av den andra
 * förvaltningen, innan den upprättas"; "Den samordnande planen ska godkännas av bägge
 * förvaltningar"; ROUTINES.md D.5: supervisors approve (or return with comments); both must
 * approve, then it is locked. Everything is read from the returned decision: the new plan and
 * the effects the relay will carry out.
 */

// The same people and plan as test/routines/coordinatedPlan.test.ts.
const now = new Date('2026-11-23T09:00:00Z');
const later = new Date('2026-11-24T10:30:00Z');
const sofia: StaffMember = { id: 's', name: 'Sofia', roles: [{ role: 'socialWorker', unit: 'sf-nordost' }] };
const tomas: StaffMember = { id: 't', name: 'Tomas', roles: [{ role: 'supervisor', unit: 'ffs' }] };
const tina: StaffMember = { id: 'ti', name: 'Tina', roles: [{ role: 'supervisor', unit: 'ffs' }] };
const ulla: StaffMember = { id: 'u', name: 'Ulla', roles: [{ role: 'supervisor', unit: 'avo' }] };
const ffsWorker: StaffMember = { id: 'w', name: 'Walter', roles: [{ role: 'socialWorker', unit: 'ffs' }] };
const centrumSupervisor: StaffMember = { id: 'c', name: 'Cecilia', roles: [{ role: 'supervisor', unit: 'sf-centrum' }] };
const nordostSupervisor: StaffMember = { id: 'n', name: 'Nils', roles: [{ role: 'supervisor', unit: 'sf-nordost' }] };
// Free text of the plan that would identify the individual if it ever travelled in an effect.
const IDENTIFYING = ['Kalle Larsson', 'Storgatan 12', '070-123 45 67'];
const content: PlanContent = {
  participants: 'Kalle Larsson, hans mamma',
  background: 'Bor på Storgatan 12',
  needs: 'n',
  responsibilities: 'r',
  followUpDate: '2027-01-15',
  individualParticipation: 'Ring 070-123 45 67',
};
const plan = (over: Partial<CoordinatedPlan> = {}): CoordinatedPlan => ({
  spId: 'sp1', caseId: 'c1', mode: 'consent', initiatorId: 's', initiatorName: 'Sofia', initiatingAdministration: 'sf-nordost', others: ['ffs', 'avo'],
  acuteConcern: false, concernReported: false, purpose: 'Stöd till Kalle Larsson', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false,
  invitations: [{ administration: 'ffs' }, { administration: 'avo' }], versions: [], state: 'invited', createdAt: now.toISOString(), ...over,
});

const submitted = (over: Partial<CoordinatedPlan> = {}): CoordinatedPlan => {
  const d = submitPlan(plan(over), sofia, content, now);
  assert.ok(d.ok);
  return d.value;
};

const input = (person: StaffMember, administration: Administration, over: Partial<ApprovalInput> = {}): ApprovalInput => ({
  stepId: 'step-1',
  person,
  version: 1,
  administration,
  decision: 'approved',
  comment: '',
  now,
  followUpLabels: { label: 'Uppföljning SP-SP1', caseLabel: 'SP-SP1' },
  policy: { workingDaysBefore: 3 },
  ...over,
});

/** Runs approve and returns the accepted decision (fails the test on a refusal). */
const accepted = (p: CoordinatedPlan, i: ApprovalInput) => {
  const d = approve(p, i);
  assert.ok(d.ok, `expected an accepted decision, got ${JSON.stringify(d)}`);
  return d.value;
};
/** Runs approve and returns the refusal (fails the test when accepted). */
const refused = (p: CoordinatedPlan, i: ApprovalInput): Refusal => {
  const d = approve(p, i);
  assert.ok(!d.ok, 'expected a refusal');
  return d;
};

const ofType = <T extends Effect['type']>(effects: readonly Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const journals = (effects: readonly Effect[]): JournalEffect[] => ofType(effects, 'journal');
const journalOf = (effects: readonly Effect[], step: string): JournalEffect => {
  const j = journals(effects).filter((e) => e.event.step === step);
  assert.equal(j.length, 1, `exactly one journal ${step}`);
  return j[0]!;
};

/** The plan after FFS approved version 1 (ÄVO still to decide). */
const approvedByFfs = () => accepted(submitted(), input(tomas, 'ffs')).state;

describe('routine D approve(): a supervisor of each other administration approves or returns the plan (seed 004)', () => {
  describe('"planen godkänns av ansvarig chef i respektive förvaltning innan den upprättas": one of two approvals does not establish it', () => {
    it('an approval by one of two other administrations keeps the plan awaiting approval and does exactly: refresh cards, close its task, journal', () => {
      const d = accepted(submitted(), input(tomas, 'ffs'));
      assert.equal(d.state.state, 'awaitingApproval');
      assert.deepEqual(d.state.versions[0]!.decisions, [{ administration: 'ffs', decision: 'approved', by: 't', byName: 'Tomas', at: now.toISOString() }]);
      assert.deepEqual(d.effects, [
        { type: 'refreshCards', id: 'step-1:1', card: { kind: 'd.approvalCards', data: { spId: 'sp1', version: 1 } }, except: 't' },
        { type: 'closeTask', id: 'step-1:2', unit: 'ffs', taskId: 'd-approve-sp1-1-ffs', outcome: 'done', by: 't', at: now.toISOString() },
        {
          type: 'journal',
          id: 'step-1:3',
          event: { caseId: 'c1', at: now.toISOString(), actorId: 't', actorName: 'Tomas', role: 'supervisor', unit: 'ffs', routine: 'D', step: 'd.approved', details: { version: 1, administration: 'ffs' } },
        },
        { type: 'refreshCards', id: 'step-1:4', card: { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1', version: 1 } } },
      ]);
      assert.equal(approvalTaskId('sp1', 1, 'ffs'), 'd-approve-sp1-1-ffs');
    });

    it('an approval that does not settle the plan reaches the initiator only by her status card, updated in place (no new message, no initiatorNotice, no follow-up task)', () => {
      const d = accepted(submitted(), input(tomas, 'ffs'));
      assert.deepEqual(ofType(d.effects, 'notify'), []);
      assert.deepEqual(ofType(d.effects, 'refreshCards').map((e) => e.card).at(-1), { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1', version: 1 } });
      assert.deepEqual(ofType(d.effects, 'openTask'), []);
      assert.equal(d.initiatorNotice, undefined);
      assert.equal(journalOf(d.effects, 'd.approved').undeliveredFrom, undefined, 'nobody to report as not reached');
    });
  });

  describe('"Den samordnande planen ska godkännas av bägge förvaltningar": the last approval establishes and locks the plan', () => {
    const last = () => accepted(approvedByFfs(), input(ulla, 'avo', { stepId: 'step-2', now: later }));

    it('the state becomes established and the initiator is told (d.established)', () => {
      const d = last();
      assert.equal(d.state.state, 'established');
      const notes: NotifyEffect[] = ofType(d.effects, 'notify');
      assert.equal(notes.length, 1);
      assert.deepEqual(notes[0], { type: 'notify', id: notes[0]!.id, personId: 's', card: { kind: D_CARDS.established, data: {} } });
      assert.equal(notes[0]!.card.kind, 'd.established');
      assert.equal(d.initiatorNotice, notes[0]!.id);
    });

    it('"a person is told that a card was sent only when delivered": the d.approved journal points at the notice, naming the initiator', () => {
      const d = last();
      const approved = journalOf(d.effects, 'd.approved');
      assert.deepEqual(approved.undeliveredFrom, { effect: d.initiatorNotice, notReachedName: 'Sofia' });
      assert.deepEqual(approved.event.details, { version: 1, administration: 'avo' });
    });

    it('the journal records d.established for the version', () => {
      const d = last();
      const est = journalOf(d.effects, 'd.established');
      assert.deepEqual(est.event, { caseId: 'c1', at: later.toISOString(), actorId: 'u', actorName: 'Ulla', role: 'supervisor', unit: 'avo', routine: 'D', step: 'd.established', details: { version: 1 } });
      assert.equal(est.undeliveredFrom, undefined);
    });

    it('"Planen följs upp vid behov": the initiator gets a follow-up task due on the plan\'s follow-up date, with its reminders', () => {
      const d = last();
      const opened: OpenTaskEffect[] = ofType(d.effects, 'openTask');
      assert.equal(opened.length, 1);
      const { task, reminders } = opened[0]!;
      assert.deepEqual(task, {
        taskId: 'd-followup-sp1-1',
        caseId: 'c1',
        routine: 'D',
        step: 'd.followUp',
        unit: 'sf-nordost',
        assignee: { kind: 'person', personId: 's' },
        dueDate: '2027-01-15',
        binding: false,
        label: 'Uppföljning SP-SP1',
        caseLabel: 'SP-SP1',
        context: { spId: 'sp1' },
        state: 'open',
        createdAt: later.toISOString(),
      });
      assert.equal(task.taskId, followUpTaskId('sp1', 1));
      assert.deepEqual(reminders, planReminders(task, '2026-11-24', { workingDaysBefore: 3 }));
      // Fri 2027-01-15: three working days before is Tue 12 Jan; overdue on the next working day, Mon 18 Jan.
      assert.deepEqual(reminders, [
        { kind: 'before', fireOn: '2027-01-12' },
        { kind: 'dueDay', fireOn: '2027-01-15' },
        { kind: 'overdue', fireOn: '2027-01-18' },
      ]);
      const overdue = reminders.find((r) => r.kind === 'overdue');
      assert.ok(overdue && overdue.fireOn > task.dueDate, 'an overdue reminder after the due date');
    });

    it('the last approval closes only its own administration\'s approval task, and refreshes everyone else\'s cards', () => {
      const d = last();
      assert.deepEqual(
        ofType(d.effects, 'closeTask').map((e: CloseTaskEffect) => [e.unit, e.taskId, e.outcome, e.by, e.at]),
        [['avo', 'd-approve-sp1-1-avo', 'done', 'u', later.toISOString()]],
      );
      assert.deepEqual(ofType(d.effects, 'refreshCards').map((e: RefreshCardsEffect) => [e.card, e.except]), [
        [{ kind: 'd.approvalCards', data: { spId: 'sp1', version: 1 } }, 'u'],
        [{ kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1', version: 1 } }, undefined],
      ]);
    });

    it('a consultation (no case) keeps its journal and follow-up task under the plan itself (sp:<spId>)', () => {
      const p = accepted(submitted({ mode: 'consultation', caseId: null }), input(tomas, 'ffs')).state;
      const d = accepted(p, input(ulla, 'avo'));
      assert.equal(d.state.state, 'established');
      assert.ok(journals(d.effects).every((j) => j.event.caseId === 'sp:sp1'));
      assert.equal(ofType(d.effects, 'openTask')[0]!.task.caseId, 'sp:sp1');
    });
  });

  describe('"supervisors approve (or return with comments)": a return', () => {
    it('a return needs a comment: an empty or blank one is refused with reasonRequired and does nothing', () => {
      for (const comment of ['', '   ']) {
        assert.deepEqual(approve(submitted(), input(tomas, 'ffs', { decision: 'returned', comment })), { ok: false, code: 'reasonRequired', params: {} });
      }
    });

    it('with a comment the plan is returned, every approval task of the version is closed, and the initiator gets the trimmed comment', () => {
      const d = accepted(submitted(), input(tomas, 'ffs', { decision: 'returned', comment: '  Ange datum för uppföljning  ' }));
      assert.equal(d.state.state, 'returned');
      assert.equal(d.state.versions[0]!.decisions[0]!.comment, 'Ange datum för uppföljning');
      const closed = ofType(d.effects, 'closeTask');
      assert.deepEqual(closed.map((e) => [e.unit, e.taskId, e.by, e.at]).sort(), [
        ['avo', 'd-approve-sp1-1-avo', 't', now.toISOString()],
        ['ffs', 'd-approve-sp1-1-ffs', 't', now.toISOString()],
      ]);
      assert.equal(closed.find((e) => e.unit === 'ffs')!.outcome, 'done', 'the returning administration did its task');
      assert.equal(closed.find((e) => e.unit === 'avo')!.outcome, 'cancelled', 'the other approval is no longer asked for');
      const notes = ofType(d.effects, 'notify');
      assert.deepEqual(notes.map((n) => [n.personId, n.card]), [['s', { kind: 'd.returned', data: { byName: 'Tomas', comment: 'Ange datum för uppföljning' } }]]);
      assert.equal(d.initiatorNotice, notes[0]!.id);
      const ret = journalOf(d.effects, 'd.returned');
      assert.deepEqual(ret.event.details, { version: 1, administration: 'ffs' });
      assert.deepEqual(ret.undeliveredFrom, { effect: notes[0]!.id, notReachedName: 'Sofia' });
      assert.deepEqual(ofType(d.effects, 'openTask'), [], 'a returned plan gets no follow-up task');
      assert.equal(journals(d.effects).some((j) => j.event.step === 'd.established'), false);
    });

    it('a return after the other administration approved still returns the plan (not established)', () => {
      const d = accepted(approvedByFfs(), input(ulla, 'avo', { decision: 'returned', comment: 'Ansvaret är otydligt' }));
      assert.equal(d.state.state, 'returned');
      assert.deepEqual(ofType(d.effects, 'notify').map((n) => n.card.kind), ['d.returned']);
    });
  });

  describe('ownership: "Each board is its own authority" — only a supervisor of that other administration decides, once, on the current version', () => {
    it('a supervisor of another invited administration cannot decide for this one (notAllowed)', () => {
      assert.deepEqual(refused(submitted(), input(ulla, 'ffs')), { ok: false, code: 'notAllowed', params: {} });
    });

    it('a social worker (not a supervisor) of the administration cannot approve (notAllowed)', () => {
      assert.deepEqual(refused(submitted(), input(ffsWorker, 'ffs')), { ok: false, code: 'notAllowed', params: {} });
    });

    it('the initiating administration does not approve its own plan — "godkännande av den andra förvaltningen" (notAllowed)', () => {
      assert.equal(refused(submitted(), input(sofia, 'sf-nordost')).code, 'notAllowed');
      assert.equal(refused(submitted(), input(nordostSupervisor, 'sf-nordost')).code, 'notAllowed');
      assert.equal(refused(submitted(), input(nordostSupervisor, 'ffs')).code, 'notAllowed');
    });

    it('someone with no part in the plan gets the same answer as for a plan that does not exist (notFoundOrNotAllowed)', () => {
      assert.deepEqual(refused(submitted(), input(centrumSupervisor, 'ffs')), { ok: false, code: 'notFoundOrNotAllowed', params: {} });
      assert.equal(refused(submitted(), input(centrumSupervisor, 'sf-centrum')).code, 'notFoundOrNotAllowed');
    });

    it('a card of a version that is not the current one is stale (staleCard)', () => {
      assert.deepEqual(refused(submitted(), input(tomas, 'ffs', { version: 2 })), { ok: false, code: 'staleCard', params: {} });
      // Version 1 returned by FFS, version 2 submitted: ÄVO's card of version 1 is stale.
      const returned = accepted(submitted(), input(tomas, 'ffs', { decision: 'returned', comment: 'Ändra' })).state;
      const v2 = submitPlan(returned, sofia, content, later);
      assert.ok(v2.ok);
      assert.equal(refused(v2.value, input(ulla, 'avo', { version: 1 })).code, 'staleCard');
      assert.equal(refused(returned, input(ulla, 'avo', { version: 1 })).code, 'staleCard', 'a returned version takes no more decisions');
    });

    it('a second decision by the same administration is alreadyDone, naming who decided first and when', () => {
      const p = approvedByFfs();
      assert.deepEqual(refused(p, input(tina, 'ffs', { now: later, stepId: 'step-2' })), { ok: false, code: 'alreadyDone', params: { by: 'Tomas', at: now.toISOString() } });
      assert.deepEqual(refused(p, input(tomas, 'ffs', { now: later, decision: 'returned', comment: 'ångrar' })).params, { by: 'Tomas', at: now.toISOString() });
      // Also on an old version, and after the plan is established (locked).
      const est = accepted(p, input(ulla, 'avo', { now: later })).state;
      assert.deepEqual(refused(est, input(ulla, 'avo', { now: later })), { ok: false, code: 'alreadyDone', params: { by: 'Ulla', at: later.toISOString() } });
    });

    it('a refusal changes nothing: the plan passed in is untouched', () => {
      const p = submitted();
      const before = JSON.stringify(p);
      refused(p, input(ffsWorker, 'ffs'));
      refused(p, input(tomas, 'ffs', { decision: 'returned', comment: '' }));
      accepted(p, input(tomas, 'ffs'));
      assert.equal(JSON.stringify(p), before, 'approve does not mutate its input plan');
    });
  });

  describe('effects are idempotent and deterministic ("every effect has an id unique to its step")', () => {
    it('effect ids are <stepId>:1, <stepId>:2, … unique and in the listed order', () => {
      const d = accepted(approvedByFfs(), input(ulla, 'avo', { stepId: 'abc-123' }));
      assert.deepEqual(
        d.effects.map((e) => [e.id, e.type]),
        [
          ['abc-123:1', 'refreshCards'],
          ['abc-123:2', 'closeTask'],
          ['abc-123:3', 'notify'],
          ['abc-123:4', 'journal'],
          ['abc-123:5', 'journal'],
          ['abc-123:6', 'openTask'],
          ['abc-123:7', 'refreshCards'],
        ],
      );
      assert.equal(new Set(d.effects.map((e) => e.id)).size, d.effects.length);
      const r = accepted(submitted(), input(tomas, 'ffs', { stepId: 'r', decision: 'returned', comment: 'x' }));
      assert.deepEqual(r.effects.map((e) => e.id), ['r:1', 'r:2', 'r:3', 'r:4', 'r:5', 'r:6']);
    });

    it('the same input twice gives identical decisions, reading no clock and no randomness', () => {
      const p = approvedByFfs();
      const i = input(ulla, 'avo', { stepId: 'same' });
      const OriginalDate = globalThis.Date;
      const originalRandom = Math.random;
      const forbidden = (what: string) => () => {
        throw new Error(`approve read ${what}`);
      };
      // A Date that refuses to tell the time: `new Date()` and Date.now() throw; dates from values work.
      class NoClockDate extends OriginalDate {
        constructor(...args: unknown[]) {
          if (args.length === 0) forbidden('the clock (new Date())')();
          super(...(args as [string]));
        }
        static override now(): number {
          return forbidden('the clock (Date.now)')() as never;
        }
      }
      let first, second;
      try {
        globalThis.Date = NoClockDate as DateConstructor;
        Math.random = forbidden('Math.random');
        first = approve(p, i);
        second = approve(p, i);
      } finally {
        globalThis.Date = OriginalDate;
        Math.random = originalRandom;
      }
      assert.ok(first.ok);
      assert.deepEqual(first, second);
      for (const at of [...journals(first.value.effects).map((j) => j.event.at), ...ofType(first.value.effects, 'closeTask').map((c) => c.at)]) assert.equal(at, now.toISOString(), 'every time is the input\'s now');
    });
  });

  describe('"Every step done is a journal event: who, when, what" — and effects hold ids and codes only', () => {
    it('the journal events carry the actor as supervisor of the deciding administration', () => {
      for (const d of [
        accepted(submitted(), input(tomas, 'ffs')),
        accepted(approvedByFfs(), input(ulla, 'avo')),
        accepted(submitted(), input(ulla, 'avo', { decision: 'returned', comment: 'x' })),
      ]) {
        const admin = d.state.versions[0]!.decisions.at(-1)!.administration;
        for (const j of journals(d.effects)) {
          assert.equal(j.event.role, 'supervisor');
          assert.equal(j.event.unit, admin);
          assert.equal(j.event.routine, 'D');
          assert.equal(j.event.caseId, 'c1');
        }
      }
    });

    it('no effect carries the plan\'s free text, and card data holds only byName, comment, spId and version', () => {
      const decisions = [
        accepted(submitted(), input(tomas, 'ffs')),
        accepted(approvedByFfs(), input(ulla, 'avo')),
        accepted(submitted(), input(ulla, 'avo', { decision: 'returned', comment: 'Se över ansvaret' })),
      ];
      for (const d of decisions) {
        const json = JSON.stringify(d.effects);
        for (const s of IDENTIFYING) assert.ok(!json.includes(s), `an effect holds "${s}"`);
        for (const e of d.effects) {
          if (e.type !== 'notify' && e.type !== 'refreshCards') continue;
          for (const key of Object.keys(e.card.data)) assert.ok(['byName', 'comment', 'spId', 'version'].includes(key), `card ${e.card.kind} holds ${key}`);
        }
        for (const j of journals(d.effects)) for (const key of Object.keys(j.event.details)) assert.ok(['version', 'administration'].includes(key), `journal ${j.event.step} holds ${key}`);
      }
    });
  });
});

// --- the other steps of routine D as whole decisions -------------------------------------------------
// The same people and plan as above. Seed 004's rule each test checks is quoted in its name (or in
// its describe); ROUTINES.md D.n is the numbered step of the product specification.

/** A consent of the case given three days before `now`, covering both other administrations. */
const consentOf = (over: Partial<Consent> = {}): Consent => ({
  consentId: 'k1', caseId: 'c1', routine: 'D', recipients: ['ffs', 'avo'], information: 'Behov och insatser', givenBy: 'individual', method: 'inPerson',
  givenAt: '2026-11-20T09:00:00.000Z', capturedBy: 's', capturedAt: '2026-11-20T09:00:00.000Z', toldHowToRevoke: true, ...over,
});

/** The accepted value of any decision (fails the test on a refusal). */
const ok = <T>(d: Decision<T>): T => {
  assert.ok(d.ok, `expected an accepted decision, got ${JSON.stringify(d)}`);
  return d.value;
};
/** The refusal of any decision (fails the test when accepted). */
const no = <T>(d: Decision<T>): Refusal => {
  assert.ok(!d.ok, `expected a refusal, got ${JSON.stringify(d)}`);
  return d;
};
/** The notify effects but the initiator's status card (its own tests: test/routines/coordinatedPlanStatus.test.ts). */
const notifies = (effects: readonly Effect[]): NotifyEffect[] => ofType(effects, 'notify').filter((n) => n.card.kind !== D_STATUS_CARDS.statusCard);
/**
 * The effects are exactly these, in this order. Compared one effect at a time: a failing deepEqual
 * of a dozen nested effects makes node:assert compute a diff for minutes.
 */
const sameEffects = (actual: readonly Effect[], expected: readonly unknown[]) => {
  assert.deepEqual(actual.map((e) => `${e.id} ${e.type}`), expected.map((e) => `${(e as Effect).id} ${(e as Effect).type}`));
  expected.forEach((e, i) => assert.deepEqual(actual[i], e, `effect ${(e as Effect).id}`));
};
/** The actor fields of a journal event. */
const pick = (e: JournalEffect['event']) => ({ actorId: e.actorId, role: e.role, unit: e.unit });

/**
 * Runs `decide` twice with a clock that refuses to tell the time and no randomness: a decision
 * takes its time from its input only. Returns both results.
 */
function withoutClock<T>(decide: () => T): [T, T] {
  const OriginalDate = globalThis.Date;
  const originalRandom = Math.random;
  const forbidden = (what: string) => () => {
    throw new Error(`the decision read ${what}`);
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
  try {
    globalThis.Date = NoClockDate as DateConstructor;
    Math.random = forbidden('Math.random');
    return [decide(), decide()];
  } finally {
    globalThis.Date = OriginalDate;
    Math.random = originalRandom;
  }
}

const answerInput = (person: StaffMember, administration: Administration, over: Partial<InvitationAnswerInput> = {}): InvitationAnswerInput => ({
  stepId: 'ans', person, administration, answer: 'accepted', note: '', now, ...over,
});

describe('routine D answer(): the invited administrations answer the invitation to the SP meeting (seed 004 "Sammankalla till samordnat möte", "Mötet ska prioriteras av samtliga förvaltningar"; ROUTINES.md D.3)', () => {
  it('an acceptance does exactly: refresh the administration\'s invitation cards for the other viewers, tell the initiator, journal the answer', () => {
    const d = ok(answer(plan(), answerInput(tomas, 'ffs')));
    sameEffects(d.effects, [
      { type: 'refreshCards', id: 'ans:1', card: { kind: 'd.invitationCards', data: { spId: 'sp1', administration: 'ffs' } }, except: 't' },
      { type: 'notify', id: 'ans:2', personId: 's', card: { kind: 'd.invitationAnswered', data: { initiatingAdministration: 'sf-nordost', administration: 'ffs', answer: 'accepted', byName: 'Tomas', note: '' } } },
      {
        type: 'journal',
        id: 'ans:3',
        event: { caseId: 'c1', at: now.toISOString(), actorId: 't', actorName: 'Tomas', role: 'supervisor', unit: 'ffs', routine: 'D', step: 'd.invitationAnswered', details: { administration: 'ffs', answer: 'accepted' } },
        undeliveredFrom: { effect: 'ans:2', notReachedName: 'Sofia' },
      },
      { type: 'refreshCards', id: 'ans:4', card: { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1' } } },
    ]);
    assert.equal(d.initiatorNotice, 'ans:2');
    const ffs = d.state.invitations.find((i) => i.administration === 'ffs')!;
    assert.deepEqual([ffs.answer, ffs.note, ffs.by, ffs.byName, ffs.at], ['accepted', undefined, 't', 'Tomas', now.toISOString()]);
    assert.equal(d.state.invitations.find((i) => i.administration === 'avo')!.answer, undefined, 'ÄVO has not answered');
    assert.equal(d.state.state, 'invited');
  });

  it('"a person is told that a card was sent only when delivered": the initiator\'s notice goes to her by id, with no consent check (her own administration) and nothing to remember', () => {
    const [n] = notifies(ok(answer(plan(), answerInput(tomas, 'ffs'))).effects);
    assert.equal(n!.personId, 's');
    assert.equal(n!.role, undefined, 'to the initiator herself, not to a role');
    assert.equal(n!.consent, undefined);
    assert.equal(n!.remember, undefined);
  });

  it('"1:e socialsekreterare eller socialsekreterare från respektive förvaltning kallas": a social worker of the invited administration may answer, journalled as a social worker', () => {
    const d = ok(answer(plan(), answerInput(ffsWorker, 'ffs')));
    const j = journalOf(d.effects, 'd.invitationAnswered');
    assert.deepEqual([j.event.actorId, j.event.role, j.event.unit], ['w', 'socialWorker', 'ffs']);
    assert.deepEqual(ofType(d.effects, 'refreshCards')[0]!.except, 'w');
  });

  it('the initiator\'s reply task (d-reply-<spId>, in her unit) is done only when every invited administration has answered', () => {
    const first = ok(answer(plan(), answerInput(tomas, 'ffs')));
    assert.deepEqual(ofType(first.effects, 'closeTask'), [], 'one of two answered: the task stays open');
    const last = ok(answer(first.state, answerInput(ulla, 'avo', { stepId: 'ans2', answer: 'declined', note: 'Inget ärende hos oss', now: later })));
    assert.deepEqual(ofType(last.effects, 'closeTask'), [{ type: 'closeTask', id: 'ans2:4', unit: 'sf-nordost', taskId: 'd-reply-sp1', outcome: 'done', by: 'u', at: later.toISOString() }]);
    assert.equal(replyTaskId('sp1'), 'd-reply-sp1');
    assert.ok(last.state.invitations.every((i) => i.answer));
  });

  it('"Utebliven närvaro utan giltig orsak …": another time or a no needs a comment (reasonRequired); the trimmed comment reaches the initiator and the plan', () => {
    for (const a of ['proposedOtherTime', 'declined'] as const) {
      for (const note of ['', '   ']) assert.deepEqual(answer(plan(), answerInput(ulla, 'avo', { answer: a, note })), { ok: false, code: 'reasonRequired', params: {} });
    }
    const d = ok(answer(plan(), answerInput(ulla, 'avo', { answer: 'proposedOtherTime', note: '  Hellre 2026-12-01  ' })));
    assert.deepEqual(notifies(d.effects)[0]!.card.data, { initiatingAdministration: 'sf-nordost', administration: 'avo', answer: 'proposedOtherTime', byName: 'Ulla', note: 'Hellre 2026-12-01' });
    assert.equal(d.state.invitations.find((i) => i.administration === 'avo')!.note, 'Hellre 2026-12-01');
    assert.deepEqual(journalOf(d.effects, 'd.invitationAnswered').event.details, { administration: 'avo', answer: 'proposedOtherTime' }, 'the comment is not journalled');
  });

  it('"Each board is its own authority": only the invited administration answers, for itself', () => {
    assert.deepEqual(no(answer(plan(), answerInput(ulla, 'ffs'))), { ok: false, code: 'notAllowed', params: {} }, 'ÄVO for FFS');
    assert.equal(no(answer(plan(), answerInput(sofia, 'ffs'))).code, 'notAllowed', 'the initiator does not answer her own invitation');
    assert.equal(no(answer(plan(), answerInput(nordostSupervisor, 'sf-nordost'))).code, 'notAllowed', 'the initiating administration is not invited');
    assert.deepEqual(no(answer(plan(), answerInput(centrumSupervisor, 'sf-centrum'))), { ok: false, code: 'notFoundOrNotAllowed', params: {} }, 'no part in the plan');
  });

  it('a second answer is alreadyDone naming who answered first and when; a closed plan\'s or an unknown invitation\'s card is stale', () => {
    const answered = ok(answer(plan(), answerInput(tomas, 'ffs'))).state;
    assert.deepEqual(no(answer(answered, answerInput(tina, 'ffs', { now: later, answer: 'declined', note: 'x' }))), { ok: false, code: 'alreadyDone', params: { by: 'Tomas', at: now.toISOString() } });
    assert.deepEqual(no(answer(plan({ state: 'closed' }), answerInput(tomas, 'ffs'))), { ok: false, code: 'staleCard', params: {} });
    assert.equal(no(answer(plan({ invitations: [{ administration: 'ffs' }] }), answerInput(ulla, 'avo'))).code, 'staleCard', 'ÄVO has no invitation on this plan');
  });

  it('a refusal does nothing and leaves the plan passed in untouched; a consultation journals under sp:<spId>', () => {
    const p = plan();
    const before = JSON.stringify(p);
    no(answer(p, answerInput(ulla, 'ffs')));
    ok(answer(p, answerInput(tomas, 'ffs')));
    assert.equal(JSON.stringify(p), before);
    const c = ok(answer(plan({ mode: 'consultation', caseId: null }), answerInput(tomas, 'ffs')));
    assert.equal(journalOf(c.effects, 'd.invitationAnswered').event.caseId, 'sp:sp1');
  });
});

const submitInput = (over: Partial<SubmitInput> = {}): SubmitInput => ({
  stepId: 'sub',
  person: sofia,
  content,
  now,
  consents: [consentOf()],
  taskLabels: { label: 'Godkänn samordnad plan TR-1', caseLabel: 'TR-1' },
  approvalWorkingDays: 5,
  policy: { workingDaysBefore: 3 },
  ...over,
});

describe('routine D submit(): "skicka planen för godkännande av den andra förvaltningen, innan den upprättas" (seed 004; ROUTINES.md D.5)', () => {
  it('with consent for both: to each other administration an approval card for its supervisors (consent rechecked at sending, card ids remembered) and a binding approval task — exactly these effects', () => {
    const d = ok(submit(plan(), submitInput()));
    const task = (admin: Administration) => ({
      taskId: `d-approve-sp1-1-${admin}`,
      caseId: 'c1',
      routine: 'D',
      step: 'd.approve',
      unit: admin,
      assignee: { kind: 'role', role: 'supervisor', unit: admin },
      dueDate: '2026-11-30',
      binding: true,
      label: 'Godkänn samordnad plan TR-1',
      caseLabel: 'TR-1',
      context: { spId: 'sp1' },
      consentRecipient: admin,
      state: 'open',
      createdAt: now.toISOString(),
    } as const);
    sameEffects(d.effects, [
      { type: 'notify', id: 'sub:1', role: { role: 'supervisor', unit: 'ffs' }, card: { kind: 'd.approvalCard', data: { spId: 'sp1', version: 1, administration: 'ffs' } }, consent: { caseId: 'c1', recipient: 'ffs' }, remember: true },
      { type: 'openTask', id: 'sub:2', task: task('ffs'), reminders: planReminders(task('ffs'), '2026-11-23', { workingDaysBefore: 3 }) },
      { type: 'notify', id: 'sub:3', role: { role: 'supervisor', unit: 'avo' }, card: { kind: 'd.approvalCard', data: { spId: 'sp1', version: 1, administration: 'avo' } }, consent: { caseId: 'c1', recipient: 'avo' }, remember: true },
      { type: 'openTask', id: 'sub:4', task: task('avo'), reminders: planReminders(task('avo'), '2026-11-23', { workingDaysBefore: 3 }) },
      {
        type: 'journal',
        id: 'sub:5',
        event: { caseId: 'c1', at: now.toISOString(), actorId: 's', actorName: 'Sofia', role: 'socialWorker', unit: 'sf-nordost', routine: 'D', step: 'd.planSubmitted', details: { version: 1, to: '', notReached: '', noConsent: '' } },
        deliveryLists: { byEffect: { 'sub:1': 'ffs', 'sub:3': 'avo' }, reached: 'to', notReached: 'notReached', noConsent: 'noConsent' },
      },
      { type: 'refreshCards', id: 'sub:6', card: { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1', version: 0 } } },
      { type: 'notify', id: 'sub:7', personId: 's', card: { kind: D_STATUS_CARDS.statusCard, data: { spId: 'sp1', version: 1 } }, remember: true, about: 'c1' },
      { type: 'notify', id: 'sub:8', role: { role: 'supervisor', unit: 'sf-nordost' }, card: { kind: D_STATUS_CARDS.statusCard, data: { spId: 'sp1', version: 1 } }, remember: true, about: 'c1' },
    ]);
    assert.deepEqual(d.cardTo, { ffs: 'sub:1', avo: 'sub:3' });
    assert.deepEqual(d.noConsent, []);
    assert.equal(d.state.state, 'awaitingApproval');
    assert.deepEqual(d.state.versions, [{ version: 1, content, submittedAt: now.toISOString(), decisions: [] }]);
  });

  it('"supervisors approve": the card goes to the supervisors only (no fallback to social workers) and the task is theirs: role supervisor of that administration', () => {
    const d = ok(submit(plan(), submitInput()));
    for (const n of notifies(d.effects)) {
      assert.equal(n.personId, undefined);
      assert.equal(n.role!.role, 'supervisor');
      assert.equal(n.role!.orElse, undefined, 'a social worker cannot approve, so is not sent the approval card');
    }
    assert.deepEqual(ofType(d.effects, 'openTask').map((o) => [o.task.unit, o.task.assignee, o.task.binding]), [
      ['ffs', { kind: 'role', role: 'supervisor', unit: 'ffs' }, true],
      ['avo', { kind: 'role', role: 'supervisor', unit: 'avo' }, true],
    ]);
    assert.equal(approvalTaskId('sp1', 1, 'avo'), 'd-approve-sp1-1-avo');
  });

  it('"A due date a person must meet falls on a Swedish working day": the approval is due approvalDue(today, APPROVAL_WORKING_DAYS), today being the Stockholm date', () => {
    const dueOf = (at: Date, days = 5) => ofType(ok(submit(plan(), submitInput({ now: at, approvalWorkingDays: days }))).effects, 'openTask').map((o) => [o.task.dueDate, o.reminders]);
    // Mon 23 Nov + 5 working days = Mon 30 Nov.
    assert.deepEqual(dueOf(now).map(([due]) => due), ['2026-11-30', '2026-11-30']);
    // Mon 21 Dec + 5: julafton, juldagen and the weekend are skipped: Wed 30 Dec.
    const christmas = new Date('2026-12-21T09:00:00Z');
    for (const [due, reminders] of dueOf(christmas)) {
      assert.equal(due, '2026-12-30');
      assert.equal(due, approvalDue('2026-12-21', 5));
      assert.ok(isWorkingDay(due as string));
      assert.deepEqual(reminders, planReminders({ dueDate: due as string }, '2026-12-21', { workingDaysBefore: 3 }));
    }
    // Thu 26 Nov 23:30 UTC is already Fri 27 Nov in Stockholm: + 5 = Fri 4 Dec (not Thu 3 Dec).
    const lateEvening = new Date('2026-11-26T23:30:00Z');
    assert.deepEqual(dueOf(lateEvening).map(([due]) => due), ['2026-12-04', '2026-12-04']);
    assert.deepEqual(dueOf(now, 2).map(([due]) => due), ['2026-11-25', '2026-11-25'], 'the number of working days is the city\'s setting');
  });

  it('"Eftersom varje nämnd räknas som en egen myndighet krävs samtycke": an administration the consent does not cover gets no card and no task, and the journal already lists it under noConsent', () => {
    const d = ok(submit(plan(), submitInput({ consents: [consentOf({ recipients: ['ffs'] })] })));
    assert.deepEqual(notifies(d.effects).map((n) => n.role!.unit), ['ffs']);
    assert.deepEqual(ofType(d.effects, 'openTask').map((o) => o.task.unit), ['ffs']);
    assert.deepEqual(d.cardTo, { ffs: 'sub:1' });
    assert.deepEqual(d.noConsent, ['avo']);
    const j = journalOf(d.effects, 'd.planSubmitted');
    assert.equal(j.event.details['noConsent'], 'avo');
    assert.deepEqual(j.deliveryLists!.byEffect, { 'sub:1': 'ffs' }, 'the relay lists only the card that went');
    assert.equal(d.state.state, 'awaitingApproval', 'the version is still submitted');
  });

  it('"det ska vara tydligt … att hen har möjlighet att återkalla ett samtycke": a revoked consent, or one given later than the step, covers nobody', () => {
    for (const consents of [[consentOf({ revokedAt: '2026-11-22T12:00:00.000Z', revokedBy: 's' })], [consentOf({ givenAt: '2026-11-24T09:00:00.000Z' })], []]) {
      const d = ok(submit(plan(), submitInput({ consents })));
      assert.deepEqual(notifies(d.effects), []);
      assert.deepEqual(ofType(d.effects, 'openTask'), []);
      assert.deepEqual(d.noConsent, ['ffs', 'avo']);
      assert.deepEqual(d.cardTo, {});
      assert.equal(journalOf(d.effects, 'd.planSubmitted').event.details['noConsent'], 'ffs,avo');
    }
    // A consent revoked only after the step still covers it now (the relay checks again when it sends).
    const d = ok(submit(plan(), submitInput({ consents: [consentOf({ revokedAt: later.toISOString(), revokedBy: 's' })] })));
    assert.deepEqual(d.noConsent, []);
  });

  it('"När samtycke saknas kan oidentifierad konsultation användas": a consultation needs no consent — no consent check on its cards, no consentRecipient on its tasks, kept under sp:<spId>', () => {
    const d = ok(submit(plan({ mode: 'consultation', caseId: null }), submitInput({ consents: [] })));
    assert.deepEqual(notifies(d.effects).map((n) => [n.role!.unit, n.consent, n.remember]), [['ffs', undefined, true], ['avo', undefined, true]]);
    for (const o of ofType(d.effects, 'openTask')) {
      assert.equal(o.task.consentRecipient, undefined);
      assert.equal(o.task.caseId, 'sp:sp1');
    }
    assert.equal(journalOf(d.effects, 'd.planSubmitted').event.caseId, 'sp:sp1');
    assert.deepEqual(d.noConsent, []);
    // Only a consent plan's cards are checked against the case's consent, whatever ids a consultation holds.
    assert.ok(notifies(ok(submit(plan({ mode: 'consultation' }), submitInput({ consents: [] }))).effects).every((n) => n.consent === undefined));
  });

  it('after a return a new version goes out as version 2, with its own card data and task ids', () => {
    const returned = accepted(submitted(), input(tomas, 'ffs', { decision: 'returned', comment: 'Ändra' })).state;
    const d = ok(submit(returned, submitInput({ stepId: 'v2', now: later })));
    assert.equal(d.state.versions.length, 2);
    assert.deepEqual(notifies(d.effects).map((n) => n.card.data), [{ spId: 'sp1', version: 2, administration: 'ffs' }, { spId: 'sp1', version: 2, administration: 'avo' }]);
    assert.deepEqual(ofType(d.effects, 'openTask').map((o) => o.task.taskId), ['d-approve-sp1-2-ffs', 'd-approve-sp1-2-avo']);
    assert.equal(journalOf(d.effects, 'd.planSubmitted').event.details['version'], 2);
  });

  it('only the initiator submits, once per version, never a locked plan', () => {
    assert.deepEqual(no(submit(plan(), submitInput({ person: nordostSupervisor }))), { ok: false, code: 'notAllowed', params: {} }, 'a supervisor of the initiating administration is not the initiator');
    assert.equal(no(submit(plan(), submitInput({ person: tomas }))).code, 'notAllowed', 'an invited administration');
    assert.equal(no(submit(plan(), submitInput({ person: centrumSupervisor }))).code, 'notFoundOrNotAllowed');
    assert.equal(no(submit(submitted(), submitInput())).code, 'awaitingApproval', 'a version is already out for approval');
    assert.equal(no(submit(plan({ state: 'established' }), submitInput())).code, 'planLocked', '"then it is locked (write-protected)"');
    assert.equal(no(submit(plan({ state: 'closed' }), submitInput())).code, 'planLocked');
    assert.deepEqual(no(submit(plan(), submitInput({ content: { ...content, followUpDate: '15/1 2027' } }))), { ok: false, code: 'outOfRange', params: { field: 'followUpDate', min: '', max: '' } });
  });

  it('effects hold ids and codes, never the plan\'s free text: card data is spId, version and administration', () => {
    const d = ok(submit(plan(), submitInput()));
    const json = JSON.stringify(d.effects);
    for (const s of [...IDENTIFYING, 'Stöd till Kalle']) assert.ok(!json.includes(s), `an effect holds "${s}"`);
    for (const n of notifies(d.effects)) assert.deepEqual(Object.keys(n.card.data).sort(), ['administration', 'spId', 'version']);
  });
});

const startInput = (over: Partial<StartInput> = {}): StartInput => ({
  stepId: 'st',
  person: sofia,
  now,
  consents: [consentOf()],
  consentRecorded: { givenBy: 'individual', method: 'inPerson' },
  taskLabels: { label: 'Svar på kallelse TR-1', caseLabel: 'TR-1' },
  invitationReplyWorkingDays: 5,
  policy: { workingDaysBefore: 3 },
  ...over,
});

describe('routine D start(): "Sammankalla till samordnat möte (SP möte)" after "Samtycke inhämtas från den enskilde" (seed 004; ROUTINES.md D.2–D.3)', () => {
  it('with consent for both: the consent journalled, an invitation to each other administration (consent rechecked at sending, card ids remembered), the initiator\'s reply task — exactly these effects', () => {
    const p = plan();
    const d = ok(start(p, startInput()));
    const task = {
      taskId: 'd-reply-sp1',
      caseId: 'c1',
      routine: 'D',
      step: 'd.invitationReply',
      unit: 'sf-nordost',
      assignee: { kind: 'person', personId: 's' },
      dueDate: '2026-11-30',
      binding: false,
      label: 'Svar på kallelse TR-1',
      caseLabel: 'TR-1',
      context: { spId: 'sp1' },
      state: 'open',
      createdAt: now.toISOString(),
    } as const;
    const actor = { at: now.toISOString(), actorId: 's', actorName: 'Sofia', role: 'socialWorker', unit: 'sf-nordost', routine: 'D' } as const;
    sameEffects(d.effects, [
      { type: 'journal', id: 'st:1', event: { caseId: 'c1', ...actor, step: 'd.consentRecorded', details: { administrations: 'ffs,avo', givenBy: 'individual', method: 'inPerson' } } },
      { type: 'notify', id: 'st:2', role: { role: 'supervisor', unit: 'ffs', orElse: 'socialWorker' }, card: { kind: 'd.invitationCard', data: { spId: 'sp1', administration: 'ffs' } }, consent: { caseId: 'c1', recipient: 'ffs' }, remember: true },
      { type: 'notify', id: 'st:3', role: { role: 'supervisor', unit: 'avo', orElse: 'socialWorker' }, card: { kind: 'd.invitationCard', data: { spId: 'sp1', administration: 'avo' } }, consent: { caseId: 'c1', recipient: 'avo' }, remember: true },
      {
        type: 'journal',
        id: 'st:4',
        event: { caseId: 'c1', ...actor, step: 'd.invited', details: { administrations: '', notReached: '', noConsent: '', mode: 'consent' } },
        deliveryLists: { byEffect: { 'st:2': 'ffs', 'st:3': 'avo' }, reached: 'administrations', notReached: 'notReached', noConsent: 'noConsent' },
      },
      { type: 'openTask', id: 'st:5', task, reminders: planReminders(task, '2026-11-23', { workingDaysBefore: 3 }) },
      { type: 'notify', id: 'st:6', personId: 's', card: { kind: D_STATUS_CARDS.statusCard, data: { spId: 'sp1', version: 0 } }, remember: true, about: 'c1' },
      { type: 'notify', id: 'st:7', role: { role: 'supervisor', unit: 'sf-nordost' }, card: { kind: D_STATUS_CARDS.statusCard, data: { spId: 'sp1', version: 0 } }, remember: true, about: 'c1' },
    ]);
    assert.deepEqual(d.noticeTo, { ffs: 'st:2', avo: 'st:3' });
    assert.deepEqual(d.noConsent, []);
    assert.equal(d.state, p, 'the plan is created as the dialog built it');
  });

  it('"1:e socialsekreterare eller socialsekreterare från respektive förvaltning kallas": the invitation goes to the supervisors, or else to the social workers', () => {
    for (const n of notifies(ok(start(plan(), startInput())).effects)) assert.deepEqual([n.role!.role, n.role!.orElse], ['supervisor', 'socialWorker']);
  });

  it('"Kallelsen sker med så god framförhållning som möjligt": the reply task is due invitationReplyDue(today, INVITATION_REPLY_WORKING_DAYS), on a working day, with its reminders', () => {
    const at = new Date('2026-12-21T09:00:00Z');
    const [o] = ofType(ok(start(plan(), startInput({ now: at, invitationReplyWorkingDays: 3 }))).effects, 'openTask');
    // Mon 21 Dec + 3 working days: 22, 23, (24–27 off), 28 Dec.
    assert.equal(o!.task.dueDate, '2026-12-28');
    assert.equal(o!.task.dueDate, invitationReplyDue('2026-12-21', 3));
    assert.ok(isWorkingDay(o!.task.dueDate));
    assert.deepEqual(o!.task.assignee, { kind: 'person', personId: 's' });
    assert.equal(o!.task.taskId, replyTaskId('sp1'));
    assert.deepEqual(o!.reminders, planReminders(o!.task, '2026-12-21', { workingDaysBefore: 3 }));
  });

  it('"Samverkan måste alltid ske med hänsyn till bestämmelserna om sekretess": an administration the consent does not cover gets no invitation; the journal already lists it under noConsent', () => {
    const d = ok(start(plan(), startInput({ consents: [consentOf({ recipients: ['avo'] })] })));
    assert.deepEqual(notifies(d.effects).map((n) => [n.id, n.role!.unit]), [['st:2', 'avo']]);
    assert.deepEqual(d.noticeTo, { avo: 'st:2' });
    assert.deepEqual(d.noConsent, ['ffs']);
    const j = journalOf(d.effects, 'd.invited');
    assert.equal(j.event.details['noConsent'], 'ffs');
    assert.deepEqual(j.deliveryLists!.byEffect, { 'st:2': 'avo' });
    // Revoked before the step: nobody is invited.
    const revoked = ok(start(plan(), startInput({ consents: [consentOf({ revokedAt: '2026-11-22T12:00:00.000Z' })] })));
    assert.deepEqual(notifies(revoked.effects), []);
    assert.deepEqual(revoked.noConsent, ['ffs', 'avo']);
    assert.equal(journalOf(revoked.effects, 'd.invited').event.details['noConsent'], 'ffs,avo');
  });

  it('"När samtycke saknas kan oidentifierad konsultation användas": invitations without a consent check, no consent journalled, everything under sp:<spId>', () => {
    const d = ok(start(plan({ mode: 'consultation', caseId: null }), startInput({ consents: [], consentRecorded: undefined })));
    assert.deepEqual(journals(d.effects).map((j) => j.event.step), ['d.invited']);
    assert.equal(journalOf(d.effects, 'd.invited').event.details['mode'], 'consultation');
    assert.deepEqual(notifies(d.effects).map((n) => [n.role!.unit, n.consent, n.remember]), [['ffs', undefined, true], ['avo', undefined, true]]);
    assert.ok([...journals(d.effects).map((j) => j.event.caseId), ...ofType(d.effects, 'openTask').map((o) => o.task.caseId)].every((c) => c === 'sp:sp1'));
    assert.deepEqual(d.noConsent, []);
  });

  it('a consent plan whose case id is missing invites nobody (no consent can cover it)', () => {
    const d = ok(start(plan({ caseId: null }), startInput()));
    assert.deepEqual(notifies(d.effects), []);
    assert.deepEqual(d.noConsent, ['ffs', 'avo']);
  });

  it('the invitation card holds only the plan id and the administration, never the plan\'s free text', () => {
    const d = ok(start(plan(), startInput()));
    const json = JSON.stringify(d.effects);
    for (const s of ['Stöd till Kalle', ...IDENTIFYING]) assert.ok(!json.includes(s), `an effect holds "${s}"`);
    for (const n of notifies(d.effects)) assert.deepEqual(Object.keys(n.card.data).sort(), ['administration', 'spId']);
  });
});

describe('routine D close(): "När behovet av samordnad plan upphör ska detta dokumenteras i ärendet och processen avslutas" (seed 004; ROUTINES.md D.6)', () => {
  const closeInput = (person: StaffMember = sofia, reason = 'Behovet har upphört', over: { stepId?: string; now?: Date } = {}) => ({ stepId: 'cl', person, reason, now, ...over });

  it('does exactly: cancel every task about the plan in every administration, show every card in its final state, tell each other administration, journal the reason', () => {
    const d = ok(close(submitted(), closeInput()));
    const closeTasks = participants(d.state).flatMap((unit) => planTaskPrefixes('sp1').map((prefix) => ({ unit, prefix })));
    sameEffects(d.effects, [
      ...closeTasks.map(({ unit, prefix }, i) => ({ type: 'closeTasks', id: `cl:${i + 1}`, unit, prefix, outcome: 'cancelled', by: 's', at: now.toISOString() })),
      { type: 'refreshCards', id: 'cl:10', card: { kind: 'd.allCards', data: { spId: 'sp1' } } },
      { type: 'notify', id: 'cl:11', role: { role: 'supervisor', unit: 'ffs', orElse: 'socialWorker' }, card: { kind: 'd.closedNotice', data: { initiatingAdministration: 'sf-nordost', code: 'SP-SP1', byName: 'Sofia', supportContact: true } } },
      { type: 'notify', id: 'cl:12', role: { role: 'supervisor', unit: 'avo', orElse: 'socialWorker' }, card: { kind: 'd.closedNotice', data: { initiatingAdministration: 'sf-nordost', code: 'SP-SP1', byName: 'Sofia', supportContact: true } } },
      {
        type: 'journal',
        id: 'cl:13',
        event: { caseId: 'c1', at: now.toISOString(), actorId: 's', actorName: 'Sofia', role: 'socialWorker', unit: 'sf-nordost', routine: 'D', step: 'd.closed', details: { reason: 'Behovet har upphört', told: '', notReached: '' } },
        deliveryLists: { byEffect: { 'cl:11': 'ffs', 'cl:12': 'avo' }, reached: 'told', notReached: 'notReached', noConsent: 'notReached' },
      },
      { type: 'refreshCards', id: 'cl:14', card: { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1' } } },
    ]);
    assert.deepEqual(d.noticeTo, { ffs: 'cl:11', avo: 'cl:12' });
    assert.equal(d.state.state, 'closed');
    assert.equal(d.state.closedReason, 'Behovet har upphört');
  });

  it('the tasks cancelled are the plan\'s reply, approval and follow-up tasks (planTaskPrefixes), in the initiating and every invited administration — never a unit\'s other tasks', () => {
    assert.deepEqual(planTaskPrefixes('sp1'), ['d-reply-sp1', 'd-approve-sp1-', 'd-followup-sp1-']);
    const d = ok(close(accepted(approvedByFfs(), input(ulla, 'avo')).state, closeInput()));
    const closed = ofType(d.effects, 'closeTasks');
    assert.deepEqual(closed.map((c) => `${c.unit} ${c.prefix}`).sort(), ['avo', 'ffs', 'sf-nordost'].flatMap((u) => planTaskPrefixes('sp1').map((p) => `${u} ${p}`)).sort());
    assert.ok(closed.every((c) => c.outcome === 'cancelled' && c.by === 's' && c.at === now.toISOString()));
    // The ids they match: the ones routine D gives this plan's tasks, and no task of another plan.
    for (const id of [replyTaskId('sp1'), approvalTaskId('sp1', 1, 'ffs'), approvalTaskId('sp1', 2, 'avo'), followUpTaskId('sp1', 1)]) assert.ok(closed.some((c) => id.startsWith(c.prefix)), id);
    for (const id of [approvalTaskId('sp2', 1, 'ffs'), followUpTaskId('sp2', 1), replyTaskId('sp2'), 'c-followup-sp1']) assert.ok(!closed.some((c) => id.startsWith(c.prefix)), id);
    assert.deepEqual(ofType(d.effects, 'closeTask'), [], 'no single task is closed by id');
  });

  it('the other administrations are told with the plan\'s code and the initiator\'s name only — no case id, reference or initials, no free text, so no consent is needed for it', () => {
    const p = { ...submitted({ caseId: 'case-4711', purpose: 'Stöd till Kalle Larsson, TR-2026-0042 (KL)' }) };
    const d = ok(close(p, closeInput()));
    for (const n of notifies(d.effects)) {
      assert.deepEqual(Object.keys(n.card.data).sort(), ['byName', 'code', 'initiatingAdministration', 'supportContact']);
      assert.equal(n.card.data['supportContact'], true, 'a plan about an identified person: a stödkontakt case may have been opened (a yes/no, nothing about the person)');
      assert.equal(n.card.data['code'], planCode(p));
      assert.equal(n.consent, undefined);
      assert.equal(n.remember, undefined);
      const json = JSON.stringify(n);
      for (const s of ['case-4711', 'TR-2026-0042', '(KL)', 'Kalle', ...IDENTIFYING]) assert.ok(!json.includes(s), `the notice holds "${s}"`);
    }
    // The journal is the case's own: it is kept under the case id and records the reason, nothing of the plan's text.
    const j = journalOf(d.effects, 'd.closed');
    assert.equal(j.event.caseId, 'case-4711');
    assert.deepEqual(Object.keys(j.event.details).sort(), ['notReached', 'reason', 'told']);
  });

  it('the plan keeps the whole reason, trimmed; the journal at most 500 characters of it', () => {
    const long = 'x'.repeat(800);
    const d = ok(close(submitted(), closeInput(sofia, long)));
    assert.equal(journalOf(d.effects, 'd.closed').event.details['reason'], 'x'.repeat(500));
    assert.equal(d.state.closedReason, long);
    assert.equal(ok(close(submitted(), closeInput(sofia, '  Behovet har upphört  '))).state.closedReason, 'Behovet har upphört');
  });

  it('"Den förvaltning som upptäcker behov … ansvarar": the initiator or a supervisor of the initiating administration closes; nobody else; once; with a reason', () => {
    const bySupervisor = ok(close(submitted(), closeInput(nordostSupervisor)));
    assert.deepEqual(pick(journalOf(bySupervisor.effects, 'd.closed').event), { actorId: 'n', role: 'supervisor', unit: 'sf-nordost' });
    assert.deepEqual(no(close(submitted(), closeInput(tomas))), { ok: false, code: 'notAllowed', params: {} }, 'an invited administration');
    assert.deepEqual(no(close(submitted(), closeInput(centrumSupervisor))), { ok: false, code: 'notFoundOrNotAllowed', params: {} });
    assert.deepEqual(no(close(plan({ state: 'closed' }), closeInput())), { ok: false, code: 'alreadyDone', params: { by: '', at: '' } });
    for (const reason of ['', '  ']) assert.deepEqual(no(close(submitted(), closeInput(sofia, reason))), { ok: false, code: 'reasonRequired', params: {} });
    // An established (locked) plan is closed too, when the need ends.
    assert.equal(ok(close(accepted(approvedByFfs(), input(ulla, 'avo')).state, closeInput())).state.state, 'closed');
  });

  it('a consultation closes under sp:<spId>; the notice shows its code', () => {
    const d = ok(close(submitted({ mode: 'consultation', caseId: null }), closeInput()));
    assert.equal(journalOf(d.effects, 'd.closed').event.caseId, 'sp:sp1');
    assert.ok(notifies(d.effects).every((n) => n.card.data['code'] === 'SP-SP1'));
  });
});

describe('routine D disagree(): "Vid oenighet/tvist … lyfts frågan i ordinarie linjeorganisation och samverkan sker mellan chefer" (seed 004; ROUTINES.md D.7)', () => {
  const disagreeInput = (person: StaffMember, administration: Administration, reason = 'Oklart vem som ansvarar för boendet', over: { stepId?: string; now?: Date } = {}) => ({ stepId: 'dis', person, administration, reason, now, ...over });

  it('does exactly: a card to the supervisors of every administration of the plan, and a journal event counting whom it reached', () => {
    const d = ok(disagree(submitted(), disagreeInput(ulla, 'avo', '  Oklart vem som ansvarar för boendet  ')));
    const card = { kind: 'd.disagreement', data: { spId: 'sp1', byName: 'Ulla', administration: 'avo', reason: 'Oklart vem som ansvarar för boendet' } };
    sameEffects(d.effects, [
      { type: 'notify', id: 'dis:1', role: { role: 'supervisor', unit: 'sf-nordost' }, card },
      { type: 'notify', id: 'dis:2', role: { role: 'supervisor', unit: 'ffs' }, card },
      { type: 'notify', id: 'dis:3', role: { role: 'supervisor', unit: 'avo' }, card },
      {
        type: 'journal',
        id: 'dis:4',
        event: { caseId: 'c1', at: now.toISOString(), actorId: 'u', actorName: 'Ulla', role: 'supervisor', unit: 'avo', routine: 'D', step: 'd.disagreement', details: { administration: 'avo', recipients: 0, notReached: '' } },
        deliveryCounts: { effect: 'dis:1', also: ['dis:2', 'dis:3'], reached: 'recipients' },
        deliveryLists: { byEffect: { 'dis:1': 'sf-nordost', 'dis:2': 'ffs', 'dis:3': 'avo' }, notReached: 'notReached', noConsent: 'notReached' },
      },
      { type: 'refreshCards', id: 'dis:5', card: { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1' } } },
    ]);
    assert.deepEqual(d.noticeTo, { 'sf-nordost': 'dis:1', ffs: 'dis:2', avo: 'dis:3' });
    assert.deepEqual(d.state.disagreement, { raisedBy: 'u', raisedByName: 'Ulla', administration: 'avo', reason: 'Oklart vem som ansvarar för boendet', at: now.toISOString() });
  });

  it('"Det viktiga är dock att den enskildes behov inte åsidosätts … utan att samarbetet och samordningen av stödinsatser fortsätter": the plan stays as it was — its state, versions and tasks are untouched', () => {
    const p = submitted();
    const d = ok(disagree(p, disagreeInput(tomas, 'ffs')));
    assert.equal(d.state.state, 'awaitingApproval');
    assert.deepEqual(d.state.versions, p.versions);
    assert.deepEqual(d.effects.filter((e) => e.type !== 'notify' && e.type !== 'journal'), [{ type: 'refreshCards', id: 'dis:5', card: { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1' } } }], "no task opened or closed; only the owners' status cards are refreshed");
  });

  it('either side raises it: the initiator for the initiating administration, an invited administration for itself; nobody for another', () => {
    const bySofia = ok(disagree(submitted(), disagreeInput(sofia, 'sf-nordost')));
    assert.deepEqual(pick(journalOf(bySofia.effects, 'd.disagreement').event), { actorId: 's', role: 'socialWorker', unit: 'sf-nordost' });
    const byWorker = ok(disagree(submitted(), disagreeInput(ffsWorker, 'ffs')));
    assert.deepEqual(pick(journalOf(byWorker.effects, 'd.disagreement').event), { actorId: 'w', role: 'socialWorker', unit: 'ffs' });
    assert.equal(no(disagree(submitted(), disagreeInput(sofia, 'ffs'))).code, 'notAllowed', 'the initiator does not speak for FFS');
    assert.equal(no(disagree(submitted(), disagreeInput(tomas, 'avo'))).code, 'notAllowed', 'FFS does not speak for ÄVO');
    assert.equal(no(disagree(submitted(), disagreeInput(tomas, 'sf-nordost'))).code, 'notAllowed', 'nor for the initiating administration');
    assert.deepEqual(no(disagree(submitted(), disagreeInput(centrumSupervisor, 'sf-centrum'))), { ok: false, code: 'notFoundOrNotAllowed', params: {} });
  });

  it('one open at a time (alreadyDone naming who raised it and when); a new one once the outcome is recorded; a reason is needed; a closed plan is stale', () => {
    const open = ok(disagree(submitted(), disagreeInput(ulla, 'avo'))).state;
    assert.deepEqual(no(disagree(open, disagreeInput(tomas, 'ffs', 'Vi håller inte med', { now: later }))), { ok: false, code: 'alreadyDone', params: { by: 'Ulla', at: now.toISOString() } });
    const settled = ok(disagreementOutcome(open, { stepId: 'out', person: sofia, outcome: 'FFS ansvarar', now: later })).state;
    assert.equal(ok(disagree(settled, disagreeInput(tomas, 'ffs', 'Ny fråga', { now: later }))).state.disagreement!.raisedBy, 't');
    for (const reason of ['', '   ']) assert.deepEqual(no(disagree(submitted(), disagreeInput(ulla, 'avo', reason))), { ok: false, code: 'reasonRequired', params: {} });
    assert.equal(no(disagree(plan({ state: 'closed' }), disagreeInput(ulla, 'avo'))).code, 'staleCard');
  });

  it('the managers\' card names the plan by its id (rendered as its code) and the people by name — never the case id, reference or initials; the journal holds no free text', () => {
    const p = submitted({ caseId: 'case-4711', purpose: 'Stöd till Kalle Larsson, TR-2026-0042 (KL)' });
    const d = ok(disagree(p, disagreeInput(ulla, 'avo')));
    for (const n of notifies(d.effects)) {
      assert.deepEqual(Object.keys(n.card.data).sort(), ['administration', 'byName', 'reason', 'spId']);
      const json = JSON.stringify(n);
      for (const s of ['case-4711', 'TR-2026-0042', '(KL)', 'Kalle', ...IDENTIFYING]) assert.ok(!json.includes(s), `the card holds "${s}"`);
    }
    const j = journalOf(d.effects, 'd.disagreement');
    assert.equal(j.event.caseId, 'case-4711');
    assert.deepEqual(Object.keys(j.event.details).sort(), ['administration', 'notReached', 'recipients'], 'the reason is on the plan, not in the journal');
  });
});

describe('routine D disagreementOutcome(): the managers\' outcome is documented by the initiating side (seed 004 "Vid oenighet/tvist"; ROUTINES.md D.7)', () => {
  const withDisagreement = () => ok(disagree(submitted(), { stepId: 'dis', person: ulla, administration: 'avo', reason: 'Oklart ansvar', now })).state;
  const outcomeInput = (person: StaffMember, outcome = 'Cheferna enades: FFS ansvarar för boendet') => ({ stepId: 'out', person, outcome, now: later });

  it('records the outcome on the plan and journals it; nobody is sent a card, the owners\' status cards are refreshed', () => {
    const d = ok(disagreementOutcome(withDisagreement(), outcomeInput(sofia)));
    assert.deepEqual(d.state.disagreement, { raisedBy: 'u', raisedByName: 'Ulla', administration: 'avo', reason: 'Oklart ansvar', at: now.toISOString(), outcome: 'Cheferna enades: FFS ansvarar för boendet' });
    sameEffects(d.effects, [
      {
        type: 'journal',
        id: 'out:1',
        event: { caseId: 'c1', at: later.toISOString(), actorId: 's', actorName: 'Sofia', role: 'socialWorker', unit: 'sf-nordost', routine: 'D', step: 'd.disagreementOutcome', details: { outcome: 'Cheferna enades: FFS ansvarar för boendet' } },
      },
      { type: 'refreshCards', id: 'out:2', card: { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1' } } },
    ]);
    assert.equal(d.state.state, 'awaitingApproval', 'the plan goes on');
    assert.equal(ok(disagreementOutcome(withDisagreement(), outcomeInput(sofia, '  Trimmad  '))).state.disagreement!.outcome, 'Trimmad', 'the plan keeps the trimmed text');
  });

  it('the initiator or a supervisor of the initiating administration records it; an invited administration or an outsider cannot', () => {
    assert.deepEqual(pick(journalOf(ok(disagreementOutcome(withDisagreement(), outcomeInput(nordostSupervisor))).effects, 'd.disagreementOutcome').event), { actorId: 'n', role: 'supervisor', unit: 'sf-nordost' });
    assert.deepEqual(no(disagreementOutcome(withDisagreement(), outcomeInput(ulla))), { ok: false, code: 'notAllowed', params: {} }, 'the side that raised it does not settle it alone');
    assert.deepEqual(no(disagreementOutcome(withDisagreement(), outcomeInput(centrumSupervisor))), { ok: false, code: 'notFoundOrNotAllowed', params: {} });
  });

  it('an outcome needs an open disagreement (staleCard otherwise) and a text (reasonRequired); the journal keeps at most 500 characters', () => {
    assert.deepEqual(no(disagreementOutcome(submitted(), outcomeInput(sofia))), { ok: false, code: 'staleCard', params: {} }, 'no disagreement');
    const settled = ok(disagreementOutcome(withDisagreement(), outcomeInput(sofia))).state;
    assert.equal(no(disagreementOutcome(settled, outcomeInput(sofia, 'igen'))).code, 'staleCard', 'already settled');
    for (const outcome of ['', '  ']) assert.deepEqual(no(disagreementOutcome(withDisagreement(), outcomeInput(sofia, outcome))), { ok: false, code: 'reasonRequired', params: {} });
    const long = ok(disagreementOutcome(withDisagreement(), outcomeInput(sofia, 'y'.repeat(700))));
    assert.equal(journalOf(long.effects, 'd.disagreementOutcome').event.details['outcome'], 'y'.repeat(500));
  });
});

describe('routine D decisions are deterministic ("every effect has an id unique to its step")', () => {
  const cases: Array<[string, () => Decision<{ effects: Effect[] }>]> = [
    ['answer', () => answer(plan(), answerInput(ulla, 'avo', { stepId: 'x', answer: 'proposedOtherTime', note: 'Tisdag' }))],
    ['submit', () => submit(plan(), submitInput({ stepId: 'x', consents: [consentOf({ recipients: ['ffs'] })] }))],
    ['start', () => start(plan(), startInput({ stepId: 'x' }))],
    ['close', () => close(submitted(), { stepId: 'x', person: sofia, reason: 'Klart', now })],
    ['disagree', () => disagree(submitted(), { stepId: 'x', person: tomas, administration: 'ffs', reason: 'Oenighet', now })],
    ['disagreementOutcome', () => disagreementOutcome({ ...submitted(), disagreement: { raisedBy: 't', raisedByName: 'Tomas', administration: 'ffs', reason: 'r', at: now.toISOString() } }, { stepId: 'x', person: sofia, outcome: 'Löst', now })],
  ];
  for (const [name, decide] of cases) {
    it(`${name}: the same input twice gives identical decisions, reading no clock and no randomness; ids are <stepId>:1…n in order`, () => {
      const [first, second] = withoutClock(decide);
      assert.deepEqual(first, second);
      const effects = ok(first).effects;
      assert.ok(effects.length > 0);
      assert.deepEqual(effects.map((e) => e.id), effects.map((_, i) => `x:${i + 1}`));
      for (const e of effects) {
        const at = e.type === 'journal' ? e.event.at : e.type === 'closeTask' || e.type === 'closeTasks' ? e.at : e.type === 'openTask' ? e.task.createdAt : now.toISOString();
        assert.equal(at, now.toISOString(), `${e.id}: every time is the input's now`);
      }
    });
  }
});

describe('routine D decisions: a revoked consent (revokeConsent)', () => {
  const revokeInput = (person: StaffMember) => ({ stepId: 'step-r', person, now, consentsRevoked: 2 });

  it('only the initiator\'s side may record it: an invited supervisor, another unit are refused and nothing happens', () => {
    for (const p of [tomas, ulla, centrumSupervisor]) {
      const d = revokeConsent(submitted(), revokeInput(p));
      assert.equal(d.ok, false, p.name);
    }
    assert.equal(revokeConsent(plan({ caseId: undefined, mode: 'consultation' }), revokeInput(sofia)).ok, false, 'a consultation has no consent to revoke');
  });

  it('cancels the approval tasks in every administration, replaces every live card, journals how many consents ended; the plan is unchanged', () => {
    const p = submitted();
    const d = revokeConsent(p, revokeInput(sofia));
    assert.ok(d.ok);
    assert.deepEqual(d.value.state, p);
    const closes = d.value.effects.filter((e): e is Extract<Effect, { type: 'closeTasks' }> => e.type === 'closeTasks');
    assert.deepEqual(closes.map((c) => c.unit).sort(), [...participants(p)].sort());
    assert.ok(closes.every((c) => c.prefix === 'd-approve-sp1-' && c.outcome === 'cancelled'), 'only the approval tasks: the follow-up of an established plan stays');
    const refresh = d.value.effects.filter((e): e is RefreshCardsEffect => e.type === 'refreshCards');
    assert.deepEqual(refresh.map((r) => r.card), [{ kind: D_CARDS.consentRevokedCards, data: { spId: 'sp1' } }]);
    assert.ok(!d.value.effects.some((e) => e.type === 'notify'), 'nobody is sent anything about the person');
    const j = d.value.effects.filter((e): e is JournalEffect => e.type === 'journal');
    assert.deepEqual(j.map((e) => [e.event.step, e.event.caseId, e.event.details['consents'], e.event.unit, e.event.actorId]), [['d.consentRevoked', 'c1', 2, 'sf-nordost', 's']]);
    for (const text of IDENTIFYING) assert.ok(!JSON.stringify(d.value.effects).includes(text));
  });
});
