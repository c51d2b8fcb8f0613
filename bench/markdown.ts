import { readFileSync } from 'node:fs';
import type { KindStats } from './driver';
import { ratios } from './report';

/**
 * The tables of docs/performance.md from a results JSON: `npm run bench` writes them beside the JSON
 * (`bench/results/<date>.md`); `node --require tsx/cjs bench/markdown.ts <results.json>` prints them.
 */
type Mem = Record<string, number>;
type MemPoint = { asIs: Mem; idle?: Mem; afterGc: Mem; settled?: Mem; heapLimitMb?: number };
type CityTurn = { ms: number; storage: number; storageBeforeReply: number; connectorCalls: number };

const n = (x: number) => (x >= 1000 ? Math.round(x).toLocaleString('en-US') : x >= 100 ? String(Math.round(x)) : x >= 10 ? String(Math.round(x * 10) / 10) : String(Math.round(x * 100) / 100));
const cells = (rows: KindStats[], f: (t: KindStats) => string, sep = ' / ') => rows.map(f).join(sep);

export function markdownTables(results: Record<string, unknown>): string {
  const out: string[] = [];
  const turns = (results.turns as KindStats[]).filter((t) => !t.kind.startsWith('memory'));
  const rs = ratios(turns);
  const kinds = [...new Set(turns.map((t) => t.kind))];
  out.push('| turn | c | turns | turns/s | p50 | p99 | tput × echo ; × stateful | p99 × echo ; × stateful | storage req./turn median/max per c | connector calls/turn | errors |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const kind of kinds) {
    const rows = turns.filter((t) => t.kind === kind);
    const rr = rows.map((t) => rs.find((r) => r.kind === t.kind && r.concurrency === t.concurrency));
    const floor = kind.endsWith('floor');
    const timed = rows[0]!.throughputBasis === 'timed' ? '*' : '';
    const count = [...new Set(rows.map((t) => t.turns))];
    const storage = floor ? (kind.startsWith('stateful') ? '2 (by construction)' : '0') : cells(rows, (t) => (t.storage ? `${t.storage.all.median}/${t.storage.all.max}` : '–'), ' · ');
    out.push(`| ${kind}${timed} | ${rows.map((t) => t.concurrency).join(' / ')} | ${count.length === 1 ? `${n(count[0]!)} each` : count.map(n).join(' / ')} | ${cells(rows, (t) => n(t.turnsPerSecond))} | ${cells(rows, (t) => n(t.p50))} | ${cells(rows, (t) => n(t.p99))} | ${floor ? '—' : `${rr.map((r) => r?.throughputVsEcho).join(' / ')} ; ${rr.map((r) => r?.throughputVsStateful).join(' / ')}`} | ${floor ? '—' : `${rr.map((r) => r?.p99VsEcho).join(' / ')} ; ${rr.map((r) => r?.p99VsStateful).join(' / ')}`} | ${storage} | ${cells(rows, (t) => (t.connector ? n(t.connector.perTurnAverage) : '–'))} | ${rows.reduce((s, t) => s + t.errors, 0)} |`);
  }
  const city = results.citySize as { scenarios: Record<string, { turns: Record<string, CityTurn> }> } | undefined;
  if (city) {
    const names = Object.keys(city.scenarios);
    out.push('', `| turn (storage requests before the reply; ms) | ${names.join(' | ')} |`, `|---|${names.map(() => '---|').join('')}`);
    for (const k of Object.keys(city.scenarios[names[0]!]!.turns)) out.push(`| ${k} | ${names.map((s) => { const v = city.scenarios[s]!.turns[k]!; return `${v.storageBeforeReply} (${n(v.ms)} ms)`; }).join(' | ')} |`);
  }
  const q = results.queueScaling as { bySize: Record<string, Record<string, { ms: number; storage: number }>> } | undefined;
  if (q) {
    const cols = Object.keys(Object.values(q.bySize)[0]!);
    out.push('', `| n waiting | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---|').join('')}`);
    for (const [size, v] of Object.entries(q.bySize)) out.push(`| ${n(Number(size))} | ${cols.map((c) => `${n(v[c]!.ms)} ms / ${v[c]!.storage}`).join(' | ')} |`);
  }
  const m = results.memory as Record<string, MemPoint | unknown> | undefined;
  if (m) {
    // Older results have no idle/settled readings.
    const readings = ['asIs', 'idle', 'afterGc', 'settled'] as const;
    const readingLabel = { asIs: 'as is', idle: 'after 10 s idle', afterGc: 'after a forced GC', settled: '2 s after it' };
    const first = Object.values(m).find((v): v is MemPoint => typeof v === 'object' && v !== null && 'asIs' in v);
    const shown = readings.filter((r) => first?.[r]);
    out.push('', `| when (MB: ${shown.map((r) => readingLabel[r]).join(' / ')}) | rss | heapTotal | heapUsed | external | arrayBuffers |`, '|---|---|---|---|---|---|');
    const label: Record<string, string> = { atStart: 'at start', afterConversations: `after ${m.conversationsLeftMidDialog ?? ''} conversations left mid-dialog`, afterLoad: 'after the whole load run' };
    for (const k of ['atStart', 'afterConversations', 'afterLoad']) {
      const v = m[k] as MemPoint | undefined;
      if (v) out.push(`| ${label[k]} | ${['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'].map((f) => shown.map((r) => v[r]![f]).join(' / ')).join(' | ')} |`);
    }
  }
  const cards = results.cardExpansionMs as Record<string, number> | undefined;
  if (cards) out.push('', `| card expanded | ${Object.keys(cards).join(' | ')} |`, `|---|${Object.keys(cards).map(() => '---|').join('')}`, `| ms per card | ${Object.values(cards).join(' | ')} |`);
  return out.join('\n') + '\n';
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: bench/markdown.ts <results.json>');
  process.stdout.write(markdownTables(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>));
}
