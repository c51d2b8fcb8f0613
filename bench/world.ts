import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { openTask } from '../dialogs/tasks/taskActions';
import type { Provider } from '../routines/a-waiting-list/rules';
import type { StaffMember } from '../routines/shared/organisation';
import { createStores, type Stores } from '../storage';
import { DEMO_STAFF, seedDemoData } from '../storage/demoData';
import { azuriteConnectionString, TableClientFactory, type RequestCounter } from '../storage/tableClients';
import { entryIdFor } from '../storage/waitingList';
import { mapBounded } from '../storage/parallel';
import { stopChild } from '../scripts/lib/processes';
import type { Person } from '../test/helpers/activities';

export const demo = (name: string): Person => {
  const p = DEMO_STAFF.find((s) => s.name === name);
  if (!p) throw new Error(`no demo person ${name}`);
  return { id: p.id, name: p.name };
};

/** The benchmark's own view of one set of tables (straight to Azurite, not through the counting proxy). */
export async function openWorld(azuritePort: number, prefix: string, counter?: RequestCounter): Promise<Stores> {
  const stores = createStores(new TableClientFactory({ connectionString: azuriteConnectionString('127.0.0.1', azuritePort), prefix, ...(counter ? { counter } : {}) }));
  await stores.ensureTables();
  await seedDemoData(stores);
  return stores;
}

/** Staff written in bulk through the directory (person rows with their role index rows, 100 rows per transaction). */
export async function addStaff(stores: Stores, members: StaffMember[]): Promise<void> {
  await stores.staff.createMany(members, 8);
}

/** A provider with `waiting` people in its queue (entries written in bulk, cases for the first `withCases`). */
export async function addProviderWithQueue(stores: Stores, p: Omit<Provider, 'waiting' | 'nextSeq' | 'openOffer'>, waiting: number, withCases = 0): Promise<void> {
  await stores.waitingList.addProvider({ ...p, waiting, nextSeq: waiting + 1, openOffer: null } as Provider);
  for (let i = 0; i < withCases; i++) {
    await stores.cases.add({ caseId: `c-${p.providerId}-${i + 1}`, routine: 'A', reference: `Q-${p.providerId}-${i + 1}`.slice(0, 40), initials: 'QX', protectedIdentity: false, owningUnit: 'ffs', createdBy: 'bench', createdAt: new Date().toISOString() });
  }
  await bounded(Math.ceil(waiting / 100), 8, async (b) => {
    const n = Math.min(100, waiting - b * 100);
    await stores.waitingList.table.transact(
      `q|${p.providerId}`,
      Array.from({ length: n }, (_, j) => {
        const seq = b * 100 + j + 1;
        const entryId = entryIdFor('2026-01-01', seq);
        return { op: 'create' as const, rowKey: `e|${entryId}`, value: { kind: 'entry' as const, entryId, providerId: p.providerId, caseId: `c-${p.providerId}-${seq}`, requestDate: '2026-01-01', seq, state: 'waiting' as const, consentId: 'k', registeredBy: 'bench', registeredAt: new Date().toISOString() } };
      }),
    );
  });
}

/**
 * A coordinated plan awaiting FFS's approval, as the bot leaves it after a submit: approval cards
 * sent to the given viewers (their ids kept, so an approval replaces them).
 */
export async function addPlanAwaitingApproval(stores: Stores, viewers: Person[]): Promise<string> {
  const spId = randomUUID();
  const sofia = demo('Sofia Sandberg');
  await stores.plans.add({
    spId, caseId: null, mode: 'consultation', initiatorId: sofia.id, initiatorName: sofia.name, initiatingAdministration: 'sf-nordost', others: ['ffs'],
    acuteConcern: false, concernReported: false, purpose: 'p', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false,
    invitations: [{ administration: 'ffs' }], state: 'awaitingApproval', createdAt: new Date().toISOString(),
    versions: [{ version: 1, submittedAt: new Date().toISOString(), decisions: [], content: { participants: 'p', background: 'b', needs: 'n', responsibilities: 'r', followUpDate: '2027-01-15', individualParticipation: 'i' } }],
    cards: viewers.map((v, i) => ({ personId: v.id, activityId: `approval-card-${spId}-${i}`, kind: 'approve:ffs', version: 1 })),
  } as never);
  return spId;
}

/** FFS's open approval task of a plan (what the submit opens). */
export async function openApprovalTask(stores: Stores, spId: string): Promise<void> {
  await openTask(stores, { taskId: `d-approve-${spId}-1-ffs`, caseId: `sp:${spId}`, routine: 'D', step: 'd.approve', unit: 'ffs', assignee: { kind: 'role', role: 'supervisor', unit: 'ffs' }, dueDate: '2027-01-10', binding: true, label: 'SP', context: { spId } }, new Date());
}

/** Runs `count` jobs, at most `width` at once (the product's own bounded map, over indexes). */
export async function bounded(count: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  await mapBounded(Array.from({ length: count }, (_, i) => i), width, job);
}

export interface Child {
  url: string;
  process: ChildProcess;
  ask<T>(msg: string): Promise<T>;
  /** Resolves when the bot's turn with this correlation id has ended (its effects carried out). */
  turnEnded(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** Forks a bench process (the compiled bot, or a floor) and waits for its { url }. */
export async function forkChild(script: string, execArgv: string[], env: Record<string, string>): Promise<Child> {
  const child = fork(script, [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Turns that ended, and those waited for: a bot reports each turn's end ({ turnEnded }), other
  // messages answer an ask, in order.
  const ended = new Set<string>();
  const waiting = new Map<string, () => void>();
  const answers: Array<(m: unknown) => void> = [];
  child.on('message', (m) => {
    const id = (m as { turnEnded?: unknown }).turnEnded;
    if (typeof id === 'string') {
      const w = waiting.get(id);
      if (w) {
        waiting.delete(id);
        w();
      } else {
        ended.add(id);
        if (ended.size > 10_000) ended.delete(ended.values().next().value as string);
      }
      return;
    }
    answers.shift()?.(m);
  });
  const first = <T>() => new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${path.basename(script)} exited (${code})`));
    child.once('exit', onExit);
    answers.push((m) => {
      child.off('exit', onExit);
      resolve(m as T);
    });
  });
  const { url } = await first<{ url: string }>();
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`  ${path.basename(script)} (${env.BENCH_PREFIX ?? env.BENCH_FLOOR ?? ''}) exited unexpectedly: code ${code}, signal ${signal}`);
  });
  let stopping = false;
  return {
    url,
    process: child,
    ask: <T>(msg: string) => {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${path.basename(script)} is gone (exit ${child.exitCode}, signal ${child.signalCode})`));
      const p = first<T>();
      child.send(msg);
      return p;
    },
    turnEnded: (id: string) =>
      ended.delete(id)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.set(id, resolve)),
    stop: async () => {
      stopping = true;
      await stopChild(child);
    },
  };
}
