import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig, usesLocalStorage } from '../bot/config';

describe('configuration from the environment', () => {
  it('defaults to a local, loopback, unauthenticated bot with a local Azurite', () => {
    const c = loadConfig({});
    assert.equal(c.HOST, '127.0.0.1');
    assert.equal(c.PORT, 3978);
    assert.equal(usesLocalStorage(c), true);
  });
  it('refuses to listen unauthenticated on a non-loopback host', () => {
    assert.throws(() => loadConfig({ HOST: '0.0.0.0' }), (e: unknown) => e instanceof ConfigError && /HOST/.test(e.message) && /loopback/.test(e.message));
  });
  it('refuses production without an app id and without table storage', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', TABLES_CONNECTION_STRING: 'x' }), /MicrosoftAppId is required/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'a', MicrosoftAppTenantId: 't' }), /TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL/);
  });
  it('accepts an authenticated bot on all interfaces', () => {
    const c = loadConfig({ HOST: '0.0.0.0', MicrosoftAppId: 'app', MicrosoftAppPassword: 's', MicrosoftAppTenantId: 'tenant', TABLES_ACCOUNT_URL: 'https://x.table.core.windows.net' });
    assert.equal(usesLocalStorage(c), false);
  });
  it('takes a user-assigned managed identity: tenant id required, no secret allowed', () => {
    const msi = { HOST: '0.0.0.0', NODE_ENV: 'production', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: 'mi-client-id', TABLES_ACCOUNT_URL: 'https://x.table.core.windows.net', AZURE_CLIENT_ID: 'mi-client-id' };
    assert.throws(() => loadConfig(msi), /MicrosoftAppTenantId is required for MicrosoftAppType=UserAssignedMSI/);
    assert.throws(() => loadConfig({ ...msi, MicrosoftAppTenantId: 't', MicrosoftAppPassword: 's' }), /MicrosoftAppPassword must be empty/);
    assert.equal(loadConfig({ ...msi, MicrosoftAppTenantId: 't' }).AZURE_CLIENT_ID, 'mi-client-id');
  });
  it('names every problem, e.g. a port out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  });
});
