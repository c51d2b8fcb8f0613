import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { report } from './support';

/**
 * Issue 8 §6: the real entry points (bot/index.ts for Azure, scripts/start.ts for `npm start`)
 * refuse to start unauthenticated on a non-loopback host and in production, before they listen or
 * touch storage. (401 for requests without a valid token: test/e2e/auth.test.ts.)
 */
const root = path.join(__dirname, '..', '..');

function start(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(root, entry)], {
      cwd: root,
      // A clean environment: only what the case sets (plus PATH for tsx), storage pointing nowhere.
      env: { PATH: process.env.PATH ?? '', TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true', PLAYGROUND: 'off', LOG_LEVEL: 'info', PORT: '0', AZURITE_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    // A bot that started despite the configuration says so ("bot listening") and would keep
    // running: stop it then (the assertions report it). No time limit decides the outcome: on a
    // busy machine six tsx start-ups side by side take a while (seen: > 15 s), which is not a
    // refusal. The kill timer only ends a child that neither exits nor listens.
    const seen = (d: Buffer) => {
      stderr += d.toString();
      if (/listening/.test(stderr)) child.kill('SIGKILL');
    };
    child.stderr.on('data', seen);
    child.stdout.on('data', seen);
    const timer = setTimeout(() => child.kill('SIGKILL'), 150000);
    // 'close', not 'exit': a process may exit before its last output has been read from the pipes.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const CASES: Array<{ what: string; env: Record<string, string>; expect: RegExp }> = [
  { what: 'no app id on all IPv4 interfaces', env: { HOST: '0.0.0.0' }, expect: /HOST is 0\.0\.0\.0, but without MicrosoftAppId the bot runs unauthenticated/ },
  { what: 'no app id on all IPv6 interfaces', env: { HOST: '::' }, expect: /HOST is ::, but without MicrosoftAppId/ },
  { what: 'no app id on a LAN address', env: { HOST: '192.168.1.20' }, expect: /may only listen on a loopback address/ },
  { what: 'no app id on a host name', env: { HOST: 'bot.example.org' }, expect: /may only listen on a loopback address/ },
  { what: 'no app id in production, even on loopback', env: { NODE_ENV: 'production', HOST: '127.0.0.1' }, expect: /MicrosoftAppId is required when NODE_ENV=production/ },
  { what: 'production with an app id but a local Azurite', env: { NODE_ENV: 'production', MicrosoftAppId: 'app', MicrosoftAppPassword: 'x', MicrosoftAppTenantId: 't', TABLES_CONNECTION_STRING: '' }, expect: /TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL is required when NODE_ENV=production/ },
];

describe('reliability: start-up refuses unauthenticated mode off loopback and in production', () => {
  let refused = 0;
  after(() => report('start-up', `${refused} refusals (${CASES.length} configurations on bot/index.ts, 2 on scripts/start.ts), each exit code 1 with the reason named, none listened`));
  // npm start reads the same schema first thing: two configurations prove it is wired in.
  for (const [entry, cases] of [['bot/index.ts', CASES], ['scripts/start.ts', [CASES[0]!, CASES[4]!]]] as const) {
    it(`${entry} refuses: ${cases.map((c) => c.what).join('; ')}`, async function () {
      this.timeout(180000);
      // The configurations start side by side (each process exits at once when refused).
      const results = await Promise.all(cases.map((c) => start(entry, c.env)));
      for (const [i, r] of results.entries()) {
        const c = cases[i]!;
        assert.equal(r.code, 1, `${c.what}: exit code (output: ${r.stderr})`);
        assert.match(r.stderr, c.expect, c.what);
        assert.doesNotMatch(r.stderr, /listening/, c.what);
        refused++;
      }
    });
  }
});
