import type { CardAttachment } from '../../cards/expand';
import type { Texts } from '../../locale';
import { reportRevised } from '../../routines/b-plan-review/decisions';
import type { StaffMember } from '../../routines/shared/organisation';
import type { Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { providerAnswer } from './providerAnswer';
import type { PlanReviewService } from './service';

export interface RevisedRequest {
  unit: string;
  reviewId: string;
  round: number;
  note: string;
}

/**
 * Use case: a contact of the provider says the plan is revised, from the card of a returned round —
 * decided by `reportRevised` (routines/b-plan-review/decisions.ts); answered with that round's card
 * as it is now (see `providerAnswer` for the read → decide → commit → effects).
 */
export function reviseReturned(deps: DialogDeps, service: PlanReviewService, relay: OutboxRelay, person: StaffMember, req: RevisedRequest, t: Texts): Promise<Decision<CardAttachment>> {
  return providerAnswer(
    deps,
    service,
    relay,
    person,
    req,
    t,
    (review, input) => reportRevised(review, { ...input, round: req.round }),
    (review, caseFile, vt) => service.returnedCard(review, review.rounds.find((x) => x.round === req.round)!, caseFile, vt),
  );
}
