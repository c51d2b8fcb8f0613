import type { KindStats } from './driver';

const r2 = (n: number) => Math.round(n * 100) / 100;

export interface Ratio {
  kind: string;
  concurrency: number;
  throughputVsEcho: number;
  throughputVsStateful: number;
  p99VsEcho: number;
  p99VsStateful: number;
}

/** Every bot turn as a ratio to both floors at the same concurrency (throughput: higher is better; p99: lower is better). */
export function ratios(turns: KindStats[]): Ratio[] {
  const floor = (mode: string, c: number) => turns.find((t) => t.kind === `${mode} floor` && t.concurrency === c);
  return turns
    .filter((t) => !t.kind.endsWith('floor') && !t.kind.startsWith('memory'))
    .map((t) => {
      const e = floor('echo', t.concurrency);
      const s = floor('stateful', t.concurrency);
      return {
        kind: t.kind,
        concurrency: t.concurrency,
        throughputVsEcho: e ? r2(t.turnsPerSecond / e.turnsPerSecond) : 0,
        throughputVsStateful: s ? r2(t.turnsPerSecond / s.turnsPerSecond) : 0,
        p99VsEcho: e ? r2(t.p99 / e.p99) : 0,
        p99VsStateful: s ? r2(t.p99 / s.p99) : 0,
      };
    });
}

export function printSummary(results: Record<string, unknown>): void {
  const turns = results.turns as KindStats[];
  const rs = ratios(turns);
  console.log(`\nBenchmark (${results.quick ? 'quick' : 'full'}), ${results.seconds} s, Node ${results.node}, load average ${JSON.stringify(results.loadAverageAtStart)} → ${JSON.stringify(results.loadAverageAtEnd)}\n`);
  console.table(
    turns.map((t) => {
      const r = rs.find((x) => x.kind === t.kind && x.concurrency === t.concurrency);
      return {
        turn: t.kind.slice(0, 46),
        c: t.concurrency,
        n: t.turns,
        err: t.errors,
        'turns/s': t.turnsPerSecond + (t.throughputBasis === 'timed' ? '*' : ''),
        p50: t.p50,
        p99: t.p99,
        'tput ×echo/×state': r ? `${r.throughputVsEcho} / ${r.throughputVsStateful}` : '',
        'p99 ×echo/×state': r ? `${r.p99VsEcho} / ${r.p99VsStateful}` : '',
        'storage med/max (before reply)': t.storage ? `${t.storage.all.median}/${t.storage.all.max} (${t.storage.beforeReply.median}/${t.storage.beforeReply.max})` : '',
        'connector/turn': t.connector ? `${t.connector.perTurnAverage}${t.connector.perTurn ? ` (c1 ${t.connector.perTurn.median}/${t.connector.perTurn.max})` : ''}` : '',
      };
    }),
  );
  console.log('* turns/s = concurrency / mean latency (untimed preparation ran between the measured turns)');
  for (const t of turns) if (t.errors) console.log(`errors in ${t.kind} at ${t.concurrency}:`, t.errorKinds);
  console.log('\nMemory of the compiled bot (MB):');
  const m = results.memory as Record<string, unknown> | undefined;
  if (m) {
    const rows: Record<string, unknown> = {};
    for (const k of ['atStart', 'afterConversations', 'afterLoad']) {
      const v = m[k] as Partial<Record<'asIs' | 'idle' | 'afterGc' | 'settled', Record<string, number>>> | undefined;
      if (v) {
        if (v.asIs) rows[`${k} (as is)`] = v.asIs;
        if (v.idle) rows[`${k} (10 s idle)`] = v.idle;
        if (v.afterGc) rows[`${k} (forced gc)`] = v.afterGc;
        if (v.settled) rows[`${k} (2 s after gc)`] = v.settled;
      }
    }
    console.table(rows);
  }
  const city = results.citySize as { scenarios: Record<string, { turns: Record<string, { storage: number; storageBeforeReply: number; ms: number; connectorCalls: number }> }> } | undefined;
  if (city) {
    console.log('\nCity size: storage requests per turn, median of quiet single turns (before the reply), ms:');
    const names = Object.keys(city.scenarios);
    const kinds = Object.keys(city.scenarios[names[0]!]?.turns ?? {});
    console.table(Object.fromEntries(kinds.map((k) => [k, Object.fromEntries(names.map((n) => { const v = city.scenarios[n]!.turns[k]!; return [n, `${v.storage} (${v.storageBeforeReply}), ${v.ms} ms, ${v.connectorCalls} conn`]; }))])));
  }
  const q = results.queueScaling as { bySize: Record<string, Record<string, { ms: number; storage: number }>> } | undefined;
  if (q) {
    console.log('\nQueue scaling (one provider with n waiting): ms / storage requests');
    console.table(Object.fromEntries(Object.entries(q.bySize).map(([n, v]) => [n, Object.fromEntries(Object.entries(v).map(([k, x]) => [k, `${x.ms} ms / ${x.storage}`]))])));
  }
  console.log('\nReminder sweep', results.sweep);
  console.log('\nCard expansion (ms per card, in the bench process)', results.cardExpansionMs);
  console.log(`\nErrors: ${results.errors}`);
}
