/**
 * The bot alone in its own process, for the benchmark's memory figure (so the load generator's
 * memory is not counted). Started with child_process.fork; answers { url } once listening and
 * { rssMb, heapMb } (after a GC) to each 'memory' message.
 */
import { createApp } from '../bot/app';
import { loadConfig } from '../bot/config';
import { createLogger } from '../bot/logger';

async function main(): Promise<void> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TABLE_PREFIX: process.env.BENCH_PREFIX ?? 'benchmem', LOG_LEVEL: 'silent', SWEEP_INTERVAL_SECONDS: '0' });
  const app = await createApp({ config, connectionString: process.env.BENCH_TABLES ?? '', logger: createLogger('silent'), proactiveSpacingMs: 0 });
  const url = await app.listen();
  process.on('message', (m: unknown) => {
    if (m === 'memory') {
      (global as { gc?: () => void }).gc?.();
      const u = process.memoryUsage();
      process.send?.({ rssMb: Math.round(u.rss / 1048576), heapMb: Math.round(u.heapUsed / 1048576) });
    }
    if (m === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send?.({ url });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
