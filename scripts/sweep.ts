import { createApp } from '../bot/app';
import { ConfigError, loadConfig, usesLocalStorage } from '../bot/config';

/**
 * `npm run sweep`: one reminder sweep, then exit — for a scheduler such as an Azure Functions
 * timer or a Container Apps job, when SWEEP_INTERVAL_SECONDS=0 in the bot. Safe to run while
 * bot instances also sweep: reminders are claimed with ETags.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (usesLocalStorage(config)) throw new ConfigError(['TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL must be set: the one-shot sweep works on existing storage (locally, `npm start` sweeps by itself)']);
  const app = await createApp({ config });
  const now = new Date();
  const report = await app.sweep.run(now);
  const outboxSteps = await app.relayPending(now);
  console.log(JSON.stringify({ event: 'sweep.done', ...report, outboxSteps }));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
