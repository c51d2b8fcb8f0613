import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { freePort } from '../scripts/lib/ports';
import { azuriteConnectionString } from '../storage/tableClients';

/**
 * Issue 18: a misconfiguration or a start-up failure is one line on stderr that names the
 * variable and says what to do, exit code 1, no stack trace (unless LOG_LEVEL=debug) — on both
 * entry points as they run in production and locally: `node dist/bot/index.js` (Azure) and
 * `node dist/scripts/start.js` (`npm start`), and on the scheduler's one-shot sweep,
 * `node dist/scripts/sweep.js` (`npm run sweep`). Run after `npm run build` (the test command does).
 * Also: Application Insights is loaded only when its connection string is set, and with one
 * the bot starts and serves.
 */
const root = path.join(__dirname, '..');
const AZURE = 'dist/bot/index.js';
const START = 'dist/scripts/start.js';
const SWEEP = 'dist/scripts/sweep.js';
const KEY = 'k'.repeat(40);
const APP = { MicrosoftAppId: '9a0a1b2c-0000-4000-8000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000aa' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in a clean environment (only PATH and what the case sets) until it exits. */
function run(args: string[], env: Record<string, string>, stopWhen?: RegExp, stopOnListening = true): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PLAYGROUND: 'off', LOG_LEVEL: 'info', PORT: '0', AZURITE_PORT: '0', STORAGE_STARTUP_TIMEOUT_SECONDS: '1', APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true', APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // A process that started despite the configuration would keep running: it is stopped when it
    // says it listens (the assertions then fail). The timer only ends one that neither exits nor listens.
    const check = () => {
      if ((stopOnListening && /listening/.test(stdout + stderr)) || (stopWhen && stopWhen.test(stdout + stderr))) child.kill('SIGKILL');
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120000);
    // 'close', not 'exit': a process may exit before its last output has been read from the pipes (seen under load).
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function assertOneLine(r: Run, names: RegExp, what: string): void {
  const lines = r.stderr.trim().split('\n').filter(Boolean);
  assert.notEqual(r.code, 0, `${what}: exit code (stderr: ${r.stderr}; stdout: ${r.stdout})`);
  assert.equal(r.code, 1, `${what}: exit code 1`);
  assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, names, `${what}: the line names the variable`);
  assert.doesNotMatch(r.stderr, /^\s+at\s/m, `${what}: no stack trace`);
  assert.doesNotMatch(r.stdout + r.stderr, /listening/, `${what}: did not listen`);
}

describe('start-up: every misconfiguration and start-up failure is one line naming the variable, on every entry point', () => {
  let closedPort: number;
  let held: Server;
  let heldPort: number;
  const storage = () => process.env.TEST_TABLES_CONNECTION_STRING ?? '';

  before(async () => {
    for (const entry of [AZURE, START, SWEEP]) assert.ok(existsSync(path.join(root, entry)), `${entry} exists (run \`npm run build\` first)`);
    closedPort = await freePort();
    held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', () => r()));
    heldPort = (held.address() as { port: number }).port;
  });
  after(() => held?.close());

  const cases: Array<{ what: string; env: () => Record<string, string>; names: RegExp; entries?: string[] }> = [
    { what: 'an app id without table storage', env: () => ({ ...APP, LOG_PSEUDONYM_KEY: KEY }), names: /MicrosoftAppId.*TABLES_(CONNECTION_STRING|ACCOUNT_URL)|TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL.*MicrosoftAppId/ },
    { what: 'TABLES_ACCOUNT_URL over http', env: () => ({ TABLES_ACCOUNT_URL: 'http://gbgbot.table.core.windows.net' }), names: /TABLES_ACCOUNT_URL must use https/ },
    { what: 'TABLES_ACCOUNT_URL that is no URL', env: () => ({ TABLES_ACCOUNT_URL: 'gbgbot.table.core.windows.net' }), names: /TABLES_ACCOUNT_URL is not a URL/ },
    { what: 'TABLES_ACCOUNT_URL with a SAS token', env: () => ({ TABLES_ACCOUNT_URL: 'https://gbgbot.table.core.windows.net/?sv=2024&sig=x' }), names: /TABLES_ACCOUNT_URL must be the bare service URL/ },
    { what: 'storage unreachable at boot', env: () => ({ TABLES_CONNECTION_STRING: azuriteConnectionString('127.0.0.1', closedPort) }), names: /Table storage does not answer at TABLES_CONNECTION_STRING .*STORAGE_STARTUP_TIMEOUT_SECONDS/ },
    { what: 'a port taken', env: () => ({ TABLES_CONNECTION_STRING: storage(), PORT: String(heldPort) }), names: /PORT \d+ is already in use.*set PORT/ },
    { what: 'an app id without LOG_PSEUDONYM_KEY', env: () => ({ ...APP, TABLES_CONNECTION_STRING: storage() }), names: /LOG_PSEUDONYM_KEY is required when MicrosoftAppId is set/ },
    { what: 'a LOG_PSEUDONYM_KEY too short', env: () => ({ LOG_PSEUDONYM_KEY: 'short', TABLES_CONNECTION_STRING: storage() }), names: /LOG_PSEUDONYM_KEY must be at least 32 characters/ },
    { what: 'an APPLICATIONINSIGHTS_CONNECTION_STRING that is not one', env: () => ({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://westeurope.in.applicationinsights.azure.com/', TABLES_CONNECTION_STRING: storage() }), names: /APPLICATIONINSIGHTS_CONNECTION_STRING is not an Application Insights connection string/ },
    { what: 'the Azure entry point without storage', env: () => ({}), names: /TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL must be set: dist\/bot\/index\.js never starts a local Azurite/, entries: [AZURE] },
  ];

  for (const entry of [AZURE, START]) {
    const mine = cases.filter((c) => !c.entries || c.entries.includes(entry));
    it(`node ${entry}: ${mine.map((c) => c.what).join('; ')}`, async function () {
      this.timeout(180000);
      // Side by side (each refusal exits at once; the unreachable storage waits its second).
      const results = await Promise.all(mine.map((c) => run([entry], c.env())));
      for (const [i, r] of results.entries()) assertOneLine(r, mine[i]!.names, `${entry}, ${mine[i]!.what}`);
    });
  }

  it(`node ${SWEEP} (npm run sweep, from a scheduler): TABLES_ACCOUNT_URL over http; TABLES_ACCOUNT_URL that is no URL; no storage; an app id without LOG_PSEUDONYM_KEY; storage unreachable`, async function () {
    this.timeout(60000);
    const sweepCases: Array<{ what: string; env: Record<string, string>; names: RegExp }> = [
      { what: 'TABLES_ACCOUNT_URL over http', env: { TABLES_ACCOUNT_URL: 'http://gbgbot.table.core.windows.net' }, names: /^Invalid configuration: TABLES_ACCOUNT_URL must use https/ },
      { what: 'TABLES_ACCOUNT_URL that is no URL', env: { TABLES_ACCOUNT_URL: 'gbgbot.table.core.windows.net' }, names: /^Invalid configuration: TABLES_ACCOUNT_URL is not a URL/ },
      { what: 'no storage', env: {}, names: /^Invalid configuration: TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL must be set: the one-shot sweep/ },
      { what: 'an app id without LOG_PSEUDONYM_KEY', env: { ...APP, TABLES_CONNECTION_STRING: storage() }, names: /LOG_PSEUDONYM_KEY is required when MicrosoftAppId is set/ },
      { what: 'storage unreachable', env: { TABLES_CONNECTION_STRING: azuriteConnectionString('127.0.0.1', closedPort) }, names: /^Table storage does not answer at TABLES_CONNECTION_STRING .*STORAGE_STARTUP_TIMEOUT_SECONDS/ },
    ];
    const results = await Promise.all(sweepCases.map((c) => run([SWEEP], c.env)));
    for (const [i, r] of results.entries()) {
      assertOneLine(r, sweepCases[i]!.names, `${SWEEP}, ${sweepCases[i]!.what}`);
      assert.doesNotMatch(r.stdout, /sweep\.done/, `${SWEEP}, ${sweepCases[i]!.what}: did not sweep`);
    }
  });

  it(`node ${SWEEP} with storage configured sweeps once, prints its counts and exits 0`, async function () {
    this.timeout(60000);
    const r = await run([SWEEP], { TABLES_CONNECTION_STRING: storage(), TABLE_PREFIX: `sweep${closedPort}` });
    assert.equal(r.code, 0, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stdout, /"event":"sweep\.done".*"outboxSteps"/);
  });

  it('with LOG_LEVEL=debug the same failure also shows its stack trace', async function () {
    this.timeout(60000);
    const r = await run([AZURE], { LOG_LEVEL: 'debug', TABLES_CONNECTION_STRING: azuriteConnectionString('127.0.0.1', closedPort) });
    assert.equal(r.code, 1);
    assert.match(r.stderr.split('\n')[0]!, /^Table storage does not answer at TABLES_CONNECTION_STRING/);
    assert.match(r.stderr, /^\s+at\s/m, 'the stack trace follows');
  });

  it('npm start with storage configured says which storage it uses, starts no Azurite, and serves', async function () {
    this.timeout(60000);
    const r = await run([START], { TABLES_CONNECTION_STRING: storage() }, /Bot listening/);
    assert.match(r.stdout, /Table storage: TABLES_CONNECTION_STRING \(http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\) \(configured, so no local Azurite/);
    assert.doesNotMatch(r.stdout, /Azurite \(table storage\) on/);
    assert.match(r.stdout, /Bot listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.doesNotMatch(r.stdout, /AccountKey/, 'the connection string\'s key is never printed');
  });
});

/**
 * The Azure entry point run inside a probe: once /healthz answers, the probe reports the status
 * and how many OpenTelemetry / Azure Monitor modules the process has loaded (require.cache).
 */
const PROBE = `
const port = process.env.PORT;
require('./${AZURE}');
const poll = setInterval(async () => {
  let res;
  try { res = await fetch('http://127.0.0.1:' + port + '/healthz'); } catch { return; }
  clearInterval(poll);
  const post = await fetch('http://127.0.0.1:' + port + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const loaded = Object.keys(require.cache).filter((f) => /[\\\\/](@opentelemetry|@azure[\\\\/]monitor-opentelemetry)[\\\\/]/.test(f)).length;
  process.stderr.write('PROBE ' + JSON.stringify({ health: res.status, post: post.status, loaded }) + '\\n');
  process.exit(0);
}, 200);
`;

describe('telemetry: Application Insights only when APPLICATIONINSIGHTS_CONNECTION_STRING is set', () => {
  async function probe(env: Record<string, string>): Promise<{ health: number; post: number; loaded: number; stdout: string; stderr: string }> {
    const port = await freePort();
    const r = await run(['-e', PROBE], { TABLES_CONNECTION_STRING: process.env.TEST_TABLES_CONNECTION_STRING ?? '', PORT: String(port), TABLE_PREFIX: `tele${port}`, ...env }, /PROBE /, false);
    const line = /PROBE (\{.*\})/.exec(r.stderr)?.[1];
    assert.ok(line, `the probe reported (code ${r.code}, stderr: ${r.stderr}, stdout: ${r.stdout})`);
    return { ...(JSON.parse(line) as { health: number; post: number; loaded: number }), stdout: r.stdout, stderr: r.stderr };
  }

  it('without the variable, not one module of OpenTelemetry or @azure/monitor-opentelemetry is loaded', async function () {
    this.timeout(60000);
    const p = await probe({});
    assert.equal(p.health, 200);
    assert.equal(p.loaded, 0, 'no telemetry module in require.cache');
    assert.match(p.stdout, /"telemetry":"off"/);
  });

  it('with a (fake, syntactically valid) connection string the bot starts, exports and serves', async function () {
    this.timeout(60000);
    const p = await probe({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/' });
    assert.equal(p.health, 200, 'GET /healthz');
    assert.equal(p.post, 400, 'POST /api/messages answers (a malformed activity)');
    assert.ok(p.loaded > 0, 'the exporter is loaded');
    assert.match(p.stdout, /"telemetry":"azure-monitor"/);
    assert.equal(p.stderr.replace(/PROBE .*\n/, '').trim(), '', 'nothing else on stderr');
    for (const line of p.stdout.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), `stdout holds JSON log lines only: ${line}`);
  });
});
