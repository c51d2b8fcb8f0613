import { listenFailure, loadStartupConfig, startupFailureText } from './config';
import { heapLimitMb } from './runtime';
import { startTelemetry, stopTelemetry } from './telemetry';
import type * as AppModule from './app';

/**
 * Entry point for Azure (or any host with storage configured): reads the environment once, starts
 * Application Insights when configured (first, so it sees the modules it instruments load), then
 * builds the app and serves it. Local development uses `npm start` (scripts/start.ts), which also
 * starts Azurite and the Agents Playground. Started with the flags in runtime.ts (BOT_START_COMMAND).
 *
 * A start-up failure is one line on stderr naming the variable and what to do (the stack trace
 * only with LOG_LEVEL=debug), and exit code 1.
 */
async function main(): Promise<void> {
  const config = loadStartupConfig(process.env, 'azure');
  const telemetry = startTelemetry(config);
  // Required after telemetry started: restify, the Azure SDK and the Bot Framework load from here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createApp } = require('./app') as typeof AppModule;
  const app = await createApp({ config });
  const url = await app.listen().catch((err: unknown) => {
    throw listenFailure(err, config) ?? err;
  });
  app.startSweeping(config.SWEEP_INTERVAL_SECONDS);
  app.log.info({ event: 'startup.listening', url, heapLimitMb: heapLimitMb(), telemetry: telemetry.mode }, 'bot listening');
  const stop = () => void app.close().then(stopTelemetry).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(startupFailureText(err, process.env));
  process.exit(1);
});
