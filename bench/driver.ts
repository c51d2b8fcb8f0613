import type { StorageProxy } from './storageProxy';

/** What one measured turn gave: its latency, the reason it failed (if it did), its ids. */
export interface TurnResult {
  ms: number;
  error?: string;
  /** The turn's correlation id (x-correlation-id), which tags its storage requests. */
  turnId?: string;
  /** performance.now() when the HTTP answer arrived. */
  replyAt?: number;
  /** Connector calls while the turn ran (exact per turn only at concurrency 1). */
  connectorCalls?: number;
}

export interface Spread {
  median: number;
  p95: number;
  max: number;
}

export interface KindStats {
  kind: string;
  concurrency: number;
  turns: number;
  errors: number;
  /** Failures by reason (the first words of each), with how many. */
  errorKinds: Record<string, number>;
  seconds: number;
  turnsPerSecond: number;
  /** 'wall': turns / wall time; 'timed': untimed preparation ran between turns, so concurrency / mean latency. */
  throughputBasis: 'wall' | 'timed';
  p50: number;
  p95: number;
  p99: number;
  maxMs: number;
  /** Table requests on the wire per turn (all, and before the HTTP answer). */
  storage?: { all: Spread; beforeReply: Spread };
  /** Connector calls per turn: the run's total / turns, and (at concurrency 1) per turn. */
  connector?: { perTurnAverage: number; perTurn?: Spread };
}

export function spread(values: number[]): Spread {
  if (values.length === 0) return { median: 0, p95: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  return { median: percentile(s, 0.5), p95: percentile(s, 0.95), max: s[s.length - 1]! };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Runs `count` turns with `concurrency` workers (each worker is one member of staff: worker w
 * always acts as person w, so no two turns of one conversation overlap). A turn that throws is
 * an error too. Returns every result and the wall time.
 */
export async function drive(count: number, concurrency: number, turn: (i: number, worker: number) => Promise<TurnResult>): Promise<{ results: TurnResult[]; seconds: number }> {
  const results: TurnResult[] = new Array(count);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async (_, w) => {
      for (let i = next++; i < count; i = next++) {
        try {
          results[i] = await turn(i, w);
        } catch (err) {
          results[i] = { ms: 0, error: `threw: ${(err as Error).message}` };
        }
      }
    }),
  );
  return { results, seconds: (performance.now() - t0) / 1000 };
}

/** Sums up a run; `stateErrors` are failures found afterwards in storage (e.g. fewer queued than registered). */
export function summarise(kind: string, concurrency: number, run: { results: TurnResult[]; seconds: number }, opts: { proxy?: StorageProxy; connectorCalls?: number; basis?: 'wall' | 'timed'; stateErrors?: string[] } = {}): KindStats {
  const { results, seconds } = run;
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const errorKinds: Record<string, number> = {};
  for (const r of results) if (r.error) errorKinds[r.error.slice(0, 120)] = (errorKinds[r.error.slice(0, 120)] ?? 0) + 1;
  for (const e of opts.stateErrors ?? []) errorKinds[`state: ${e}`] = (errorKinds[`state: ${e}`] ?? 0) + 1;
  const errors = Object.values(errorKinds).reduce((a, b) => a + b, 0);
  const basis = opts.basis ?? 'wall';
  const mean = ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length);
  const stats: KindStats = {
    kind,
    concurrency,
    turns: results.length,
    errors,
    errorKinds,
    seconds: round(seconds),
    turnsPerSecond: round(basis === 'wall' ? results.length / seconds : (concurrency * 1000) / Math.max(0.001, mean)),
    throughputBasis: basis,
    p50: round(percentile(ms, 0.5)),
    p95: round(percentile(ms, 0.95)),
    p99: round(percentile(ms, 0.99)),
    maxMs: round(ms[ms.length - 1] ?? 0),
  };
  if (opts.proxy) {
    const counted = results.filter((r) => r.turnId).map((r) => opts.proxy!.turn(r.turnId!, r.replyAt));
    stats.storage = { all: spread(counted.map((c) => c.total)), beforeReply: spread(counted.map((c) => c.beforeReply)) };
  }
  if (opts.connectorCalls !== undefined) {
    stats.connector = { perTurnAverage: round(opts.connectorCalls / Math.max(1, results.length), 2) };
    if (concurrency === 1) stats.connector.perTurn = spread(results.map((r) => r.connectorCalls ?? 0));
  }
  return stats;
}
