import { revokeConsent } from '../../routines/d-coordinated-plan/consentRevocation';
import type { StaffMember } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';
import { formStepId } from '../../storage/outbox';
import type { CoordinatedPlanService } from './service';

/**
 * Use case: the initiator's side records that the individual revoked consent (confirmed first, in
 * the dialog). Who may is decided before anything is written; then every consent of the case ends
 * (each on its ETag, one already ended is left: a repeat after a crash ends nothing twice) — from
 * that moment no card about the person is sent, as consent is checked at every sending — and the
 * step (`revokeConsent`, routines/d-coordinated-plan/consentRevocation.ts) is committed once: the
 * approval tasks cancelled, every live card replaced, the journal. Returns how many consents ended.
 */
export async function revokePlanConsent(deps: DialogDeps, service: CoordinatedPlanService, relay: OutboxRelay, person: StaffMember, spId: string, formId?: string): Promise<Decision<number>> {
  const opened = await service.openFor(person, spId, 'owner');
  if (!opened.ok) return opened;
  const caseId = opened.value.caseId;
  if (!caseId) return refuse('notFoundOrNotAllowed');
  const now = deps.clock();
  // From the confirmation form: one step per form, so the same confirmation again (a second click,
  // or after a crash) is answered "already done" and journals nothing twice.
  const stepId = formId ? formStepId(formId) : deps.newId();
  const revoked = await deps.stores.consents.revokeAll(caseId, person.id, now);
  const r = await runStep(
    {
      load: () => deps.stores.plans.get(spId),
      context: async () => undefined,
      decide: (plan) => revokeConsent(plan, { stepId, person, now, consentsRevoked: revoked }),
      commit: (plan, etag, effects) => deps.stores.plans.commit(plan, etag, stepId, effects, now, formId ? { byName: person.name } : undefined),
      committedBefore: () => deps.stores.plans.stepRow(stepId),
    },
    relay,
  );
  return r.ok ? accept(revoked) : r;
}
