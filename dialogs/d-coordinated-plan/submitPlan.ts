import { submit } from '../../routines/d-coordinated-plan/decisions';
import type { PlanContent } from '../../routines/d-coordinated-plan/rules';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { formStepId } from '../../storage/outbox';
import type { OutboxRelay } from '../outboxRelay';
import { settingsOf, type DialogDeps } from '../ports';
import { runStep } from '../step';
import type { CoordinatedPlanService } from './service';

export interface SubmitOutcome {
  plan: StoredPlan;
  /** Administrations where a supervisor got the approval card. */
  sentTo: Administration[];
  /** Where the consent did not cover it (no card, no task). */
  noConsent: Administration[];
  /** Where no supervisor could be reached (the approval task waits in the unit's overview). */
  unreachable: Administration[];
}

/**
 * Use case: the initiator submits the plan (a new version) for approval, from the plan form.
 * Read (plan, its case, consents) → decide (`submit`, routines/d-coordinated-plan/decisions.ts) →
 * commit once → effects (approval cards with consent checked at sending, approval tasks, journal)
 * → where the version went, for the initiator's answer.
 */
export async function submitPlan(deps: DialogDeps, service: CoordinatedPlanService, relay: OutboxRelay, person: StaffMember, spId: string, content: PlanContent, formId?: string): Promise<Decision<SubmitOutcome>> {
  const now = deps.clock();
  // From the plan form: one step per form card, so the same form submitted again submits nothing more.
  const stepId = formId ? formStepId(formId) : deps.newId();
  const settings = settingsOf(deps);
  const r = await runStep(
    {
      load: () => deps.stores.plans.get(spId),
      context: async (plan) => {
        const [caseFile, consents] = await Promise.all([service.caseOf(plan), service.consentsFor(plan)]);
        return { caseFile, consents };
      },
      decide: (plan, c) => submit(plan, { stepId, person, content, now, consents: c.consents, taskLabels: service.taskLabels(plan, c.caseFile), approvalWorkingDays: settings.approvalWorkingDays, policy: { workingDaysBefore: settings.reminderWorkingDaysBefore } }),
      commit: (plan, etag, effects) => deps.stores.plans.commit(plan, etag, stepId, effects, now, formId ? { byName: person.name } : undefined),
      committedBefore: () => deps.stores.plans.stepRow(stepId),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, delivery } = r.value;
  const out: SubmitOutcome = { plan: decision.state, sentTo: [], noConsent: [...decision.noConsent], unreachable: [] };
  for (const [admin, effect] of Object.entries(decision.cardTo) as Array<[Administration, string]>) {
    const o = delivery.outcomes.get(effect);
    if (o?.delivered) out.sentTo.push(admin);
    else if (o?.reason === 'consent') out.noConsent.push(admin);
    else out.unreachable.push(admin);
  }
  return accept(out);
}
