import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import { giveDelayReason } from '../../routines/b-plan-review/decisions';
import { isAdministration, type StaffMember } from '../../routines/shared/organisation';
import { checkFreeText } from '../../routines/shared/privacy';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';
import type { PlanReviewService } from './service';

export interface DelayReasonRequest {
  unit: string;
  reviewId: string;
  note: string;
}

/**
 * Use case: a contact of the provider gives the reason for a delay from the delay card.
 * Read (review, its case, whether the assessor is in the directory) → decide (`giveDelayReason`,
 * routines/b-plan-review/decisions.ts) → commit once → effects → the delay card that replaces the
 * pressed one, with a warning when the assessor could not be told.
 */
export async function answerDelay(deps: DialogDeps, service: PlanReviewService, relay: OutboxRelay, person: StaffMember, req: DelayReasonRequest, t: Texts): Promise<Decision<CardAttachment>> {
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
      decide: (review, c) => giveDelayReason(review, { stepId, person, note: text.value, now, assessorKnown: c.assessorKnown }),
      commit: (review, etag, effects) => deps.stores.planReviews.commit(review, etag, stepId, effects, now),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, context, delivery } = r.value;
  const review = decision.state;
  const card = service.delayCard(review, context.caseFile, t);
  const told = decision.assessorNotice !== undefined && !delivery.undelivered.has(decision.assessorNotice);
  return accept(told ? card : withWarning(card, t.personNotReached(review.assessorName)));
}
