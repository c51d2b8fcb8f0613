import { strict as assert } from 'node:assert';
import { ConfigError, entryPointProblems, listenFailure, loadConfig, loadStartupConfig, startupFailureText, StartupError, usesLocalStorage } from '../bot/config';
import { DEFAULT_SETTINGS } from '../dialogs/ports';

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
  it('has coherent deadline defaults, the same as the dialogs\' defaults: every window longer than the reminder\'s lead', () => {
    const c = loadConfig({});
    assert.deepEqual(
      { reminderWorkingDaysBefore: c.REMINDER_WORKING_DAYS_BEFORE, offerFollowUpWorkingDays: c.OFFER_FOLLOW_UP_WORKING_DAYS, invitationReplyWorkingDays: c.INVITATION_REPLY_WORKING_DAYS, approvalWorkingDays: c.APPROVAL_WORKING_DAYS },
      DEFAULT_SETTINGS,
    );
    for (const w of [DEFAULT_SETTINGS.offerFollowUpWorkingDays, DEFAULT_SETTINGS.invitationReplyWorkingDays, DEFAULT_SETTINGS.approvalWorkingDays]) assert.ok(w > DEFAULT_SETTINGS.reminderWorkingDaysBefore);
  });
  it('refuses a reminder lead that is not shorter than a deadline window, with one line naming both variables', () => {
    for (const [window, value] of [['INVITATION_REPLY_WORKING_DAYS', '2'], ['OFFER_FOLLOW_UP_WORKING_DAYS', '1'], ['APPROVAL_WORKING_DAYS', '2'], ['KC_IMPLEMENTATION_PLAN_DAYS', '2']] as const) {
      assert.throws(
        () => loadConfig({ REMINDER_WORKING_DAYS_BEFORE: '2', [window]: value }),
        (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && !e.problems[0]!.includes('\n') && e.problems[0]!.startsWith('REMINDER_WORKING_DAYS_BEFORE is 2') && e.problems[0]!.includes(`${window} is ${value}`),
        window,
      );
    }
    assert.throws(() => loadConfig({ REMINDER_WORKING_DAYS_BEFORE: '5' }), (e: unknown) => e instanceof ConfigError && e.problems.length === 3, 'all three five-day windows named');
    assert.equal(loadConfig({ REMINDER_WORKING_DAYS_BEFORE: '1', INVITATION_REPLY_WORKING_DAYS: '2' }).INVITATION_REPLY_WORKING_DAYS, 2);
    assert.equal(loadConfig({ REMINDER_WORKING_DAYS_BEFORE: '0', INVITATION_REPLY_WORKING_DAYS: '1' }).REMINDER_WORKING_DAYS_BEFORE, 0, 'no "before" reminder at all is coherent');
  });
  it('checks TABLES_ACCOUNT_URL: https, a bare service URL (no SAS token, no table), one line each', () => {
    const problem = (url: string) => {
      try {
        loadConfig({ TABLES_ACCOUNT_URL: url });
        return undefined;
      } catch (e) {
        assert.ok(e instanceof ConfigError && e.problems.length === 1 && !e.message.includes('\n'), String(e));
        return e.problems[0];
      }
    };
    assert.equal(problem('https://gbg.table.core.windows.net'), undefined);
    assert.equal(problem('https://gbg.table.cosmos.azure.com:443/'), undefined);
    assert.match(problem('gbg.table.core.windows.net')!, /^TABLES_ACCOUNT_URL is not a URL \(expected https:/);
    assert.match(problem('http://gbg.table.core.windows.net')!, /^TABLES_ACCOUNT_URL must use https/);
    assert.match(problem('https://gbg.table.core.windows.net/?sv=1&sig=s')!, /SAS token belongs in TABLES_CONNECTION_STRING/);
    assert.match(problem('https://gbg.table.core.windows.net/Staff')!, /must not name a table/);
  });
  it('checks the connection string\'s shape without repeating it (it holds the key)', () => {
    assert.throws(() => loadConfig({ TABLES_CONNECTION_STRING: 'secret-looking-junk' }), (e: unknown) => e instanceof ConfigError && /^Invalid configuration: TABLES_CONNECTION_STRING is not a storage connection string/.test(e.message) && !e.message.includes('secret-looking-junk'));
    assert.equal(loadConfig({ TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).TABLES_CONNECTION_STRING, 'UseDevelopmentStorage=true');
  });
  it('checks LOG_PSEUDONYM_KEY and APPLICATIONINSIGHTS_CONNECTION_STRING when set', () => {
    assert.throws(() => loadConfig({ LOG_PSEUDONYM_KEY: 'short' }), /LOG_PSEUDONYM_KEY must be at least 32 characters/);
    assert.equal(loadConfig({ LOG_PSEUDONYM_KEY: 'x'.repeat(32) }).LOG_PSEUDONYM_KEY.length, 32);
    assert.throws(() => loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.org' }), /APPLICATIONINSIGHTS_CONNECTION_STRING is not an Application Insights connection string/);
    assert.equal(loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/' }).LOG_FORMAT, 'auto');
  });
  it('per entry point: the Azure one always needs storage; npm start refuses an app id without storage; an app id needs LOG_PSEUDONYM_KEY', () => {
    const app = { MicrosoftAppId: 'app', MicrosoftAppPassword: 's', MicrosoftAppTenantId: 't' };
    const key = { LOG_PSEUDONYM_KEY: 'k'.repeat(32) };
    assert.deepEqual(entryPointProblems(loadConfig({}), 'npm start'), [], 'local mode');
    assert.match(entryPointProblems(loadConfig({}), 'azure').join('|'), /^TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL must be set: dist\/bot\/index\.js never starts a local Azurite/);
    assert.match(entryPointProblems(loadConfig({ ...app, ...key }), 'npm start').join('|'), /^MicrosoftAppId is set but TABLES_CONNECTION_STRING and TABLES_ACCOUNT_URL are empty/);
    assert.match(entryPointProblems(loadConfig({ ...app, TABLES_ACCOUNT_URL: 'https://x.table.core.windows.net' }), 'azure').join('|'), /^LOG_PSEUDONYM_KEY is required when MicrosoftAppId is set/);
    assert.deepEqual(entryPointProblems(loadConfig({ ...app, ...key, TABLES_ACCOUNT_URL: 'https://x.table.core.windows.net' }), 'azure'), []);
    assert.throws(() => loadStartupConfig({ ...app, ...key }, 'azure'), (e: unknown) => e instanceof ConfigError && e.problems.length === 1);
  });
  it('prints a start-up failure as one line, with the stack only at LOG_LEVEL=debug', () => {
    const taken = listenFailure(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }), { PORT: 3978, HOST: '127.0.0.1' });
    assert.ok(taken instanceof StartupError);
    assert.equal(startupFailureText(taken, {}), 'PORT 3978 is already in use on 127.0.0.1: stop the other program or set PORT to a free port');
    assert.match(startupFailureText(taken, { LOG_LEVEL: 'debug' }), /\n\s+at /);
    assert.equal(startupFailureText(new ConfigError(['PORT must be a number']), {}), 'Invalid configuration: PORT must be a number');
    assert.match(startupFailureText(new Error('boom\nmore'), {}), /^Start failed: boom \(LOG_LEVEL=debug shows the stack trace\)$/);
  });
  it('names every problem, e.g. a port out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  });
});
