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
    // appendOnce: a committed step's events (creates only; a repeat is skipped, never overwritten).
    assert.deepEqual(methods.sort(), ['append', 'appendAll', 'appendOnce', 'forCase']);
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

  it('two parallel turns of one conversation cannot overwrite each other\'s dialog step: BotState\'s "*" means "as read"', async () => {
    const stores = await freshStores();
    const s = new TableBotStorage(stores.botState);
    const key = 'msteams/conversations/a:2/';
    await s.write({ [key]: { dialogState: { step: 1 }, eTag: '*' } });
    // Both turns load the state, as BotState does; each changes its own copy and saves it with '*'.
    const turn1 = (await s.read([key]))[key] as { dialogState: { step: number }; eTag: string };
    const turn2 = (await s.read([key]))[key] as { dialogState: { step: number }; eTag: string };
    turn1.dialogState.step = 2;
    turn1.eTag = '*';
    await s.write({ [key]: turn1 });
    turn2.dialogState.step = 3;
    turn2.eTag = '*';
    await assert.rejects(s.write({ [key]: turn2 }), (e: unknown) => e instanceof StorageConflictError && e.statusCode === 412);
    assert.equal(((await s.read([key]))[key] as { dialogState: { step: number } }).dialogState.step, 2, 'the first turn\'s step is kept');
    // The same turn saving twice (its ETag follows its own writes).
    turn1.dialogState.step = 4;
    await s.write({ [key]: turn1 });
    assert.equal(((await s.read([key]))[key] as { dialogState: { step: number } }).dialogState.step, 4);
    // A state two turns start at once: the second create is a conflict, not an overwrite.
    const fresh = 'msteams/conversations/a:3/';
    await s.write({ [fresh]: { dialogState: { step: 'a' }, eTag: '*' } });
    await assert.rejects(s.write({ [fresh]: { dialogState: { step: 'b' }, eTag: '*' } }), (e: unknown) => e instanceof StorageConflictError && e.statusCode === 409);
  });
});
