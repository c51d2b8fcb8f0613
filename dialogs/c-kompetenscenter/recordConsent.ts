import type { CConsentSubmission } from '../../cards/c-kompetenscenter/forms';
import { decideAction } from '../../routines/c-kompetenscenter/decisions';
import { isPossible, type CAction } from '../../routines/c-kompetenscenter/rules';
import { recordConsent } from '../../routines/shared/consent';
import type { StaffMember } from '../../routines/shared/organisation';
import { checkFreeText } from '../../routines/shared/privacy';
import { refuse, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import { settingsOf, type DialogDeps } from '../ports';
import { applyAction, groupNames, type ActionResult } from './applyAction';
import type { KompetenscenterService } from './service';

/**
 * Use case: step 2 of the seed — the consent to KC (the shared consent record, its own table) and
 * the work plan updated with the client. The step is first decided on the referral as read, so a
 * refused form (a date in the future, a step out of order) stores no consent; then the consent is
 * stored, and only then the step that names it (`applyAction`): a crash between the two leaves a
 * consent no referral names yet (the form is simply sent again), never a referral naming a consent
 * that does not exist.
 */
export async function recordReferralConsent(deps: DialogDeps, service: KompetenscenterService, relay: OutboxRelay, person: StaffMember, referralId: string, sub: CConsentSubmission): Promise<Decision<ActionResult>> {
  const now = deps.clock();
  const opened = await service.openFor(person, referralId, 'consent');
  if (!opened.ok) return opened;
  const r = opened.value;
  if (!isPossible(r, 'consent')) return refuse('outOfOrder');
  const info = checkFreeText(sub.information, 'information');
  if (!info.ok) return info;
  const givenAt = new Date(`${sub.givenAt}T10:00:00.000Z`);
  const recorded = recordConsent(
    { recipients: ['kc'], information: info.value, givenBy: sub.givenBy, method: sub.method, givenAt: (givenAt < now ? givenAt : now).toISOString(), toldHowToRevoke: true },
    { consentId: deps.newId(), caseId: r.caseId, routine: 'C', capturedBy: person.id },
    now,
  );
  if (!recorded.ok) return recorded;
  const action: CAction = { kind: 'consent', consentId: recorded.value.consentId, workPlanUpdatedOn: sub.workPlanUpdatedOn };
  const tried = decideAction(r, {
    stepId: 'try',
    person,
    action,
    now,
    kcMayKnow: true,
    caseFile: undefined,
    openTasks: [],
    settings: service.settings,
    policy: { workingDaysBefore: settingsOf(deps).reminderWorkingDaysBefore },
    groupNames: groupNames(r),
  });
  if (!tried.ok) return tried;
  await deps.stores.consents.add(recorded.value);
  return applyAction(deps, service, relay, person, referralId, action);
}
