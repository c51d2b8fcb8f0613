import type { ClaimStore } from './claims';
import type { CoordinatedPlanStore } from './coordinatedPlans';
import type { ReferralStore } from './referrals';
import type { TaskStore } from './tasks';
import type { WaitingListStore } from './waitingList';

/**
 * Index rows that storage written by an older version lacks, written once at startup. Each backfill
 * is idempotent (upserts of the rows the write path would have written) and marked done by a claim
 * row (`backfill` / `<name>`) written after it finished: later starts read the marker only (one
 * point read each). Two instances starting together may both run one; that is harmless.
 */
export async function runBackfills(s: { claims: ClaimStore; waitingList: WaitingListStore; tasks: TaskStore; plans: CoordinatedPlanStore; referrals: ReferralStore }, now: Date): Promise<Record<string, number>> {
  const jobs: Record<string, () => Promise<number>> = {
    // v2: the directory rows carry the provider's name (v1 rows had only the id).
    'providerDirectory-v2': () => s.waitingList.backfillDirectory(),
    'taskIds-v1': () => s.tasks.backfillIds(),
    'planInitiatorIndex-v1': () => s.plans.backfillIndex(),
    'referralIndex-v1': () => s.referrals.backfillIndex(),
  };
  const done: Record<string, number> = {};
  await Promise.all(
    Object.entries(jobs).map(async ([name, job]) => {
      if (await s.claims.get('backfill', name)) return;
      done[name] = await job();
      await s.claims.mark('backfill', name, { byId: 'startup', byName: 'backfill', at: now.toISOString() });
    }),
  );
  return done;
}
