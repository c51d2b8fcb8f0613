/**
 * The bot alone in a child process, so a test can kill it with SIGKILL (as the bench starts its
 * bot: bench/botProcess.ts). Answers { url } once listening. Environment:
 * CHILD_TABLES, CHILD_PREFIX, CHILD_SERVICE_URL (unused here), CHILD_CLOCK (fixed ISO instant),
 * CHILD_KILL_AT: `beforeQueueCommit` dies right before the queue transaction of a registration,
 * `afterQueueCommit` right after it (fault injection in this test harness only: the bot's code is
 * not touched).
 */
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { EntityTable } from '../../storage/entityTable';

async function main(): Promise<void> {
  const killAt = process.env.CHILD_KILL_AT ?? '';
  if (killAt) {
    const transact = EntityTable.prototype.transact;
    EntityTable.prototype.transact = async function (this: EntityTable<unknown>, pk: string, actions: Parameters<typeof transact>[1]) {
      const queueCommit = this.name.endsWith('WaitingList') && actions.some((a) => a.op === 'create' && a.rowKey.startsWith('e|'));
      if (queueCommit && killAt === 'beforeQueueCommit') process.kill(process.pid, 'SIGKILL');
      const etag = await transact.call(this, pk, actions);
      if (queueCommit && killAt === 'afterQueueCommit') process.kill(process.pid, 'SIGKILL');
      return etag;
    };
  }
  const clock = process.env.CHILD_CLOCK ? () => new Date(process.env.CHILD_CLOCK!) : undefined;
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TABLE_PREFIX: process.env.CHILD_PREFIX ?? 'child', LOG_LEVEL: 'silent', SWEEP_INTERVAL_SECONDS: '0' });
  const app = await createApp({ config, connectionString: process.env.CHILD_TABLES ?? '', logger: createLogger('silent'), proactiveSpacingMs: 0, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, ...(clock ? { clock } : {}) });
  const url = await app.listen();
  process.send?.({ url });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
