import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import { reportRevised } from '../../routines/b-plan-review/decisions';
import { isAdministration, type StaffMember } from '../../routines/shared/organisation';
import { checkFreeText } from '../../routines/shared/privacy';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';
import type { PlanReviewService } from './service';

export interface RevisedRequest {
  unit: string;
  reviewId: string;
  round: number;
  note: string;
}

/**
 * Use case: a contact of the provider says the plan is revised, from the card of a returned round.
 * Read (review, its case, whether the assessor is in the directory) → decide (`reportRevised`,
 * routines/b-plan-review/decisions.ts) → commit once → effects → the returned card that replaces
 * the pressed one, with a warning when the assessor could not be told.
 */
export async function reviseReturned(deps: DialogDeps, service: PlanReviewService, relay: OutboxRelay, person: StaffMember, req: RevisedRequest, t: Texts): Promise<Decision<CardAttachment>> {
  // The text is checked before anything is read (a refused text reveals nothing about the review).
  const text = checkFreeText(req.note, 'note');
  if (!text.ok) return text;
  const unit = req.unit;
  if (!isAdministration(unit)) return refuse('notFoundOrNotAllowed');
  const now = deps.clock();
  const stepId = deps.newId();
  const r = await runStep(
    {
      load: () => deps.stores.planReviews.get(unit, req.reviewId),
      context: async (review) => ({ caseFile: await service.caseOf(review), assessorKnown: Boolean(await deps.stores.staff.get(review.assessorId)) }),
      decide: (review, c) => reportRevised(review, { stepId, person, round: req.round, note: text.value, now, assessorKnown: c.assessorKnown }),
      commit: (review, etag, effects) => deps.stores.planReviews.commit(review, etag, stepId, effects, now),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, context, delivery } = r.value;
  const review = decision.state;
  const round = review.rounds.find((x) => x.round === req.round)!;
  const card = service.returnedCard(review, round, context.caseFile, t);
  const told = decision.assessorNotice !== undefined && !delivery.undelivered.has(decision.assessorNotice);
  return accept(told ? card : withWarning(card, t.personNotReached(review.assessorName)));
}
