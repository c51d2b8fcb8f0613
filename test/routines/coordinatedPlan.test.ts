import { strict as assert } from 'node:assert';
import { CONTACTS, concernContacts } from '../../routines/d-coordinated-plan/contacts';
import { checkConsultationText, closePlan, decide, identifyingContent, mayInvite, otherAdministrations, submitPlan, triage, type CoordinatedPlan, type PlanContent } from '../../routines/d-coordinated-plan/rules';
import { recordConsent, revokeConsent } from '../../routines/shared/consent';
import type { StaffMember } from '../../routines/shared/organisation';

const now = new Date('2026-11-23T09:00:00Z');
const sofia: StaffMember = { id: 's', name: 'Sofia', roles: [{ role: 'socialWorker', unit: 'sf-nordost' }] };
const tomas: StaffMember = { id: 't', name: 'Tomas', roles: [{ role: 'supervisor', unit: 'ffs' }] };
const ulla: StaffMember = { id: 'u', name: 'Ulla', roles: [{ role: 'supervisor', unit: 'avo' }] };
const ffsWorker: StaffMember = { id: 'w', name: 'Walter', roles: [{ role: 'socialWorker', unit: 'ffs' }] };
const content: PlanContent = { participants: 'p', background: 'b', needs: 'n', responsibilities: 'r', followUpDate: '2027-01-15', individualParticipation: 'i' };
const plan = (over: Partial<CoordinatedPlan> = {}): CoordinatedPlan => ({
  spId: 'sp1', caseId: 'c1', mode: 'consent', initiatorId: 's', initiatorName: 'Sofia', initiatingAdministration: 'sf-nordost', others: ['ffs', 'avo'],
  acuteConcern: false, concernReported: false, purpose: 'p', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false,
  invitations: [{ administration: 'ffs' }, { administration: 'avo' }], versions: [], state: 'invited', createdAt: now.toISOString(), ...over,
});

describe('routine D rules', () => {
  it('asks about acute concern first: with concern, nothing goes on until the report is made', () => {
    assert.equal((triage(true, false) as { code?: string }).code, 'reportOfConcernFirst');
    assert.deepEqual(triage(true, true), { ok: true, value: { acuteConcern: true, concernReported: true } });
    assert.ok(triage(false, false).ok);
  });

  it('needs at least one other administration', () => {
    assert.equal(otherAdministrations('sf-nordost', ['sf-nordost']).ok, false);
    assert.deepEqual(otherAdministrations('sf-nordost', ['ffs', 'avo']), { ok: true, value: ['ffs', 'avo'] });
    assert.equal(otherAdministrations('sf-nordost', ['ffs', 'nowhere']).ok, false);
  });

  describe('unidentified consultation: identifying content is refused', () => {
    const cases: Array<[string, string[]]> = [
      ['Kalle behöver stöd', ['name']],
      ['personen, 19850101-1234, behöver stöd', ['personalIdentityNumber']],
      ['ring 070-123 45 67', ['phone']],
      ['skriv till kalle.l@example.com', ['name', 'email']],
      ['bor på Storgatan 12', ['address']],
      ['ärende TR-9 gäller', ['caseReference']],
      ['Personen behöver stöd i vardagen och med boende', []],
    ];
    for (const [text, kinds] of cases) {
      it(`"${text}" → ${kinds.join(', ') || 'nothing'}`, () => assert.deepEqual(identifyingContent(text, { names: ['Kalle', 'Larsson'], reference: 'TR-9' }).sort(), kinds.sort()));
    }
    it('does not take a word containing the name for the name', () => {
      assert.deepEqual(identifyingContent('Kallelse till möte', { names: ['Kalle'] }), []);
    });
    it('reports every kind found in any field', () => {
      const d = checkConsultationText(['Kalle', 'ring 031-365 00 00'], { names: ['Kalle'] });
      assert.ok(!d.ok && d.code === 'identifyingContent' && String(d.params.kinds).includes('phone'));
    });
  });

  it('invites only with consent covering that administration (checked now), or as a consultation', () => {
    const c = recordConsent({ recipients: ['ffs'], information: 'i', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-22T09:00:00.000Z', toldHowToRevoke: true }, { consentId: 'k', caseId: 'c1', routine: 'D', capturedBy: 's' }, now);
    assert.ok(c.ok);
    assert.ok(mayInvite(plan(), 'ffs', [c.value], now).ok);
    assert.equal(mayInvite(plan(), 'avo', [c.value], now).ok, false);
    const revoked = revokeConsent(c.value, 's', new Date('2026-11-23T08:00:00Z'));
    assert.ok(revoked.ok);
    assert.equal(mayInvite(plan(), 'ffs', [revoked.value], now).ok, false, 'revoking consent stops every further card');
    assert.ok(mayInvite(plan({ mode: 'consultation', caseId: null }), 'avo', [], now).ok);
  });

  describe('approval', () => {
    const submitted = () => {
      const d = submitPlan(plan(), sofia, content, now);
      assert.ok(d.ok);
      return d.value;
    };
    it('only the initiator submits; each submission is a new version', () => {
      assert.equal(submitPlan(plan(), tomas, content, now).ok, false);
      const p = submitted();
      assert.equal(p.versions.length, 1);
      assert.equal(p.state, 'awaitingApproval');
      assert.equal((submitPlan(p, sofia, content, now) as { code?: string }).code, 'awaitingApproval');
    });
    it('refuses the wrong administration, the wrong role and a second decision', () => {
      const p = submitted();
      assert.equal(decide(p, 1, 'ffs', ulla, 'approved', '', now).ok, false, 'ÄVO supervisor for FFS');
      assert.equal(decide(p, 1, 'ffs', ffsWorker, 'approved', '', now).ok, false, 'social worker, not supervisor');
      assert.equal(decide(p, 1, 'sf-nordost', sofia, 'approved', '', now).ok, false, 'the initiating administration does not approve');
      const once = decide(p, 1, 'ffs', tomas, 'approved', '', now);
      assert.ok(once.ok);
      const twice = decide(once.value, 1, 'ffs', tomas, 'approved', '', now);
      assert.ok(!twice.ok && twice.code === 'alreadyDone' && twice.params.by === 'Tomas');
    });
    it('a return needs a comment; afterwards the old version takes no more decisions', () => {
      const p = submitted();
      assert.equal((decide(p, 1, 'ffs', tomas, 'returned', ' ', now) as { code?: string }).code, 'reasonRequired');
      const r = decide(p, 1, 'ffs', tomas, 'returned', 'Ange datum', now);
      assert.ok(r.ok && r.value.state === 'returned');
      assert.equal((decide(r.value, 1, 'avo', ulla, 'approved', '', now) as { code?: string }).code, 'staleCard');
    });
    it('is established and locked only when every other administration approved the same version', () => {
      let p = submitted();
      const a = decide(p, 1, 'ffs', tomas, 'returned', 'Ändra', now);
      assert.ok(a.ok);
      const v2 = submitPlan(a.value, sofia, content, now);
      assert.ok(v2.ok);
      const ffs = decide(v2.value, 2, 'ffs', tomas, 'approved', '', now);
      assert.ok(ffs.ok && ffs.value.state === 'awaitingApproval');
      const avo = decide(ffs.value, 2, 'avo', ulla, 'approved', '', now);
      assert.ok(avo.ok && avo.value.state === 'established');
      p = avo.value;
      assert.equal((submitPlan(p, sofia, content, now) as { code?: string }).code, 'planLocked', 'a locked plan cannot change');
      assert.equal(p.versions[0]!.decisions[0]!.decision, 'returned', 'earlier versions and decisions are kept');
    });
    it('closes with a reason, once', () => {
      const c = closePlan(plan(), sofia, 'Behovet har upphört');
      assert.ok(c.ok && c.value.state === 'closed');
      assert.equal(closePlan(c.value, sofia, 'igen').ok, false);
      assert.equal(closePlan(plan(), tomas, 'x').ok, false);
    });
  });

  it('keeps the seed\'s contact directory as data, with intake for reports of concern', () => {
    assert.equal(CONTACTS.administrations.length, 6);
    assert.ok(concernContacts().some((c) => c.email === 'mottaget.bou.centrum@socialcentrum.goteborg.se'));
  });
});
