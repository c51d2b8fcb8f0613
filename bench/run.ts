/**
 * `npm run bench` (about 3–4 minutes) and `npm run bench -- --quick` (about 30 s, run by CI).
 * Loopback only, bounded in time and count. Prints a table and writes bench/results/<date>.json.
 * Figures are the product's targets to report, never assertions.
 */
import autocannon from 'autocannon';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import restify from 'restify';
import { createApp, type App } from '../bot/app';
import { loadConfig } from '../bot/config';
import { createLogger } from '../bot/logger';
import { openTask } from '../dialogs/tasks/taskActions';
import { WaitingListService } from '../dialogs/a-waiting-list/service';
import type { Provider } from '../routines/a-waiting-list/rules';
import { planReminders, type Task } from '../routines/shared/tasks';
import { addCalendarDays, toIsoDate } from '../routines/shared/workingDays';
import { DEMO_STAFF, seedDemoData } from '../storage/demoData';
import { RequestCounter } from '../storage/tableClients';
import { entryIdFor } from '../storage/waitingList';
import { startAzurite } from '../scripts/lib/azurite';
import { freePort } from '../scripts/lib/ports';
import { TeamsChannel, type Person } from '../test/helpers/activities';
import { cardActions, ConnectorStandIn } from '../test/helpers/connector';

const quick = process.argv.includes('--quick');
const DURATION = quick ? 1 : 8;
const LEVELS = quick ? [1, 20] : [1, 20, 50];
const PREPARED = quick ? 30 : 150;
const QUEUE_SIZES = quick ? [10, 100] : [10, 1000, 10000];
const SWEEP_TASKS = quick ? 1000 : 10000;
const CONVERSATIONS = quick ? 100 : 1000;
const log = createLogger('silent');

interface LoadResult {
  turnsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  requests: number;
}

function summarise(r: autocannon.Result): LoadResult {
  const l = r.latency as unknown as Record<string, number>;
  // Completed turns over the run's real duration (count-based runs can be shorter than one sample).
  const { start, finish } = r as unknown as { start: Date; finish: Date };
  const seconds = Math.max(0.001, (new Date(finish).getTime() - new Date(start).getTime()) / 1000);
  return { turnsPerSecond: Math.round(r.requests.total / seconds), p50: l.p50 ?? 0, p95: l.p97_5 ?? l.p99 ?? 0, p99: l.p99 ?? 0, errors: r.errors + r.non2xx + r.timeouts, requests: r.requests.total };
}

function load(url: string, connections: number, next: () => unknown, opts: { duration?: number; amount?: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/api/messages`,
        connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? DURATION }),
        timeout: 30,
        requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify(next()) }) }],
      },
      (err, res) => (err ? reject(err) : resolve(summarise(res))),
    );
  });
}

/** The floor: a bare echo bot on the same restify + CloudAdapter stack. */
async function startEcho(): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (ctx) => {
      if (ctx.activity.type === 'message') await ctx.sendActivity(`echo: ${ctx.activity.text ?? ''}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(() => r())) };
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

function lastFormId(connector: ConnectorStandIn, conversationId: string): string {
  for (const s of [...connector.to(conversationId)].reverse()) {
    const a = cardActions(s.activity.attachments?.[0]?.content).find((x) => x.verb === 'form.submit');
    if (a?.data?.formId) return a.data.formId as string;
  }
  throw new Error('no form');
}

async function main(): Promise<void> {
  const started = Date.now();
  const azurite = await startAzurite({ port: await freePort(), inMemory: true });
  const counter = new RequestCounter();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TABLE_PREFIX: 'bench', LOG_LEVEL: 'silent', SWEEP_INTERVAL_SECONDS: '0' });
  const app: App = await createApp({ config, connectionString: azurite.connectionString, logger: log, requestCounter: counter, proactiveSpacingMs: 0, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
  await seedDemoData(app.stores);
  const url = await app.listen();
  const connector = new ConnectorStandIn(true);
  const channel = new TeamsChannel(await connector.start());
  const echo = await startEcho();
  const results: Record<string, unknown> = { date: new Date().toISOString(), quick, node: process.version };

  // Staff for load: distinct officers (distinct users and conversations).
  const officers: Person[] = [];
  for (let i = 0; i < 60; i++) {
    const p = { id: `bench-officer-${i}`, name: `Officer ${i}` };
    await app.stores.staff.save({ ...p, roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] }, undefined);
    officers.push(p);
  }
  let turn = 0;
  const menuMessage = () => channel.message(officers[turn++ % officers.length]!, 'meny');

  // Warm-up.
  await load(echo.url, 10, menuMessage, { duration: 1 });
  await load(url, 10, menuMessage, { duration: 1 });

  // 1–2a. Floor and menu turns.
  const floor: Record<number, LoadResult> = {};
  const menu: Record<number, LoadResult> = {};
  for (const c of LEVELS) {
    floor[c] = await load(echo.url, c, menuMessage, {});
    menu[c] = await load(url, c, menuMessage, {});
  }

  // 2b. Queue registration (consent card submitted) — prepared users each at the consent step.
  const registration: Record<number, LoadResult> = {};
  let prepared = 0;
  for (const c of LEVELS) {
    const ready: Array<{ person: Person; formId: string }> = [];
    for (let i = 0; i < PREPARED; i++) {
      const person = { id: `bench-reg-${prepared++}`, name: 'Reg' };
      await app.stores.staff.save({ ...person, roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] }, undefined);
      const conv = channel.conversationOf(person);
      await post(url, channel.submit(person, { menu: 'A' }));
      await post(url, channel.execute(person, 'form.submit', { formId: lastFormId(connector, conv), action: 'join' }));
      await post(url, channel.execute(person, 'form.submit', { formId: lastFormId(connector, conv), reference: `B-${prepared}`, initials: 'AB', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' }));
      ready.push({ person, formId: lastFormId(connector, conv) });
    }
    let k = 0;
    registration[c] = await load(url, c, () => {
      const r = ready[k++ % ready.length]!;
      return channel.execute(r.person, 'form.submit', { formId: r.formId, consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: toIsoDate(new Date()), toldHowToRevoke: 'true' });
    }, { amount: PREPARED });
  }
  const queued = (await app.stores.waitingList.provider('solrosen'))!.value.waiting;

  // 2c. Approval invoke (routine D): prepared plans, each approved once by the FFS supervisor.
  const tomas = { id: DEMO_STAFF.find((p) => p.name === 'Tomas Tell')!.id, name: 'Tomas Tell' };
  const approval: Record<number, LoadResult> = {};
  for (const c of LEVELS) {
    const ids: string[] = [];
    for (let i = 0; i < PREPARED; i++) {
      const spId = randomUUID();
      ids.push(spId);
      await app.stores.plans.add({
        spId, caseId: null, mode: 'consultation', initiatorId: DEMO_STAFF.find((p) => p.name === 'Sofia Sandberg')!.id, initiatorName: 'Sofia Sandberg', initiatingAdministration: 'sf-nordost', others: ['ffs'],
        acuteConcern: false, concernReported: false, purpose: 'p', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false,
        invitations: [{ administration: 'ffs' }], state: 'awaitingApproval', createdAt: new Date().toISOString(),
        versions: [{ version: 1, submittedAt: new Date().toISOString(), decisions: [], content: { participants: 'p', background: 'b', needs: 'n', responsibilities: 'r', followUpDate: '2027-01-15', individualParticipation: 'i' } }],
      });
    }
    let k = 0;
    approval[c] = await load(url, c, () => channel.execute(tomas, 'd.plan.decide', { spId: ids[k++ % ids.length]!, administration: 'ffs', version: 1, decision: 'approved' }), { amount: PREPARED });
  }

  // 3. Storage round trips per turn.
  const trips = async (fn: () => Promise<unknown>) => {
    const before = counter.count;
    await fn();
    return counter.count - before;
  };
  const rt = officers[0]!;
  await post(url, channel.message(rt, 'meny'));
  const roundTrips = {
    menuMessage: await trips(() => post(url, channel.message(rt, 'meny'))),
    openRoutineA: await trips(() => post(url, channel.submit(rt, { menu: 'A' }))),
    queueRegistration: 0,
    approvalInvoke: 0,
  };
  {
    const person = { id: 'bench-rt', name: 'RT' };
    await app.stores.staff.save({ ...person, roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] }, undefined);
    const conv = channel.conversationOf(person);
    await post(url, channel.submit(person, { menu: 'A' }));
    await post(url, channel.execute(person, 'form.submit', { formId: lastFormId(connector, conv), action: 'join' }));
    await post(url, channel.execute(person, 'form.submit', { formId: lastFormId(connector, conv), reference: 'RT-1', initials: 'AB', protectedIdentity: 'false', providerId: 'kvarnbyn', requestDate: '2026-11-20' }));
    const formId = lastFormId(connector, conv);
    roundTrips.queueRegistration = await trips(() => post(url, channel.execute(person, 'form.submit', { formId, consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: toIsoDate(new Date()), toldHowToRevoke: 'true' })));
    const spId = randomUUID();
    await app.stores.plans.add({
      spId, caseId: null, mode: 'consultation', initiatorId: 'x', initiatorName: 'x', initiatingAdministration: 'sf-nordost', others: ['ffs', 'avo'], acuteConcern: false, concernReported: false, purpose: 'p', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false, invitations: [], state: 'awaitingApproval', createdAt: new Date().toISOString(),
      versions: [{ version: 1, submittedAt: new Date().toISOString(), decisions: [], content: { participants: 'p', background: 'b', needs: 'n', responsibilities: 'r', followUpDate: '2027-01-15', individualParticipation: 'i' } }],
    });
    roundTrips.approvalInvoke = await trips(() => post(url, channel.execute(tomas, 'd.plan.decide', { spId, administration: 'ffs', version: 1, decision: 'approved' })));
  }

  // 4. Queue scaling: register, first in line, position with n waiting for one provider.
  const service = new WaitingListService(app.deps);
  const queueScaling: Record<number, { registerMs: number; firstInLineMs: number; positionMs: number }> = {};
  const median = async (fn: () => Promise<unknown>, times = 5) => {
    const ms: number[] = [];
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      await fn();
      ms.push(performance.now() - t0);
    }
    return Math.round(ms.sort((a, b) => a - b)[Math.floor(times / 2)]! * 10) / 10;
  };
  for (const n of QUEUE_SIZES) {
    const pid = `scale-${n}`;
    const provider: Provider = { providerId: pid, name: `Scale ${n}`, kind: 'private', places: 1, occupied: 1, waiting: n, openOffer: null, nextSeq: n + 1, responsibleUnit: 'eku' };
    await app.stores.waitingList.addProvider(provider);
    const table = app.stores.waitingList.table;
    for (let i = 0; i < n; i += 100) {
      await table.transact(`q|${pid}`, Array.from({ length: Math.min(100, n - i) }, (_, j) => {
        const seq = i + j + 1;
        const entryId = entryIdFor('2026-01-01', seq);
        return { op: 'create' as const, rowKey: `e|${entryId}`, value: { kind: 'entry' as const, entryId, providerId: pid, caseId: `c-${pid}-${seq}`, requestDate: '2026-01-01', seq, state: 'waiting' as const, consentId: 'k', registeredBy: 'bench', registeredAt: new Date().toISOString() } };
      }));
    }
    const actor = { id: tomas.id, name: 'Bench', role: 'workGuidanceOfficer' as const, unit: 'ffs' as const };
    let k = 0;
    const registerMs = await median(async () => {
      const caseId = `scale-new-${pid}-${k++}`;
      const r = await service.joinQueue(actor, { caseFile: { caseId, routine: 'A', reference: `S-${k}`, initials: 'AB', protectedIdentity: false, owningUnit: 'ffs', createdBy: 'bench', createdAt: new Date().toISOString() }, providerId: pid, requestDate: toIsoDate(new Date()), consent: { recipients: [], information: 'i', givenBy: 'individual', method: 'inPerson', givenAt: new Date(Date.now() - 60_000).toISOString(), toldHowToRevoke: true } });
      if (!r.ok) throw new Error(`registration refused: ${r.code}`);
    });
    const firstInLineMs = await median(() => app.stores.waitingList.queue(pid, 1));
    const last = entryIdFor('2026-01-01', n);
    const positionMs = await median(() => app.stores.waitingList.position(pid, last));
    queueScaling[n] = { registerMs, firstInLineMs, positionMs };
  }

  // 5. Memory of the bot process alone (a child), after many conversations each left mid-dialog
  // (the routine A actions form waiting), twice over the same people to see any growth.
  const convPeople: Person[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) convPeople.push({ id: `bench-conv-${i}`, name: `Conv ${i}` });
  for (let i = 0; i < CONVERSATIONS; i += 100) {
    await app.stores.staff.table.transact('staff', convPeople.slice(i, i + 100).map((p) => ({ op: 'create' as const, rowKey: p.id, value: { ...p, roles: [{ role: 'workGuidanceOfficer' as const, unit: 'ffs' as const }] } })));
  }
  connector.sent.length = 0;
  const child = fork(path.join(__dirname, 'botProcess.ts'), [], { execArgv: ['--expose-gc', '--require', 'tsx/cjs'], env: { ...process.env, BENCH_TABLES: azurite.connectionString, BENCH_PREFIX: 'bench' } });
  const ask = <T>(msg?: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      if (msg) child.send(msg);
    });
  const { url: childUrl } = await ask<{ url: string }>();
  const beforeConversations = await ask<{ rssMb: number; heapMb: number }>('memory');
  const round = async () => {
    let i = 0;
    await load(childUrl, 20, () => channel.submit(convPeople[i++ % convPeople.length]!, { menu: 'A' }), { amount: CONVERSATIONS });
    connector.sent.length = 0;
    return ask<{ rssMb: number; heapMb: number }>('memory');
  };
  const afterFirst = await round();
  const afterSecond = await round();
  child.send('stop');

  // 6. Reminder sweep: many open tasks, 100 due today; count the storage requests it makes.
  const hanna = DEMO_STAFF.find((p) => p.name === 'Hanna Holm')!;
  await post(url, channel.message({ id: hanna.id, name: hanna.name }, 'hej'));
  const today = toIsoDate(new Date());
  const items: Array<{ task: Task; reminders: ReturnType<typeof planReminders> }> = [];
  for (let i = 0; i < SWEEP_TASKS; i++) {
    const due = i < 100 ? today : addCalendarDays(today, 30 + (i % 200));
    const task: Task = { taskId: `sweep-${i}`, caseId: `sweep-case-${i}`, routine: 'B', step: 'followUp', unit: 'avo', assignee: { kind: 'person', personId: hanna.id }, dueDate: due, binding: false, label: `S-${i}`, state: 'open', createdAt: new Date().toISOString() };
    items.push({ task, reminders: i < 100 ? [{ kind: 'dueDay', fireOn: today }] : planReminders(task, today) });
  }
  await app.stores.tasks.bulkCreate(items);
  await openTask(app.stores, { taskId: 'sweep-extra', caseId: 'sweep-extra', routine: 'B', step: 'followUp', unit: 'avo', assignee: { kind: 'person', personId: hanna.id }, dueDate: addCalendarDays(today, 60), binding: false, label: 'x' }, new Date());
  const sweepBefore = counter.count;
  const t0 = performance.now();
  const report = await app.sweep.run(new Date());
  const sweep = { openTasks: SWEEP_TASKS + 1, due: report.due, sent: report.sent, ms: Math.round(performance.now() - t0), storageRequests: counter.count - sweepBefore };

  await app.close();
  await echo.close();
  await connector.stop();
  await azurite.stop();

  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 100) / 100 : 0);
  const turnRows = (name: string, r: Record<number, LoadResult>) =>
    LEVELS.map((c) => ({ turn: name, concurrency: c, ...r[c]!, throughputVsFloor: ratio(r[c]!.turnsPerSecond, floor[c]!.turnsPerSecond), p99VsFloor: ratio(r[c]!.p99, floor[c]!.p99) }));
  const turns = [...turnRows('echo floor', floor), ...turnRows('menu message', menu), ...turnRows('A: queue registration (consent submit)', registration), ...turnRows('D: approval invoke', approval)];
  const big = QUEUE_SIZES.at(-1)!;
  const q10 = queueScaling[QUEUE_SIZES[0]!]!;
  const qBig = queueScaling[big]!;
  Object.assign(results, {
    turns,
    queuedDuringLoad: queued,
    roundTrips,
    queueScaling,
    queueRatio: { sizes: `${big}/${QUEUE_SIZES[0]}`, register: ratio(qBig.registerMs, q10.registerMs), firstInLine: ratio(qBig.firstInLineMs, q10.firstInLineMs), position: ratio(qBig.positionMs, q10.positionMs) },
    memory: { process: 'bot alone (child process, incl. the tsx loader)', conversations: CONVERSATIONS, before: beforeConversations, afterFirstRound: afterFirst, afterSecondRound: afterSecond, growthMb: afterSecond.rssMb - afterFirst.rssMb },
    sweep,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  const errors = turns.reduce((n, r) => n + r.errors, 0);
  results.errors = errors;

  console.log(`\nBenchmark (${quick ? 'quick' : 'full'}), ${results.seconds} s, Node ${process.version}\n`);
  console.table(turns.map((r) => ({ turn: r.turn, c: r.concurrency, 'turns/s': r.turnsPerSecond, p50: r.p50, p95: r.p95, p99: r.p99, errors: r.errors, 'x floor tput': r.throughputVsFloor, 'x floor p99': r.p99VsFloor })));
  console.log('Storage round trips per turn:', roundTrips);
  console.table(Object.entries(queueScaling).map(([n, v]) => ({ waiting: Number(n), ...v })));
  console.log('Queue ratio', results.queueRatio);
  console.log('Memory', results.memory);
  console.log('Reminder sweep', sweep);
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
  if (errors > 0) {
    console.error(`${errors} errors during the load runs`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
