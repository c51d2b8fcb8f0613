import { strict as assert } from 'node:assert';
import { TableBotStorage } from '../../bot/tableBotStorage';
import { journalEvent } from '../../routines/shared/journal';
import { Journal } from '../../storage/journal';
import { StorageConflictError } from '../../storage/errors';
import { freshStores } from '../helpers/storage';

describe('storage on Azurite', () => {
  it('updates conditionally: the second writer with a stale ETag gets a typed conflict, nothing is overwritten', async () => {
    const stores = await freshStores();
    const created = await stores.staff.save({ id: 'p1', name: 'Anna', roles: [] }, undefined);
    await stores.staff.save({ id: 'p1', name: 'Anna A', roles: [] }, created.etag);
    await assert.rejects(stores.staff.save({ id: 'p1', name: 'Anna B', roles: [] }, created.etag), (e: unknown) => e instanceof StorageConflictError && e.statusCode === 412);
    assert.equal((await stores.staff.get('p1'))?.value.name, 'Anna A');
    await assert.rejects(stores.staff.save({ id: 'p1', name: 'Dup', roles: [] }, undefined), (e: unknown) => e instanceof StorageConflictError && e.statusCode === 409);
  });

  it('validates on write: a malformed entity never reaches storage', async () => {
    const stores = await freshStores();
    await assert.rejects(stores.staff.save({ id: 'p2', name: 'X', roles: [{ role: 'socialWorker', unit: 'nowhere' as never }] }, undefined));
    assert.equal(await stores.staff.get('p2'), undefined);
  });

  it('keeps the journal append-only and returns it newest first', async () => {
    const stores = await freshStores();
    const actor = { id: 'a', name: 'Anna', role: 'socialWorker' as const, unit: 'sf-centrum' as const };
    await stores.journal.append(journalEvent('case1', actor, 'A', 'first', new Date('2026-11-20T10:00:00Z')));
    await stores.journal.append(journalEvent('case1', actor, 'A', 'third', new Date('2026-11-22T10:00:00Z')));
    await stores.journal.append(journalEvent('case1', actor, 'A', 'second', new Date('2026-11-21T10:00:00Z')));
    assert.deepEqual((await stores.journal.forCase('case1')).map((e) => e.step), ['third', 'second', 'first']);
    const methods = Object.getOwnPropertyNames(Journal.prototype).filter((m) => m !== 'constructor');
    assert.deepEqual(methods.sort(), ['append', 'appendAll', 'forCase']);
  });

  it('implements botbuilder Storage with ETags: a stale write is refused, "*" writes', async () => {
    const stores = await freshStores();
    const s = new TableBotStorage(stores.botState);
    await s.write({ 'msteams/conversations/a:1/': { dialogState: { step: 1 }, eTag: '*' } });
    const first = await s.read(['msteams/conversations/a:1/']);
    const item = first['msteams/conversations/a:1/'] as { dialogState: { step: number }; eTag: string };
    assert.equal(item.dialogState.step, 1);
    await s.write({ 'msteams/conversations/a:1/': { dialogState: { step: 2 }, eTag: item.eTag } });
    await assert.rejects(s.write({ 'msteams/conversations/a:1/': { dialogState: { step: 3 }, eTag: item.eTag } }), StorageConflictError);
    await s.delete(['msteams/conversations/a:1/']);
    assert.deepEqual(await s.read(['msteams/conversations/a:1/']), {});
  });
});
