import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import type { StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { applyAction } from './applyAction';
import type { KompetenscenterService } from './service';

/**
 * Use case: the KC coordinator confirms the dialogue about a protected case from its card
 * ('c.coordinator.confirm', annex 1: before the decision). The step is `applyAction` (decide →
 * commit once → effects: every coordinator card refreshed, the social worker told, the journal);
 * the answer is the card that replaces the pressed one ("confirmed by … at …", no button), with a
 * warning when the social worker could not be told.
 */
export async function confirmCoordinator(deps: DialogDeps, service: KompetenscenterService, relay: OutboxRelay, person: StaffMember, referralId: string, t: Texts): Promise<Decision<CardAttachment>> {
  const d = await applyAction(deps, service, relay, person, referralId, { kind: 'coordinatorConfirm' }, (referral, caseFile) => service.coordinatorCard(referral, caseFile, person, t));
  if (!d.ok) return d;
  const { referral, caseFile, delivery } = d.value;
  const card = service.coordinatorCard(referral, caseFile, person, t);
  return accept(delivery.notReached.length ? withWarning(card, t.personNotReached(referral.socialWorkerName)) : card);
}
