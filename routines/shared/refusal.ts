/**
 * A typed refusal: a rule's "no", with a code the bot turns into a sentence in the person's
 * language and parameters for that sentence. Rules return refusals; they never throw them.
 */
export const REFUSAL_CODES = [
  'notAllowed',
  'noRole',
  'roleDoesNotFitUnit',
  'unknownUnit',
  'alreadyHasRole',
  'doesNotHaveRole',
  'cannotRemoveOwnAdmin',
  'consentMissing',
  'consentRevoked',
  'personalIdentityNumber',
  'invalidInitials',
  'invalidReference',
  'textTooLong',
  'staleCard',
  'alreadyDone',
  'notFound',
  // the one answer for a case, referral, plan or queue entry the person may not see, whether or not it exists
  'notFoundOrNotAllowed',
  'outOfRange',
  'dateInFuture',
  'noFreePlace',
  'releaseExceedsOccupied',
  'providerSelectable',
  'alreadyInQueue',
  'noOfferPossible',
  'reportOfConcernFirst',
  'pickOtherAdministration',
  'identifyingContent',
  'reasonRequired',
  'planLocked',
  'awaitingApproval',
  'executionBeforeDecision',
  'lastPlanDateMissing',
  'reviewComplete',
  // routine C
  'outOfOrder',
  'afterExpiry',
  'coordinatorFirst',
  'afConsultationFirst',
  'threePartyMeetingFirst',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  ok: false;
  code: RefusalCode;
  params: Record<string, string | number>;
}
export interface Accepted<T> {
  ok: true;
  value: T;
}
export type Decision<T> = Accepted<T> | Refusal;

export function refuse(code: RefusalCode, params: Record<string, string | number> = {}): Refusal {
  return { ok: false, code, params };
}
export function accept<T>(value: T): Accepted<T> {
  return { ok: true, value };
}
