import { strict as assert } from 'node:assert';
import { caseLabelFor } from '../../routines/shared/cases';
import { mayTell, recordConsent, revokeConsent, type Consent } from '../../routines/shared/consent';
import { applyDirectoryChange } from '../../routines/shared/directory';
import { routinesFor } from '../../routines/shared/menu';
import type { StaffMember } from '../../routines/shared/organisation';
import { checkCaseReference, checkFreeText, checkInitials, containsPersonalIdentityNumber } from '../../routines/shared/privacy';

const at = (iso: string) => new Date(iso);

describe('consent rule: may X be told about this case now?', () => {
  const base = {
    recipients: ['provider:solrosen'],
    information: 'Önskar plats i kö',
    givenBy: 'individual' as const,
    method: 'inPerson' as const,
    givenAt: '2026-11-20T10:00:00.000Z',
    toldHowToRevoke: true,
  };
  const ids = { consentId: 'c1', caseId: 'case1', routine: 'A' as const, capturedBy: 'officer' };
  const consent = (): Consent => {
    const d = recordConsent(base, ids, at('2026-11-20T10:05:00Z'));
    assert.ok(d.ok);
    return d.value;
  };

  it('allows a covered recipient after consent was given', () => {
    assert.equal(mayTell([consent()], 'case1', 'provider:solrosen', at('2026-11-21T00:00:00Z')).ok, true);
  });
  it('refuses a recipient the consent does not cover, or another case', () => {
    const d = mayTell([consent()], 'case1', 'provider:majorna', at('2026-11-21T00:00:00Z'));
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.code, 'consentMissing');
    assert.equal(mayTell([consent()], 'case2', 'provider:solrosen', at('2026-11-21T00:00:00Z')).ok, false);
  });
  it('refuses before the consent was given', () => {
    assert.equal(mayTell([consent()], 'case1', 'provider:solrosen', at('2026-11-19T00:00:00Z')).ok, false);
  });
  it('refuses at send time once revoked, though it was valid when given', () => {
    const r = revokeConsent(consent(), 'officer', at('2026-11-22T08:00:00Z'));
    assert.ok(r.ok);
    assert.equal(mayTell([r.value], 'case1', 'provider:solrosen', at('2026-11-21T00:00:00Z')).ok, true);
    const later = mayTell([r.value], 'case1', 'provider:solrosen', at('2026-11-22T09:00:00Z'));
    assert.equal(!later.ok && later.code, 'consentRevoked');
  });
  it('a revoked consent cannot be revoked twice', () => {
    const r = revokeConsent(consent(), 'officer', at('2026-11-22T08:00:00Z'));
    assert.ok(r.ok);
    assert.equal(revokeConsent(r.value, 'other', at('2026-11-22T09:00:00Z')).ok, false);
  });
  it('refuses to record consent when the individual was not told how to revoke, or dated in the future', () => {
    assert.equal(recordConsent({ ...base, toldHowToRevoke: false }, ids, at('2026-11-20T10:05:00Z')).ok, false);
    assert.equal(recordConsent({ ...base, givenAt: '2026-12-01T00:00:00.000Z' }, ids, at('2026-11-20T10:05:00Z')).ok, false);
  });
});

describe('privacy rules', () => {
  const cases: Array<[string, boolean]> = [
    ['19121212-1212', true],
    ['121212-1212', true],
    ['201212121212', true],
    ['Ärende 851201+1234 gäller', true],
    ['samordningsnr 701063-2391', true],
    ['TR-2026-000123', false],
    ['ring 031-365 00 00', false],
    ['131313-1234', false],
  ];
  for (const [text, expected] of cases) {
    it(`${expected ? 'detects' : 'does not flag'} "${text}"`, () => assert.equal(containsPersonalIdentityNumber(text), expected));
  }
  it('refuses a personal identity number as a case reference and names the reason', () => {
    const d = checkCaseReference('19121212-1212');
    assert.equal(!d.ok && d.code, 'personalIdentityNumber');
    assert.ok(checkCaseReference('TR-2026-000123').ok);
  });
  it('keeps initials to 1–4 letters, upper case, Swedish letters welcome', () => {
    const d = checkInitials('å.ö');
    assert.ok(d.ok && d.value === 'ÅÖ');
    assert.equal(checkInitials('ABCDE').ok, false);
    assert.equal(checkInitials('A1').ok, false);
  });
  it('refuses over-long free text with the limit named', () => {
    const d = checkFreeText('x'.repeat(2001), 'comment');
    assert.ok(!d.ok && d.code === 'textTooLong' && d.params.max === 2000);
  });
});

describe('protected identity: what a viewer sees of a case', () => {
  const c = { reference: 'TR-1', initials: 'AB', protectedIdentity: true, owningUnit: 'sf-centrum' as const };
  it('shows reference and initials inside the own administration', () => {
    assert.deepEqual(caseLabelFor(c, { kind: 'staff', units: ['sf-centrum'] }), { reference: 'TR-1', initials: 'AB', protectedIdentity: true });
  });
  it('shows neither outside it, nor to a provider', () => {
    assert.deepEqual(caseLabelFor(c, { kind: 'staff', units: ['ffs'] }), { reference: null, initials: null, protectedIdentity: true });
    assert.deepEqual(caseLabelFor(c, { kind: 'provider' }), { reference: null, initials: null, protectedIdentity: true });
  });
  it('a provider never sees initials, even of an ordinary case', () => {
    assert.equal(caseLabelFor({ ...c, protectedIdentity: false }, { kind: 'provider' }).initials, null);
  });
});

describe('staff directory rules', () => {
  const admin: StaffMember = { id: 'admin', name: 'Olle', roles: [{ role: 'admin', unit: 'city' }] };
  const worker: StaffMember = { id: 'w', name: 'Anna', roles: [{ role: 'socialWorker', unit: 'sf-centrum' }] };

  it('lets an admin add a role to a new person', () => {
    const d = applyDirectoryChange(admin, undefined, { kind: 'add', personId: 'n', personName: 'Ny', assignment: { role: 'workGuidanceOfficer', unit: 'ffs' } });
    assert.ok(d.ok);
    assert.deepEqual(d.value.roles, [{ role: 'workGuidanceOfficer', unit: 'ffs' }]);
  });
  it('refuses anyone but an admin', () => {
    const d = applyDirectoryChange(worker, worker, { kind: 'add', personId: 'w', personName: 'Anna', assignment: { role: 'admin', unit: 'city' } });
    assert.equal(!d.ok && d.code, 'notAllowed');
  });
  it('refuses a role in a unit where it cannot exist', () => {
    const d = applyDirectoryChange(admin, worker, { kind: 'add', personId: 'w', personName: 'Anna', assignment: { role: 'workGuidanceOfficer', unit: 'sf-centrum' } });
    assert.equal(!d.ok && d.code, 'roleDoesNotFitUnit');
  });
  it('refuses a duplicate role and the removal of a role not held', () => {
    assert.equal(applyDirectoryChange(admin, worker, { kind: 'add', personId: 'w', personName: 'Anna', assignment: { role: 'socialWorker', unit: 'sf-centrum' } }).ok, false);
    assert.equal(applyDirectoryChange(admin, worker, { kind: 'remove', personId: 'w', personName: 'Anna', assignment: { role: 'socialWorker', unit: 'ffs' } }).ok, false);
  });
  it('removes a role, but never the acting admin\'s own admin role', () => {
    const d = applyDirectoryChange(admin, worker, { kind: 'remove', personId: 'w', personName: 'Anna', assignment: { role: 'socialWorker', unit: 'sf-centrum' } });
    assert.ok(d.ok && d.value.roles.length === 0);
    const self = applyDirectoryChange(admin, admin, { kind: 'remove', personId: 'admin', personName: 'Olle', assignment: { role: 'admin', unit: 'city' } });
    assert.equal(!self.ok && self.code, 'cannotRemoveOwnAdmin');
  });
});

describe('menu rule: which routines a person may open', () => {
  const cases: Array<[string, StaffMember['roles'], string[]]> = [
    ['social worker', [{ role: 'socialWorker', unit: 'sf-centrum' }], ['A', 'B', 'C', 'D']],
    ['work guidance officer', [{ role: 'workGuidanceOfficer', unit: 'ffs' }], ['A']],
    ['care-needs assessor', [{ role: 'careNeedsAssessor', unit: 'avo' }], ['B']],
    ['employment consultant', [{ role: 'employmentConsultant', unit: 'kc' }], ['C']],
    ['admin only', [{ role: 'admin', unit: 'city' }], []],
    ['nobody', [], []],
  ];
  for (const [who, roles, expected] of cases) it(who, () => assert.deepEqual(routinesFor({ roles }), expected));
});
