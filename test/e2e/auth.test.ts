import { strict as assert } from 'node:assert';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { DEMO_STAFF, seedDemoData } from '../../storage/demoData';
import { TeamsChannel } from '../helpers/activities';
import { ConnectorStandIn } from '../helpers/connector';
import { testConnectionString, uniquePrefix } from '../helpers/storage';

describe('authentication with an app id configured', () => {
  it('answers 401 to activities without a valid Bot Framework token and touches nothing', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TABLE_PREFIX: uniquePrefix(), MicrosoftAppId: '9a0a1b2c-0000-4000-8000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000aa', LOG_LEVEL: 'silent' });
    const app = await createApp({ config, connectionString: testConnectionString(), logger: createLogger('silent') });
    await seedDemoData(app.stores);
    const url = await app.listen();
    const connector = new ConnectorStandIn();
    const channel = new TeamsChannel(await connector.start());
    const anna = { id: DEMO_STAFF[0]!.id, name: DEMO_STAFF[0]!.name };
    try {
      const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not.a.jwt' }, { authorization: 'Basic YTpi' }];
      for (const headers of attempts) {
        const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(channel.message(anna, 'hej')) });
        assert.equal(res.status, 401, JSON.stringify(headers));
      }
      const invoke = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(channel.execute(anna, 'a.offer.take', { providerId: 'solrosen', entryId: 'x' })) });
      assert.equal(invoke.status, 401);
      assert.equal(connector.sent.length, 0, 'nothing was sent');
      assert.equal(await app.stores.conversations.get(anna.id), undefined, 'no conversation reference was stored');
      assert.equal((await fetch(`${url}/healthz`)).status, 200, 'health stays public');
    } finally {
      await app.close();
      await connector.stop();
    }
  });
});
