import { strict as assert } from 'node:assert';
import { approve, approvalTaskId, D_CARDS, followUpTaskId, type ApprovalInput } from '../../routines/d-coordinated-plan/decisions';
import { submitPlan, type CoordinatedPlan, type PlanContent } from '../../routines/d-coordinated-plan/rules';
import type { CloseTaskEffect, Effect, JournalEffect, NotifyEffect, OpenTaskEffect, RefreshCardsEffect } from '../../routines/shared/effects';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import type { Refusal } from '../../routines/shared/refusal';
import { planReminders } from '../../routines/shared/tasks';

/**
 * Routine D's approval step as one decision (`approve`, routines/d-coordinated-plan/decisions.ts),
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
      ]);
      assert.equal(approvalTaskId('sp1', 1, 'ffs'), 'd-approve-sp1-1-ffs');
    });

    it('the initiator is not told of an approval that does not settle the plan (no notify, no initiatorNotice, no follow-up task)', () => {
      const d = accepted(submitted(), input(tomas, 'ffs'));
      assert.deepEqual(ofType(d.effects, 'notify'), []);
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
      assert.deepEqual(ofType(d.effects, 'refreshCards').map((e: RefreshCardsEffect) => [e.card, e.except]), [[{ kind: 'd.approvalCards', data: { spId: 'sp1', version: 1 } }, 'u']]);
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
        ],
      );
      assert.equal(new Set(d.effects.map((e) => e.id)).size, d.effects.length);
      const r = accepted(submitted(), input(tomas, 'ffs', { stepId: 'r', decision: 'returned', comment: 'x' }));
      assert.deepEqual(r.effects.map((e) => e.id), ['r:1', 'r:2', 'r:3', 'r:4', 'r:5']);
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
