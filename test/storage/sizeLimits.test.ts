import { strict as assert } from 'node:assert';
import { TableBotStorage } from '../../bot/tableBotStorage';
import { EntityTable, PIECE } from '../../storage/entityTable';
import { StorageConflictError } from '../../storage/errors';
import { coordinatedPlanSchema } from '../../storage/coordinatedPlans';
import { planReviewSchema } from '../../storage/planReviews';
import { referralSchema } from '../../storage/referrals';
import { longText, maxPlan, maxReferral, maxReview } from '../helpers/largeValues';
import { freshStores } from '../helpers/storage';

describe('storage: no aggregate outgrows a Table storage entity (Azurite)', () => {
  it('the maximal values are valid by the stores\' own schemas, and far larger than one property', () => {
    for (const [schema, value] of [
      [coordinatedPlanSchema, maxPlan('sp1')],
      [planReviewSchema, maxReview('r1')],
      [referralSchema, maxReferral('c1')],
    ] as const) {
      const r = (schema as { safeParse(v: unknown): { success: boolean; error?: unknown } }).safeParse(value);
      assert.ok(r.success, JSON.stringify(r.error));
      assert.ok(JSON.stringify(value).length > 10 * PIECE, `${JSON.stringify(value).length}`);
    }
  });

  it('D: a plan with every text at its maximum and 20 versions is written, replaced and read back equal', async () => {
    const stores = await freshStores();
    const plan = maxPlan('sp-max');
    await stores.plans.add({ ...plan, versions: plan.versions.slice(0, 1) });
    const first = (await stores.plans.get('sp-max'))!;
    assert.equal(first.value.versions.length, 1);
    await stores.plans.save(plan, first.etag);
    const back = (await stores.plans.get('sp-max'))!;
    assert.deepEqual(back.value, plan);
    assert.deepEqual(await stores.plans.byInitiator(plan.initiatorId), [plan], 'a partition query joins the rows too');
  });

  it('B: a review with every text at its maximum and 30 rounds is written and read back equal (also by unit and by provider)', async () => {
    const stores = await freshStores();
    const review = maxReview('r-max');
    await stores.planReviews.add(review);
    assert.deepEqual((await stores.planReviews.get('avo', 'r-max'))!.value, review);
    assert.deepEqual(await stores.planReviews.inUnit('avo'), [review]);
    assert.deepEqual(await stores.planReviews.ofProvider('hemtjanst-vast'), [review]);
  });

  it('C: a referral with every text and every history list at its maximum is written and read back equal', async () => {
    const stores = await freshStores();
    const r = maxReferral('c-max');
    await stores.referrals.add({ ...r, followUps: [], events: [] });
    const s = (await stores.referrals.get('c-max'))!;
    await stores.referrals.save(r, s.etag);
    assert.deepEqual((await stores.referrals.get('c-max'))!.value, r);
    assert.deepEqual(await stores.referrals.open(), [r]);
    const rows: Array<Record<string, unknown>> = [];
    for await (const e of stores.factory.client('Referrals').listEntities()) rows.push(e);
    assert.ok(rows.length >= 2, `split over ${rows.length} rows of one partition`);
    for (const row of rows) for (const [k, v] of Object.entries(row)) if (typeof v === 'string') assert.ok(v.length <= PIECE, `${k}: ${v.length}`);
  });

  it('a split value keeps the ETag rule: of two writers with the same ETag exactly one wins, the other gets 412', async () => {
    const stores = await freshStores();
    const plan = maxPlan('sp-race');
    await stores.plans.add(plan);
    const s = (await stores.plans.get('sp-race'))!;
    const a = { ...plan, state: 'returned' as const, closedReason: longText(2000, 77) };
    const b = { ...plan, state: 'established' as const, versions: plan.versions.slice(0, 2) };
    const results = await Promise.allSettled([stores.plans.save(a, s.etag), stores.plans.save(b, s.etag)]);
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1, 'one winner');
    const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof StorageConflictError && lost.reason.statusCode === 412, String(lost.reason));
    const now = (await stores.plans.get('sp-race'))!.value;
    assert.deepEqual(now, results[0]!.status === 'fulfilled' ? a : b, 'the winner is stored whole, nothing of the loser');
    // A stale ETag after the write is refused as well, also when the new value is small again.
    await assert.rejects(stores.plans.save({ ...plan, versions: [] }, s.etag), (e: unknown) => e instanceof StorageConflictError && e.statusCode === 412);
  });

  it('shrinking, growing and deleting: only the current rows count, a delete leaves no piece behind', async () => {
    const stores = await freshStores();
    const plan = maxPlan('sp-shrink');
    await stores.plans.add(plan);
    let s = (await stores.plans.get('sp-shrink'))!;
    const small = { ...plan, versions: [], invitations: [], cards: [] };
    await stores.plans.save(small, s.etag);
    s = (await stores.plans.get('sp-shrink'))!;
    assert.deepEqual(s.value, small);
    await stores.plans.save(plan, s.etag);
    assert.deepEqual((await stores.plans.get('sp-shrink'))!.value, plan);
    const table = new EntityTable(stores.factory.client('Plans'), coordinatedPlanSchema);
    // The ETag a split write returns is the head row's: the one a read gives, good for the next write.
    const written = await table.replace('sp', 'sp-shrink', plan, (await table.get('sp', 'sp-shrink'))!.etag);
    assert.equal(written.etag, (await table.get('sp', 'sp-shrink'))!.etag);
    await table.replace('sp', 'sp-shrink', { ...plan, state: 'established' }, written.etag);
    await table.delete('sp', 'sp-shrink');
    assert.equal(await table.get('sp', 'sp-shrink'), undefined);
    const left: unknown[] = [];
    // The plan's index row (`i|<initiator>|<id>`) is not a piece of the value: deleting through the raw table leaves it.
    for await (const e of stores.factory.client('Plans').listEntities()) if (!e.rowKey!.startsWith('i|')) left.push(e.rowKey);
    assert.deepEqual(left, [], 'no continuation row is left');
  });

  it('reads a value stored in the old shape (one `data` property) as it is', async () => {
    const stores = await freshStores();
    const old = { ...maxPlan('sp-old'), versions: [], invitations: [], cards: [] };
    await stores.factory.client('Plans').createEntity({ partitionKey: 'sp', rowKey: 'sp-old', data: JSON.stringify(old) });
    const s = (await stores.plans.get('sp-old'))!;
    assert.deepEqual(s.value, old);
    await stores.plans.save({ ...old, versions: maxPlan('x').versions }, s.etag);
    assert.equal((await stores.plans.get('sp-old'))!.value.versions.length, 20);
  });

  it('bot dialog state of a long form (every field full) is stored and read back through botbuilder Storage', async () => {
    const stores = await freshStores();
    const s = new TableBotStorage(stores.botState);
    const state = { dialogState: { dialogStack: Array.from({ length: 6 }, (_, i) => ({ id: `form${i}`, state: { data: Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`f${j}`, longText(2000, i * 20 + j)])) } })) } };
    await s.write({ 'msteams/conversations/a:big/': { ...state, eTag: '*' } });
    const read = (await s.read(['msteams/conversations/a:big/']))['msteams/conversations/a:big/'] as Record<string, unknown>;
    const { eTag, ...value } = read;
    assert.deepEqual(value, state);
    await s.write({ 'msteams/conversations/a:big/': { ...state, dialogState: { dialogStack: [] }, eTag: eTag as string } });
    await assert.rejects(s.write({ 'msteams/conversations/a:big/': { ...state, eTag: eTag as string } }), StorageConflictError);
  });
});
