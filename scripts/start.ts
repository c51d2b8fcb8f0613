import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../bot/config';
import { portsInUse, startConfig, startLocalStack, type LocalStack } from './lib/localStack';
import { projectRoot } from './lib/projectRoot';

/**
 * `npm start`. Locally (no table storage configured): starts Azurite with its data in
 * LOCAL_DATA_DIR, seeds demo data into empty storage, serves the bot on loopback without
 * authentication and starts the Agents Playground pointed at it. With storage configured (Azure),
 * runs only the bot. Ctrl-C stops everything it started. The pieces live in lib/localStack.ts
 * (the browser test starts the same stack).
 */
async function main(): Promise<void> {
  const envFile = path.join(projectRoot(), '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = startConfig(process.env);

  const taken = await portsInUse(config);
  if (taken.length > 0) fail(taken[0]!);

  let stack: LocalStack | undefined;
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    // While still starting, the stack is stopped as soon as it is up (below).
    if (stack) void stack.stop().then(() => process.exit(0));
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
  console.error(err instanceof ConfigError ? err.message : `Start failed: ${(err as Error).message ?? String(err)}`);
  process.exit(1);
});
