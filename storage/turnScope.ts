import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one turn has done to storage so far, followed through its async calls: how many writes
 * may have reached storage, and which claims were taken that stand for an effect still to come.
 * When the turn then fails on storage before any further write, those claims stand for nothing
 * (see ClaimStore.abandonUnfollowed), so the same card works again once storage is back.
 */
export interface TurnScope {
  /** The turn's correlation id (tagged on each storage request, see tableClients.ts). */
  turnId?: string;
  writes: number;
  claims: Array<{ scope: string; id: string; at: string; byId: string; writesAtClaim: number }>;
}

const current = new AsyncLocalStorage<TurnScope>();

export function withTurnScope<T>(fn: () => Promise<T>, turnId?: string): Promise<T> {
  return current.run({ writes: 0, claims: [], ...(turnId ? { turnId } : {}) }, fn);
}

export function turnScope(): TurnScope | undefined {
  return current.getStore();
}

/** Counts a write that reached (or may have reached) storage. */
export function noteWrite(): void {
  const s = current.getStore();
  if (s) s.writes++;
}
