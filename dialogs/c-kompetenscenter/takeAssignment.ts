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
 * Use case: a KC consultant takes the assignment from its card ('c.take'). The step is
 * `applyAction` (decide → commit once → effects: every assignment card refreshed, the social worker
 * told, the journal); the answer is the card that replaces the pressed one ("taken by … at …", no
 * button), with a warning when the social worker could not be told.
 */
export async function takeAssignment(deps: DialogDeps, service: KompetenscenterService, relay: OutboxRelay, person: StaffMember, referralId: string, t: Texts): Promise<Decision<CardAttachment>> {
  const d = await applyAction(deps, service, relay, person, referralId, { kind: 'take' }, (referral, caseFile) => service.assignmentCard(referral, caseFile, person, t));
  if (!d.ok) return d;
  const { referral, caseFile, delivery } = d.value;
  const card = service.assignmentCard(referral, caseFile, person, t);
  return accept(delivery.notReached.length ? withWarning(card, t.personNotReached(referral.socialWorkerName)) : card);
}
