import { close, disagree, disagreementOutcome, type PlanNoticeDecision } from '../../routines/d-coordinated-plan/decisions';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import type { StepDecision } from '../../routines/shared/effects';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import type { Delivery, OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';

/** Where a notice of a step reached someone, and where nobody. */
export interface NoticeOutcome {
  plan: StoredPlan;
  told: Administration[];
  notReached: Administration[];
  /** How many people got the notice. */
  reached: number;
}

function noticeOutcome(decision: PlanNoticeDecision, delivery: Delivery): NoticeOutcome {
  const out: NoticeOutcome = { plan: decision.state, told: [], notReached: [], reached: 0 };
  for (const [admin, effect] of Object.entries(decision.noticeTo) as Array<[Administration, string]>) {
    const o = delivery.outcomes.get(effect);
    (o?.delivered ? out.told : out.notReached).push(admin);
    out.reached += o?.reached?.length ?? 0;
  }
  return out;
}

/**
 * The plan's read → decide → commit once → effects, for the steps below. `reply`: the card that
 * answers a pressed button from the decision alone, before the effects (the use case's last word,
 * when it differs once delivered, updates the pressed card).
 */
function planStep<R extends StepDecision<StoredPlan>>(deps: DialogDeps, relay: OutboxRelay, spId: string, stepId: string, now: Date, decide: (plan: StoredPlan) => Decision<R>, reply?: (decision: R) => { content: object }) {
  return runStep({ load: () => deps.stores.plans.get(spId), context: async () => undefined, decide, commit: (plan, etag, effects) => deps.stores.plans.commit(plan, etag, stepId, effects, now), ...(reply ? { reply } : {}) }, relay);
}

/**
 * Use case: the initiator closes the plan (confirmed first, in the dialog). Decide: `close`
 * (routines/d-coordinated-plan/decisions.ts); effects: tasks cancelled, cards in their final
 * state, a notice to each other administration. Returns whom the notice reached.
 */
export async function closePlan(deps: DialogDeps, relay: OutboxRelay, person: StaffMember, spId: string, reason: string): Promise<Decision<NoticeOutcome>> {
  const now = deps.clock();
  const stepId = deps.newId();
  const r = await planStep(deps, relay, spId, stepId, now, (plan) => close(plan, { stepId, person, reason, now }));
  return r.ok ? accept(noticeOutcome(r.value.decision, r.value.delivery)) : r;
}

/**
 * Use case: either side raises a disagreement (`disagree`); the supervisors of every administration
 * are told. From a card button, `replyCard` answers at once as if every administration is reached
 * (`NoticeOutcome` with all told); the card is updated when one could not be.
 */
export async function raiseDisagreement(deps: DialogDeps, relay: OutboxRelay, person: StaffMember, spId: string, administration: Administration, reason: string, replyCard?: (outcome: Pick<NoticeOutcome, 'told' | 'notReached'>) => { content: object }): Promise<Decision<NoticeOutcome>> {
  const now = deps.clock();
  const stepId = deps.newId();
  const reply = replyCard ? (d: PlanNoticeDecision) => replyCard({ told: Object.keys(d.noticeTo) as Administration[], notReached: [] }) : undefined;
  const r = await planStep(deps, relay, spId, stepId, now, (plan) => disagree(plan, { stepId, person, administration, reason, now }), reply);
  return r.ok ? accept(noticeOutcome(r.value.decision, r.value.delivery)) : r;
}

/** Use case: the outcome of a disagreement is recorded (`disagreementOutcome`). */
export async function recordOutcome(deps: DialogDeps, relay: OutboxRelay, person: StaffMember, spId: string, outcome: string): Promise<Decision<StoredPlan>> {
  const now = deps.clock();
  const stepId = deps.newId();
  const r = await planStep(deps, relay, spId, stepId, now, (plan) => disagreementOutcome(plan, { stepId, person, outcome, now }));
  return r.ok ? accept(r.value.decision.state) : r;
}
