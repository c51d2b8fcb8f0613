import { strict as assert } from 'node:assert';
import {
  actionsFor,
  answerOffer,
  caseAccess,
  mayAccessCase,
  referenceScopes,
  changePlaces,
  compareQueue,
  isSelectable,
  joinQueue,
  openOffer,
  providerStatus,
  publicAvailability,
  registerOccupied,
  registerRelease,
  takeOffer,
  type Provider,
  type QueueEntry,
} from '../../routines/a-waiting-list/rules';
import { recordConsent, revokeConsent, type Consent } from '../../routines/shared/consent';
import type { StaffMember } from '../../routines/shared/organisation';

const now = new Date('2026-11-23T09:00:00Z');
const provider = (over: Partial<Provider> = {}): Provider => ({ providerId: 'sol', name: 'Solrosen', kind: 'private', places: 3, occupied: 3, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'eku', ...over });
const officer: StaffMember = { id: 'o1', name: 'Bertil', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] };
const officer2: StaffMember = { id: 'o2', name: 'Cecilia', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] };
const worker: StaffMember = { id: 'w', name: 'Anna', roles: [{ role: 'socialWorker', unit: 'sf-centrum' }] };
const contact: StaffMember = { id: 'c', name: 'David', roles: [{ role: 'providerContact', unit: 'provider:sol' }] };
function consentFor(caseId: string, recipient = 'provider:sol'): Consent {
  const d = recordConsent({ recipients: [recipient], information: 'kö', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-22T09:00:00.000Z', toldHowToRevoke: true }, { consentId: `k-${caseId}`, caseId, routine: 'A', capturedBy: 'o1' }, now);
  assert.ok(d.ok);
  return d.value;
}
const entry = (over: Partial<QueueEntry> = {}): QueueEntry => ({ entryId: 'e1', providerId: 'sol', caseId: 'c1', requestDate: '2026-11-20', seq: 1, state: 'waiting', consentId: 'k', registeredBy: 'o1', registeredAt: now.toISOString(), ...over });

describe('routine A rules', () => {
  describe('status, derived from places, occupied and waiting', () => {
    const cases: Array<[Partial<Provider>, string, boolean, string]> = [
      [{ places: 3, occupied: 2, waiting: 0 }, 'freeWithoutQueue', true, 'free'],
      [{ places: 3, occupied: 2, waiting: 1 }, 'freeWithQueue', false, 'notFree'],
      [{ places: 3, occupied: 3, waiting: 0 }, 'noFreePlace', false, 'notFree'],
      [{ places: 2, occupied: 3, waiting: 0 }, 'noFreePlace', false, 'notFree'], // ceiling lowered below occupancy
    ];
    for (const [over, status, selectable, published] of cases) {
      it(`${JSON.stringify(over)} → ${status}, ${selectable ? '' : 'not '}selectable, published ${published}`, () => {
        assert.equal(providerStatus(provider(over)), status);
        assert.equal(isSelectable(provider(over)), selectable);
        assert.equal(publicAvailability(provider(over)), published);
      });
    }
  });

  describe('places', () => {
    it('never lets occupied exceed places', () => {
      const d = registerOccupied(provider());
      assert.equal(!d.ok && d.code, 'noFreePlace');
      assert.ok(registerOccupied(provider({ occupied: 2 })).ok);
    });
    it('refuses to release more than is occupied', () => {
      assert.equal(registerRelease(provider({ occupied: 0 })).ok, false);
      const d = registerRelease(provider({ occupied: 1 }), 2);
      assert.ok(!d.ok && d.code === 'releaseExceedsOccupied' && d.params.occupied === 1);
    });
    it('accepts lowering the ceiling below occupancy (the provider then takes no new assignments), but not out of range', () => {
      const d = changePlaces(provider(), 1);
      assert.ok(d.ok && !isSelectable(d.value));
      assert.equal(changePlaces(provider(), -1).ok, false);
      assert.equal(changePlaces(provider(), 501).ok, false);
      assert.equal(changePlaces(provider(), 2.5).ok, false);
    });
  });

  describe('joining the queue', () => {
    const input = { entryId: 'e1', caseId: 'c1', requestDate: '2026-11-20', registeredBy: 'o1' };
    it('needs consent that covers the provider now', () => {
      assert.equal(joinQueue(provider(), false, [], input, '2026-11-23', now).ok, false);
      assert.equal(joinQueue(provider(), false, [consentFor('c1', 'provider:other')], input, '2026-11-23', now).ok, false);
      const revoked = revokeConsent(consentFor('c1'), 'o1', new Date('2026-11-22T12:00:00Z'));
      assert.ok(revoked.ok);
      const d = joinQueue(provider(), false, [revoked.value], input, '2026-11-23', now);
      assert.equal(!d.ok && d.code, 'consentRevoked');
    });
    it('registers with the next position and counts the waiting', () => {
      const d = joinQueue(provider({ nextSeq: 7, waiting: 2 }), false, [consentFor('c1')], input, '2026-11-23', now);
      assert.ok(d.ok);
      assert.equal(d.value.entry.seq, 7);
      assert.equal(d.value.provider.nextSeq, 8);
      assert.equal(d.value.provider.waiting, 3);
    });
    it('is not needed when the provider is selectable, and allowed once per case', () => {
      assert.equal((joinQueue(provider({ occupied: 1 }), false, [consentFor('c1')], input, '2026-11-23', now) as { code?: string }).code, 'providerSelectable');
      assert.equal((joinQueue(provider(), true, [consentFor('c1')], input, '2026-11-23', now) as { code?: string }).code, 'alreadyInQueue');
    });
    it('refuses a request date in the future', () => {
      assert.equal((joinQueue(provider(), false, [consentFor('c1')], { ...input, requestDate: '2026-11-24' }, '2026-11-23', now) as { code?: string }).code, 'dateInFuture');
    });
    it('orders by request date, then position: a later registration of an earlier request goes ahead', () => {
      const list = [entry({ entryId: 'b', requestDate: '2026-11-20', seq: 2 }), entry({ entryId: 'c', requestDate: '2026-11-18', seq: 3 }), entry({ entryId: 'a', requestDate: '2026-11-20', seq: 1 })];
      assert.deepEqual(list.sort(compareQueue).map((e) => e.entryId), ['c', 'a', 'b']);
    });
  });

  describe('offers', () => {
    it('opens an offer only with a free place, someone waiting and no offer open', () => {
      assert.equal(openOffer(provider({ occupied: 2, waiting: 1 }), entry()).ok, true);
      assert.equal(openOffer(provider({ occupied: 3, waiting: 1 }), entry()).ok, false);
      assert.equal(openOffer(provider({ occupied: 2, waiting: 1, openOffer: 'x' }), entry()).ok, false, 'never two offers at once');
      assert.equal(openOffer(provider({ occupied: 2, waiting: 0 }), undefined).ok, false);
    });
    const offered = entry({ state: 'offered', offer: { notReachedCount: 0 } });
    const p = provider({ occupied: 2, waiting: 2, openOffer: 'e1' });
    it('lets one officer take it and tells the second who did', () => {
      const first = takeOffer(p, offered, officer, now);
      assert.ok(first.ok);
      const second = takeOffer(p, first.value, officer2, now);
      assert.ok(!second.ok && second.code === 'alreadyDone' && second.params.by === 'Bertil');
      assert.equal(takeOffer(p, offered, worker, now).ok, false, 'only work guidance officers');
    });
    it('"still wants" takes the place only while consent holds', () => {
      const taken = { ...offered, offer: { notReachedCount: 0, takenBy: 'o1', takenByName: 'Bertil', takenAt: now.toISOString() } };
      const d = answerOffer(p, taken, officer, 'stillWants', [consentFor('c1')], now);
      assert.ok(d.ok && d.value.kind === 'assigned');
      assert.equal(d.value.provider.occupied, 3);
      assert.equal(d.value.provider.waiting, 1);
      assert.equal(d.value.provider.openOffer, null);
      assert.equal(answerOffer(p, taken, officer, 'stillWants', [], now).ok, false, 'no assignment without consent at that moment');
      assert.equal(answerOffer(p, taken, officer2, 'stillWants', [consentFor('c1')], now).ok, false, 'only the taker answers');
    });
    it('"no longer" and "consent revoked" close the entry; "not reached" keeps the offer and counts', () => {
      for (const a of ['noLongerWants', 'consentRevoked'] as const) {
        const d = answerOffer(p, offered, officer, a, [], now);
        assert.ok(d.ok && d.value.kind === 'closed' && d.value.provider.openOffer === null && d.value.provider.waiting === 1);
      }
      const nr = answerOffer(p, offered, officer, 'notReached', [], now);
      assert.ok(nr.ok && nr.value.kind === 'stillOpen' && nr.value.entry.offer?.notReachedCount === 1 && nr.value.provider.openOffer === 'e1');
    });
    it('treats an answer to an offer that is no longer open as a stale card', () => {
      assert.equal((answerOffer(provider({ openOffer: null }), offered, officer, 'stillWants', [], now) as { code?: string }).code, 'staleCard');
    });
  });

  it('offers each role only its own actions', () => {
    assert.deepEqual(actionsFor(officer), ['join', 'occupied', 'release', 'status', 'list', 'queue', 'revoke']);
    assert.deepEqual(actionsFor(worker), ['join', 'status', 'revoke']);
    assert.deepEqual(actionsFor(contact), ['status', 'queue', 'reportPlaces', 'reportAvailability']);
    assert.deepEqual(actionsFor({ id: 't', name: 'Lars', roles: [{ role: 'placesRegistrar', unit: 'tid' }] }), ['status', 'places']);
    assert.deepEqual(actionsFor({ id: 'k', name: 'Karin', roles: [{ role: 'contractUnit', unit: 'eku' }] }), ['status', 'list']);
  });

  describe('who may see and act on a case (mayAccessCase)', () => {
    const ffsCase = { routine: 'A' as const, owningUnit: 'ffs' as const };
    const sfcCase = { routine: 'A' as const, owningUnit: 'sf-centrum' as const };
    const otherWorker: StaffMember = { id: 'p', name: 'Petra', roles: [{ role: 'socialWorker', unit: 'sf-hisingen' }] };
    const otherContact: StaffMember = { id: 'e', name: 'Eva', roles: [{ role: 'providerContact', unit: 'provider:majorna' }] };
    const supervisor: StaffMember = { id: 'g', name: 'Gunilla', roles: [{ role: 'supervisor', unit: 'sf-centrum' }] };
    const eku: StaffMember = { id: 'k', name: 'Karin', roles: [{ role: 'contractUnit', unit: 'eku' }] };

    it('lets the work guidance officers take every step on every case: they administer every queue', () => {
      for (const step of ['register', 'revoke', 'offer', 'viewEntry'] as const) for (const c of [ffsCase, sfcCase]) assert.ok(mayAccessCase(officer, c, step, 'sol'), `${step} ${c.owningUnit}`);
    });

    it('lets a social worker register and revoke only the cases of their own unit, and never answer an offer', () => {
      assert.ok(mayAccessCase(worker, sfcCase, 'register'));
      assert.ok(mayAccessCase(worker, sfcCase, 'revoke'));
      assert.ok(mayAccessCase(worker, sfcCase, 'viewEntry'));
      assert.ok(!mayAccessCase(worker, sfcCase, 'offer'));
      for (const step of ['register', 'revoke', 'offer', 'viewEntry'] as const) {
        assert.ok(!mayAccessCase(worker, ffsCase, step), `SF Centrum on an FFS case: ${step}`);
        assert.ok(!mayAccessCase(otherWorker, sfcCase, step), `SF Hisingen on an SF Centrum case: ${step}`);
      }
    });

    it('lets a provider contact see only the line of its own queue, and nobody else anything', () => {
      assert.ok(mayAccessCase(contact, ffsCase, 'viewEntry', 'sol'));
      assert.ok(!mayAccessCase(contact, ffsCase, 'viewEntry', 'majorna'));
      assert.ok(!mayAccessCase(otherContact, ffsCase, 'viewEntry', 'sol'));
      for (const step of ['register', 'revoke', 'offer'] as const) assert.ok(!mayAccessCase(contact, ffsCase, step, 'sol'), step);
      for (const p of [supervisor, eku]) for (const step of ['register', 'revoke', 'offer', 'viewEntry'] as const) assert.ok(!mayAccessCase(p, sfcCase, step, 'sol'), `${p.name} ${step}`);
      assert.ok(!mayAccessCase(officer, { routine: 'B', owningUnit: 'ffs' }, 'revoke'), 'a case of another routine is not routine A\'s');
    });

    it('answers an unknown case and a case one may not see alike', () => {
      assert.deepEqual(caseAccess(otherWorker, sfcCase, 'revoke'), caseAccess(otherWorker, undefined, 'revoke'));
      assert.deepEqual(caseAccess(otherWorker, undefined, 'revoke'), { ok: false, code: 'notFoundOrNotAllowed', params: {} });
      assert.deepEqual(caseAccess(worker, sfcCase, 'revoke'), { ok: true, value: sfcCase });
    });

    it('looks a typed reference up only among the cases one may act on', () => {
      assert.deepEqual(referenceScopes(worker), ['sf-centrum']);
      assert.ok(referenceScopes(officer).includes('sf-centrum') && referenceScopes(officer).includes('ffs'));
      assert.deepEqual(referenceScopes(contact), []);
    });

    it('refuses the offer buttons to anyone but an officer with the answer that reveals nothing', () => {
      const p = provider({ occupied: 2, waiting: 1, openOffer: 'e1' });
      const offered = entry({ state: 'offered', offer: { notReachedCount: 0 } });
      for (const person of [worker, contact, eku]) {
        assert.equal((takeOffer(p, offered, person, now) as { code?: string }).code, 'notFoundOrNotAllowed');
        assert.equal((answerOffer(p, offered, person, 'consentRevoked', [], now) as { code?: string }).code, 'notFoundOrNotAllowed');
      }
    });
  });
});
