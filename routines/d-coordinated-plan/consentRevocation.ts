import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent } from '../shared/journal';
import type { StaffMember } from '../shared/organisation';
import { accept, refuse, type Decision } from '../shared/refusal';
import { D_CARDS, planActor } from './decisions';
import { participants, planAccess, type CoordinatedPlan } from './rules';

/**
 * The individual revokes the consent of a plan's case (seed 004: the plan is made with the
 * individual's consent; the bot checks consent again at every sending, so once the case's consents
 * are revoked no further card about the person reaches the other administrations). Only the
 * initiator's side may record it (`planAccess` 'owner'). The step: the approval tasks that needed
 * the consent are cancelled in every administration of the plan, every live invitation and approval
 * card is replaced by one saying the consent is revoked (nothing about the person), and the journal
 * records how many consents ended. `consentsRevoked`: how many the use case ended just before.
 */
export function revokeConsent(plan: CoordinatedPlan, input: { stepId: string; person: StaffMember; now: Date; consentsRevoked: number }): Decision<StepDecision<CoordinatedPlan>> {
  const { person, now } = input;
  const access = planAccess(plan, person, 'owner');
  if (!access.ok) return access;
  if (!plan.caseId) return refuse('notFoundOrNotAllowed');
  const fx = new Effects(input.stepId);
  for (const unit of participants(plan)) fx.closeTasks(unit, `d-approve-${plan.spId}-`, 'cancelled', person.id, now);
  fx.refreshCards({ kind: D_CARDS.consentRevokedCards, data: { spId: plan.spId } });
  fx.journal(journalEvent(plan.caseId, planActor(person, plan.initiatingAdministration), 'D', 'd.consentRevoked', now, { consents: input.consentsRevoked }));
  return accept({ state: plan, effects: fx.all });
}
