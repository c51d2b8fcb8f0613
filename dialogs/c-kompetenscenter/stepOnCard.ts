import type { CardAttachment } from '../../cards/expand';
import { withWarning } from '../../cards/message';
import type { Texts } from '../../locale';
import type { CardStepSubmission } from '../../cards/c-kompetenscenter/forms';
import type { StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { applyAction } from './applyAction';
import type { KompetenscenterService } from './service';

/**
 * Use case: the party a step was handed to takes their next step on the hand-over card itself
 * ('c.step': a step without input — KC has gone through the assignment before the intake meeting,
 * the case is closed in GWA, the effort is closed in Treserva). The step is `applyAction`: the
 * person must have that step's part in the referral now (`referralAccess`: anyone without a part is
 * answered as for a referral that does not exist) and the rule must allow it (`act`); decide →
 * commit once → effects (the other party told, tasks, the journal). The answer replaces the pressed
 * card: what was done, with no button left, and a warning when the other party could not be told.
 */
export async function stepOnCard(deps: DialogDeps, service: KompetenscenterService, relay: OutboxRelay, person: StaffMember, referralId: string, kind: CardStepSubmission['step'], t: Texts): Promise<Decision<CardAttachment>> {
  const d = await applyAction(deps, service, relay, person, referralId, { kind }, (referral, caseFile, outcome) => service.doneCard(referral, caseFile, outcome, person, t));
  if (!d.ok) return d;
  const { referral, caseFile, outcome, delivery } = d.value;
  const card = service.doneCard(referral, caseFile, outcome, person, t);
  const other = outcome.notify === 'sf' ? referral.socialWorkerName : (referral.consultantName ?? '');
  return accept(delivery.notReached.length ? withWarning(card, t.personNotReached(other)) : card);
}
