/**
 * For choosing the bot's node flags (bot/runtime.ts), not part of `npm run bench`: the compiled
 * bot started with the given flags and environment, 1,000 conversations left mid-dialog, then
 * 1,000 menus and 1,000 routine-A openings at each of 1, 20 and 50 concurrent staff; prints memory
 * (as is and after a forced GC, 3 s after each stage) and throughput / p99; then 200 "a place ends"
 * at 50 concurrent officers, each offer fanned out to the 50 officers. About 90 s.
 *
 *   npm run build && node --require tsx/cjs bench/memoryProbe.ts                 # the production flags
 *   BENCH_PROBE_FLAGS=none node --require tsx/cjs bench/memoryProbe.ts           # node's defaults
 *   BENCH_PROBE_FLAGS="--max-semi-space-size=8" BENCH_PROBE_ENV="MALLOC_ARENA_MAX=2" node --require tsx/cjs bench/memoryProbe.ts
 */
import path from 'node:path';
import { BOT_NODE_FLAGS } from '../bot/runtime';
import { startAzurite } from '../scripts/lib/azurite';
import { freePort } from '../scripts/lib/ports';
import { projectRoot } from '../scripts/lib/projectRoot';
import { azuriteConnectionString } from '../storage/tableClients';
import { BotTurns } from './botTurns';
import { BenchConnector } from './connector';
import { drive } from './driver';
import { StorageProxy } from './storageProxy';
import { addProviderWithQueue, addStaff, forkChild, openWorld } from './world';

const RELEASES = Number(process.env.BENCH_PROBE_RELEASES ?? 200);

async function main(): Promise<void> {
  const azurite = await startAzurite({ port: await freePort(), inMemory: true });
  const proxy = new StorageProxy({ host: '127.0.0.1', port: azurite.port });
  const conn = azuriteConnectionString('127.0.0.1', await proxy.start());
  const connector = new BenchConnector();
  await connector.start();
  const stores = await openWorld(azurite.port, 'bench');
  const idle = Array.from({ length: 1000 }, (_, i) => ({ id: `idle-${i}`, name: `Person ${i}` }));
  const officers = Array.from({ length: 50 }, (_, i) => ({ id: `wgo-${i}`, name: `H ${i}` }));
  await addStaff(stores, [...idle.map((p) => ({ ...p, roles: [{ role: 'socialWorker' as const, unit: 'sf-hisingen' as const }] })), ...officers.map((p) => ({ ...p, roles: [{ role: 'workGuidanceOfficer' as const, unit: 'ffs' as const }] }))]);
  const env: Record<string, string> = { BENCH_TABLES: conn, BENCH_PREFIX: 'bench' };
  for (const kv of (process.env.BENCH_PROBE_ENV ?? '').split(' ').filter(Boolean)) { const [k, v] = kv.split('='); env[k!] = v!; }
  const asked = process.env.BENCH_PROBE_FLAGS;
  const flags = ['--expose-gc', ...(asked === undefined ? BOT_NODE_FLAGS : asked.split(' ').filter((f) => f && f !== 'none'))];
  console.log('node', flags.join(' '), Object.keys(env).filter((k) => !k.startsWith('BENCH_')).map((k) => `${k}=${env[k]}`).join(' '));
  const bot = await forkChild(path.join(projectRoot(), 'dist', 'scripts', 'benchBot.js'), flags, env);
  const b = new BotTurns(bot.url, connector, (id) => bot.turnEnded(id));
  const mem = async (label: string) => {
        const m = (await bot.ask<{ memory: { asIs: Record<string, number>; idle: Record<string, number>; afterGc: Record<string, number>; settled: Record<string, number> } }>('memory')).memory;
    console.log(label.padEnd(22), ...(['asIs', 'idle', 'afterGc', 'settled'] as const).map((k) => `${k} ${m[k].rss}/${m[k].heapTotal}/${m[k].heapUsed}`), '(rss/heapTotal/heapUsed MB)');
  };
  await mem('start');
  const r1 = await drive(1000, 20, (i) => b.openA(idle[i]!));
  await mem(`1000 open (${r1.results.filter((r) => r.error).length} err)`);
  let errs = 0;
  const speed: string[] = [];
  for (const c of [1, 20, 50]) {
    for (const [k, t] of [['menu', b.menu.bind(b)], ['openA', b.openA.bind(b)]] as const) {
      const r = await drive(1000, c, (_, w) => t(officers[w]!));
      errs += r.results.filter((x) => x.error).length;
      const ms = r.results.map((x) => x.ms).sort((x, y) => x - y);
      speed.push(`${k}@${c} ${Math.round(1000 / r.seconds)}/s p99 ${Math.round(ms[989]!)}`);
    }
  }
  console.log(speed.join(' | '));
  await mem(`after 6000 turns (${errs} err)`);
  // A place ends, 50 at once: each offer fans out to all 50 officers (the connector's sockets).
  const pids = Array.from({ length: RELEASES }, (_, i) => `probe-rel-${i}`);
  await drive(pids.length, 8, async (i) => { await addProviderWithQueue(stores, { providerId: pids[i]!, name: `Släpp ${i}`, kind: 'municipal', places: 1, occupied: 1, responsibleUnit: 'ffs' }, 1, 1); return { ms: 0 }; });
  const r2 = await drive(pids.length, 50, async (i, w) => { await b.prepareRelease(officers[w]!); return b.release(officers[w]!, pids[i]!, `Släpp ${i}`); });
  await mem(`after ${RELEASES} releases at 50 (${r2.results.filter((x) => x.error).length} err)`);
  const exited = new Promise((r) => bot.process.once('exit', r));
  bot.process.send('stop');
  await exited;
  await connector.stop();
  await proxy.stop();
  await azurite.stop();
}
main().catch((e: unknown) => { console.error(e); process.exit(1); });
