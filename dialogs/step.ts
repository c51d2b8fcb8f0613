import type { Effect, StepDecision } from '../routines/shared/effects';
import { refuse, accept, type Decision } from '../routines/shared/refusal';
import { withRetries } from '../storage/contention';
import { StorageConflictError } from '../storage/errors';
import type { Stored } from '../storage/entityTable';
import type { OutboxRow } from '../storage/outbox';
import type { Delivery, OutboxRelay } from './outboxRelay';
import { afterAnswered, replyNow } from './earlyReply';

/**
 * A step was committed, but carrying out its effects failed part-way (storage, the connector): the
 * step stands, and the sweep finishes its effects from the outbox row (dialogs/outboxRelay.ts).
 */
export class EffectsPendingError extends Error {
  override readonly name = 'EffectsPendingError';
  constructor(cause: unknown) {
    super(`a committed step's effects are pending: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** How one step reads, decides and commits its aggregate (see `runStep`). */
export interface Step<S, C, R extends StepDecision<S>> {
  /** The aggregate with its ETag (a stored row, or several read together, e.g. a provider and an entry); undefined when it does not exist. */
  load(): Promise<{ value: S; etag: string } | undefined>;
  /** What else the rule needs, read once per attempt (e.g. the case file for labels). */
  context(state: S): Promise<C>;
  /** The routine's rule: a refusal, or the new state with every effect. */
  decide(state: S, context: C): Decision<R>;
  /** One transaction: the new state on the ETag, and the outbox row of the effects. */
  commit(state: S, etag: string, effects: Effect[]): Promise<Stored<OutboxRow>>;
  /**
   * For a step that happens once (a form's, its outbox row kept): the row of an earlier commit
   * of the same step, read when the commit finds it exists (409).
   */
  committedBefore?(): Promise<Stored<OutboxRow> | undefined>;
  /**
   * The card that answers the pressed button, from the decision alone (a step on a card button):
   * it goes to the person before the effects are carried out. A use case whose last word depends
   * on the delivery (someone could not be reached) returns another card after, and the pressed
   * card is updated to it (bot/teamsBot.ts reviseEarlyAnswer).
   */
  reply?(decision: R, context: C): { content: object } | undefined | Promise<{ content: object } | undefined>;
}

/**
 * A use case's one way to change an aggregate: read → decide → commit once (a lost race reads and
 * decides again: the rule sees what the other writer did) → answer the person → carry out the
 * effects (the relay). A missing aggregate answers as one the person may not see.
 */
export async function runStep<S, C, R extends StepDecision<S>>(step: Step<S, C, R>, relay: OutboxRelay, opts: { answers?: boolean } = {}): Promise<Decision<{ decision: R; context: C; delivery: Delivery }>> {
  const committed = await withRetries(async () => {
    const s = await step.load();
    if (!s) return refuse('notFoundOrNotAllowed');
    const context = await step.context(s.value);
    const d = step.decide(s.value, context);
    if (!d.ok) {
      // A form whose step was committed (its dialog did not get to end, e.g. the bot died): the
      // rule sees the changed state and refuses; the person is told it is done, by whom and when.
      const before = step.committedBefore ? await step.committedBefore() : undefined;
      return before ? refuse('alreadyDone', { by: before.value.keep?.byName ?? '', at: before.value.createdAt }) : d;
    }
    try {
      const outbox = await step.commit(d.value.state, s.etag, d.value.effects);
      return accept({ decision: d.value, context, outbox });
    } catch (err) {
      // The same form submitted again (a second click, or after a crash): done already, by whom and when.
      const before = err instanceof StorageConflictError && err.statusCode === 409 && step.committedBefore ? await step.committedBefore() : undefined;
      if (before) return refuse('alreadyDone', { by: before.value.keep?.byName ?? '', at: before.value.createdAt });
      throw err;
    }
  });
  if (!committed.ok) return committed;
  const { decision, context, outbox } = committed.value;
  // A step that follows another within the same turn (the routine's own, e.g. the next offer) does not answer the person.
  const delivery = opts.answers === false ? await deliverAfter(relay, outbox) : await carryOut(relay, outbox, step.reply ? (await step.reply(decision, context))?.content : undefined);
  return accept({ decision, context, delivery });
}

/**
 * After a commit: the person has their answer now (dialogs/earlyReply.ts; `card` answers a pressed
 * button), then the step's effects are carried out. If they stop part-way (storage or the connector
 * failed), the outbox row stays and the next sweep carries out what is left: `EffectsPendingError`,
 * so the person is told that, never "it did not work".
 */
export async function carryOut(relay: OutboxRelay, outbox: Stored<OutboxRow>, card?: object): Promise<Delivery> {
  replyNow(card);
  await afterAnswered();
  return deliverAfter(relay, outbox);
}

async function deliverAfter(relay: OutboxRelay, outbox: Stored<OutboxRow>): Promise<Delivery> {
  try {
    return await relay.deliver(outbox);
  } catch (err) {
    throw new EffectsPendingError(err);
  }
}
