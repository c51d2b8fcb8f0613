import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import { approve } from '../../routines/d-coordinated-plan/decisions';
import { planCode } from '../../routines/d-coordinated-plan/rules';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { taskCaseLabel } from '../../routines/shared/tasks';
import { withRetries } from '../../storage/contention';
import type { OutboxRelay } from '../outboxRelay';
import { settingsOf, type DialogDeps } from '../ports';
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
 * Read (plan, its case) → decide (routines/d-coordinated-plan/decisions.ts `approve`) → commit the
 * plan and every effect once (a lost race reads and decides again) → carry out the effects → the
 * card that replaces the pressed one, with a warning when the initiator could not be told.
 */
export async function approvePlan(deps: DialogDeps, service: CoordinatedPlanService, relay: OutboxRelay, person: StaffMember, req: ApprovalRequest, t: Texts): Promise<Decision<CardAttachment>> {
  const now = deps.clock();
  const stepId = deps.newId();
  const committed = await withRetries(async () => {
    const s = await deps.stores.plans.get(req.spId);
    // A plan that does not exist answers as one the person has no part in.
    if (!s) return refuse('notFoundOrNotAllowed');
    const c = await service.caseOf(s.value);
    const reference = c && !c.protectedIdentity ? c.reference : undefined;
    const d = approve(s.value, {
      stepId,
      person,
      version: req.version,
      administration: req.administration,
      decision: req.decision,
      comment: req.note,
      now,
      followUpLabels: { label: service.label({ ...s.value, reference }), caseLabel: taskCaseLabel(c, planCode(s.value)) },
      policy: { workingDaysBefore: settingsOf(deps).reminderWorkingDaysBefore },
    });
    if (!d.ok) return d;
    const outbox = await deps.stores.plans.commit(d.value.state, s.etag, stepId, d.value.effects, now);
    return accept({ decision: d.value, outbox, caseFile: c });
  });
  if (!committed.ok) return committed;
  const { decision, outbox, caseFile } = committed.value;
  const delivery = await relay.deliver(outbox);
  const plan = decision.state;
  const card = service.approvalCard(plan, req.administration, req.version, caseTextFrom(plan, caseFile, person, t), t);
  const notReached = decision.initiatorNotice !== undefined && delivery.undelivered.has(decision.initiatorNotice);
  return accept(notReached ? withWarning(card, t.personNotReached(plan.initiatorName)) : card);
}
