import { revokeConsent } from '../../routines/c-kompetenscenter/consentRevocation';
import type { StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import { formStepId } from '../../storage/outbox';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';
import type { KompetenscenterService } from './service';

/**
 * Use case: the social worker records that the individual revoked the consent to KC (confirmed
 * first, in the dialog). Who may is decided before anything is written; then every consent of the
 * case ends (each on its ETag; one already ended is left) — from that moment nothing about the
 * person is sent to KC, as consent is checked at every sending — and the step (`revokeConsent`,
 * routines/c-kompetenscenter/consentRevocation.ts) is committed once, on the confirmation form's
 * id: KC's tasks cancelled, KC's cards replaced, the journal. Returns how many consents ended.
 */
export async function revokeReferralConsent(deps: DialogDeps, service: KompetenscenterService, person: StaffMember, referralId: string, formId?: string): Promise<Decision<number>> {
  const opened = await service.openFor(person, referralId, 'revokeConsent');
  if (!opened.ok) return opened;
  const { caseId } = opened.value;
  const now = deps.clock();
  const stepId = formId ? formStepId(formId) : deps.newId();
  const revoked = await deps.stores.consents.revokeAll(caseId, person.id, now);
  const r = await runStep(
    {
      load: () => deps.stores.referrals.get(referralId),
      context: async () => undefined,
      decide: (referral) => revokeConsent(referral, { stepId, person, now, consentsRevoked: revoked, kcCards: (referral.cards ?? []).length }),
      commit: (referral, etag, effects) => deps.stores.referrals.commit(referral, etag, stepId, effects, now, formId ? { byName: person.name } : undefined),
      committedBefore: () => deps.stores.referrals.stepRow(stepId),
    },
    service.relay,
  );
  return r.ok ? accept(revoked) : r;
}
