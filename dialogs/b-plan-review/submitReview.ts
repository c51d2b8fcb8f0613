import { assessPlan } from '../../routines/b-plan-review/decisions';
import { compensationDue, hoursMatch, type PlanReview, type ReviewInput, type ReviewRound } from '../../routines/b-plan-review/rules';
import { isAdministration, type StaffMember } from '../../routines/shared/organisation';
import { checkFreeText } from '../../routines/shared/privacy';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { formStepId } from '../../storage/outbox';
import type { StoredReview } from '../../storage/planReviews';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';

export interface ReviewOutcome {
  review: StoredReview;
  round: ReviewRound;
  /** Not complete: how many of the provider's contacts got the card. */
  providerReached: number;
  /** Complete: the start compensation was told to someone, to nobody, or is not due (an old client, or told before). */
  compensation: 'sent' | 'noRecipient' | 'notDue';
  /** The names of the finance administrators who got the compensation card, and of those who did not. */
  financeReached: string[];
  financeMissed: string[];
}

/**
 * Use case: the assessor submits one review round (the seven questions) from the review form.
 * Read (review; the owning unit's finance administrators when a compensation may become due) →
 * decide (`assessPlan`, routines/b-plan-review/decisions.ts: the round, and for a new client the
 * compensation marked on the review in the same decision) → commit once → effects (cards to the
 * provider's contacts, or the follow-up task done and the finance administrators' cards; the
 * journal) → who was reached, for the reply.
 */
export async function submitReview(deps: DialogDeps, relay: OutboxRelay, person: StaffMember, unit: string, reviewId: string, input: ReviewInput, formId?: string): Promise<Decision<ReviewOutcome>> {
  // The comments are checked before anything is read (a refused text reveals nothing about the review).
  for (const a of input.answers) {
    const check = checkFreeText(a.comment ?? '', 'comment', 1000);
    if (!check.ok) return check;
  }
  if (!isAdministration(unit)) return refuse('notFoundOrNotAllowed');
  const now = deps.clock();
  // From the review form: one step per form card, so the same form sent again (a crash, a second click) records no second round.
  const stepId = formId ? formStepId(formId) : deps.newId();
  const r = await runStep(
    {
      load: () => deps.stores.planReviews.get(unit, reviewId),
      // Who the finance administrators are is read only when this round may complete a new client's review.
      context: async (review) => ({ finance: mayCompensate(review, input) ? await deps.stores.staff.holders('financeAdministrator', review.owningUnit) : [] }),
      decide: (review, c) => assessPlan(review, { stepId, person, review: input, now, financeAdministrators: c.finance.length }),
      commit: (review, etag, effects) => deps.stores.planReviews.commit(review, etag, stepId, effects, now, formId ? { byName: person.name } : undefined),
      committedBefore: () => deps.stores.planReviews.stepRow(unit, stepId),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, context, delivery } = r.value;
  const provider = decision.providerNotice ? delivery.outcomes.get(decision.providerNotice) : undefined;
  const finance = decision.compensationNotice ? delivery.outcomes.get(decision.compensationNotice) : undefined;
  // Only cards the connector accepted count as told; the others are named so the assessor can tell them another way.
  const nameOf = async (id: string) => context.finance.find((f) => f.id === id)?.name ?? (await deps.stores.staff.get(id))?.value.name ?? id;
  const names = async (ids: readonly string[]) => Promise.all(ids.map(nameOf));
  return accept({
    review: decision.state,
    round: decision.round,
    providerReached: provider?.reached?.length ?? 0,
    compensation: decision.compensationNotice === undefined ? 'notDue' : finance?.delivered ? 'sent' : 'noRecipient',
    financeReached: await names((finance?.reached ?? []).map((x) => x.personId)),
    financeMissed: await names(finance?.missed ?? []),
  });
}

/** This round may complete the review of a new client not yet compensated (all seven yes, the hours as granted). */
function mayCompensate(review: PlanReview, input: ReviewInput): boolean {
  const complete = input.answers.every((a) => a.yes) && hoursMatch(input.allocatedHours, review.grantedHours);
  return complete && review.state !== 'complete' && compensationDue({ ...review, state: 'complete' });
}
