import { start } from '../../routines/d-coordinated-plan/decisions';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import type { OutboxRelay } from '../outboxRelay';
import { carryOut } from '../step';
import { settingsOf, type DialogDeps } from '../ports';
import type { CoordinatedPlanService } from './service';

export interface StartOutcome {
  invited: Administration[];
  unreachable: Administration[];
  noConsent: Administration[];
}

/**
 * Use case: the initiator starts a plan (the case and its consent are recorded by the dialog
 * first). Decide (`start`, routines/d-coordinated-plan/decisions.ts) → create the plan with the
 * step's outbox in one transaction → effects (invitations with consent checked at sending, the
 * reply task, journal) → where the invitation went.
 */
export async function startPlan(deps: DialogDeps, service: CoordinatedPlanService, relay: OutboxRelay, person: StaffMember, plan: StoredPlan, consentRecorded?: { givenBy: string; method: string }): Promise<StartOutcome> {
  const now = deps.clock();
  const stepId = deps.newId();
  const settings = settingsOf(deps);
  const [caseFile, consents] = await Promise.all([service.caseOf(plan), service.consentsFor(plan)]);
  const d = start(plan, { stepId, person, now, consents, consentRecorded, taskLabels: service.taskLabels(plan, caseFile), invitationReplyWorkingDays: settings.invitationReplyWorkingDays, policy: { workingDaysBefore: settings.reminderWorkingDaysBefore } });
  if (!d.ok) throw new Error(`a new plan is always started (${d.code})`);
  const outbox = await deps.stores.plans.commitNew(plan, stepId, d.value.effects, now);
  const delivery = await carryOut(relay, outbox);
  const out: StartOutcome = { invited: [], unreachable: [], noConsent: [...d.value.noConsent] };
  for (const [admin, effect] of Object.entries(d.value.noticeTo) as Array<[Administration, string]>) {
    const o = delivery.outcomes.get(effect);
    (o?.delivered ? out.invited : o?.reason === 'consent' ? out.noConsent : out.unreachable).push(admin);
  }
  return out;
}
