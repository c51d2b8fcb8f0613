import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import { answer } from '../../routines/d-coordinated-plan/decisions';
import type { InvitationAnswer } from '../../routines/d-coordinated-plan/rules';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';
import { caseTextFrom, type CoordinatedPlanService } from './service';

export interface InvitationAnswerRequest {
  spId: string;
  administration: Administration;
  answer: InvitationAnswer;
  note: string;
}

/**
 * Use case: someone of an invited administration answers the invitation from its card.
 * Read (plan, its case) → decide (`answer`, routines/d-coordinated-plan/decisions.ts) → commit
 * once → effects → the card that replaces the pressed one (with a warning when the initiator could
 * not be told).
 */
export async function answerInvitation(deps: DialogDeps, service: CoordinatedPlanService, relay: OutboxRelay, person: StaffMember, req: InvitationAnswerRequest, t: Texts): Promise<Decision<CardAttachment>> {
  const now = deps.clock();
  const stepId = deps.newId();
  const r = await runStep(
    {
      load: () => deps.stores.plans.get(req.spId),
      context: (plan) => service.caseOf(plan),
      decide: (plan) => answer(plan, { stepId, person, administration: req.administration, answer: req.answer, note: req.note, now }),
      commit: (plan, etag, effects) => deps.stores.plans.commit(plan, etag, stepId, effects, now),
      reply: (d, caseFile) => service.invitationCard(d.state, req.administration, caseTextFrom(d.state, caseFile, person, t), t),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, context: caseFile, delivery } = r.value;
  const plan = decision.state;
  const card = service.invitationCard(plan, req.administration, caseTextFrom(plan, caseFile, person, t), t);
  return accept(delivery.undelivered.has(decision.initiatorNotice) ? withWarning(card, t.personNotReached(plan.initiatorName)) : card);
}
