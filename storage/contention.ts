import { AsyncLocalStorage } from 'node:async_hooks';
import { StorageConflictError } from './errors';

/**
 * Retries an optimistic operation that lost a race (re-reading inside `attempt`).
 *
 * Under contention (dozens of registrations and releases on one provider at once, on a busy
 * machine) blind retries starve: each round has one winner, and the unluckiest turn can lose every
 * round until its budget is spent — seen as "Något gick fel" for one registration in fifty. So
 * after a first lost race the retries of this process queue in one lane per contended partition
 * (FIFO, one at a time): they no longer race each other, only first attempts and other instances,
 * which the ETag still guards. A lane held by the caller (a retry inside a retry) is not waited for.
 */
export async function withRetries<T>(attempt: () => Promise<T>, tries = 25): Promise<T> {
  let lane: string | undefined;
  for (let i = 1; ; i++) {
    try {
      return lane === undefined ? await attempt() : await inLane(lane, attempt);
    } catch (err) {
      if (!(err instanceof StorageConflictError) || i >= tries) throw err;
      lane ??= laneOf(err);
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** i)));
    }
  }
}

/** The partition a conflict was on: `<table>/<partition>` (the key is `<partition>/<row or (batch)>`). */
export function laneOf(err: StorageConflictError): string {
  const cut = err.key.lastIndexOf('/');
  return `${err.table}/${cut > 0 ? err.key.slice(0, cut) : err.key}`;
}

const lanes = new Map<string, Promise<void>>();
const heldLanes = new AsyncLocalStorage<ReadonlySet<string>>();

/** Runs `fn` when the lane's earlier work is done (in arrival order). */
export async function inLane<T>(lane: string, fn: () => Promise<T>): Promise<T> {
  const held = heldLanes.getStore();
  if (held?.has(lane)) return fn();
  const before = lanes.get(lane) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = before.then(() => mine);
  lanes.set(lane, tail);
  await before;
  try {
    return await heldLanes.run(new Set([...(held ?? []), lane]), fn);
  } finally {
    release();
    if (lanes.get(lane) === tail) lanes.delete(lane);
  }
}
