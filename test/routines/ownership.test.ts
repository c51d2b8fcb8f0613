import { strict as assert } from 'node:assert';
import { taskRows } from '../../cards/taskList';
import { sv } from '../../locale/sv';
import { reviewAccess, type PlanReview } from '../../routines/b-plan-review/rules';
import { referralAccess, type Referral } from '../../routines/c-kompetenscenter/rules';
import { answerInvitation, closePlan, decide, planAccess, planCode, raiseDisagreement, type CoordinatedPlan } from '../../routines/d-coordinated-plan/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { taskCaseLabel, type Task } from '../../routines/shared/tasks';

/** Issue 14 item 1: one access function per routine decides who may see / act; non-parties learn nothing. */
const person = (id: string, role: StaffMember['roles'][number]['role'], unit: StaffMember['roles'][number]['unit']): StaffMember => ({ id, name: id, roles: [{ role, unit }] });
const hanna = person('hanna', 'careNeedsAssessor', 'avo');
const ffsAssessor = person('frans', 'careNeedsAssessor', 'ffs');
const rut = person('rut', 'providerContact', 'provider:hemtjanst-vast');
const eva = person('eva', 'providerContact', 'provider:majorna');
const ulla = person('ulla', 'supervisor', 'avo');
const maria = person('maria', 'financeAdministrator', 'avo');
const anna = person('anna', 'socialWorker', 'sf-centrum');
const petra = person('petra', 'socialWorker', 'sf-hisingen');
const ivar = person('ivar', 'employmentConsultant', 'kc');
const johanna = person('johanna', 'kcCoordinator', 'kc');
const gunilla = person('gunilla', 'supervisor', 'sf-centrum');
const sofia = person('sofia', 'socialWorker', 'sf-nordost');
const tomas = person('tomas', 'supervisor', 'ffs');
const ffsWorker = person('fia', 'socialWorker', 'ffs');
const ulf = person('ulf', 'supervisor', 'avo');

const code = (d: { ok: boolean; code?: string }) => (d.ok ? 'ok' : d.code);

describe('ownership: who may see and act on a plan review, a referral, a coordinated plan (issue 14)', () => {
  describe('routine B: reviewAccess', () => {
    const review = { assessorId: 'hanna', owningUnit: 'avo', providerId: 'hemtjanst-vast' } as Pick<PlanReview, 'assessorId' | 'owningUnit' | 'providerId'>;
    it('gives each party its part, and refuses another part\'s step with notAllowed', () => {
      assert.equal(code(reviewAccess(hanna, review, 'assessor')), 'ok');
      assert.equal(code(reviewAccess(rut, review, 'provider')), 'ok');
      assert.equal(code(reviewAccess(ulla, review)), 'ok');
      assert.equal(code(reviewAccess(maria, review)), 'ok');
      assert.equal(code(reviewAccess(hanna, review, 'provider')), 'notAllowed');
      assert.equal(code(reviewAccess(rut, review, 'assessor')), 'notAllowed');
    });
    it('answers everyone else notFoundOrNotAllowed: another administration, another provider, KC', () => {
      for (const p of [ffsAssessor, eva, anna, ivar, sofia]) for (const as of [undefined, 'assessor', 'provider'] as const) assert.equal(code(reviewAccess(p, review, as)), 'notFoundOrNotAllowed', `${p.name} ${as}`);
    });
  });

  describe('routine C: referralAccess', () => {
    const base: Referral = {
      referralId: 'r1',
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
    };
    it('before the assignment is sent KC knows nothing: a consultant\'s forged "take" gets notFoundOrNotAllowed, not "out of order"', () => {
      assert.equal(code(referralAccess(base, ivar, 'take')), 'notFoundOrNotAllowed');
      assert.equal(code(referralAccess(base, johanna, 'coordinatorConfirm')), 'notFoundOrNotAllowed');
      assert.equal(code(referralAccess(base, anna, 'af')), 'ok');
    });
    it('once sent, the KC pool may take it; the coordinator may see it with consent; the social worker\'s steps stay hers', () => {
      const sent: Referral = { ...base, state: 'assigned', consentId: 'k1', assignment: { needs: 'n', includes: 'i', goals: ['g'], sentAt: '2026-01-11T09:00:00.000Z' } };
      assert.equal(code(referralAccess(sent, ivar, 'take')), 'ok');
      assert.equal(code(referralAccess(sent, ivar, 'bookIntake')), 'notAllowed');
      assert.equal(code(referralAccess(sent, johanna, 'see')), 'ok');
      assert.equal(code(referralAccess(sent, anna, 'revokeConsent')), 'ok');
      assert.equal(code(referralAccess(sent, gunilla, 'revokeConsent')), 'notAllowed');
      for (const p of [petra, sofia, hanna, rut, tomas]) assert.equal(code(referralAccess(sent, p, 'see')), 'notFoundOrNotAllowed', p.name);
      // After the consent to KC is revoked nobody at KC has a part: the consultant who took it, the pool, the coordinator.
      const taken: Referral = { ...sent, state: 'intakeBooked', consultantId: 'ivar', consultantName: 'Ivar' };
      assert.equal(code(referralAccess(taken, ivar, 'prepared')), 'ok');
      for (const p of [ivar, johanna, person('ines', 'employmentConsultant', 'kc')]) assert.equal(code(referralAccess(taken, p, 'see', false)), 'notFoundOrNotAllowed', p.name);
      assert.equal(code(referralAccess(taken, ivar, 'prepared', false)), 'notFoundOrNotAllowed');
      assert.equal(code(referralAccess(taken, anna, 'intakeHeld', false)), 'ok');
    });
  });

  describe('routine D: planAccess and the rules that use it', () => {
    const plan: CoordinatedPlan = {
      spId: 'sp-1abcdef',
      caseId: null,
      mode: 'consultation',
      initiatorId: 'sofia',
      initiatorName: 'Sofia',
      initiatingAdministration: 'sf-nordost',
      others: ['ffs'],
      acuteConcern: false,
      concernReported: false,
      purpose: 'p',
      needs: 'n',
      questions: 'q',
      proposedTime: 't',
      meetingForm: 'video',
      individualTakesPart: false,
      invitations: [{ administration: 'ffs' }],
      versions: [],
      state: 'invited',
      createdAt: '2026-11-23T09:00:00.000Z',
    };
    const now = new Date('2026-11-23T09:00:00Z');
    it('the owner and the invited administration have their parts; another administration has none', () => {
      assert.equal(code(planAccess(plan, sofia, 'owner')), 'ok');
      assert.equal(code(planAccess(plan, tomas, 'invited', 'ffs')), 'ok');
      assert.equal(code(planAccess(plan, ffsWorker, 'invited', 'ffs')), 'ok');
      assert.equal(code(planAccess(plan, tomas, 'owner')), 'notAllowed');
      for (const p of [ulf, anna, hanna, rut, ivar]) assert.equal(code(planAccess(plan, p)), 'notFoundOrNotAllowed', p.name);
    });
    it('every step answers a non-party notFoundOrNotAllowed before it looks at the plan\'s state (a forged button reveals nothing)', () => {
      const closed = { ...plan, state: 'closed' as const };
      for (const p of [ulf, anna]) {
        assert.equal(code(answerInvitation(closed, 'avo', p, 'accepted', '', now)), 'notFoundOrNotAllowed');
        assert.equal(code(answerInvitation(plan, 'ffs', p, 'accepted', '', now)), 'notFoundOrNotAllowed');
        assert.equal(code(decide(plan, 7, 'avo', p, 'approved', '', now)), 'notFoundOrNotAllowed');
        assert.equal(code(raiseDisagreement(closed, p, 'avo', 'x', now)), 'notFoundOrNotAllowed');
        assert.equal(code(closePlan(closed, p, 'x')), 'notFoundOrNotAllowed');
      }
      // A party of the plan is still told what is wrong with the step.
      assert.equal(code(answerInvitation(closed, 'ffs', tomas, 'accepted', '', now)), 'staleCard');
      assert.equal(code(decide(plan, 1, 'ffs', ffsWorker, 'approved', '', now)), 'staleCard');
    });
    it('a plan\'s code carries no data of the person', () => {
      assert.equal(planCode(plan), 'SP-SP1ABC');
    });
  });

  describe('task list: the case of each task', () => {
    const task = (over: Partial<Task>): Task => ({ taskId: 't', caseId: 'c', routine: 'A', step: 'a.contactFirstInLine', unit: 'ffs', assignee: { kind: 'role', role: 'workGuidanceOfficer', unit: 'ffs' }, dueDate: '2026-11-25', binding: false, label: 'Solrosen', state: 'open', createdAt: '2026-11-23T09:00:00.000Z', ...over });
    it('the reference of an ordinary case, the code of a protected one, never initials', () => {
      assert.equal(taskCaseLabel({ reference: 'TR-1', protectedIdentity: false }, 'B-XYZ'), 'TR-1');
      assert.equal(taskCaseLabel({ reference: 'TR-1', protectedIdentity: true }, 'B-XYZ'), 'B-XYZ');
      assert.equal(taskCaseLabel(undefined, 'SP-1'), 'SP-1');
    });
    it('two tasks for one provider differ by their case in the list; a label that already names the case is not repeated', () => {
      const rows = taskRows([task({ taskId: '1', caseLabel: 'TR-1' }), task({ taskId: '2', caseLabel: 'TR-2' }), task({ taskId: '3', label: 'SP TR-3', caseLabel: 'TR-3' }), task({ taskId: '4' })], '2026-11-23', sv, false);
      assert.deepEqual(
        rows.map((r) => r.detail),
        ['TR-1 · Solrosen · Senast 2026-11-25', 'TR-2 · Solrosen · Senast 2026-11-25', 'SP TR-3 · Senast 2026-11-25', 'Solrosen · Senast 2026-11-25'],
      );
    });
  });
});
