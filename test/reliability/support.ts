import { TableServiceClient, TableClient } from '@azure/data-tables';
import type { Provider } from '../../routines/a-waiting-list/rules';
import type { Role, StaffMember, UnitId } from '../../routines/shared/organisation';
import type { Stores } from '../../storage';
import type { Person } from '../helpers/activities';
import { testConnectionString } from '../helpers/storage';

/**
 * Shared helpers of the reliability suite: extra staff and providers in a test's own table
 * prefix, raw snapshots of every table of that prefix (so "nothing changed" and "no personal
 * identity number stored" cover tables that later routines add), and journal counts.
 */

/** Adds `count` people holding one role, with ids that cannot clash with the demo directory. */
export async function addStaff(stores: Stores, count: number, role: Role, unit: UnitId | ((i: number) => UnitId), tag: string): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < count; i++) {
    const hex = Buffer.from(tag).toString('hex').slice(0, 8).padEnd(8, '0');
    const member: StaffMember = { id: `${hex}-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, name: `${tag} ${i + 1}`, roles: [{ role, unit: typeof unit === 'function' ? unit(i) : unit }] };
    await stores.staff.save(member, undefined);
    out.push({ id: member.id, name: member.name });
  }
  return out;
}

export async function addProvider(stores: Stores, p: Partial<Provider> & Pick<Provider, 'providerId' | 'places' | 'occupied'>): Promise<Provider> {
  const provider: Provider = { name: `Testutförare ${p.providerId}`, kind: 'private', waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'eku', ...p };
  await stores.waitingList.addProvider(provider);
  return provider;
}

const service = () => TableServiceClient.fromConnectionString(testConnectionString(), { allowInsecureConnection: true });

/** Every row of every table of a prefix, as `table/pk/rk -> data` (etags and timestamps left out). */
export async function snapshotTables(prefix: string, opts: { except?: string[] } = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names: string[] = [];
  for await (const t of service().listTables()) if (t.name?.startsWith(prefix)) names.push(t.name);
  for (const name of names.sort()) {
    const short = name.slice(prefix.length);
    if (opts.except?.includes(short)) continue;
    const client = TableClient.fromConnectionString(testConnectionString(), name, { allowInsecureConnection: true });
    for await (const e of client.listEntities()) {
      const { partitionKey, rowKey, etag: _e, timestamp: _t, ...rest } = e as Record<string, unknown>;
      out.set(`${short}/${String(partitionKey)}/${String(rowKey)}`, JSON.stringify(rest));
    }
  }
  return out;
}

/** Keys whose rows differ between two snapshots (added, removed or changed). */
export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

/** Journal events per step for one case (all of them, not only the newest 50). */
export async function journalSteps(stores: Stores, caseId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const e of await stores.journal.forCase(caseId, 10_000)) counts.set(e.step, (counts.get(e.step) ?? 0) + 1);
  return counts;
}

/** One-line figure of a reliability test (the suite's evidence, read in the CI log). */
export function report(what: string, figures: string): void {
  console.log(`      [reliability] ${what}: ${figures}`);
}

/** Runs `n` async jobs with at most `width` in flight. */
export async function pool<T>(items: readonly T[], width: number, job: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await job(items[i]!, i);
      }
    }),
  );
}
