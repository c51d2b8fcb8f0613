import { createApp } from '../bot/app';
import { heapLimitMb } from '../bot/runtime';
import { loadConfig } from '../bot/config';
import { createLogger } from '../bot/logger';

/**
 * The bot alone in its own process for `npm run bench`, compiled like the product
 * (`npm run build` → dist/scripts/benchBot.js) and started with plain `node` (no TypeScript
 * loader), so its memory is the compiled bot's. The benchmark forks it with IPC; it answers
 * `{ url }` once listening, `{ turnEnded }` with the correlation id of every turn that ended, and `{ memory }` to each 'memory' message and `{ sweep }` (one reminder sweep) to 'sweep'. Storage comes from
 * BENCH_TABLES (the benchmark's counting proxy in front of Azurite), BENCH_PREFIX the tables.
 */
async function main(): Promise<void> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TABLE_PREFIX: process.env.BENCH_PREFIX ?? 'bench', LOG_LEVEL: 'silent', SWEEP_INTERVAL_SECONDS: '0',
    // The availability page is measured uncached (what each cache miss costs); the cache itself is tested in test/scaling.
    AVAILABILITY_CACHE_SECONDS: '0' });
  const app = await createApp({ config, connectionString: process.env.BENCH_TABLES ?? '', logger: createLogger('silent'), proactiveSpacingMs: 0 });
  const url = await app.listen();
  // A step answers before its effects are done: the benchmark waits for the turn's end by its id.
  app.onTurnEnded((turnEnded) => process.send?.({ turnEnded }));
  process.on('message', (m: unknown) => {
    if (m === 'memory') {
      // As is; after 10 s idle (V8's memory reducer shrinks an idle heap by itself); then right
      // after a forced GC, and 2 s later (freed pages go back to the OS from a background task).
      const asIs = mb(process.memoryUsage());
      setTimeout(() => {
        const idle = mb(process.memoryUsage());
        (global as { gc?: () => void }).gc?.();
        const afterGc = mb(process.memoryUsage());
        setTimeout(() => process.send?.({ memory: { asIs, idle, afterGc, settled: mb(process.memoryUsage()), heapLimitMb: heapLimitMb() } }), 2000);
      }, 10_000);
    }
    if (m === 'sweep') {
      const t0 = performance.now();
      void app.sweep.run(new Date()).then((report) => process.send?.({ sweep: { ...report, ms: Math.round(performance.now() - t0) } }));
    }
    if (m === 'stop') void app.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ url });
}

function mb(u: NodeJS.MemoryUsage): Record<string, number> {
  const r = (n: number) => Math.round((n / 1048576) * 10) / 10;
  return { rss: r(u.rss), heapTotal: r(u.heapTotal), heapUsed: r(u.heapUsed), external: r(u.external), arrayBuffers: r(u.arrayBuffers) };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
