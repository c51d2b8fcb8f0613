import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import type { ProviderAnswerDecision, ProviderAnswerInput } from '../../routines/b-plan-review/decisions';
import type { CaseLabelSource } from '../../routines/shared/cases';
import { isAdministration, type StaffMember } from '../../routines/shared/organisation';
import { checkFreeText } from '../../routines/shared/privacy';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import type { StoredReview } from '../../storage/planReviews';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';
import type { PlanReviewService } from './service';

/**
 * The shape of a provider contact's answer on a card (a delay's reason, a revised plan): the text
 * checked before anything is read (a refused text reveals nothing about the review) → read
 * (review, its case) → decide → commit once → effects →
 * the card that replaces the pressed one, with a warning when the assessor could not be told.
 */
export async function providerAnswer(
  deps: DialogDeps,
  service: PlanReviewService,
  relay: OutboxRelay,
  person: StaffMember,
  req: { unit: string; reviewId: string; note: string },
  t: Texts,
  decide: (review: StoredReview, input: ProviderAnswerInput) => Decision<ProviderAnswerDecision>,
  card: (review: StoredReview, caseFile: CaseLabelSource | undefined, t: Texts) => CardAttachment,
): Promise<Decision<CardAttachment>> {
  const text = checkFreeText(req.note, 'note');
  if (!text.ok) return text;
  const unit = req.unit;
  if (!isAdministration(unit)) return refuse('notFoundOrNotAllowed');
  const now = deps.clock();
  const stepId = deps.newId();
  const r = await runStep(
    {
      load: () => deps.stores.planReviews.get(unit, req.reviewId),
      // The assessor is not looked up first: a card to someone who is not in the directory (or never talked to the bot) is "not reached", and the journal and the reply name them.
      // The case's label from the review (registered with it); reviews registered before read the case file.
      context: async (review) => ({ caseFile: review.label ?? (await service.caseOf(review)) }),
      decide: (review) => decide(review, { stepId, person, note: text.value, now, assessorKnown: true }),
      commit: (review, etag, effects) => deps.stores.planReviews.commit(review, etag, stepId, effects, now),
      reply: (d, c) => card(d.state as StoredReview, c.caseFile, t),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, context, delivery } = r.value;
  const review = decision.state as StoredReview;
  const answer = card(review, context.caseFile, t);
  const told = decision.assessorNotice !== undefined && !delivery.undelivered.has(decision.assessorNotice);
  return accept(told ? answer : withWarning(answer, t.personNotReached(review.assessorName)));
}
