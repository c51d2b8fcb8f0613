import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { heapLimitMb } from './runtime';

/**
 * Entry point for Azure (or any host with storage configured): reads the environment once,
 * builds the app and serves it. Local development uses `npm start` (scripts/start.ts), which also
 * starts Azurite and the Agents Playground. Started with the flags in runtime.ts (BOT_START_COMMAND).
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp({ config });
  const url = await app.listen();
  app.startSweeping(config.SWEEP_INTERVAL_SECONDS);
  app.log.info({ url, heapLimitMb: heapLimitMb() }, 'bot listening');
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
