import { createApp } from '../bot/app';
import { ConfigError, entryPointProblems, loadConfig, startupFailureText, usesLocalStorage } from '../bot/config';

/**
 * `npm run sweep`: one reminder sweep, then exit — for a scheduler such as an Azure Functions
 * timer or a Container Apps job, when SWEEP_INTERVAL_SECONDS=0 in the bot. Safe to run while
 * bot instances also sweep: reminders are claimed with ETags.
 *
 * Like the bot's entry points, a misconfiguration or a start-up failure (storage that does not
 * answer, a refused credential) is one line on stderr naming the variable and what to do (the
 * stack trace only with LOG_LEVEL=debug), and exit code 1.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (usesLocalStorage(config)) throw new ConfigError(['TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL must be set: the one-shot sweep works on existing storage (locally, `npm start` sweeps by itself)']);
  // With storage set, what remains of the Azure entry point's rules: an app id needs LOG_PSEUDONYM_KEY.
  const problems = entryPointProblems(config, 'azure');
  if (problems.length) throw new ConfigError(problems);
  const app = await createApp({ config });
  const now = new Date();
  const report = await app.sweep.run(now);
  const outboxSteps = await app.relayPending(now);
  const retention = await app.retention(now);
  console.log(JSON.stringify({ event: 'sweep.done', ...report, outboxSteps, retention }));
}

main().catch((err: unknown) => {
  console.error(startupFailureText(err, process.env));
  process.exit(1);
});
