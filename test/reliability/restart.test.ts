import { strict as assert } from 'node:assert';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { seedDemoData } from '../../storage/demoData';
import type { Stores } from '../../storage';
import { TeamsChannel } from '../helpers/activities';
import { demoPerson, type RunningBot } from '../helpers/app';
import { ConnectorStandIn } from '../helpers/connector';
import { Chat } from '../helpers/flow';
import { freshStores, testConnectionString, uniquePrefix } from '../helpers/storage';
import { journalSteps, report } from './support';

/**
 * Issue 8 §3: the bot process killed with SIGKILL between two turns of a dialog and in the middle
 * of the multi-write registration (right before and right after the queue transaction), then
 * started again on the same storage. The person continues where they were, and the registration
 * ends complete: one entry, its case index, announced once, the provider told once.
 */
interface Child {
  proc: ChildProcess;
  url: string;
}

async function spawnBot(prefix: string, clock: string, killAt = ''): Promise<Child> {
  const proc = fork(path.join(__dirname, 'botChild.ts'), [], {
    execArgv: ['--require', 'tsx/cjs'],
    env: { ...process.env, CHILD_TABLES: testConnectionString(), CHILD_PREFIX: prefix, CHILD_CLOCK: clock, CHILD_KILL_AT: killAt },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('message', (m) => resolve((m as { url: string }).url));
    proc.once('exit', (code) => reject(new Error(`bot child exited with ${code} before listening`)));
  });
  return { proc, url };
}

function exited(c: Child): Promise<NodeJS.Signals | null> {
  return c.proc.exitCode !== null || c.proc.signalCode !== null ? Promise.resolve(c.proc.signalCode) : new Promise((r) => c.proc.once('exit', (_code, signal) => r(signal)));
}

describe('reliability: the bot process killed (SIGKILL) mid-dialog and mid-write, then restarted', () => {
  const prefix = uniquePrefix();
  const connector = new ConnectorStandIn();
  let channel: TeamsChannel;
  let stores: Stores;
  let current: Child | undefined;
  // Chat drives a person through whichever process is running now.
  const bot = {
    connector,
    get channel() {
      return channel;
    },
    async post(activity: unknown) {
      const res = await fetch(`${current!.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
  } as unknown as RunningBot;

  before(async function () {
    this.timeout(30000);
    channel = new TeamsChannel(await connector.start());
    stores = await freshStores(prefix);
    await seedDemoData(stores);
  });
  after(async () => {
    current?.proc.kill('SIGKILL');
    await connector.stop();
  });

  it('continues the dialog and completes the registration exactly once', async function () {
    this.timeout(90000);
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    const david = new Chat(bot, demoPerson('David Dahl'));
    const checked: string[] = [];

    // 1. Killed between two turns: the join form is open.
    current = await spawnBot(prefix, '2026-11-23T09:00:00Z');
    await david.say('hej');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    const joinForm = bertil.lastFormId();
    current.proc.kill('SIGKILL');
    assert.equal(await exited(current), 'SIGKILL');

    // 2. Restarted: the same form continues the dialog. This process dies right before the
    //    queue transaction of the registration.
    current = await spawnBot(prefix, '2026-11-23T09:01:00Z', 'beforeQueueCommit');
    const next = await bertil.submit({ reference: 'OMSTART-1', initials: 'OM', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    assert.notEqual(bertil.lastFormId(), joinForm, 'the dialog went on to the consent form');
    assert.ok(next.texts.length > 0);
    checked.push('dialog continues after a kill between turns');
    const consentForm = bertil.lastFormId();
    const consent = { consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' };
    await assert.rejects(bertil.submit(consent), 'the request dies with the process');
    assert.equal(await exited(current), 'SIGKILL');
    // The step writes once, in the queue's transaction: a kill before it leaves nothing half-written.
    assert.deepEqual(await stores.waitingList.caseIdsByReference('OMSTART-1', ['ffs']), [], 'no case file or reference before the transaction');
    assert.equal((await stores.waitingList.queue('solrosen')).length, 0, 'no entry: the transaction never ran');
    checked.push('nothing written before the queue transaction');

    // 3. Restarted a minute later: the person presses the same consent form again (the dead turn
    //    never saved its dialog state). The registration runs — and this process dies right after
    //    the queue transaction, before any of its effects.
    current = await spawnBot(prefix, '2026-11-23T09:03:00Z', 'afterQueueCommit');
    await assert.rejects(bertil.submit(consent), 'the request dies with the process');
    assert.equal(await exited(current), 'SIGKILL');
    assert.equal(bertil.lastFormId(), consentForm);
    let queue = await stores.waitingList.queue('solrosen');
    assert.equal(queue.length, 1, 'the entry was written');
    const caseId = queue[0]!.caseId;
    assert.equal((await journalSteps(stores, caseId)).get('a.queued') ?? 0, 0, 'but never announced');
    assert.equal(await stores.cases.get(caseId), undefined, 'its effects (the case file among them) wait in the outbox');
    checked.push('registration redone after a kill before its transaction, then killed after it');

    // 4. Restarted again: the same press finds the registration complete in the queue but not
    //    announced, and finishes it: position shown, journaled once, provider told once.
    current = await spawnBot(prefix, '2026-11-23T09:05:00Z');
    const davidBefore = david.sent().length;
    const last = await bertil.submit(consent);
    const texts = bertil.textsSince(last.before).join(' ');
    assert.match(texts, /plats \*\*1\*\*/, texts);
    queue = await stores.waitingList.queue('solrosen');
    assert.equal(queue.length, 1, 'one entry');
    assert.deepEqual(await stores.waitingList.casesOpenEntries(caseId), [{ providerId: 'solrosen', entryId: queue[0]!.entryId }], 'the index points at it');
    const provider = (await stores.waitingList.provider('solrosen'))!.value;
    assert.equal(provider.waiting, 1);
    assert.equal(provider.nextSeq, 2, 'the sequence moved once');
    const steps = await journalSteps(stores, caseId);
    assert.equal(steps.get('a.queued'), 1);
    assert.equal(steps.get('a.providerNotified'), 1);
    assert.equal(david.sent().length - davidBefore, 1, 'the provider got one card');
    assert.deepEqual(await stores.waitingList.caseIdsByReference('OMSTART-1', ['ffs']), [caseId], 'the case file and its reference, once');
    checked.push('registration complete in the queue but unannounced is finished on the next press');

    // 5. A further press is told it was done (the form claim), and nothing changes.
    const again = await bertil.submit(consent);
    assert.ok(again.texts.some((t) => /redan gjort av Bertil Berg/.test(t)), again.texts.join(' | '));
    assert.equal((await stores.waitingList.queue('solrosen')).length, 1);
    checked.push('a later press is told "already done"');
    current.proc.kill('SIGKILL');
    await exited(current);
    current = undefined;
    const consents = (await stores.consents.forCase(caseId)).length;
    report('restart', `4 processes, 3 SIGKILLs (between turns, before and after the queue transaction); checked: ${checked.join('; ')}; consents recorded ${consents} (one per attempt that reached that step), 0 half-written cases`);
  });
});
