import { RequestCounter } from '../../storage/tableClients';
import { startBot, type RunningBot } from './app';

/**
 * A storage request counter that can stop the bot dead at the k-th request from now: that request
 * and every later one fail before they reach storage, as if the process had been killed there
 * (nothing after that point is written).
 */
export class DyingCounter extends RequestCounter {
  private dieAt = Number.POSITIVE_INFINITY;
  override readonly policy = {
    name: 'requestCounter',
    sendRequest: async (request: never, next: (r: never) => Promise<never>) => {
      this.count++;
      if (this.count >= this.dieAt) throw new Error('injected crash: the bot died before this storage request');
      return next(request);
    },
  };
  /** Dies at the k-th request from now (1 = the next one). */
  dieIn(k: number): void {
    this.dieAt = this.count + k;
  }
}

export interface CrashStep {
  /** Sets up a fresh target for run `key` (a plan awaiting approval, a review sent, …). */
  arrange(bot: RunningBot, key: string): Promise<void>;
  /** The press through /api/messages; returns the texts of the answer card. */
  act(bot: RunningBot, key: string): Promise<{ texts: string[] }>;
  /** Whether the step's state change is stored (read after the restart). */
  committed(bot: RunningBot, key: string): Promise<boolean>;
  /** The answer to pressing again after the restart: "already done" when committed, success otherwise. */
  assertAgain(texts: string[], committed: boolean, label: string): void;
  /** Everything the step does, once; returns how many cards the person told got (1, or 2 in the send/record window). */
  assertOnce(bot: RunningBot, key: string, label: string): Promise<{ cards: number }>;
}

/**
 * Counts the storage requests of one step, then for each k of them: a bot on the same storage (and
 * Teams side) dies at request k of the step, a new bot starts later than any in-turn claim, the
 * person presses again, the sweep relays what was left, and everything is checked to have happened
 * once. Returns the count and one outcome per k.
 */
export async function crashAtEveryRequest(first: RunningBot, t0: Date, step: CrashStep): Promise<{ requests: number; outcomes: string[]; duplicates: number }> {
  const shared = { connector: first.connector, channel: first.channel };
  const counter = new DyingCounter();
  const probe = await startBot({ clock: () => t0, prefix: first.prefix, seed: false, requestCounter: counter, shared });
  await step.arrange(probe, 'probe');
  const before = counter.count;
  await step.act(probe, 'probe');
  const requests = counter.count - before;
  await step.assertOnce(probe, 'probe', 'without a crash');
  await probe.stop();

  const outcomes: string[] = [];
  let duplicates = 0;
  for (let k = 1; k <= requests; k++) {
    const key = `crash${k}`;
    const dying = new DyingCounter();
    const bot = await startBot({ clock: () => t0, prefix: first.prefix, seed: false, requestCounter: dying, shared });
    await step.arrange(bot, key);
    dying.dieIn(k);
    await step.act(bot, key).catch(() => undefined);
    await bot.stop();

    // Restarted later than the turn's claim on its outbox row: the sweep may take it over.
    const later = new Date(t0.getTime() + 5 * 60_000);
    const restarted = await startBot({ clock: () => later, prefix: first.prefix, seed: false, shared });
    const committed = await step.committed(restarted, key);
    const label = `crash at request ${k} of ${requests}`;
    step.assertAgain((await step.act(restarted, key)).texts, committed, label);
    await restarted.app.relayPending(later);
    const { cards } = await step.assertOnce(restarted, key, label);
    if (cards > 1) duplicates++;
    outcomes.push(`${k}:${committed ? 'committed' : 'not committed'}${cards > 1 ? ' (card twice)' : ''}`);
    await restarted.stop();
  }
  return { requests, outcomes, duplicates };
}
