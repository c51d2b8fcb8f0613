import { strict as assert } from 'node:assert';
import type { StaffMember } from '../../routines/shared/organisation';
import { StorageConflictError } from '../../storage/errors';
import { EntityTable } from '../../storage/entityTable';
import { StaffDirectory, staffMemberSchema } from '../../storage/staffDirectory';
import { freshStores, uniquePrefix } from '../helpers/storage';
import { createStores } from '../../storage';
import { TableClientFactory } from '../../storage/tableClients';
import { testConnectionString } from '../helpers/storage';

const ids = (people: StaffMember[]) => people.map((p) => p.id);

describe('staff directory: role index on Azurite', () => {
  it('grant, revoke and move of unit change who holds a role at once, in one transaction with the person', async () => {
    const { staff } = await freshStores();
    const a = await staff.save({ id: 'p-a', name: 'Anna', roles: [{ role: 'supervisor', unit: 'sf-centrum' }] }, undefined);
    await staff.save({ id: 'p-b', name: 'Bo', roles: [{ role: 'supervisor', unit: 'sf-centrum' }, { role: 'admin', unit: 'city' }] }, undefined);
    assert.deepEqual(ids(await staff.holders('supervisor', 'sf-centrum')), ['p-a', 'p-b']);
    assert.deepEqual(await staff.holders('admin', 'city'), [{ id: 'p-b', name: 'Bo', roles: [{ role: 'supervisor', unit: 'sf-centrum' }, { role: 'admin', unit: 'city' }] }], 'the whole person, roles included');

    // Grant: a second role.
    const granted = await staff.save({ id: 'p-a', name: 'Anna', roles: [{ role: 'supervisor', unit: 'sf-centrum' }, { role: 'socialWorker', unit: 'sf-centrum' }] }, a.etag);
    assert.deepEqual(ids(await staff.holders('socialWorker', 'sf-centrum')), ['p-a']);
    // Move: supervisor in another unit (the old unit's row goes, the new one comes).
    const moved = await staff.save({ id: 'p-a', name: 'Anna A', roles: [{ role: 'supervisor', unit: 'sf-hisingen' }, { role: 'socialWorker', unit: 'sf-centrum' }] }, granted.etag);
    assert.deepEqual(ids(await staff.holders('supervisor', 'sf-centrum')), ['p-b']);
    assert.deepEqual(await staff.holders('supervisor', 'sf-hisingen'), [{ id: 'p-a', name: 'Anna A', roles: [{ role: 'supervisor', unit: 'sf-hisingen' }, { role: 'socialWorker', unit: 'sf-centrum' }] }]);
    assert.equal((await staff.holders('socialWorker', 'sf-centrum'))[0]!.name, 'Anna A', 'unchanged roles carry the new name');
    // Revoke all.
    await staff.save({ id: 'p-a', name: 'Anna A', roles: [] }, moved.etag);
    assert.deepEqual(await staff.holders('supervisor', 'sf-hisingen'), []);
    assert.deepEqual(await staff.holders('socialWorker', 'sf-centrum'), []);
    // all() and isEmpty() see people only; the index rows are not people.
    assert.deepEqual(ids(await staff.all()), ['p-a', 'p-b']);
    assert.deepEqual(ids(await staff.getMany(['p-b', 'nobody', 'p-a'])), ['p-b', 'p-a']);
    assert.equal(await staff.isEmpty(), false);
    await assert.rejects(staff.save({ id: '~role|x', name: 'X', roles: [] }, undefined), 'ids starting with ~ are refused');
  });

  it('concurrent saves on one ETag: one wins, the other changes nothing, the index matches the winner', async () => {
    const { staff } = await freshStores();
    const p = await staff.save({ id: 'p-c', name: 'Cilla', roles: [{ role: 'supervisor', unit: 'ffs' }] }, undefined);
    const results = await Promise.allSettled([
      staff.save({ id: 'p-c', name: 'Cilla', roles: [{ role: 'supervisor', unit: 'avo' }] }, p.etag),
      staff.save({ id: 'p-c', name: 'Cilla', roles: [{ role: 'financeAdministrator', unit: 'avo' }] }, p.etag),
    ]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one wins');
    const lost = results[1 - won] as PromiseRejectedResult;
    assert.ok(lost.reason instanceof StorageConflictError && lost.reason.statusCode === 412);
    assert.deepEqual(await staff.holders('supervisor', 'ffs'), [], 'the revocation both made is applied');
    assert.deepEqual(ids(await staff.holders('supervisor', 'avo')), won === 0 ? ['p-c'] : []);
    assert.deepEqual(ids(await staff.holders('financeAdministrator', 'avo')), won === 1 ? ['p-c'] : []);
  });

  it('createMany writes people with their index rows in transactions of at most 100 rows', async () => {
    const { staff } = await freshStores();
    const many: StaffMember[] = Array.from({ length: 130 }, (_, i) => ({ id: `m-${String(i).padStart(4, '0')}`, name: `M ${i}`, roles: [{ role: 'socialWorker', unit: 'sf-nordost' }, { role: 'placesResponsible', unit: i % 2 ? 'ffs' : 'avo' }] }));
    await staff.createMany(many);
    assert.equal((await staff.all()).length, 130);
    assert.equal((await staff.holders('socialWorker', 'sf-nordost')).length, 130);
    assert.equal((await staff.holders('placesResponsible', 'ffs')).length, 65);
  });

  it('migrates a directory of old-style rows once: index rows per person, orphans removed, marker written', async () => {
    const prefix = uniquePrefix();
    const stores = await freshStores(prefix);
    // Old style: person rows only (written straight to the table), plus an orphan index row.
    const raw = new EntityTable<StaffMember>(stores.staff.table.client, staffMemberSchema);
    await raw.create(StaffDirectory.PK, 'o-1', { id: 'o-1', name: 'Old One', roles: [{ role: 'contractUnit', unit: 'eku' }] });
    await raw.create(StaffDirectory.PK, 'o-2', { id: 'o-2', name: 'Old Two', roles: [{ role: 'contractUnit', unit: 'eku' }, { role: 'admin', unit: 'city' }] });
    await raw.create(StaffDirectory.PK, '~role|admin|city|gone', { id: 'gone', name: 'Gone', roles: [{ role: 'admin', unit: 'city' }] });
    // The marker of this prefix exists already (freshStores migrated the empty table): remove it to look old.
    await stores.staff.table.client.deleteEntity('staff', '~index|v1');
    assert.deepEqual(ids(await stores.staff.holders('contractUnit', 'eku')), [], 'not indexed yet');

    const restarted = createStores(new TableClientFactory({ connectionString: testConnectionString(), prefix }));
    await restarted.ensureTables();
    assert.deepEqual(ids(await restarted.staff.holders('contractUnit', 'eku')), ['o-1', 'o-2']);
    assert.deepEqual(ids(await restarted.staff.holders('admin', 'city')), ['o-2'], 'the orphan row is gone');
    assert.deepEqual((await restarted.staff.ensureIndex()).migrated, false, 'once: the marker stops a second run');
    // A person saved after the migration keeps the index right.
    const o1 = (await restarted.staff.get('o-1'))!;
    await restarted.staff.save({ ...o1.value, roles: [] }, o1.etag);
    assert.deepEqual(ids(await restarted.staff.holders('contractUnit', 'eku')), ['o-2']);
  });
});
