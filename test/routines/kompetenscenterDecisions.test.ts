import { strict as assert } from 'node:assert';
import { taskIdOf } from '../../routines/c-kompetenscenter/deadlines';
import { C_CARDS, decideAction, type ActionDecision, type ActionInput } from '../../routines/c-kompetenscenter/decisions';
import { revokeConsent } from '../../routines/c-kompetenscenter/consentRevocation';
import { DEFAULT_C_SETTINGS, type CAction, type Referral } from '../../routines/c-kompetenscenter/rules';
import type { CloseTaskEffect, Effect, JournalEffect, NotifyEffect, OpenTaskEffect, RefreshCardsEffect } from '../../routines/shared/effects';
import type { StaffMember } from '../../routines/shared/organisation';
import type { Refusal } from '../../routines/shared/refusal';
import { planReminders } from '../../routines/shared/tasks';

/**
 * Routine C's steps as whole decisions (`decideAction`, routines/c-kompetenscenter/decisions.ts),
 * checked against seed 002 (anvisning till Kompetenscenter) and ROUTINES.md C: the assignment goes
 * to KC ("anvisning sker till KC"), consent to KC is a condition of every card about the client to
 * KC and is checked when the card is sent; a protected case contacts the KC coordinator before the
 * decision (bilaga 1); the booked intake is a deadline for both sides; a disagreement is raised to
 * the 1:e socialsekreterare and the KC coordinator; an ended referral leaves no live button. Read
 * from the returned decision only: the new referral and the effects the relay will carry out.
 */

const now = new Date('2026-11-23T09:00:00Z');
const anna: StaffMember = { id: 'anna', name: 'Anna', roles: [{ role: 'socialWorker', unit: 'sf-centrum' }] };
const ivar: StaffMember = { id: 'ivar', name: 'Ivar', roles: [{ role: 'employmentConsultant', unit: 'kc' }] };
const ines: StaffMember = { id: 'ines', name: 'Ines', roles: [{ role: 'employmentConsultant', unit: 'kc' }] };
const johanna: StaffMember = { id: 'johanna', name: 'Johanna', roles: [{ role: 'kcCoordinator', unit: 'kc' }] };
const gunilla: StaffMember = { id: 'gunilla', name: 'Gunilla', roles: [{ role: 'supervisor', unit: 'sf-centrum' }] };
// Free text of the referral that would identify the client if it ever travelled in an effect.
const IDENTIFYING = ['Kalle Larsson', 'Storgatan 12'];

const fresh = (over: Partial<Referral> = {}): Referral => ({
  referralId: 'r1-abcdef',
  caseId: 'case-1',
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
  createdAt: '2026-11-20T09:00:00.000Z',
  ...over,
});

const input = (person: StaffMember, action: CAction, over: Partial<ActionInput> = {}): ActionInput => ({
  stepId: 'step-1',
  person,
  action,
  now,
  kcMayKnow: true,
  caseFile: { reference: 'TR-KC-1', protectedIdentity: false },
  openTasks: [],
  settings: DEFAULT_C_SETTINGS,
  policy: { workingDaysBefore: 2 },
  groupNames: { kc: 'KC-poolen', coordinators: 'Samordnarna', supervisors: '1:e socialsekreterare' },
  ...over,
});

const accepted = <R extends Referral>(r: R, i: ActionInput): ActionDecision<R> => {
  const d = decideAction(r, i);
  assert.ok(d.ok, `expected an accepted decision, got ${JSON.stringify(d)}`);
  return d.value;
};
const refused = (r: Referral, i: ActionInput): Refusal => {
  const d = decideAction(r, i);
  assert.ok(!d.ok, 'expected a refusal');
  return d;
};
/** Takes the steps one after another, each decided whole (effects dropped): the referral at a later stage. */
const through = (r: Referral, ...steps: Array<[StaffMember, CAction]>): Referral => steps.reduce((x, [p, a]) => accepted(x, input(p, a)).state, r);

const ofType = <T extends Effect['type']>(effects: readonly Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const journalOf = (effects: readonly Effect[]): JournalEffect => {
  const j = ofType(effects, 'journal');
  assert.equal(j.length, 1, 'exactly one journal event');
  return j[0]!;
};
const notifies = (effects: readonly Effect[]): NotifyEffect[] => ofType(effects, 'notify');
const refreshes = (effects: readonly Effect[]): string[] => ofType(effects, 'refreshCards').map((e: RefreshCardsEffect) => e.card.kind);

const AF: CAction = { kind: 'af', ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' };
const CONSENT: CAction = { kind: 'consent', consentId: 'k1', workPlanUpdatedOn: '2026-11-23' };
const DECIDE: CAction = { kind: 'decide', decisionDate: '2026-11-23', communicated: true };
const ASSIGN: CAction = { kind: 'assign', needs: 'Kalle Larsson behöver praktik', includes: 'Praktik nära Storgatan 12', goals: ['Praktikplats'] };
const BOOK: CAction = { kind: 'bookIntake', at: '2026-11-30T10:00', place: 'KC Centrum', interpreter: '', clientTold: true, viaCoordinator: false };
const atAssignment = () => through(fresh(), [anna, AF], [anna, CONSENT], [anna, DECIDE]);
const assigned = () => through(atAssignment(), [anna, ASSIGN]);
const taken = () => through(assigned(), [ivar, { kind: 'take' }]);
const booked = () => through(taken(), [anna, BOOK]);

describe('routine C decisions: each step with every effect (seed 002)', () => {
  describe('step 4: the assignment goes to KC', () => {
    it('one card to every KC consultant, consent to KC checked when it is sent, its ids kept; the journal counts whom it reached', () => {
      const d = accepted(atAssignment(), input(anna, ASSIGN));
      assert.equal(d.state.state, 'assigned');
      const [pool, ...others] = notifies(d.effects);
      assert.deepEqual(others, [], 'nobody else: no consultant has it yet');
      assert.deepEqual(pool!.role, { role: 'employmentConsultant', unit: 'kc' });
      assert.equal(pool!.card.kind, C_CARDS.assignment);
      assert.deepEqual(pool!.consent, { caseId: 'case-1', recipient: 'kc' }, 'consent re-checked at sending');
      assert.equal(pool!.remember, true, 'the card ids are kept, so taking it replaces every copy');
      const j = journalOf(d.effects);
      assert.equal(j.event.step, 'c.assign');
      assert.deepEqual(j.event.details, { goals: 1 });
      // The journal: how many got it (left out when none did), the group none reached, whether consent stopped it.
      assert.deepEqual(j.deliveryCounts, { effect: pool!.id, also: [], reached: 'told', omitZero: true });
      assert.deepEqual(j.deliveryLists, { byEffect: { [pool!.id]: 'KC-poolen' }, notReached: 'notReached', separator: ', ', consentFlag: 'stoppedByConsent' });
      assert.deepEqual({ role: j.event.role, unit: j.event.unit }, { role: 'socialWorker', unit: 'sf-centrum' });
    });

    it('no effect carries the texts of the case: cards name the referral by id and are rendered when sent', () => {
      const d = accepted(atAssignment(), input(anna, ASSIGN));
      const json = JSON.stringify(d.effects);
      for (const text of IDENTIFYING) assert.ok(!json.includes(text), `${text} in ${json}`);
      assert.ok(d.state.assignment!.needs.includes('Kalle Larsson'), 'the referral keeps them');
    });

    it('a personal identity number in a free text (or a goal) is refused before anything is decided', () => {
      assert.equal(refused(atAssignment(), input(anna, { ...ASSIGN, needs: 'Klient 19121212-1212' })).code, 'personalIdentityNumber');
      assert.equal(refused(atAssignment(), input(anna, { ...ASSIGN, goals: ['Arbete', '121212-1212'] })).code, 'personalIdentityNumber');
    });
  });

  describe('annex 1: a protected case contacts the KC coordinator before the decision', () => {
    it('the request goes to every KC coordinator (no consent needed: nothing identifies the client), its ids kept', () => {
      const r = through(fresh({ protectedIdentity: true }), [anna, AF]);
      const d = accepted(r, input(anna, { kind: 'requestCoordinator' }));
      const [card] = notifies(d.effects);
      assert.deepEqual(card!.role, { role: 'kcCoordinator', unit: 'kc' });
      assert.equal(card!.card.kind, C_CARDS.coordinator);
      assert.equal(card!.consent, undefined);
      assert.equal(card!.remember, true);
      assert.deepEqual(Object.values(journalOf(d.effects).deliveryLists?.byEffect ?? {}), ['Samordnarna']);
    });

    it('the coordinator confirms: every coordinator card refreshed, the social worker told, journaled as the coordinator', () => {
      const r = through(fresh({ protectedIdentity: true }), [anna, AF], [anna, { kind: 'requestCoordinator' }]);
      const d = accepted(r, input(johanna, { kind: 'coordinatorConfirm' }));
      assert.equal(d.state.coordinatorContact?.confirmedBy, 'johanna');
      assert.deepEqual(refreshes(d.effects), [C_CARDS.coordinatorCards]);
      const [notice] = notifies(d.effects);
      assert.equal(notice!.personId, 'anna');
      assert.equal(notice!.consent, undefined, 'the social worker needs no consent');
      const j = journalOf(d.effects);
      assert.deepEqual({ step: j.event.step, role: j.event.role, unit: j.event.unit }, { step: 'c.coordinatorConfirm', role: 'kcCoordinator', unit: 'kc' });
      assert.deepEqual(j.deliveryLists?.byEffect, { [notice!.id]: 'Anna' });
    });

    it('a second confirmation says who confirmed and when; a consultant may not confirm', () => {
      const r = through(fresh({ protectedIdentity: true }), [anna, AF], [anna, { kind: 'requestCoordinator' }], [johanna, { kind: 'coordinatorConfirm' }]);
      assert.deepEqual(refused(r, input(johanna, { kind: 'coordinatorConfirm' })), { ok: false, code: 'alreadyDone', params: { by: 'Johanna', at: now.toISOString() } });
      const open = through(fresh({ protectedIdentity: true }), [anna, AF], [anna, { kind: 'requestCoordinator' }]);
      assert.equal(refused(open, input(ivar, { kind: 'coordinatorConfirm' })).code, 'notFoundOrNotAllowed');
    });
  });

  describe('a consultant takes the assignment', () => {
    it('every assignment card refreshed for every viewer (no exception: the presser may have used the menu); the social worker told; journaled as the consultant', () => {
      const d = accepted(assigned(), input(ivar, { kind: 'take' }));
      assert.deepEqual([d.state.consultantId, d.state.consultantName], ['ivar', 'Ivar']);
      const refresh = ofType(d.effects, 'refreshCards');
      assert.deepEqual(refresh.map((e) => [e.card.kind, e.except]), [[C_CARDS.assignmentCards, undefined]]);
      const [notice, ...more] = notifies(d.effects);
      assert.deepEqual(more, []);
      assert.equal(notice!.personId, 'anna');
      assert.deepEqual(notice!.card, { kind: C_CARDS.notice, data: { referralId: 'r1-abcdef', stepId: 'step-1', step: 'c.take', byName: 'Ivar' } });
      const j = journalOf(d.effects);
      assert.deepEqual({ role: j.event.role, unit: j.event.unit }, { role: 'employmentConsultant', unit: 'kc' });
      assert.deepEqual(ofType(d.effects, 'openTask'), [], 'no deadline runs before the intake is booked');
    });

    it('a second press (or a second consultant) is told who took it and when; nobody at KC has a part once the consent is revoked', () => {
      const r = taken();
      assert.deepEqual(refused(r, input(ines, { kind: 'take' })), { ok: false, code: 'alreadyDone', params: { by: 'Ivar', at: now.toISOString() } });
      assert.equal(refused(assigned(), input(ivar, { kind: 'take' }, { kcMayKnow: false })).code, 'notFoundOrNotAllowed');
      assert.equal(refused(assigned(), input(anna, { kind: 'take' })).code, 'notAllowed');
    });
  });

  describe('step 5: the booked intake is a deadline of both sides', () => {
    it('the social worker’s task (the outcome) and the consultant’s (prepare), due on the meeting day, with their reminders; the consultant told, consent checked at sending', () => {
      const d = accepted(taken(), input(anna, BOOK));
      const tasks = ofType(d.effects, 'openTask');
      assert.deepEqual(
        tasks.map((e: OpenTaskEffect) => [e.task.taskId, e.task.step, e.task.unit, e.task.assignee, e.task.dueDate, e.task.consentRecipient]),
        [
          ['c-r1-abcdef-intake-0-2026-11-30', 'c.intakeOutcome', 'sf-centrum', { kind: 'person', personId: 'anna' }, '2026-11-30', undefined],
          ['c-r1-abcdef-prepare-0-2026-11-30', 'c.prepareIntake', 'kc', { kind: 'person', personId: 'ivar' }, '2026-11-30', 'kc'],
        ],
      );
      for (const t of tasks) {
        assert.deepEqual(t.reminders, planReminders(t.task, '2026-11-23', { workingDaysBefore: 2 }));
        assert.equal(t.task.label, 'TR-KC-1', 'the list names the case by its reference, never initials');
        assert.deepEqual(t.task.context, { referralId: 'r1-abcdef' });
      }
      const [notice] = notifies(d.effects);
      assert.equal(notice!.personId, 'ivar');
      assert.deepEqual(notice!.consent, { caseId: 'case-1', recipient: 'kc' });
      assert.deepEqual(journalOf(d.effects).event.details, { at: '2026-11-30T10:00', interpreter: false });
    });

    it('a protected case’s tasks name it by its handle; after a revoked consent KC gets no task', () => {
      const d = accepted(taken(), input(anna, BOOK, { caseFile: { reference: 'TR-SKYDD', protectedIdentity: true } }));
      assert.deepEqual(ofType(d.effects, 'openTask').map((e) => e.task.label), ['KC-R1ABCD', 'KC-R1ABCD']);
      const revoked = accepted(taken(), input(anna, BOOK, { kcMayKnow: false }));
      assert.deepEqual(ofType(revoked.effects, 'openTask').map((e) => e.task.step), ['c.intakeOutcome']);
    });

    it('a task already open is not opened again; the intake held closes both (done) and opens none until the effort starts', () => {
      const r = booked();
      const open = [{ unit: 'sf-centrum' as const, taskId: 'c-r1-abcdef-intake-0-2026-11-30' }, { unit: 'kc' as const, taskId: 'c-r1-abcdef-prepare-0-2026-11-30' }];
      const prepared = accepted(r, input(ivar, { kind: 'prepared' }, { openTasks: open }));
      assert.deepEqual(ofType(prepared.effects, 'openTask'), []);
      assert.deepEqual(ofType(prepared.effects, 'closeTask').map((e: CloseTaskEffect) => [e.unit, e.taskId, e.outcome, e.by]), [['kc', 'c-r1-abcdef-prepare-0-2026-11-30', 'done', 'ivar']]);
      const held = accepted(r, input(anna, { kind: 'intakeHeld', attendedInPerson: true, requirementsExplained: true, firstFollowUp: '2027-02-01' }, { openTasks: open, now: new Date('2026-11-30T12:00:00Z') }));
      assert.deepEqual(ofType(held.effects, 'closeTask').map((e) => [e.unit, e.taskId, e.outcome]), [['sf-centrum', open[0]!.taskId, 'done'], ['kc', open[1]!.taskId, 'done']]);
      assert.deepEqual(ofType(held.effects, 'openTask'), []);
    });

    it('a task the previous state runs is closed even when the read did not see it yet (its opening may still be on its way)', () => {
      const d = accepted(booked(), input(ivar, { kind: 'prepared' }, { openTasks: [] }));
      assert.deepEqual(ofType(d.effects, 'closeTask').map((e) => e.taskId), ['c-r1-abcdef-prepare-0-2026-11-30']);
      assert.deepEqual(ofType(d.effects, 'openTask').map((e) => e.task.taskId), ['c-r1-abcdef-intake-0-2026-11-30'], 'the one still running is opened (idempotent by its id)');
    });
  });

  describe('step 8: the effort starts with its deadlines', () => {
    it('the implementation plan (KC, 14 days), the follow-up (SF, three months, a working day) and the renewal prompt (SF, 60 days before the expiry)', () => {
      const later = new Date('2026-12-07T15:00:00Z');
      const held = through(booked(), [anna, { kind: 'intakeHeld', attendedInPerson: true, requirementsExplained: true, firstFollowUp: '2027-03-01' }]);
      const d = accepted(held, input(ivar, { kind: 'execute', startDate: '2026-12-07' }, { now: later }));
      assert.deepEqual(
        ofType(d.effects, 'openTask').map((e) => [e.task.step, e.task.assignee, e.task.dueDate]),
        [
          ['c.plan', { kind: 'person', personId: 'ivar' }, '2026-12-21'],
          ['c.followUp', { kind: 'person', personId: 'anna' }, '2027-03-05'],
          ['c.renew', { kind: 'person', personId: 'anna' }, '2027-09-24'],
        ],
      );
      const plan = ofType(d.effects, 'openTask')[0]!.task;
      assert.equal(plan.taskId, taskIdOf(d.state, { key: 'plan-0', dueDate: '2026-12-21' }));
    });
  });

  describe('step 10: a disagreement is raised to the 1:e socialsekreterare and the KC coordinator', () => {
    it('the administration’s supervisors and KC’s coordinators get it (the journal names the supervisors when none was reached); the other party is told', () => {
      const ongoing = { ...taken(), state: 'ongoing' as const, startDate: '2026-12-07', intake: { at: '2026-11-30T10:00', place: 'KC', interpreter: '', clientTold: true, viaCoordinator: false } };
      const d = accepted(ongoing, input(ivar, { kind: 'disagreement', question: 'Avslut eller fortsatt insats?' }));
      const [supervisors, coordinators, other] = notifies(d.effects);
      assert.deepEqual(supervisors!.role, { role: 'supervisor', unit: 'sf-centrum' });
      assert.deepEqual(coordinators!.role, { role: 'kcCoordinator', unit: 'kc' });
      for (const n of [supervisors!, coordinators!]) assert.deepEqual(n.card, { kind: C_CARDS.escalation, data: { referralId: 'r1-abcdef', stepId: 'step-1', disagreement: 0 } });
      assert.equal(other!.personId, 'anna');
      // Each group none reached is named in the journal (the other party too), and everyone reached is counted.
      assert.deepEqual(journalOf(d.effects).deliveryLists?.byEffect, { [supervisors!.id]: '1:e socialsekreterare', [coordinators!.id]: 'Samordnarna', [other!.id]: 'Anna' });
      assert.deepEqual(journalOf(d.effects).deliveryCounts, { effect: supervisors!.id, also: [coordinators!.id, other!.id], reached: 'told', omitZero: true });
      assert.equal(refused(d.state, input(gunilla, { kind: 'resolve', resolution: 'x' })).code, 'notAllowed', 'the supervisor sees it, the parties resolve it');
    });
  });

  describe('an ended referral leaves no live button', () => {
    it('withdrawn (no new intake): every assignment and coordinator card refreshed', () => {
      const d = accepted(booked(), input(anna, { kind: 'intakeMissed', followedUpOn: '2026-11-23', newMeeting: false, reason: 'Ingen kontakt' }));
      assert.equal(d.state.state, 'withdrawn');
      assert.deepEqual(refreshes(d.effects), [C_CARDS.assignmentCards, C_CARDS.coordinatorCards]);
    });

    it('closed (GWA and Treserva both closed): the cards refreshed, every open task cancelled', () => {
      const closing: Referral = { ...taken(), state: 'closing', startDate: '2026-12-07', closing: { announcedAt: now.toISOString(), selfSufficiency: true, reason: 'Arbete', document: { endDate: '2027-05-01', why: 'Arbete', goals: [], at: now.toISOString() }, gwaClosedAt: now.toISOString() } };
      const open = [{ unit: 'sf-centrum' as const, taskId: 'c-r1-abcdef-followup-0-2027-03-05' }];
      const d = accepted(closing, input(anna, { kind: 'treservaClosed' }, { openTasks: open }));
      assert.equal(d.state.state, 'closed');
      assert.deepEqual(refreshes(d.effects), [C_CARDS.assignmentCards, C_CARDS.coordinatorCards]);
      assert.deepEqual(ofType(d.effects, 'closeTask').map((e) => [e.taskId, e.outcome]), [[open[0]!.taskId, 'cancelled']]);
      assert.equal(notifies(d.effects)[0]?.personId, 'ivar', 'the consultant is told');
    });
  });

  describe('the decision itself', () => {
    it('is pure: the same input decides the same; effect ids are <stepId>:<n> in order, the journal last', () => {
      const a = accepted(taken(), input(anna, BOOK, { stepId: 'abc' }));
      const b = accepted(taken(), input(anna, BOOK, { stepId: 'abc' }));
      assert.deepEqual(a, b);
      assert.deepEqual(a.effects.map((e) => e.id), a.effects.map((_, i) => `abc:${i + 1}`));
      assert.equal(a.effects.at(-1)!.type, 'journal');
    });

    it('keeps what the store keeps beside the rule (the ids of the cards sent)', () => {
      const cards = [{ personId: 'ivar', activityId: 'a1', kind: 'assignment' }];
      const d = accepted({ ...assigned(), cards }, input(ivar, { kind: 'take' }));
      assert.deepEqual(d.state.cards, cards);
    });

    it('a step out of order, or by the other side, is refused with nothing decided', () => {
      assert.equal(refused(assigned(), input(anna, BOOK)).code, 'outOfOrder');
      assert.equal(refused(taken(), input(ivar, BOOK)).code, 'notAllowed');
      assert.equal(refused(fresh(), input(ines, AF)).code, 'notFoundOrNotAllowed', 'someone with no part: the same words as for no referral');
    });
  });
});

describe('routine C decisions: a revoked consent to KC (revokeConsent)', () => {
  const input = (person: StaffMember, consentsRevoked = 1) => ({ stepId: 'step-r', person, now, consentsRevoked, kcCards: 3 });
  const withConsent = fresh({ state: 'assigned', consentId: 'k1', consultantId: 'ivar', consultantName: 'Ivar' });

  it('only the social worker\'s side records it: KC, the coordinator, another unit are refused', () => {
    for (const p of [ivar, johanna, { id: 'x', name: 'X', roles: [{ role: 'socialWorker' as const, unit: 'sf-hisingen' as const }] }]) assert.equal(revokeConsent(withConsent, input(p)).ok, false, p.name);
  });

  it('KC\'s tasks cancelled, KC\'s cards replaced, journalled once; a second revocation is "already done"', () => {
    const d = revokeConsent(withConsent, input(anna, 2));
    assert.ok(d.ok);
    assert.equal(d.value.state.consentRevokedAt, now.toISOString());
    const closes = d.value.effects.filter((e): e is Extract<Effect, { type: 'closeTasks' }> => e.type === 'closeTasks');
    assert.deepEqual(closes.map((c) => [c.unit, c.prefix, c.outcome]), [['kc', 'c-r1-abcdef-', 'cancelled']]);
    assert.deepEqual(d.value.effects.filter((e): e is RefreshCardsEffect => e.type === 'refreshCards').map((r) => r.card.kind), [C_CARDS.consentRevokedCards]);
    assert.ok(!d.value.effects.some((e) => e.type === 'notify'), 'nothing is sent to KC about the person');
    const j = d.value.effects.filter((e): e is JournalEffect => e.type === 'journal');
    assert.deepEqual(j.map((e) => [e.event.step, e.event.details['consents'], e.event.details['kcCardsReplaced']]), [['c.consentRevoked', 2, 3]]);
    const again = revokeConsent(d.value.state, input(anna, 0));
    assert.equal(again.ok, false);
    assert.equal((again as Refusal).code, 'alreadyDone');
  });

  it('after a crash between ending the consents and the commit, the step still runs (0 consents ended this time)', () => {
    const d = revokeConsent(withConsent, input(anna, 0));
    assert.ok(d.ok, 'the referral has no consentRevokedAt yet: KC\'s cards and tasks still go');
  });
});
