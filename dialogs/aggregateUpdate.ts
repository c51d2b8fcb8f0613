import { refuse, type Decision } from '../routines/shared/refusal';
import type { Stored } from '../storage/entityTable';
import { withRetries } from '../storage/contention';

/**
 * Read, decide, write conditionally on the ETag — and on a lost race read again and decide again
 * (the rule sees what the other writer did, e.g. "already done by …"). Routines B, C and D keep one
 * aggregate row per case and change it only through this loop.
 */
export async function updateAggregate<T, R>(
  load: () => Promise<Stored<T> | undefined>,
  save: (value: T, etag: string) => Promise<void>,
  change: (current: T) => Decision<R>,
  valueOf: (result: R) => T,
  attempts = 25,
): Promise<Decision<R>> {
  // After a lost race the retries of this process wait in the contended partition's lane (see
  // storage/contention.ts), so they do not starve each other. Lost every time: the conflict is
  // thrown (the person is told someone changed it at the same moment) — never "already done".
  return withRetries(async () => {
    const s = await load();
    if (!s) return refuse('notFound');
    const d = change(s.value);
    if (!d.ok) return d;
    await save(valueOf(d.value), s.etag);
    return d;
  }, attempts);
}
