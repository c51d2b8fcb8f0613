import { createApp, type App } from '../../bot/app';
import { listenFailure, usesLocalStorage, type Config } from '../../bot/config';
import { storageTarget } from '../../bot/server';
import { seedDemoData } from '../../storage/demoData';
import { startAzurite, type LocalAzurite } from './azurite';
import { startPlayground, type Playground } from './playground';
import { isPlaygroundMode, playgroundDataDir } from './startConfig';

export { isPlaygroundMode, playgroundDataDir, portsInUse, startConfig } from './startConfig';

/**
 * What `npm start` runs, as reusable pieces: the configuration of local mode and the port check
 * (startConfig.ts, re-exported here), and the stack itself (Azurite + demo data + the bot + the
 * Agents Playground). `scripts/start.ts` and the browser test (`npm run test:e2e`) both start it
 * through here.
 */

export interface LocalStackOptions {
  /** Azurite keeps its data in memory (tests) instead of LOCAL_DATA_DIR. */
  azuriteInMemory?: boolean;
  /** Fail when the Playground does not come up (otherwise the bot keeps running without it). */
  requirePlayground?: boolean;
  /** Progress lines for a person (npm start prints them). */
  say?: (line: string) => void;
}

export interface LocalStack {
  app: App;
  /** http://host:port of the bot (its /api/messages and /healthz). */
  botUrl: string;
  /** The Agents Playground (its web UI at `url`), when it was started and came up. */
  playground?: Playground;
  /** Stops everything that was started, in reverse order. */
  stop(): Promise<void>;
}

/** Starts the stack `config` asks for; on a failure, stops what had already started and throws. */
export async function startLocalStack(config: Config, opts: LocalStackOptions = {}): Promise<LocalStack> {
  const say = opts.say ?? (() => undefined);
  const local = usesLocalStorage(config);
  const started: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of started.splice(0).reverse()) await s();
  };
  try {
    let azurite: LocalAzurite | undefined;
    if (local) {
      azurite = await startAzurite({ port: config.AZURITE_PORT, location: config.LOCAL_DATA_DIR, inMemory: opts.azuriteInMemory });
      started.push(() => azurite!.stop());
      say(`Azurite (table storage) on 127.0.0.1:${config.AZURITE_PORT}, ${opts.azuriteInMemory ? 'data in memory' : `data in ${config.LOCAL_DATA_DIR}`}`);
    } else {
      say(`Table storage: ${storageTarget(config)} (configured, so no local Azurite and no demo data)`);
    }
    const app = await createApp({ config, connectionString: azurite?.connectionString });
    if (local && config.SEED_DEMO_DATA === 'auto' && (await seedDemoData(app.stores))) say('Seeded the demo staff directory (see .m365agentsplayground.yml).');
    started.push(() => app.close());
    const botUrl = await app.listen().catch((err: unknown) => {
      throw listenFailure(err, config) ?? err;
    });
    app.startSweeping(config.SWEEP_INTERVAL_SECONDS);
    say(`Bot listening on ${botUrl}/api/messages (health: ${botUrl}/healthz)${config.MicrosoftAppId ? '' : ' — local mode, no Bot Framework authentication'}`);
    let playground: Playground | undefined;
    if (isPlaygroundMode(config)) {
      const pg = startPlayground({ botUrl, port: config.PLAYGROUND_PORT, as: config.PLAYGROUND_AS, dataDir: playgroundDataDir(config) });
      started.push(() => pg.stop());
      try {
        await pg.ready();
      } catch (err) {
        if (opts.requirePlayground) throw err;
        say(`${(err as Error).message}\nThe bot keeps running.`);
        return { app, botUrl, stop };
      }
      pg.child.once('exit', (code, signal) => {
        if (signal === null && code !== 0) say(`The Agents Playground exited (code ${code}); the bot keeps running.\n${pg.output().trim()}`);
      });
      playground = pg;
      say(`Agents Playground: ${pg.url} — open it in a browser to chat as ${config.PLAYGROUND_AS || 'Bertil Berg (work guidance officer)'}.`);
    }
    return { app, botUrl, playground, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
