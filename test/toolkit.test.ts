import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { fillPlaceholders, placeholdersIn, validateLocalization, validateManifest } from '../manifest/package';

/**
 * The Microsoft 365 Agents Toolkit files (m365agents*.yml, env/, appPackage/, the arm/deploy
 * parameters files), checked offline: what the Toolkit would refuse before it talks to Azure or
 * Microsoft 365. What only a tenant can tell (the deployment itself) is listed in docs/deploy.md.
 */

const root = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface Action {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface ProjectFile {
  version: string;
  environmentFolderPath: string;
  provision?: Action[];
  deploy?: Action[];
  publish?: Action[];
}

/**
 * The actions these files use, with the `with` keys and writeToEnvironmentFile keys the Toolkit's
 * yaml schema (v1.11, https://aka.ms/m365-agents-toolkits/v1.11/yaml.schema.json) requires of them.
 * A new action must be added here, after checking it against that schema.
 */
const ACTIONS: Record<string, { with: string[]; write?: string[] }> = {
  'teamsApp/create': { with: ['name'], write: ['teamsAppId'] },
  'teamsApp/validateManifest': { with: ['manifestPath'] },
  'teamsApp/zipAppPackage': { with: ['manifestPath', 'outputZipPath', 'outputFolder'] },
  'teamsApp/validateAppPackage': { with: ['appPackagePath'] },
  'teamsApp/update': { with: ['appPackagePath'] },
  'teamsApp/extendToM365': { with: ['appPackagePath'] },
  'teamsApp/publishAppPackage': { with: ['appPackagePath'], write: ['publishedAppId'] },
  'arm/deploy': { with: ['subscriptionId', 'resourceGroupName', 'templates'] },
  'aadApp/create': { with: ['name', 'generateClientSecret', 'signInAudience'], write: ['clientId', 'objectId', 'clientSecret'] },
  'botFramework/create': { with: ['botId', 'name', 'messagingEndpoint'] },
  'cli/runNpmCommand': { with: ['args'] },
  'script': { with: ['run'] },
  'azureAppService/zipDeploy': { with: ['artifactFolder', 'resourceId'] },
  'file/createOrUpdateEnvironmentFile': { with: ['target', 'envs'] },
};
const LIFECYCLES = ['provision', 'deploy', 'publish'] as const;

const projectFiles = ['m365agents.yml', 'm365agents.local.yml'];
const load = (file: string) => YAML.parse(read(file)) as ProjectFile;
const actions = (p: ProjectFile) => LIFECYCLES.flatMap((l) => (p[l] ?? []).map((a) => ({ lifecycle: l, action: a })));

/** Every string in a value, depth first. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** KEY=VALUE lines of a dotenv file (comments and blank lines skipped). */
function parseEnv(file: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of read(file).split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
    assert.ok(m, `${file}: "${t}" is KEY=VALUE`);
    assert.ok(!env.has(m[1]!), `${file}: ${m[1]} is set once`);
    env.set(m[1]!, m[2]!);
  }
  return env;
}

/** The environments: env/.env.<name>, each with the project file the Toolkit uses for it. */
const environments = readdirSync(path.join(root, 'env'))
  .filter((f) => /^\.env\.[a-z0-9-]+$/.test(f))
  .map((f) => {
    const name = f.slice('.env.'.length);
    return { name, file: `env/${f}`, project: name === 'local' ? 'm365agents.local.yml' : 'm365agents.yml', secretsExample: `env/${f}.user.example` };
  });

/** The outputs of infra/main.bicep, as arm/deploy writes them into the environment (upper case). */
const bicepOutputs = [...read('infra/main.bicep').matchAll(/^output (\w+) /gm)].map((m) => m[1]!.toUpperCase());

/** Secrets the .user example of an environment documents (SECRET_* names). */
function documentedSecrets(example: string): Set<string> {
  return existsSync(path.join(root, example)) ? new Set([...parseEnv(example).keys()].filter((k) => k.startsWith('SECRET_'))) : new Set();
}

/** The arm/deploy parameters files one parameters path can mean (a placeholder in it, e.g. BOT_IDENTITY, takes each value its files exist for). */
function parametersFiles(template: string): string[] {
  const relative = template.replace(/^\.\//, '');
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${relative.split(/\$\{\{\s*\w+\s*\}\}/).map(escape).join('[a-z0-9-]+')}$`);
  const dir = path.posix.dirname(relative);
  return readdirSync(path.join(root, dir))
    .map((f) => `${dir}/${f}`)
    .filter((f) => pattern.test(f));
}

describe('Microsoft 365 Agents Toolkit project', () => {
  it('each project file parses and uses only known actions with their required inputs', () => {
    for (const file of projectFiles) {
      const doc = YAML.parseDocument(read(file));
      assert.deepEqual(doc.errors.map((e) => e.message), [], `${file} parses`);
      const p = load(file);
      assert.equal(p.version, 'v1.11', `${file}: yaml schema version`);
      assert.ok(read(file).startsWith('# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/v1.11/yaml.schema.json'), `${file} names its schema`);
      assert.equal(p.environmentFolderPath, './env');
      assert.deepEqual(Object.keys(p).filter((k) => !['version', 'environmentFolderPath', ...LIFECYCLES].includes(k)), [], `${file} has no unknown top-level keys`);
      assert.ok((p.provision ?? []).length > 0 && (p.deploy ?? []).length > 0, `${file} provisions and deploys`);
      for (const { lifecycle, action } of actions(p)) {
        const spec = ACTIONS[action.uses];
        assert.ok(spec, `${file} ${lifecycle}: ${action.uses} is a known action`);
        for (const key of spec.with) assert.ok(action.with && key in action.with, `${file} ${lifecycle} ${action.uses}: with.${key}`);
        for (const key of spec.write ?? []) assert.ok(action.writeToEnvironmentFile && key in action.writeToEnvironmentFile, `${file} ${lifecycle} ${action.uses}: writeToEnvironmentFile.${key}`);
        for (const v of Object.values(action.writeToEnvironmentFile ?? {})) assert.match(v, /^[A-Z][A-Z0-9_]*$/, `${file}: ${action.uses} writes an environment variable name`);
        for (const [k, v] of Object.entries(action.writeToEnvironmentFile ?? {})) if (/secret|password/i.test(k)) assert.match(v, /^SECRET_/, `${file}: ${action.uses} writes its secret to a SECRET_ variable (kept in the git-ignored .user file)`);
      }
    }
  });

  it('provision builds, validates and updates the app package; the Azure flow deploys infra/main.bicep', () => {
    for (const file of projectFiles) {
      const uses = (load(file).provision ?? []).map((a) => a.uses);
      const order = ['teamsApp/create', 'teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'teamsApp/validateAppPackage', 'teamsApp/update'];
      const at = order.map((u) => uses.indexOf(u));
      assert.ok(at.every((i) => i >= 0) && at.every((i, n) => n === 0 || i > at[n - 1]!), `${file}: ${order.join(' → ')} (got ${uses.join(', ')})`);
      for (const { action } of actions(load(file))) {
        for (const key of ['manifestPath']) if (action.with?.[key]) assert.equal(action.with[key], './appPackage/manifest.json', `${file}: ${action.uses} builds from appPackage/`);
        if (action.uses === 'teamsApp/zipAppPackage') assert.equal(action.with!.outputZipPath, './appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip');
      }
    }
    const remote = load('m365agents.yml');
    const arm = remote.provision!.find((a) => a.uses === 'arm/deploy')!;
    const templates = arm.with!.templates as Array<{ path: string; parameters: string; deploymentName: string }>;
    assert.deepEqual(templates.map((t) => t.path), ['./infra/main.bicep']);
    assert.match(String(arm.with!.bicepCliVersion), /^v0\.(2[7-9]|[3-9]\d)\.\d+$/, 'a Bicep CLI that knows single-line objects and arrays (0.27+)');
    const files = parametersFiles(templates[0]!.parameters);
    assert.deepEqual(files.sort(), ['infra/toolkit.msi.parameters.json', 'infra/toolkit.singletenant.parameters.json']);
    const deploy = remote.deploy!.find((a) => a.uses === 'azureAppService/zipDeploy')!;
    assert.equal(deploy.with!.resourceId, '${{AZURE_APP_SERVICE_RESOURCE_ID}}');
    assert.ok(bicepOutputs.includes('AZURE_APP_SERVICE_RESOURCE_ID') && bicepOutputs.includes('BOT_ID'), 'infra/main.bicep outputs what the deploy step and the package need');
    assert.ok((load('m365agents.local.yml').provision ?? []).some((a) => a.uses === 'teamsApp/extendToM365'), 'local provision sideloads the app for the developer');
  });

  it('every ${{…}} in the project files and appPackage/ is defined for each environment when it is used', () => {
    assert.deepEqual(environments.map((e) => e.name).sort(), ['dev', 'local']);
    const packagePlaceholders = ['manifest.json', 'en.json'].flatMap((f) => placeholdersIn(read(`appPackage/${f}`)));
    assert.deepEqual(packagePlaceholders.sort(), ['BOT_ID', 'TEAMS_APP_ID']);
    for (const env of environments) {
      const values = parseEnv(env.file);
      assert.equal(values.get('TEAMSFX_ENV'), env.name, `${env.file}: TEAMSFX_ENV`);
      const secrets = documentedSecrets(env.secretsExample);
      const written = new Set<string>();
      /** Defined: a key of the env file, a documented secret, or written by an earlier action. */
      const defined = (name: string) => values.has(name) || secrets.has(name) || written.has(name);
      /** Has a value when used: set in the env file, a documented secret (the developer fills it), or written earlier. */
      const filled = (name: string) => Boolean(values.get(name)) || secrets.has(name) || written.has(name);
      for (const { lifecycle, action } of actions(load(env.project))) {
        const where = `${env.project} ${lifecycle} ${action.uses} (${env.name})`;
        for (const name of strings(action.with).flatMap(placeholdersIn)) assert.ok(defined(name), `${where}: \${{${name}}} is defined in ${env.file}, documented in ${env.secretsExample}, or written by an earlier action`);
        if (action.uses === 'arm/deploy') {
          // The Toolkit fills a parameters file only with non-empty values, and refuses a placeholder left over.
          for (const t of action.with!.templates as Array<{ parameters: string }>) {
            const chosen = fillPlaceholders(t.parameters, Object.fromEntries(values), where).replace(/^\.\//, '');
            assert.ok(existsSync(path.join(root, chosen)), `${where}: ${chosen} exists`);
            for (const name of placeholdersIn(read(chosen))) assert.ok(filled(name), `${where}: ${chosen} needs \${{${name}}}, which has no value in ${env.file}`);
            for (const file of parametersFiles(t.parameters)) for (const name of placeholdersIn(read(file))) assert.ok(defined(name), `${where}: ${file} uses \${{${name}}}, defined nowhere`);
          }
          for (const o of bicepOutputs) written.add(o);
        }
        if (action.uses === 'teamsApp/zipAppPackage' || action.uses === 'teamsApp/validateManifest') {
          for (const name of packagePlaceholders) assert.ok(filled(name), `${where}: appPackage/ needs \${{${name}}} by now`);
        }
        for (const v of Object.values(action.writeToEnvironmentFile ?? {})) written.add(v);
      }
      for (const name of written) if (!name.startsWith('SECRET_')) assert.ok(values.has(name), `${env.file} lists ${name}, which provision writes`);
    }
  });

  it('the parameters files give allowed values once the environment is filled in', () => {
    const bicep = read('infra/main.bicep');
    const allowed = (param: string) => {
      const lines = bicep.split('\n');
      let at = lines.findIndex((l) => l.startsWith(`param ${param} `));
      const decorators: string[] = [];
      while (at > 0 && lines[at - 1]!.startsWith('@')) decorators.push(lines[--at]!);
      const decorator = decorators.find((l) => l.startsWith('@allowed('));
      return decorator ? [...decorator.matchAll(/'([^']+)'/g)].map((m) => m[1]!) : undefined;
    };
    for (const env of environments.filter((e) => e.project === 'm365agents.yml')) {
      const values = Object.fromEntries(parseEnv(env.file));
      const stand = (name: string) => values[name] || (name.startsWith('SECRET_') ? 'x'.repeat(64) : '00000000-0000-0000-0000-000000000001');
      for (const file of ['infra/toolkit.msi.parameters.json', 'infra/toolkit.singletenant.parameters.json']) {
        const text = read(file);
        const json = JSON.parse(fillPlaceholders(text, Object.fromEntries(placeholdersIn(text).map((n) => [n, stand(n)])), file)) as { parameters: Record<string, { value: unknown }> };
        const p = json.parameters;
        assert.match(String(p.baseName!.value), /^[a-z][a-z0-9-]{2,15}$/, `${file} (${env.name}): baseName fits @minLength(3) @maxLength(16)`);
        for (const [name, { value }] of Object.entries(p)) {
          const list = allowed(name);
          if (list) assert.ok(list.includes(String(value)), `${file} (${env.name}): ${name}=${String(value)} is one of ${list.join(', ')}`);
        }
        assert.match(String(p.tablePrefix!.value), /^[A-Za-z][A-Za-z0-9]{0,20}$/, 'TABLE_PREFIX the bot accepts');
        assert.equal(p.botAppType!.value, file.includes('singletenant') ? 'SingleTenant' : 'UserAssignedMSI');
      }
      assert.ok(['msi', 'singletenant'].includes(values.BOT_IDENTITY!), `${env.file}: BOT_IDENTITY is msi or singletenant`);
    }
  });

  it('keeps secrets out of the repository: committed env files have none, .user files are git-ignored', () => {
    for (const env of environments) {
      for (const [key, value] of parseEnv(env.file)) {
        assert.ok(!key.startsWith('SECRET_'), `${env.file}: ${key} belongs in the .user file`);
        assert.doesNotMatch(value, /^[A-Za-z0-9~._-]{34,}$/, `${env.file}: ${key} looks like a secret`);
      }
      if (existsSync(path.join(root, env.secretsExample))) for (const [key, value] of parseEnv(env.secretsExample)) assert.equal(value, '', `${env.secretsExample}: ${key} is empty in the example`);
    }
    const ignored = (file: string) => spawnSync('git', ['check-ignore', '--no-index', '-q', file], { cwd: root }).status === 0;
    for (const file of ['env/.env.dev.user', 'env/.env.local.user', '.localConfigs', 'appPackage/build/appPackage.dev.zip']) assert.ok(ignored(file), `${file} is git-ignored`);
    for (const file of ['env/.env.dev', 'env/.env.local', 'env/.env.dev.user.example', 'env/.env.local.user.example', 'appPackage/manifest.json', 'm365agents.yml']) assert.ok(!ignored(file), `${file} is committed`);
  });

  it('the manifest validates against the bundled schema with any environment\'s ids', async () => {
    const ids = { TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555', BOT_ID: '66666666-7777-8888-9999-000000000000' };
    const manifest = JSON.parse(fillPlaceholders(read('appPackage/manifest.json'), ids, 'appPackage/manifest.json')) as { localizationInfo: { additionalLanguages: Array<{ file: string }> }; icons: Record<string, string> };
    assert.deepEqual(await validateManifest(manifest), []);
    for (const { file } of manifest.localizationInfo.additionalLanguages) assert.deepEqual(await validateLocalization(JSON.parse(read(`appPackage/${file}`))), [], file);
    for (const icon of Object.values(manifest.icons)) assert.ok(existsSync(path.join(root, 'appPackage', icon)), `appPackage/${icon}`);
    assert.deepEqual(readdirSync(path.join(root, 'appPackage')).filter((f) => f !== 'build').sort(), ['color.png', 'en.json', 'manifest.json', 'outline.png'], 'appPackage/ holds the package sources only');
  });
});
