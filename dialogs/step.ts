import type { Effect, StepDecision } from '../routines/shared/effects';
import { refuse, accept, type Decision } from '../routines/shared/refusal';
import { withRetries } from '../storage/contention';
import type { Stored } from '../storage/entityTable';
import type { OutboxRow } from '../storage/outbox';
import type { Delivery, OutboxRelay } from './outboxRelay';

/** How one step reads, decides and commits its aggregate (see `runStep`). */
export interface Step<S, C, R extends StepDecision<S>> {
  /** The aggregate with its ETag; undefined when it does not exist. */
  load(): Promise<Stored<S> | undefined>;
  /** What else the rule needs, read once per attempt (e.g. the case file for labels). */
  context(state: S): Promise<C>;
  /** The routine's rule: a refusal, or the new state with every effect. */
  decide(state: S, context: C): Decision<R>;
  /** One transaction: the new state on the ETag, and the outbox row of the effects. */
  commit(state: S, etag: string, effects: Effect[]): Promise<Stored<OutboxRow>>;
}

/**
 * A use case's one way to change an aggregate: read → decide → commit once (a lost race reads and
 * decides again: the rule sees what the other writer did) → carry out the effects (the relay). A
 * missing aggregate answers as one the person may not see.
 */
export async function runStep<S, C, R extends StepDecision<S>>(step: Step<S, C, R>, relay: OutboxRelay): Promise<Decision<{ decision: R; context: C; delivery: Delivery }>> {
  const committed = await withRetries(async () => {
    const s = await step.load();
    if (!s) return refuse('notFoundOrNotAllowed');
    const context = await step.context(s.value);
    const d = step.decide(s.value, context);
    if (!d.ok) return d;
    const outbox = await step.commit(d.value.state, s.etag, d.value.effects);
    return accept({ decision: d.value, context, outbox });
  });
  if (!committed.ok) return committed;
  const { decision, context, outbox } = committed.value;
  const delivery = await relay.deliver(outbox);
  return accept({ decision, context, delivery });
}
