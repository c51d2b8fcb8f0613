import { refuse, type Decision } from '../routines/shared/refusal';
import type { Stored } from '../storage/entityTable';
import { StorageConflictError } from '../storage/errors';

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
  attempts = 10,
): Promise<Decision<R>> {
  for (let i = 0; i < attempts; i++) {
    const s = await load();
    if (!s) return refuse('notFound');
    const d = change(s.value);
    if (!d.ok) return d;
    try {
      await save(valueOf(d.value), s.etag);
      return d;
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }
  return refuse('alreadyDone', { by: '', at: '' });
}
