import { strict as assert } from 'node:assert';
import { withRetries } from '../../storage/contention';
import { StorageConflictError } from '../../storage/errors';
import { freshStores } from '../helpers/storage';

/**
 * Issue 14 §9: under contention, blind retries starve — one registration in fifty spent its
 * retries and was told "Något gick fel" on a busy machine. After a lost race the retries of a
 * process queue in the partition's lane, so every contender gets through on a small budget.
 */
describe('retries after a lost race (Azurite)', () => {
  it('40 concurrent read-modify-writes of one row, 3 tries each: every one lands, none lost', async () => {
    const stores = await freshStores();
    await stores.waitingList.addProvider({ providerId: 'lane', name: 'Lane', kind: 'private', places: 0, occupied: 0, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'ffs' });
    const N = 40;
    const results = await Promise.allSettled(
      Array.from({ length: N }, () =>
        withRetries(async () => {
          const p = (await stores.waitingList.provider('lane'))!;
          await stores.waitingList.saveProvider({ ...p.value, places: p.value.places + 1 }, p.etag);
        }, 3),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 0, `failed: ${failed.map((f) => String((f as PromiseRejectedResult).reason)).join('; ')}`);
    assert.equal((await stores.waitingList.provider('lane'))!.value.places, N, 'every increment kept');
  });

  it('a retry inside a retry on the same partition does not wait for itself', async () => {
    const stores = await freshStores();
    await stores.waitingList.addProvider({ providerId: 'nest', name: 'Nest', kind: 'private', places: 0, occupied: 0, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'ffs' });
    let outer = 0;
    await withRetries(async () => {
      outer++;
      const p = (await stores.waitingList.provider('nest'))!;
      if (outer === 1) throw new StorageConflictError('WaitingList', 'q|nest/(batch)', 412);
      await withRetries(async () => {
        const q = (await stores.waitingList.provider('nest'))!;
        await stores.waitingList.saveProvider({ ...q.value, places: q.value.places + 1 }, q.etag);
      });
      assert.ok(p);
    });
    assert.equal((await stores.waitingList.provider('nest'))!.value.places, 1);
  });

  it('a conflict lost on every try is thrown as a conflict, not turned into another answer', async () => {
    await assert.rejects(
      withRetries(async () => {
        throw new StorageConflictError('T', 'p/r', 412);
      }, 3),
      StorageConflictError,
    );
  });
});
