import { strict as assert } from 'node:assert';
import { WaitingListService } from '../../dialogs/a-waiting-list/service';
import type { DialogDeps } from '../../dialogs/ports';
import type { Actor } from '../../routines/shared/journal';
import { DEMO_STAFF, seedDemoData } from '../../storage/demoData';
import { freshStores } from '../helpers/storage';

const actor: Actor = { id: DEMO_STAFF[1]!.id, name: 'Bertil Berg', role: 'workGuidanceOfficer', unit: 'ffs' };

describe('routine A under concurrency (Azurite)', () => {
  it('30 concurrent registrations on one provider: none lost, none duplicated, positions contiguous', async function () {
    this.timeout(60000);
    const stores = await freshStores();
    await seedDemoData(stores);
    let n = 0;
    const deps: DialogDeps = { stores, notifier: { sendCard: async () => ({ sent: true }), updateCard: async () => true }, clock: () => new Date('2026-11-23T09:00:00Z'), newId: () => `id-${++n}-${Math.random().toString(36).slice(2)}` };
    const service = new WaitingListService(deps);
    const N = 30;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        service.joinQueue(actor, {
          caseFile: { caseId: `case-${i}`, routine: 'A', reference: `TR-${i}`, initials: 'AB', protectedIdentity: false, owningUnit: 'ffs', createdBy: actor.id, createdAt: '2026-11-23T09:00:00.000Z' },
          providerId: 'solrosen',
          requestDate: '2026-11-23',
          consent: { recipients: [], information: 'kö', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23T08:00:00.000Z', toldHowToRevoke: true },
        }),
      ),
    );
    assert.equal(results.filter((r) => r.ok).length, N, JSON.stringify(results.filter((r) => !r.ok)));
    const queue = await stores.waitingList.queue('solrosen');
    assert.equal(queue.length, N, 'no lost entries');
    assert.equal(new Set(queue.map((e) => e.caseId)).size, N, 'no duplicated entries');
    assert.deepEqual(queue.map((e) => e.seq), Array.from({ length: N }, (_, i) => i + 1), 'positions contiguous');
    const provider = (await stores.waitingList.provider('solrosen'))!.value;
    assert.equal(provider.waiting, N);
    const positions = results.map((r) => (r.ok ? r.value.position : 0)).sort((a, b) => a - b);
    assert.deepEqual(positions, Array.from({ length: N }, (_, i) => i + 1), 'each registration was shown its own position');

    // The same case registering twice at once: one entry only.
    const again = await Promise.all([0, 1].map(() => service.joinQueue(actor, { caseFile: { caseId: 'case-0', routine: 'A', reference: 'TR-0', initials: 'AB', protectedIdentity: false, owningUnit: 'ffs', createdBy: actor.id, createdAt: '2026-11-23T09:00:00.000Z' }, providerId: 'solrosen', requestDate: '2026-11-23', consent: { recipients: [], information: 'kö', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23T08:00:00.000Z', toldHowToRevoke: true } })));
    assert.ok(again.every((r) => !r.ok));
    assert.equal((await stores.waitingList.queue('solrosen')).length, N);

    // Places freed concurrently: each offer goes to one entry at a time, never two open.
    await Promise.all([0, 1, 2, 3, 4].map(() => service.offerNext('solrosen')));
    const p = (await stores.waitingList.provider('solrosen'))!.value;
    assert.equal(p.openOffer, null, 'no free place yet, so nothing is offered');
    await Promise.all([service.registerRelease(actor, 'solrosen'), service.registerRelease(actor, 'solrosen')]);
    const after = await stores.waitingList.queue('solrosen');
    assert.equal(after.filter((e) => e.state === 'offered').length, 1, 'a place is never offered to two at once');
    assert.equal(after[0]!.state, 'offered', 'the first in line');
  });
});
