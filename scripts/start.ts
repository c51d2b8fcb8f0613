import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../bot/app';
import { ConfigError, loadConfig, usesLocalStorage, type Config } from '../bot/config';
import { DEMO_STAFF, seedDemoData } from '../storage/demoData';
import { renderPlaygroundConfig } from './lib/playgroundConfig';
import { startAzurite, type LocalAzurite } from './lib/azurite';
import { isPortFree } from './lib/ports';
import { projectRoot } from './lib/projectRoot';

/**
 * `npm start`. Locally (no table storage configured): starts Azurite with its data in
 * LOCAL_DATA_DIR, seeds demo data into empty storage, serves the bot on loopback without
 * authentication and starts the Agents Playground pointed at it. With storage configured (Azure),
 * runs only the bot. Ctrl-C stops everything it started.
 */
async function main(): Promise<void> {
  const root = projectRoot();
  const envFile = path.join(root, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  // The Agents Playground always sends locale en-US; locally the bot answers in Swedish (the
  // product's first language) unless LOCALE_OVERRIDE says otherwise.
  const pre = loadConfig(process.env);
  const playgroundMode = usesLocalStorage(pre) && !pre.MicrosoftAppId && pre.PLAYGROUND === 'auto';
  const config = playgroundMode && process.env.LOCALE_OVERRIDE === undefined ? { ...pre, LOCALE_OVERRIDE: 'sv' as const } : pre;
  const local = usesLocalStorage(config);
  const playground = playgroundMode;

  const wanted: Array<[number, string, string]> = [[config.PORT, config.HOST, 'the bot (PORT)']];
  if (local) wanted.push([config.AZURITE_PORT, '127.0.0.1', 'Azurite (AZURITE_PORT)']);
  if (playground) wanted.push([config.PLAYGROUND_PORT, '0.0.0.0', 'the Agents Playground (PLAYGROUND_PORT)']);
  for (const [port, host, what] of wanted) {
    if (port !== 0 && !(await isPortFree(port, host))) fail(`Port ${port} is already in use, so ${what} cannot start. Stop the other program or set ${what.match(/\((\w+)\)/)?.[1]} in .env.`);
  }

  const started: Array<{ stop(): Promise<void> | void }> = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let azurite: LocalAzurite | undefined;
    if (local) {
      azurite = await startAzurite({ port: config.AZURITE_PORT, location: config.LOCAL_DATA_DIR });
      started.push(azurite);
      console.log(`Azurite (table storage) on 127.0.0.1:${config.AZURITE_PORT}, data in ${config.LOCAL_DATA_DIR}`);
    }
    const app: App = await createApp({ config, connectionString: azurite?.connectionString });
    if (local && config.SEED_DEMO_DATA === 'auto' && (await seedDemoData(app.stores))) console.log('Seeded the demo staff directory (see .m365agentsplayground.yml).');
    const url = await app.listen();
    started.push({ stop: () => app.close() });
    app.startSweeping(config.SWEEP_INTERVAL_SECONDS);
    console.log(`Bot listening on ${url}/api/messages (health: ${url}/healthz)${config.MicrosoftAppId ? '' : ' — local mode, no Bot Framework authentication'}`);
    if (playground) {
      const child = startPlayground(root, config, url);
      started.push({ stop: () => stopChild(child) });
      console.log(`Agents Playground: http://localhost:${config.PLAYGROUND_PORT} — open it in a browser to chat as ${config.PLAYGROUND_AS || 'Bertil Berg (work guidance officer)'}.`);
    }
    console.log('Press Ctrl-C to stop.');
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function startPlayground(root: string, config: Config, botUrl: string): ChildProcess {
  // The playground reads its users from M365_AGENTS_PLAYGROUND_CONFIG_PATH: the committed file, or
  // a generated copy with another current user when PLAYGROUND_AS names one.
  let configPath = path.join(root, '.m365agentsplayground.yml');
  if (config.PLAYGROUND_AS) {
    const dir = path.resolve(root, path.dirname(config.LOCAL_DATA_DIR), 'playground');
    mkdirSync(dir, { recursive: true });
    configPath = path.join(dir, '.m365agentsplayground.yml');
    writeFileSync(configPath, renderPlaygroundConfig(DEMO_STAFF, config.PLAYGROUND_AS));
  }
  const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'agentsplayground.cmd' : 'agentsplayground');
  const child = spawn(bin, ['-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(config.PLAYGROUND_PORT), '--disable-telemetry'], {
    cwd: root,
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      // Its log would otherwise land in ./devTools of the working tree.
      M365_AGENTS_PLAYGROUND_LOGFILE: path.resolve(root, path.dirname(config.LOCAL_DATA_DIR), 'playground', 'm365agentsplayground.log'),
    },
    // stdin stays open: the playground exits when its standard input ends.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-2000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (signal === null && code !== 0) console.error(`The Agents Playground exited (code ${code}); the bot keeps running.\n${output.trim()}`);
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `Start failed: ${(err as Error).message ?? String(err)}`);
  process.exit(1);
});
