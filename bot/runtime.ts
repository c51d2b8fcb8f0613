import { getHeapStatistics } from 'node:v8';

/**
 * How the bot's process is started in production. The heap budget keeps the process small: the
 * bot's live heap is about 52 MB (modules ~46 MB, plus ~6 KB per open dialog, whose state is in
 * table storage), but V8 by default lets a heap grow to several times its live size before
 * collecting, and the bot settled at 250–420 MB RSS under load. With the old generation capped at
 * 192 MB (3.7× the live heap) it stays near 175 MB RSS after 1,000 open dialogs and the full load,
 * at 5–15 % less throughput under 20–50 concurrent turns (`npm run bench`, README "Performance").
 * `--optimize-for-size` was smaller still (~125 MB) but halved throughput.
 *
 * One place: infra/main.bicep's start command, docs/deploy.md and the benchmark's bot process use
 * this (test/deployDocs.test.ts checks the first two).
 */
export const BOT_NODE_FLAGS: readonly string[] = ['--max-old-space-size=192'];
export const BOT_START_COMMAND = `node ${BOT_NODE_FLAGS.join(' ')} dist/bot/index.js`;

/** The heap limit the process runs with, in MB (for the start log: a missing budget shows). */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 1048576);
}
