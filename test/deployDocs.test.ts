import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSchema, entryPointProblems, loadConfig } from '../bot/config';
import { BOT_NODE_FLAGS, BOT_START_COMMAND } from '../bot/runtime';
import { ENV_BEGIN, ENV_END, envVars, generatedEnvFiles, renderEnvExample, renderEnvTable, replaceBetweenMarkers } from '../scripts/lib/envDocs';

const root = path.resolve(__dirname, '..');
const bicep = readFileSync(path.join(root, 'infra', 'main.bicep'), 'utf8');
/** App Service's own settings that the template may set beside the bot's variables. */
const PLATFORM_SETTINGS = new Set(['SCM_DO_BUILD_DURING_DEPLOYMENT']);

describe('deployment guide and template stay in step with the configuration schema', () => {
  it('docs/deploy.md and .env.example are what `npm run docs:env` generates', () => {
    const files = generatedEnvFiles(root, configSchema);
    assert.ok(files.some((f) => f.path.endsWith('.env.example')), '.env.example exists and is checked');
    for (const f of files) assert.equal(f.current, f.expected, `${path.relative(root, f.path)} is out of date with bot/config.ts: run \`npm run docs:env\``);
  });

  it('lists every variable of the schema, each with a description, a default and what is allowed', () => {
    const vars = envVars(configSchema);
    assert.deepEqual(vars.map((v) => v.name), Object.keys(configSchema.shape));
    for (const v of vars) assert.ok(v.description.length >= 10, `${v.name} has a description (.describe() in bot/config.ts)`);
    const port = vars.find((v) => v.name === 'PORT')!;
    assert.deepEqual([port.defaultValue, port.allowed], ['3978', 'integer 0–65535']);
    assert.equal(vars.find((v) => v.name === 'MicrosoftAppType')!.allowed, 'SingleTenant | UserAssignedMSI | MultiTenant');
    const table = renderEnvTable(vars);
    for (const name of Object.keys(configSchema.shape)) assert.ok(table.includes(`| \`${name}\` |`), `${name} is in the table`);
  });

  it('would notice drift: a new variable, a changed default or a lost marker changes the output', () => {
    const extended = z.object({ ...configSchema.shape, NEW_SETTING: z.string().default('x').describe('A variable added later.') });
    const doc = `intro\n${ENV_BEGIN}\n${renderEnvTable(envVars(configSchema))}\n${ENV_END}\nend\n`;
    const updated = replaceBetweenMarkers(doc, renderEnvTable(envVars(extended)));
    assert.notEqual(updated, doc);
    assert.ok(updated.includes('| `NEW_SETTING` | `x` |') && updated.startsWith('intro\n') && updated.endsWith('end\n'));
    assert.ok(renderEnvExample(envVars(extended)).includes('# NEW_SETTING=x'));
    const changed = z.object({ ...configSchema.shape, PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('Port.') });
    assert.notEqual(renderEnvTable(envVars(changed)), renderEnvTable(envVars(configSchema)));
    const required = z.object({ MUST: z.string().describe('No default: must be set.') });
    assert.equal(envVars(required)[0]!.defaultValue, undefined);
    assert.ok(renderEnvTable(envVars(required)).includes('**required**'));
    assert.throws(() => replaceBetweenMarkers('no markers here', 'x'), /markers/);
  });

  it('infra/main.bicep sets only variables the bot knows, and they form a valid production configuration', () => {
    const block = (name: string) => new RegExp(`^var ${name} = \\[([\\s\\S]*?)\\n\\]`, 'm').exec(bicep)?.[1] ?? '';
    const parse = (text: string) => [...text.matchAll(/^\s*\{ name: '([^']+)', value: (.+) \}$/gm)].map((m) => ({ name: m[1]!, value: m[2]!.trim() }));
    const base = parse(block('appSettings'));
    const singleTenant = parse(block('singleTenantAppSettings'));
    assert.ok(base.length >= 8, `found the app settings (${base.length})`);
    assert.deepEqual(singleTenant.map((s) => s.name), ['MicrosoftAppPassword'], 'SingleTenant adds only the client secret');
    assert.match(bicep, /appSettings: concat\(appSettings, isSingleTenant \? singleTenantAppSettings : \[\]\)/, 'the web app gets these settings');
    const known = new Set(Object.keys(configSchema.shape));
    for (const s of [...base, ...singleTenant]) assert.ok(known.has(s.name) || PLATFORM_SETTINGS.has(s.name), `${s.name} is a variable of bot/config.ts`);

    // Both identity types: the settings as Azure would set them (parameters, variables and
    // resource properties evaluated; see evaluateBicep), checked by the bot's own configuration.
    const msi = appSettingsFor({}, base, singleTenant);
    assert.equal(msi.NODE_ENV, 'production');
    const config = loadConfig(msi);
    assert.deepEqual(entryPointProblems(config, 'azure'), [], 'dist/bot/index.js would start with these settings');
    assert.equal(config.MicrosoftAppType, 'UserAssignedMSI');
    assert.equal(config.MicrosoftAppPassword, '', 'no secret in the template');
    assert.ok(config.TABLES_ACCOUNT_URL.startsWith('https://'));
    assert.equal(config.AZURE_CLIENT_ID, config.MicrosoftAppId, 'storage is reached with the bot\'s own identity');
    assert.match(config.LOG_PSEUDONYM_KEY, /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^)]+\/secrets\/log-pseudonym-key\)$/, 'the pseudonym key is a Key Vault reference');
    assert.match(config.APPLICATIONINSIGHTS_CONNECTION_STRING, /^InstrumentationKey=/, 'Application Insights is wired to the app');

    const st = appSettingsFor({ botAppType: "'SingleTenant'", botAppId: "'5e1f0000-0000-0000-0000-00000000a001'", botTenantId: "'7e1a0000-0000-0000-0000-00000000a002'" }, base, singleTenant);
    const stConfig = loadConfig(st);
    assert.deepEqual(entryPointProblems(stConfig, 'azure'), []);
    assert.equal(stConfig.MicrosoftAppType, 'SingleTenant');
    assert.equal(stConfig.MicrosoftAppId, '5e1f0000-0000-0000-0000-00000000a001', 'the app registration is the bot');
    assert.equal(stConfig.MicrosoftAppTenantId, '7e1a0000-0000-0000-0000-00000000a002');
    assert.notEqual(stConfig.AZURE_CLIENT_ID, stConfig.MicrosoftAppId, 'storage is still reached with the managed identity');
    assert.match(stConfig.MicrosoftAppPassword, /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^)]+\/secrets\/bot-app-password\)$/, 'the client secret reaches the app only as a Key Vault reference');
    for (const s of [...base, ...singleTenant]) assert.doesNotMatch(s.value, /\b(botAppPassword|logPseudonymKey)\b/, `${s.name} does not carry a secret parameter`);
    for (const secret of ['botAppPassword', 'logPseudonymKey']) assert.match(bicep, new RegExp(`@secure\\(\\)\\n(@\\w+\\(.*\\)\\n)*param ${secret} string`), `${secret} is @secure()`);
    assert.match(bicep, /secretUri\}\)'/, 'Key Vault references are versionless (a rotated secret is picked up)');
    assert.doesNotMatch(bicep, /secretUriWithVersion/);
    assert.match(bicep, /keyVaultReferenceIdentity: identity\.id/, 'references are resolved with the identity that has Key Vault Secrets User');
    assert.match(bicep, /'4633458b-17de-408a-b874-0445c86b69e6'/, 'role Key Vault Secrets User');
    assert.match(bicep, /enableRbacAuthorization: true/);
  });

  it('infra/main.bicep: monitoring, private storage, no free tier, the newest Node LTS the project supports', () => {
    assert.match(bicep, /WorkspaceResourceId: logs\.id/, 'Application Insights is workspace-based, in the Log Analytics workspace');
    assert.match(bicep, /workspaceId: logs\.id/, 'the App Service logs go to the workspace');
    assert.match(bicep, /category: 'AppServiceConsoleLogs'/, 'the bot\'s JSON lines included');

    assert.match(bicep, /^param storageNetworkAccess string = 'PrivateEndpoint'$/m, 'storage has no public endpoint by default');
    assert.match(bicep, /publicNetworkAccess: isPrivate \? 'Disabled' : 'Enabled'/);
    assert.match(bicep, /groupIds: \['table'\]/, 'a private endpoint for the Table service');
    assert.match(bicep, /name: 'privatelink\.table\.\$\{environment\(\)\.suffixes\.storage\}'/, 'its private DNS zone');
    assert.match(bicep, /virtualNetworkSubnetId: isPrivate \? vnet\.properties\.subnets\[0\]\.id : null/, 'the web app is VNet-integrated');
    assert.match(bicep, /serviceName: 'Microsoft\.Web\/serverFarms'/, 'in a subnet delegated to App Service');
    assert.match(bicep, /vnetRouteAllEnabled: isPrivate/, 'and routes its traffic (and DNS) through the VNet');

    const allowed = (param: string) => {
      const lines = bicep.split('\n');
      let at = lines.findIndex((l) => l.startsWith(`param ${param} `));
      const decorators: string[] = [];
      while (at > 0 && lines[at - 1]!.startsWith('@')) decorators.push(lines[--at]!);
      const decorator = decorators.find((l) => l.startsWith('@allowed('));
      return [...(decorator ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    };
    const skus = allowed('appServiceSku');
    assert.ok(skus.length > 0 && skus.includes('B1'), `appServiceSku is @allowed (${skus.join(', ')})`);
    for (const sku of skus) assert.doesNotMatch(sku, /^(F1|D1|FREE|SHARED)$/i, 'no free or shared tier: Always On needs Basic or higher');
    assert.match(bicep, /alwaysOn: true/);

    const nodes = allowed('nodeVersion');
    assert.ok(nodes.length > 0 && nodes.every((n) => /^NODE\|(22|24)-lts$/.test(n)), `only the current LTS lines (${nodes.join(', ')})`);
    const chosen = /^param nodeVersion string = 'NODE\|(\d+)-lts'$/m.exec(bicep)?.[1];
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    const below = Number(/<\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    assert.ok(Number(chosen) < below, `the default Node ${chosen} is within package.json engines (${pkg.engines.node})`);
    for (const n of nodes) if (Number(/\d+/.exec(n)![0]) >= below) assert.ok(!bicep.includes(`param nodeVersion string = '${n}'`), `${n} is offered, not the default, while engines says ${pkg.engines.node}`);
  });

  it('the template, the guide and npm start run the bot with its heap budget (bot/runtime.ts)', () => {
    assert.equal(/appCommandLine: '([^']+)'/.exec(bicep)?.[1], BOT_START_COMMAND);
    const guide = readFileSync(path.join(root, 'docs', 'deploy.md'), 'utf8');
    assert.ok(guide.includes(`\`${BOT_START_COMMAND}\``), 'docs/deploy.md names the start command');
    const cmd = /CMD \[([^\]]+)\]/.exec(guide)?.[1]?.split(',').map((w) => w.trim().replace(/^"|"$/g, '')).join(' ');
    assert.equal(cmd, BOT_START_COMMAND, 'the container image starts the same way');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.ok(pkg.scripts.start!.includes(`node ${BOT_NODE_FLAGS.join(' ')} dist/scripts/start.js`), 'npm start runs with the same budget');
  });

  it('the parameters files name only parameters of the template, and give every required one', () => {
    const params = new Set([...bicep.matchAll(/^param (\w+) /gm)].map((m) => m[1]));
    const required = [...bicep.matchAll(/^param (\w+) \w+$/gm)].map((m) => m[1]!);
    assert.deepEqual(required, ['logPseudonymKey'], 'only the pseudonym key has no default (a secret, passed at deployment)');
    for (const file of ['main.parameters.example.json', 'toolkit.msi.parameters.json', 'toolkit.singletenant.parameters.json']) {
      const example = JSON.parse(readFileSync(path.join(root, 'infra', file), 'utf8')) as { parameters: Record<string, unknown> };
      for (const name of Object.keys(example.parameters)) assert.ok(params.has(name), `${file}: ${name} is a parameter of infra/main.bicep`);
      // The az CLI example leaves the secret out (passed on the command line, docs/deploy.md).
      if (file !== 'main.parameters.example.json') for (const name of required) assert.ok(name in example.parameters, `${file} gives ${name}`);
    }
    for (const type of ['Microsoft.ManagedIdentity/userAssignedIdentities', 'Microsoft.BotService/botServices', 'Microsoft.BotService/botServices/channels', 'Microsoft.Web/serverfarms', 'Microsoft.Web/sites', 'Microsoft.Storage/storageAccounts', 'Microsoft.Storage/storageAccounts/tableServices', 'Microsoft.Authorization/roleAssignments', 'Microsoft.KeyVault/vaults', 'Microsoft.KeyVault/vaults/secrets', 'Microsoft.Insights/components', 'Microsoft.OperationalInsights/workspaces', 'Microsoft.Network/virtualNetworks', 'Microsoft.Network/privateEndpoints', 'Microsoft.Network/privateDnsZones', 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups']) {
      assert.match(bicep, new RegExp(`'${type.replace(/\//g, '\\/')}@\\d{4}-\\d{2}-\\d{2}'`), `${type} with a dated API version`);
    }
  });
});

/**
 * The app settings infra/main.bicep gives the web app, evaluated as far as the file allows: parameters
 * (their defaults, or `overrides`, each a Bicep expression), single-line variables, string
 * interpolation, `string()`, `==`, `a ? b : c`, and the resource properties the settings use, which
 * get stand-in values of the right shape. Anything else throws, so a new kind of expression is noticed.
 */
function appSettingsFor(overrides: Record<string, string>, base: Array<{ name: string; value: string }>, singleTenant: Array<{ name: string; value: string }>): Record<string, string> {
  const evaluate = (expr: string): string => evaluateBicep(expr.trim(), overrides);
  const settings = evaluate('isSingleTenant') === 'true' ? [...base, ...singleTenant] : base;
  return Object.fromEntries(settings.map((s) => [s.name, evaluate(s.value)]));
}

const RESOURCE_PROPERTIES: Record<string, string> = {
  'identity.properties.clientId': 'c11e0000-0000-0000-0000-0000000000c1',
  'identity.properties.tenantId': '7e0a0000-0000-0000-0000-0000000000a1',
  'subscription().tenantId': '7e0a0000-0000-0000-0000-0000000000a1',
  'storage.name': 'rutinstodabc123',
  'environment().suffixes.storage': 'core.windows.net',
  'insights.properties.ConnectionString': 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/',
  'pseudonymKeySecret.properties.secretUri': 'https://kvrutinstod.vault.azure.net/secrets/log-pseudonym-key',
  'botPasswordSecret.properties.secretUri': 'https://kvrutinstod.vault.azure.net/secrets/bot-app-password',
};

function evaluateBicep(expr: string, overrides: Record<string, string>): string {
  const ev = (e: string) => evaluateBicep(e.trim(), overrides);
  const ternary = /^([\w.()]+(?: == '[^']*')?) \? (.+?) : (.+)$/.exec(expr);
  if (ternary) return ev(ternary[1]!) === 'true' ? ev(ternary[2]!) : ev(ternary[3]!);
  const equals = /^(\w+) == '([^']*)'$/.exec(expr);
  if (equals) return String(ev(equals[1]!) === equals[2]);
  const literal = /^'(.*)'$/.exec(expr);
  if (literal) return literal[1]!.replace(/\$\{([^}]+)\}/g, (_, inner: string) => ev(inner)).replace(/\\'/g, "'");
  const call = /^string\((\w+)\)$/.exec(expr);
  if (call) return ev(call[1]!);
  if (/^\d+$/.test(expr)) return expr;
  if (expr in RESOURCE_PROPERTIES) return RESOURCE_PROPERTIES[expr]!;
  if (/^\w+$/.test(expr)) {
    if (expr in overrides) return ev(overrides[expr]!);
    const param = new RegExp(`^param ${expr} \\w+(?: = (.+))?$`, 'm').exec(bicep);
    if (param) {
      if (param[1] === undefined) throw new Error(`parameter ${expr} has no default: give it in the scenario`);
      return ev(param[1]);
    }
    const variable = new RegExp(`^var ${expr} = (.+)$`, 'm').exec(bicep);
    if (variable) return ev(variable[1]!);
  }
  throw new Error(`test/deployDocs.test.ts cannot evaluate the Bicep expression ${expr}: extend evaluateBicep`);
}
