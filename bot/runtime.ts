import { getHeapStatistics } from 'node:v8';

/**
 * How the bot's process is started in production. The heap budget keeps the process small: the
 * bot's live heap is about 52 MB (modules ~46 MB, plus ~6 KB per open dialog, whose state is in
 * table storage), but V8 by default lets a heap grow to several times its live size before
 * collecting, and the bot settled at 250–420 MB RSS under load. The old generation is capped at
 * 192 MB (3.7× the live heap) and each of the young generation's two semi-spaces at 8 MB (node 20's
 * default is 16: 16 MB less committed heap from the start). Measured by bench/memoryProbe.ts after
 * 1,000 open dialogs, 6,000 turns and 200 fan-outs to 50 officers at 50 at once: RSS 186 MB, against
 * 207–212 with the old-generation cap alone and 240–335 with node's defaults; throughput was within
 * the run-to-run noise of these shared machines (`npm run bench`, docs/performance.md).
 * `--optimize-for-size` was smaller still (~125 MB) but halved throughput.
 *
 * The cap is hard: a live heap beyond it ends the process (out of memory) and App Service restarts
 * it. At 3.7× today's live heap that needs a leak, not a busy day.
 *
 * One place: infra/main.bicep's start command, docs/deploy.md and the benchmark's bot process use
 * this (test/deployDocs.test.ts checks the first two).
 */
export const BOT_NODE_FLAGS: readonly string[] = ['--max-old-space-size=192', '--max-semi-space-size=8'];
export const BOT_START_COMMAND = `node ${BOT_NODE_FLAGS.join(' ')} dist/bot/index.js`;

/** The heap limit the process runs with, in MB (for the start log: a missing budget shows). */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 1048576);
}
