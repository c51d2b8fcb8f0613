import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../bot/config';
import { DEMO_STAFF } from '../storage/demoData';
import { playgroundDataDir, startConfig } from './lib/localStack';
import { startPlayground } from './lib/playground';
import { isPortFree, waitForPort } from './lib/ports';
import { projectRoot } from './lib/projectRoot';

/**
 * `npm run playground -- "David Dahl" [port]`: one more Agents Playground, as another demo person,
 * beside a running `npm start` (same .env). The Playground shows one person's chat, so this is how
 * a newcomer watches the cards the bot sends to someone else (the provider's card, an approval).
 */
async function main(): Promise<void> {
  const envFile = path.join(projectRoot(), '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = startConfig(process.env);
  const who = process.argv[2] ?? '';
  if (!DEMO_STAFF.some((p) => p.name === who)) fail(`Name a demo person: npm run playground -- "David Dahl" [port]\nDemo people: ${DEMO_STAFF.map((p) => p.name).join(', ')}`);
  const port = Number(process.argv[3] ?? config.PLAYGROUND_PORT + 1);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`Not a port: ${process.argv[3]}`);
  if (!(await isPortFree(port, '0.0.0.0'))) fail(`Port ${port} is already in use; give another: npm run playground -- "${who}" ${port + 1}`);
  const host = config.HOST === 'localhost' ? '127.0.0.1' : config.HOST;
  try {
    await waitForPort(host, config.PORT, 2000);
  } catch {
    fail(`No bot answers on ${host}:${config.PORT}. Start it first with npm start (in another terminal).`);
  }
  const pg = startPlayground({ botUrl: `http://${host}:${config.PORT}`, port, as: who, dataDir: playgroundDataDir(config) });
  const stop = () => void pg.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await pg.ready();
  pg.child.once('exit', (code) => {
    console.error(`The Agents Playground exited (code ${code}).\n${pg.output().trim()}`);
    process.exit(code ?? 1);
  });
  console.log(`Agents Playground as ${who}: ${pg.url} — open it in a browser. Ctrl-C stops it.`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `Start failed: ${(err as Error).message ?? String(err)}`);
  process.exit(1);
});
