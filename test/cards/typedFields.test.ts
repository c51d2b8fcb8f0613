import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { newId } from '../../bot/ids';
import * as A from '../../cards/a-waiting-list/forms';
import { offerAnswerSubmission, offerTakeSubmission } from '../../cards/a-waiting-list/offer';
import { placesSubmission } from '../../cards/a-waiting-list/places';
import { adminRolesSubmission } from '../../cards/adminRoles';
import * as B from '../../cards/b-plan-review/forms';
import * as C from '../../cards/c-kompetenscenter/forms';
import { choiceSubmission } from '../../cards/choices';
import * as D from '../../cards/d-coordinated-plan/forms';
import { typedFieldNames, typedFieldWithPersonalIdentityNumber } from '../../cards/typed';
import { sv } from '../../locale/sv';
import { handleOf } from '../../routines/c-kompetenscenter/rules';
import { containsPersonalIdentityNumber } from '../../routines/shared/privacy';

describe('generated ids can never look like a personal identity number', () => {
  it('the old generator (UUID v4) could: "19850101-1234-4abc-…" reads as date + four digits', () => {
    assert.equal(containsPersonalIdentityNumber('19850101-1234-4abc-8def-0123456789ab'), true);
  });

  it('property: a new id, alone, joined to others with any separator, or inside a choice value, holds no date + four digits', () => {
    const sep = fc.constantFrom('', '-', '+', ' ', ':', '_');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), sep, fc.string({ maxLength: 6 }), (n, s, around) => {
        const ids = Array.from({ length: n }, () => newId());
        for (const id of ids) {
          assert.match(id, /^[a-z]{27}$/);
          assert.equal(containsPersonalIdentityNumber(id), false, id);
          assert.equal(containsPersonalIdentityNumber(handleOf({ referralId: id })), false);
        }
        const joined = ids.join(s);
        assert.equal(containsPersonalIdentityNumber(joined), false, joined);
        // An id never supplies digits to a number around it, so it cannot complete one either.
        assert.equal(containsPersonalIdentityNumber(`review:avo:${joined}${around}`), containsPersonalIdentityNumber(around), around);
      }),
      { numRuns: 2000 },
    );
  });

  it('ids are unique', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId()));
    assert.equal(ids.size, 10_000);
  });
});

describe("the personal identity number check looks only at the fields each card's schema marks as typed", () => {
  const expected: Array<[string, Parameters<typeof typedFieldNames>[0], string[]]> = [
    ['A join', A.joinSubmission, ['reference', 'initials']],
    ['A consent', A.consentSubmission, []],
    ['A pick provider', A.pickProviderSubmission, ['reference']],
    ['A actions', A.actionsSubmission, []],
    ['A offer take', offerTakeSubmission, []],
    ['A offer answer', offerAnswerSubmission, []],
    ['A places', placesSubmission, []],
    ['B register', B.registerSubmission, ['reference', 'initials']],
    ['B review', B.reviewSubmission, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']],
    ['B deviation', B.deviationSubmission, ['note']],
    ['B revised', B.revisedSubmission, ['note']],
    ['B delay reason', B.delayReasonSubmission, ['note']],
    ['C new', C.newReferralSubmission, ['reference', 'initials']],
    ['C consent', C.cConsentSubmission, ['information']],
    ['C assign', C.C_STEP_SUBMISSIONS.assign, ['needs', 'includes', 'goals']],
    ['C book intake', C.C_STEP_SUBMISSIONS.bookIntake, ['place', 'interpreter']],
    ['C closing document', C.C_STEP_SUBMISSIONS.closingDocument, ['why']],
    ['C button', C.referralButtonSubmission, []],
    ['D start', D.startSubmission, ['purpose', 'needs', 'questions', 'proposedTime']],
    ['D consent', D.dConsentSubmission, ['names', 'reference', 'initials', 'information']],
    ['D plan', D.planSubmission, ['participants', 'background', 'needs', 'responsibilities', 'individualParticipation']],
    ['D reason', D.reasonSubmission, ['reason']],
    ['D decision', D.decisionSubmission, ['note']],
    ['D invitation answer', D.invitationAnswerSubmission, ['note']],
    ['choices', choiceSubmission, []],
    ['admin roles', adminRolesSubmission, ['newPersonName']],
  ];
  for (const [name, schema, fields] of expected) {
    it(`${name}: ${fields.length ? fields.join(', ') : 'no typed field'}`, () => assert.deepEqual(typedFieldNames(schema).sort(), [...fields].sort()));
  }

  it('every C step form with a multi-line or text input marks it typed', () => {
    for (const [kind, schema] of Object.entries(C.C_STEP_SUBMISSIONS)) {
      const inputs = C.cFormFields(kind as C.CFormKind, sv, undefined, '2026-11-23').filter((f) => f.kind === 'text' || f.kind === 'multiline').map((f) => f.id);
      assert.deepEqual(typedFieldNames(schema).sort(), inputs.sort(), kind);
    }
  });

  it('an id shaped like a personal identity number passes; the same text typed in a free-text field is refused', () => {
    const pin = '19850101-1234';
    assert.equal(typedFieldWithPersonalIdentityNumber(B.revisedSubmission, { unit: 'avo', reviewId: `${pin}-4abc-8def-0123456789ab`, round: '1', note: '' }), undefined);
    assert.equal(typedFieldWithPersonalIdentityNumber(B.revisedSubmission, { unit: 'avo', reviewId: 'x', round: '1', note: `gäller ${pin}` }), 'note');
    assert.equal(typedFieldWithPersonalIdentityNumber(D.dConsentSubmission, { consent: 'no', reference: pin }), 'reference');
    assert.equal(typedFieldWithPersonalIdentityNumber(adminRolesSubmission, { action: 'add', newPersonId: pin, newPersonName: 'Anna' }), undefined);
  });
});
