import path from 'node:path';
import { loadStartupConfig, usesLocalStorage, type Config } from '../../bot/config';
import { isPortFree } from './ports';
import { projectRoot } from './projectRoot';

/**
 * What `npm start` decides before it starts anything: its configuration (local mode or not), and
 * which of its ports are taken. Light on purpose (no Azure SDK, no Bot Framework): scripts/start.ts
 * reads it before Application Insights starts, and loads the stack (localStack.ts) after.
 */

/** Where the Playground keeps its generated configuration and log: beside LOCAL_DATA_DIR (`.data/playground`). */
export function playgroundDataDir(config: Config): string {
  return path.resolve(projectRoot(), path.dirname(config.LOCAL_DATA_DIR), 'playground');
}

/** True when `npm start` runs everything locally: no storage, no app id, Playground not switched off. */
export function isPlaygroundMode(c: Config): boolean {
  return usesLocalStorage(c) && !c.MicrosoftAppId && c.PLAYGROUND === 'auto';
}

/**
 * The configuration `npm start` uses: the schema, and `npm start`'s own rule (bot/config.ts
 * entryPointProblems): with MicrosoftAppId set it never starts a local Azurite, it refuses. The
 * Agents Playground always sends locale en-US; in local Playground mode the bot answers in Swedish
 * (the product's first language) unless LOCALE_OVERRIDE says otherwise.
 */
export function startConfig(env: Record<string, string | undefined>): Config {
  const config = loadStartupConfig(env, 'npm start');
  return isPlaygroundMode(config) && env.LOCALE_OVERRIDE === undefined ? { ...config, LOCALE_OVERRIDE: 'sv' } : config;
}

/** One line per configured port that is already taken (empty when all are free). */
export async function portsInUse(config: Config): Promise<string[]> {
  const wanted: Array<[number, string, string, string]> = [[config.PORT, config.HOST, 'the bot', 'PORT']];
  if (usesLocalStorage(config)) wanted.push([config.AZURITE_PORT, '127.0.0.1', 'Azurite', 'AZURITE_PORT']);
  if (isPlaygroundMode(config)) wanted.push([config.PLAYGROUND_PORT, '0.0.0.0', 'the Agents Playground', 'PLAYGROUND_PORT']);
  const taken: string[] = [];
  for (const [port, host, what, variable] of wanted) {
    if (port !== 0 && !(await isPortFree(port, host))) taken.push(`${variable} ${port} is already in use, so ${what} cannot start: stop the other program or set ${variable} in .env to a free port`);
  }
  return taken;
}
