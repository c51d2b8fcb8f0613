import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSchema, loadConfig } from '../bot/config';
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
    const block = /appSettings: \[([\s\S]*?)\n\s*\]/.exec(bicep)?.[1] ?? '';
    const settings = [...block.matchAll(/^\s*\{ name: '([^']+)', value: (.+) \}$/gm)].map((m) => ({ name: m[1]!, value: m[2]!.trim() }));
    assert.ok(settings.length >= 8, `found the app settings (${settings.length})`);
    const known = new Set(Object.keys(configSchema.shape));
    for (const s of settings) assert.ok(known.has(s.name) || PLATFORM_SETTINGS.has(s.name), `${s.name} is a variable of bot/config.ts`);

    // Evaluate each value as far as the file allows: a literal, a parameter's default, or a placeholder.
    const paramDefault = (name: string) => /^param (\w+) \w+ = (.+)$/m.exec(bicep.split('\n').find((l) => l.startsWith(`param ${name} `)) ?? '')?.[2]?.replace(/^'(.*)'$/, '$1');
    const env: Record<string, string> = {};
    for (const s of settings) {
      const literal = /^'([^'$]*)'$/.exec(s.value)?.[1];
      const param = /^(?:string\()?(\w+)\)?$/.exec(s.value)?.[1];
      env[s.name] = literal ?? (param && paramDefault(param)) ?? s.value.replace(/\$\{[^}]+\}/g, 'x').replace(/^'|'$/g, '').replace(/^[\w.()]+$/, 'placeholder-id');
    }
    assert.equal(env.NODE_ENV, 'production');
    const config = loadConfig(env);
    assert.equal(config.MicrosoftAppType, 'UserAssignedMSI');
    assert.equal(config.MicrosoftAppPassword, '', 'no secret in the template');
    assert.ok(config.TABLES_ACCOUNT_URL.startsWith('https://'));
    assert.equal(config.AZURE_CLIENT_ID, config.MicrosoftAppId, 'storage is reached with the bot\'s own identity');
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

  it('the parameters example names only parameters of the template', () => {
    const example = JSON.parse(readFileSync(path.join(root, 'infra', 'main.parameters.example.json'), 'utf8')) as { parameters: Record<string, unknown> };
    const params = new Set([...bicep.matchAll(/^param (\w+) /gm)].map((m) => m[1]));
    for (const name of Object.keys(example.parameters)) assert.ok(params.has(name), `${name} is a parameter of infra/main.bicep`);
    for (const type of ['Microsoft.ManagedIdentity/userAssignedIdentities', 'Microsoft.BotService/botServices', 'Microsoft.BotService/botServices/channels', 'Microsoft.Web/serverfarms', 'Microsoft.Web/sites', 'Microsoft.Storage/storageAccounts', 'Microsoft.Storage/storageAccounts/tableServices', 'Microsoft.Authorization/roleAssignments']) {
      assert.match(bicep, new RegExp(`'${type.replace(/\//g, '\\/')}@\\d{4}-\\d{2}-\\d{2}'`), `${type} with a dated API version`);
    }
  });
});
