import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent } from '../shared/journal';
import type { StaffMember } from '../shared/organisation';
import { accept, refuse, type Decision } from '../shared/refusal';
import { taskPrefix } from './deadlines';
import { C_CARDS, journalActor } from './decisions';
import { referralAccess, type Referral } from './rules';

/**
 * The individual revokes the consent to KC (seed annex 1: the referral rests on the consent; the
 * bot checks consent at every sending). Only the social worker's side records it
 * (`referralAccess` 'revokeConsent'), once. Nothing about the person stays live at KC: KC's open
 * tasks of the referral are cancelled and every card KC holds is replaced by one without case
 * data; the journal records how many consents ended. `consentsRevoked`: how many the use case
 * ended just before (0 after a crash between that and this step's commit: the step still runs);
 * `kcCards`: how many cards KC holds about it (kept on the stored referral).
 */
export function revokeConsent<R extends Referral>(r: R, input: { stepId: string; person: StaffMember; now: Date; consentsRevoked: number; kcCards: number }): Decision<StepDecision<R>> {
  const { person, now } = input;
  const access = referralAccess(r, person, 'revokeConsent');
  if (!access.ok) return access;
  if (r.consentRevokedAt || (!r.consentId && input.consentsRevoked === 0)) return refuse('alreadyDone', { by: '', at: r.consentRevokedAt ?? '' });
  const next = { ...r, consentRevokedAt: now.toISOString() };
  const fx = new Effects(input.stepId);
  fx.closeTasks('kc', taskPrefix(r), 'cancelled', person.id, now);
  fx.refreshCards({ kind: C_CARDS.consentRevokedCards, data: { referralId: r.referralId } });
  fx.journal(journalEvent(r.caseId, journalActor(person, 'sf', r), 'C', 'c.consentRevoked', now, { consents: input.consentsRevoked, kcCardsReplaced: input.kcCards }));
  return accept({ state: next, effects: fx.all });
}
