import assert from 'node:assert/strict';
import { StorageProxy } from '../../bench/storageProxy';
import { azuriteConnectionString, TableClientFactory, TURN_HEADER } from '../../storage/tableClients';
import { withTurnScope } from '../../storage/turnScope';
import { azuriteProcess } from '../setup/azurite';
import { uniquePrefix } from '../helpers/storage';

describe('table requests carry their turn id (x-bot-turn), for counting per turn on the wire', () => {
  it('tags each request made inside a turn scope, and none outside', async () => {
    const proxy = new StorageProxy({ host: '127.0.0.1', port: azuriteProcess().port });
    const port = await proxy.start();
    try {
      const factory = new TableClientFactory({ connectionString: azuriteConnectionString('127.0.0.1', port), prefix: uniquePrefix() });
      const client = factory.client('Tag');
      await client.createTable();
      const untagged = proxy.untagged;
      await withTurnScope(async () => {
        await client.upsertEntity({ partitionKey: 'p', rowKey: 'r', n: 1 });
        await client.getEntity('p', 'r');
      }, 'turn-abc.123');
      assert.equal(proxy.turn('turn-abc.123').total, 2);
      assert.equal(proxy.untagged, untagged);
      await client.getEntity('p', 'r');
      assert.equal(proxy.untagged, untagged + 1);
      assert.equal(TURN_HEADER, 'x-bot-turn');
    } finally {
      await proxy.stop();
    }
  });
});

