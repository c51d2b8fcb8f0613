import { existsSync } from 'node:fs';
import path from 'node:path';
import { startupFailureText } from '../bot/config';
import { startTelemetry, stopTelemetry } from '../bot/telemetry';
import type * as LocalStackModule from './lib/localStack';
import { portsInUse, startConfig } from './lib/startConfig';
import { projectRoot } from './lib/projectRoot';

/**
 * `npm start`. Locally (no table storage configured, no MicrosoftAppId): starts Azurite with its
 * data in LOCAL_DATA_DIR, seeds demo data into empty storage, serves the bot on loopback without
 * authentication and starts the Agents Playground pointed at it. With storage configured, runs
 * only the bot, against that storage, and says so. With MicrosoftAppId set but no storage it
 * refuses (one line): a bot Teams talks to never keeps its cases in a local Azurite by surprise.
 * Ctrl-C stops everything it started. The pieces live in lib/ (the browser test starts the same
 * stack). A start-up failure is one line on stderr (the stack trace only with LOG_LEVEL=debug).
 */
async function main(): Promise<void> {
  const envFile = path.join(projectRoot(), '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = startConfig(process.env);

  const taken = await portsInUse(config);
  if (taken.length > 0) fail(taken[0]!);

  // Application Insights when configured, before the modules it instruments are loaded (below).
  const telemetry = startTelemetry(config);
  if (telemetry.mode !== 'off') console.log('Application Insights: traces, dependencies and logs are exported (APPLICATIONINSIGHTS_CONNECTION_STRING)');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startLocalStack } = require('./lib/localStack') as typeof LocalStackModule;

  let stack: LocalStackModule.LocalStack | undefined;
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    // While still starting, the stack is stopped as soon as it is up (below).
    if (stack) void stack.stop().then(stopTelemetry).then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  stack = await startLocalStack(config, { say: (line) => console.log(line) });
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  console.log('Press Ctrl-C to stop.');
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((err: unknown) => {
  console.error(startupFailureText(err, process.env));
  process.exit(1);
});
