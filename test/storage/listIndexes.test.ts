import { strict as assert } from 'node:assert';
import { freshStores } from '../helpers/storage';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import type { StoredReferral } from '../../storage/referrals';
import type { Task } from '../../routines/shared/tasks';

const at = '2026-11-23T09:00:00.000Z';
const plan = (spId: string, initiatorId: string): StoredPlan => ({
  spId, caseId: null, mode: 'consultation', initiatorId, initiatorName: 'X', initiatingAdministration: 'sf-hisingen', others: ['ffs'], acuteConcern: false, concernReported: false,
  purpose: 'p', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false, invitations: [{ administration: 'ffs' }], versions: [], state: 'invited', createdAt: at,
});
const referral = (referralId: string, socialWorkerId: string): StoredReferral => ({
  referralId, caseId: `case-${referralId}`, socialWorkerId, socialWorkerName: 'X', administration: 'sf-nordost', protectedIdentity: false, state: 'afConsultation',
  criteria: { unemployed: true, withinThreeYears: true }, decisions: [], intakes: [], plans: [], followUps: [], events: [], disagreements: [], createdAt: at,
});
const task = (taskId: string, dueDate: string): Task => ({ taskId, caseId: 'c1', routine: 'D', step: 's', unit: 'ffs', assignee: { kind: 'role', role: 'supervisor', unit: 'ffs' }, dueDate, binding: false, label: 'l', state: 'open', createdAt: at });

describe('list indexes are kept in step by the aggregate write', () => {
  it('D: a plan is listed for its initiator only, and leaves the list with the write that closes it', async () => {
    const stores = await freshStores();
    await stores.plans.add(plan('sp-1', 'p1'));
    await stores.plans.add(plan('sp-2', 'p2'));
    assert.deepEqual((await stores.plans.byInitiator('p1')).map((p) => p.spId), ['sp-1']);
    const s = (await stores.plans.get('sp-1'))!;
    await stores.plans.save({ ...s.value, state: 'returned' }, s.etag);
    assert.deepEqual((await stores.plans.byInitiator('p1')).map((p) => p.state), ['returned'], 'the list shows the current plan');
    const s2 = (await stores.plans.get('sp-1'))!;
    await stores.plans.save({ ...s2.value, state: 'closed' }, s2.etag);
    assert.deepEqual(await stores.plans.byInitiator('p1'), []);
    const rows: string[] = [];
    for await (const e of stores.factory.client('Plans').listEntities()) rows.push(e.rowKey!);
    assert.deepEqual(rows.sort(), ['i|p2|sp-2', 'sp-1', 'sp-2'], 'the closed plan\'s index row is gone');
  });

  it('D: plans written before the index are backfilled once, and a closing write without an index row still succeeds', async () => {
    const stores = await freshStores();
    const raw = stores.factory.client('Plans');
    await raw.createEntity({ partitionKey: 'sp', rowKey: 'sp-old', data: JSON.stringify(plan('sp-old', 'p1')) });
    await raw.createEntity({ partitionKey: 'sp', rowKey: 'sp-old2', data: JSON.stringify(plan('sp-old2', 'p1')) });
    assert.deepEqual(await stores.plans.byInitiator('p1'), []);
    const s = (await stores.plans.get('sp-old2'))!;
    await stores.plans.save({ ...s.value, state: 'closed' }, s.etag);
    assert.deepEqual(await stores.backfill(new Date(at)), { 'providerDirectory-v2': 0, 'taskIds-v1': 0, 'planInitiatorIndex-v1': 1, 'referralIndex-v1': 0 });
    assert.deepEqual((await stores.plans.byInitiator('p1')).map((p) => p.spId), ['sp-old']);
    assert.deepEqual(await stores.backfill(new Date(at)), {}, 'marked done: not run again');
  });

  it('C: a referral is listed for its social worker, its administration\'s supervisors and (once KC is involved) KC; finishing it empties the lists', async () => {
    const stores = await freshStores();
    await stores.referrals.add(referral('r1', 'sw1'));
    await stores.referrals.add(referral('r2', 'sw2'));
    const ids = async (v: { personId: string; supervisorOf?: string[]; kc?: boolean }) => (await stores.referrals.listedFor({ supervisorOf: [], kc: false, ...v })).map((r) => r.referralId);
    assert.deepEqual(await ids({ personId: 'sw1' }), ['r1']);
    assert.deepEqual(await ids({ personId: 'sup', supervisorOf: ['sf-nordost'] }), ['r1', 'r2']);
    assert.deepEqual(await ids({ personId: 'kc1', kc: true }), []);
    let s = (await stores.referrals.get('r1'))!;
    await stores.referrals.save({ ...s.value, state: 'assigned', assignment: { needs: 'n', includes: 'i', goals: ['g'], sentAt: at }, consultantId: 'kc1', consultantName: 'K' }, s.etag);
    assert.deepEqual(await ids({ personId: 'kc2', kc: true }), ['r1'], 'the pool sees an assignment');
    assert.deepEqual(await ids({ personId: 'kc1' }), ['r1'], 'the consultant sees it as a party');
    s = (await stores.referrals.get('r1'))!;
    await stores.referrals.save({ ...s.value, state: 'closed' }, s.etag);
    for (const v of [{ personId: 'sw1' }, { personId: 'kc1', kc: true }, { personId: 'sup', supervisorOf: ['sf-nordost'] }]) assert.ok(!(await ids(v)).includes('r1'), JSON.stringify(v));
    const left: string[] = [];
    for await (const e of stores.factory.client('Referrals').listEntities()) if (e.rowKey!.includes('r1')) left.push(e.rowKey!);
    assert.deepEqual(left, ['r1'], 'no index row of the closed referral is left');
  });

  it('A: the pick list is the directory (names included); rows of an older version without a name are still listed, and the backfill names them', async () => {
    const stores = await freshStores();
    const provider = (providerId: string, name: string) => ({ providerId, name, kind: 'private' as const, places: 1, occupied: 0, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'eku' as const });
    await stores.waitingList.addProvider(provider('new-one', 'Örnen AB'));
    await stores.waitingList.addProvider(provider('old-one', 'Alfa AB'));
    const raw = stores.factory.client('WaitingList');
    await raw.upsertEntity({ partitionKey: 'dir', rowKey: 'p|old-one', data: JSON.stringify({ kind: 'directory', providerId: 'old-one' }) }, 'Replace');
    await raw.upsertEntity({ partitionKey: 'dir', rowKey: 'p|crashed', data: JSON.stringify({ kind: 'directory', providerId: 'crashed' }) }, 'Replace');
    const expected = [{ providerId: 'old-one', name: 'Alfa AB' }, { providerId: 'new-one', name: 'Örnen AB' }];
    assert.deepEqual(await stores.waitingList.providerChoices(), expected, 'the unnamed row is read from its provider; one without a provider row is skipped');
    assert.equal((await stores.backfill(new Date(at)))['providerDirectory-v2'], 2);
    const rows: Record<string, unknown> = {};
    for await (const e of raw.listEntities({ queryOptions: { filter: "PartitionKey eq 'dir'" } })) rows[e.rowKey!] = JSON.parse(e.data as string);
    assert.deepEqual(rows['p|old-one'], { kind: 'directory', providerId: 'old-one', name: 'Alfa AB' });
    assert.deepEqual(await stores.waitingList.providerChoices(), expected);
  });

  it('tasks: found by id and id prefix; closing removes the id row in the same transaction; older tasks are backfilled', async () => {
    const stores = await freshStores();
    await stores.tasks.create(task('d-approve-sp1-1-ffs', '2026-12-01'), []);
    await stores.tasks.create(task('d-approve-sp2-1-ffs', '2026-12-02'), []);
    assert.equal((await stores.tasks.openById('ffs', 'd-approve-sp1-1-ffs'))?.dueDate, '2026-12-01');
    assert.deepEqual((await stores.tasks.openByIdPrefix('ffs', 'd-approve-sp1-')).map((t) => t.taskId), ['d-approve-sp1-1-ffs']);
    await stores.tasks.close({ unit: 'ffs', taskId: 'd-approve-sp1-1-ffs', dueDate: '2026-12-01' }, 'done', 'x', new Date(at));
    assert.equal(await stores.tasks.openById('ffs', 'd-approve-sp1-1-ffs'), undefined);
    assert.deepEqual(await stores.tasks.openByIdPrefix('ffs', 'd-approve-sp1-'), []);
    // A task opened before `id|` rows existed: closing works, and the backfill gives the open ones their row.
    const raw = stores.factory.client('Tasks');
    await raw.createEntity({ partitionKey: 'unit|ffs', rowKey: 'open|2026-12-03|old-1', data: JSON.stringify(task('old-1', '2026-12-03')) });
    await raw.createEntity({ partitionKey: 'unit|ffs', rowKey: 'open|2026-12-04|old-2', data: JSON.stringify(task('old-2', '2026-12-04')) });
    await stores.tasks.close({ unit: 'ffs', taskId: 'old-2', dueDate: '2026-12-04' }, 'done', 'x', new Date(at));
    assert.equal((await stores.backfill(new Date(at)))['taskIds-v1'], 2, 'old-1 and d-approve-sp2 are open');
    assert.equal((await stores.tasks.openById('ffs', 'old-1'))?.dueDate, '2026-12-03');
    assert.deepEqual((await stores.tasks.openInUnit('ffs')).map((t) => t.taskId), ['d-approve-sp2-1-ffs', 'old-1'], 'the unit view is unchanged');
  });
});
