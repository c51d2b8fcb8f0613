import type { CardAttachment } from '../../cards/expand';
import type { Texts } from '../../locale';
import { giveDelayReason } from '../../routines/b-plan-review/decisions';
import type { StaffMember } from '../../routines/shared/organisation';
import type { Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { providerAnswer } from './providerAnswer';
import type { PlanReviewService } from './service';

export interface DelayReasonRequest {
  unit: string;
  reviewId: string;
  note: string;
}

/**
 * Use case: a contact of the provider gives the reason for a delay from the delay card — decided
 * by `giveDelayReason` (routines/b-plan-review/decisions.ts); answered with the delay card as it
 * is now (see `providerAnswer` for the read → decide → commit → effects).
 */
export function answerDelay(deps: DialogDeps, service: PlanReviewService, relay: OutboxRelay, person: StaffMember, req: DelayReasonRequest, t: Texts): Promise<Decision<CardAttachment>> {
  return providerAnswer(deps, service, relay, person, req, t, giveDelayReason, (review, caseFile, vt) => service.delayCard(review, caseFile, vt));
}
