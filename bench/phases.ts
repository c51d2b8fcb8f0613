import { openTask } from '../dialogs/tasks/taskActions';
import type { StaffMember } from '../routines/shared/organisation';
import { planReminders, type Task } from '../routines/shared/tasks';
import { addCalendarDays, toIsoDate } from '../routines/shared/workingDays';
import { RequestCounter } from '../storage/tableClients';
import { entryIdFor } from '../storage/waitingList';
import type { Person } from '../test/helpers/activities';
import { BotTurns } from './botTurns';
import { spread, type TurnResult } from './driver';
import { request } from './http';
import type { BenchContext } from './run';
import { addPlanAwaitingApproval, addProviderWithQueue, addStaff, demo, forkChild, openApprovalTask, openWorld } from './world';

const SAMPLES = 5;

interface Sampled {
  ms: number;
  storage: number;
  storageBeforeReply: number;
  connectorCalls: number;
  errors: string[];
}

/** The median of `SAMPLES` turns on a quiet bot (one at a time): ms, storage requests, connector calls. */
async function sample(ctx: BenchContext, one: (k: number) => Promise<TurnResult>): Promise<Sampled> {
  const got: Array<{ r: TurnResult; storage: { total: number; beforeReply: number } }> = [];
  const errors: string[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const r = await one(k);
    await new Promise((res) => setTimeout(res, 30)); // anything the turn does after its answer
    if (r.error) errors.push(r.error);
    got.push({ r, storage: r.turnId ? ctx.proxy.turn(r.turnId, r.replyAt) : { total: 0, beforeReply: 0 } });
  }
  return {
    ms: Math.round(spread(got.map((g) => g.r.ms)).median * 10) / 10,
    storage: spread(got.map((g) => g.storage.total)).median,
    storageBeforeReply: spread(got.map((g) => g.storage.beforeReply)).median,
    connectorCalls: spread(got.map((g) => g.r.connectorCalls ?? 0)).median,
    errors,
  };
}

/**
 * The same turns in three cities of their own (fresh tables each, a quiet bot, one turn at a
 * time): the demo directory (about 25 staff) with no other queue; the same with 10,000 people
 * waiting at another provider; the same with 5,000 more staff in other units and roles.
 */
export async function measureCitySize(ctx: BenchContext): Promise<Record<string, unknown>> {
  const scenarios = [
    { name: 'demo city (~25 staff)', staff: 0, otherQueue: 0 },
    { name: '+10,000 queue entries at another provider', staff: 0, otherQueue: 10_000 },
    { name: '+5,000 staff in other units/roles', staff: 5_000, otherQueue: 0 },
  ];
  const out: Record<string, unknown> = {};
  let errors = 0;
  for (const [si, sc] of scenarios.entries()) {
    const prefix = `city${si}`;
    const stores = await openWorld(ctx.azuritePort, prefix);
    const wgo: Person = { id: 'city-wgo', name: 'Handläggare Stad' };
    const sup: Person = { id: 'city-sup', name: 'Chef Stad' };
    const sw: Person[] = Array.from({ length: SAMPLES }, (_, i) => ({ id: `city-sw-${i}`, name: `Socialsekreterare ${i}` }));
    const contact: Person = { id: 'city-contact', name: 'Kontakt Stad' };
    await addStaff(stores, [
      { ...wgo, roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
      { ...sup, roles: [{ role: 'supervisor', unit: 'ffs' }] },
      ...sw.map((p) => ({ ...p, roles: [{ role: 'socialWorker' as const, unit: 'sf-centrum' as const }] })),
      { ...contact, roles: [{ role: 'providerContact', unit: 'provider:city-p' }] },
    ]);
    await stores.waitingList.addProvider({ providerId: 'city-p', name: 'Stadens verksamhet', kind: 'private', places: 2, occupied: 2, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'eku' });
    if (sc.otherQueue) await addProviderWithQueue(stores, { providerId: 'city-other', name: 'Annan verksamhet', kind: 'private', places: 5, occupied: 5, responsibleUnit: 'eku' }, sc.otherQueue);
    if (sc.staff) {
      const kinds: Array<StaffMember['roles'][number]> = [
        { role: 'socialWorker', unit: 'sf-hisingen' },
        { role: 'socialWorker', unit: 'sf-nordost' },
        { role: 'careNeedsAssessor', unit: 'avo' },
        { role: 'employmentConsultant', unit: 'kc' },
        { role: 'supervisor', unit: 'sf-centrum' },
      ];
      await addStaff(stores, Array.from({ length: sc.staff }, (_, i) => ({ id: `city-extra-${i}`, name: `Extra ${i}`, roles: [kinds[i % kinds.length]!] })));
    }
    const releasePids = Array.from({ length: SAMPLES }, (_, k) => `city-rel-${k}`);
    for (const pid of releasePids) await addProviderWithQueue(stores, { providerId: pid, name: `Släpp ${pid}`, kind: 'municipal', places: 1, occupied: 1, responsibleUnit: 'ffs' }, 1, 1);
    const plans: string[] = [];
    for (let k = 0; k < SAMPLES; k++) plans.push(await addPlanAwaitingApproval(stores, [demo('Tomas Tell')]));

    const bot = await forkChild(ctx.botScript, [], { BENCH_TABLES: ctx.proxyConnection, BENCH_PREFIX: prefix });
    try {
      const b = new BotTurns(bot.url, ctx.connector, (id) => bot.turnEnded(id));
      for (const p of [wgo, sup, ...sw, contact, ...['Bertil Berg', 'Cecilia Carlsson', 'Tomas Tell', 'Sofia Sandberg'].map(demo)]) await b.hello(p);
      const turns: Record<string, Sampled> = {};
      turns['menu message'] = await sample(ctx, () => b.menu(wgo));
      turns['A: open routine A'] = await sample(ctx, () => b.openA(wgo));
      turns['A: join form (provider list)'] = await sample(ctx, async () => {
        await b.step(b.channel.submit(wgo, { menu: 'A' }), BotTurns.form('a.form.actions:'), 'open A');
        return b.chooseA(wgo, 'join', 'a.form.join:');
      });
      turns['A: queue registration'] = await sample(ctx, async (k) => {
        await b.prepareAtConsent(sw[k]!, `CITY-${si}-${k}`, 'city-p');
        return b.register(sw[k]!, 'Stadens verksamhet');
      });
      turns['D: approval'] = await sample(ctx, async (k) => {
        await openApprovalTask(stores, plans[k]!);
        return b.approve(sup, plans[k]!);
      });
      turns['A: a place ends'] = await sample(ctx, async (k) => {
        await b.prepareRelease(wgo);
        return b.release(wgo, releasePids[k]!, `Släpp ${releasePids[k]}`);
      });
      for (const t of Object.values(turns)) errors += t.errors.length;
      out[sc.name] = { staffInDirectory: (await stores.staff.all()).length, otherQueueEntries: sc.otherQueue, turns };
    } finally {
      await bot.stop();
      ctx.proxy.forget();
    }
  }
  return { samplesPerTurn: SAMPLES, scenarios: out, errors };
}

/** Queue operations with n people waiting for one provider: ms and storage requests. */
export async function measureQueueScaling(ctx: BenchContext, sizes: number[]): Promise<Record<string, unknown>> {
  const counter = new RequestCounter();
  const stores = await openWorld(ctx.azuritePort, 'queue', counter);
  const officer: Person = { id: 'q-wgo', name: 'Handläggare Kö' };
  const sw: Person[] = Array.from({ length: SAMPLES * sizes.length }, (_, i) => ({ id: `q-sw-${i}`, name: `Socialsekreterare ${i}` }));
  const contacts: Person[] = sizes.map((n) => ({ id: `q-contact-${n}`, name: `Kontakt ${n}` }));
  await addStaff(stores, [
    { ...officer, roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
    ...sw.map((p) => ({ ...p, roles: [{ role: 'socialWorker' as const, unit: 'sf-centrum' as const }] })),
    ...contacts.map((p, i) => ({ ...p, roles: [{ role: 'providerContact' as const, unit: `provider:scale-${sizes[i]}` as const }] })),
  ]);
  const bot = await forkChild(ctx.botScript, [], { BENCH_TABLES: ctx.proxyConnection, BENCH_PREFIX: 'queue' });
  const out: Record<number, unknown> = {};
  let errors = 0;
  let person = 0;
  try {
    const b = new BotTurns(bot.url, ctx.connector, (id) => bot.turnEnded(id));
    for (const p of [officer, ...contacts]) await b.hello(p);
    const timedStore = async (fn: () => Promise<unknown>) => {
      const ms: number[] = [];
      const req: number[] = [];
      for (let k = 0; k < SAMPLES; k++) {
        const c0 = counter.count;
        const t0 = performance.now();
        await fn();
        ms.push(performance.now() - t0);
        req.push(counter.count - c0);
      }
      return { ms: Math.round(spread(ms).median * 10) / 10, storage: spread(req).median };
    };
    for (const n of sizes) {
      const pid = `scale-${n}`;
      const name = `Kö ${n}`;
      await addProviderWithQueue(stores, { providerId: pid, name, kind: 'private', places: 1, occupied: 1, responsibleUnit: 'eku' }, n);
      const register = await sample(ctx, async () => {
        const p = sw[person++]!;
        await b.prepareAtConsent(p, `SCALE-${n}-${person}`, pid);
        return b.register(p, name);
      });
      const joinForm = await sample(ctx, async () => {
        await b.step(b.channel.submit(officer, { menu: 'A' }), BotTurns.form('a.form.actions:'), 'open A');
        return b.chooseA(officer, 'join', 'a.form.join:');
      });
      const availability = await sample(ctx, async () => {
        const u0 = ctx.proxy.untagged;
        const t0 = performance.now();
        const res = await request(`${bot.url}/api/availability`, 'GET');
        const r: TurnResult = { ms: performance.now() - t0, connectorCalls: ctx.proxy.untagged - u0 };
        if (res.status !== 200 || !res.body.includes(`"providerId":"${pid}"`)) r.error = `availability: HTTP ${res.status}, provider ${pid} ${res.body.includes(pid) ? 'listed' : 'missing'}`;
        return r;
      });
      const firstInLine = await timedStore(() => stores.waitingList.queue(pid, 1));
      const last = entryIdFor('2026-01-01', n);
      const position = await timedStore(() => stores.waitingList.position(pid, last));
      errors += register.errors.length + joinForm.errors.length + availability.errors.length;
      out[n] = {
        register: { ms: register.ms, storage: register.storage, errors: register.errors },
        joinForm: { ms: joinForm.ms, storage: joinForm.storage, errors: joinForm.errors },
        // Not a turn: its storage requests are the proxy's untagged ones while it ran.
        availabilityPage: { ms: availability.ms, storage: availability.connectorCalls, errors: availability.errors },
        firstInLine,
        position,
      };
    }
  } finally {
    await bot.stop();
    ctx.proxy.forget();
  }
  return { samples: SAMPLES, bySize: out, errors };
}

/** Reminder sweep: many open tasks, 100 due today; the storage requests it makes on the wire (in the compiled bot). */
export async function measureSweep(ctx: BenchContext, openTasks: number): Promise<Record<string, unknown>> {
  const stores = await openWorld(ctx.azuritePort, 'sweep');
  const hanna = demo('Hanna Holm');
  const today = toIsoDate(new Date());
  const items: Array<{ task: Task; reminders: ReturnType<typeof planReminders> }> = [];
  for (let i = 0; i < openTasks; i++) {
    const due = i < 100 ? today : addCalendarDays(today, 30 + (i % 200));
    const task: Task = { taskId: `sweep-${i}`, caseId: `sweep-case-${i}`, routine: 'B', step: 'followUp', unit: 'avo', assignee: { kind: 'person', personId: hanna.id }, dueDate: due, binding: false, label: `S-${i}`, state: 'open', createdAt: new Date().toISOString() };
    items.push({ task, reminders: i < 100 ? [{ kind: 'dueDay', fireOn: today }] : planReminders(task, today) });
  }
  await stores.tasks.bulkCreate(items);
  await openTask(stores, { taskId: 'sweep-extra', caseId: 'sweep-extra', routine: 'B', step: 'followUp', unit: 'avo', assignee: { kind: 'person', personId: hanna.id }, dueDate: addCalendarDays(today, 60), binding: false, label: 'x' }, new Date());
  const bot = await forkChild(ctx.botScript, [], { BENCH_TABLES: ctx.proxyConnection, BENCH_PREFIX: 'sweep' });
  try {
    await new BotTurns(bot.url, ctx.connector, (id) => bot.turnEnded(id)).hello(hanna);
    const proxy0 = ctx.proxy.untagged;
    const calls0 = ctx.connector.calls;
    const { sweep } = await bot.ask<{ sweep: { due: number; sent: number; ms: number } }>('sweep');
    return { openTasks: openTasks + 1, due: sweep.due, sent: sweep.sent, ms: sweep.ms, storageRequests: ctx.proxy.untagged - proxy0, connectorCalls: ctx.connector.calls - calls0 };
  } finally {
    await bot.stop();
  }
}

