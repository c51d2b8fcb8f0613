import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig, usesLocalStorage } from '../bot/config';
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
  it('names every problem, e.g. a port out of range', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  });
});
