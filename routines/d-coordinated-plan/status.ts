import type { Effects } from '../shared/effects';
import { hasRole, type StaffMember } from '../shared/organisation';
import type { CoordinatedPlan } from './rules';

/**
 * The initiator's status card (issue 17): one card per plan version — version 0 is the
 * invitation, before any version is documented — to the initiator and the supervisors of the
 * initiating administration, its activity ids kept on the plan (`remember`), and updated in place
 * by every answer to the invitation and every approval or return, so an approval that does not
 * settle the plan reaches the initiator too. Rendered by dialogs/d-coordinated-plan/effectCards.ts.
 */
export const D_STATUS_CARDS = {
  /** To the initiator and the initiating administration's supervisors: the status of one version (data: spId, version); the ids are kept on the plan. */
  statusCard: 'd.statusCard',
  /** The status cards of the plan re-rendered for every viewer (data: spId, and version: only that version's cards). */
  statusCards: 'd.statusCards',
} as const;

/**
 * Sends the status card of `version` to the owners of the plan (`planAccess` 'owner'): the
 * initiator, and the supervisors of the initiating administration. When the initiator is one of
 * those supervisors, the card to the role reaches her, and she gets no second one. No consent is
 * needed: the card stays in the initiating administration. Returns the notify effects' ids.
 */
export function sendStatusCard(fx: Effects, plan: Pick<CoordinatedPlan, 'spId' | 'caseId' | 'initiatorId' | 'initiatingAdministration'>, initiator: StaffMember, version: number): string[] {
  const card = { kind: D_STATUS_CARDS.statusCard, data: { spId: plan.spId, version } };
  // The card names the case (its label): whoever it reaches is in the access log (a consultation has no case).
  const opts = { remember: true, ...(plan.caseId ? { about: plan.caseId } : {}) };
  const ids: string[] = [];
  if (!(initiator.id === plan.initiatorId && hasRole(initiator, 'supervisor', plan.initiatingAdministration))) ids.push(fx.notify(plan.initiatorId, card, opts));
  ids.push(fx.notifyRole({ role: 'supervisor', unit: plan.initiatingAdministration }, card, opts));
  return ids;
}

/** Updates the status cards in place: those of one version (a decision), or every one of the plan (an answer to the invitation, closing). */
export function refreshStatusCards(fx: Effects, spId: string, version?: number): string {
  return fx.refreshCards({ kind: D_STATUS_CARDS.statusCards, data: version === undefined ? { spId } : { spId, version } });
}
