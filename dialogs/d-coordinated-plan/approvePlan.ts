import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import { approve } from '../../routines/d-coordinated-plan/decisions';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import { settingsOf, type DialogDeps } from '../ports';
import { runStep } from '../step';
import type { CaseFile } from '../../routines/shared/cases';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { caseTextFrom, type CoordinatedPlanService } from './service';

export interface ApprovalRequest {
  spId: string;
  version: number;
  administration: Administration;
  decision: 'approved' | 'returned';
  note: string;
}

/**
 * Use case: a supervisor approves or returns a version of a plan from its approval card.
 * Read (plan, its case) → decide (`approve`, routines/d-coordinated-plan/decisions.ts) → commit
 * once → effects → the card that replaces the pressed one, with a warning when the initiator
 * could not be told.
 */
export async function approvePlan(deps: DialogDeps, service: CoordinatedPlanService, relay: OutboxRelay, person: StaffMember, req: ApprovalRequest, t: Texts): Promise<Decision<CardAttachment>> {
  const now = deps.clock();
  const stepId = deps.newId();
  const cardOf = (plan: StoredPlan, caseFile: CaseFile | undefined) =>
    service.approvalCard(plan, req.administration, req.version, caseTextFrom(plan, caseFile, person, t), t);
  const r = await runStep(
    {
      load: () => deps.stores.plans.get(req.spId),
      context: (plan) => service.caseOf(plan),
      decide: (plan, c) =>
        approve(plan, { stepId, person, version: req.version, administration: req.administration, decision: req.decision, comment: req.note, now, followUpLabels: service.taskLabels(plan, c), policy: { workingDaysBefore: settingsOf(deps).reminderWorkingDaysBefore } }),
      commit: (plan, etag, effects) => deps.stores.plans.commit(plan, etag, stepId, effects, now),
      reply: (d, caseFile) => cardOf(d.state, caseFile),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, context: caseFile, delivery } = r.value;
  const plan = decision.state;
  const card = cardOf(plan, caseFile);
  const notReached = decision.initiatorNotice !== undefined && delivery.undelivered.has(decision.initiatorNotice);
  return accept(notReached ? withWarning(card, t.personNotReached(plan.initiatorName)) : card);
}
