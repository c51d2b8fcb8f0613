import { strict as assert } from 'node:assert';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

describe('authentication when the identity service cannot be reached or does not know the key', () => {
  const appId = '9a0a1b2c-0000-4000-8000-000000000002';
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  /** A Bot Framework-shaped token (RS256, kid, issuer, audience) signed by `key`. */
  function token(key: KeyObject, kid: string, iss = 'https://api.botframework.com'): string {
    const now = Math.floor(Date.now() / 1000);
    const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({ iss, aud: appId, appid: appId, ver: '1.0', serviceurl: 'http://127.0.0.1/', nbf: now - 60, exp: now + 3600 })}`;
    return `${head}.${sign('RSA-SHA256', Buffer.from(head), key).toString('base64url')}`;
  }

  async function withApp(metadataUrl: string, run: (post: (auth: string) => Promise<number>, check: () => Promise<void>, logs: string[]) => Promise<void>): Promise<void> {
    const logs: string[] = [];
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TABLE_PREFIX: uniquePrefix(), MicrosoftAppId: appId, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000aa', BOT_OPENID_METADATA_URL: metadataUrl, LOG_LEVEL: 'silent' });
    const app = await createApp({ config, connectionString: testConnectionString(), logger: createLogger('error', { write: (l: string) => void logs.push(l) }) });
    await seedDemoData(app.stores);
    const url = await app.listen();
    const connector = new ConnectorStandIn();
    const channel = new TeamsChannel(await connector.start());
    const anna = { id: DEMO_STAFF[0]!.id, name: DEMO_STAFF[0]!.name };
    try {
      await run(
        async (authorization) => {
          for (const activity of [channel.message(anna, 'hej'), channel.execute(anna, 'a.offer.take', { providerId: 'solrosen', entryId: 'x' }), channel.install(anna)]) {
            const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(activity) });
            if (res.status !== 401) return res.status;
          }
          return 401;
        },
        async () => {
          assert.equal(connector.sent.length + connector.updated.length, 0, 'no connector call');
          assert.equal(await app.stores.conversations.get(anna.id), undefined, 'no conversation reference was stored');
          assert.equal((await app.stores.botState.read(`msteams/conversations/${channel.conversationOf(anna)}/`))?.value, undefined);
        },
        logs,
      );
    } finally {
      await app.close();
      await connector.stop();
    }
  }

  it('a forged but well-formed token while the key endpoint is unreachable gets 401 (was 500), with a log line, and nothing is stored or sent', async function () {
    this.timeout(30000);
    // A local port nobody listens on: the metadata fetch fails as it does without internet.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await withApp(`http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`, async (post, check, logs) => {
      assert.equal(await post(`Bearer ${token(privateKey, 'forged-kid')}`), 401, 'a channel token');
      // The issuer of the Bot Framework Emulator's tokens takes botbuilder's other validation path.
      assert.equal(await post(`Bearer ${token(privateKey, 'forged-kid', 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/')}`), 401, 'an emulator-issued token');
      assert.equal(await post(`Bearer ${token(privateKey, 'forged-kid', 'https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0')}`), 401, 'a tenant-issued token');
      await check();
      assert.ok(logs.some((l) => l.includes('auth.keysUnavailable')), `the operator is told why: ${logs.join('\n')}`);
    });
  });

  it('a token signed by a key the identity service does not publish gets 401, and nothing is stored or sent', async function () {
    this.timeout(30000);
    const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const untrusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const metadata = createServer((req, res) => {
      const base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/keys') res.end(JSON.stringify({ keys: [{ ...trusted.publicKey.export({ format: 'jwk' }), kid: 'trusted', use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] }));
      else res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    });
    await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (metadata.address() as AddressInfo).port;
      await withApp(`http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`, async (post, check) => {
        assert.equal(await post(`Bearer ${token(untrusted.privateKey, 'untrusted')}`), 401, 'a key id the service does not publish');
        assert.equal(await post(`Bearer ${token(untrusted.privateKey, 'trusted')}`), 401, 'a published key id, but not signed by that key');
        await check();
      });
    } finally {
      await new Promise<void>((r) => metadata.close(() => r()));
    }
  });
});
