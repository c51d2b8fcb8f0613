import { mayTell, type Consent } from '../shared/consent';
import type { CaseFile, CaseLabelSource } from '../shared/cases';
import { ADMINISTRATIONS, hasRole, providerUnit, unitsWithRole, type StaffMember, type UnitId } from '../shared/organisation';
import { accept, refuse, type Decision } from '../shared/refusal';
import { addWorkingDays, type IsoDate } from '../shared/workingDays';

/**
 * Routine A — daily activity places and waiting lists (LSS). Seeds 000 (2018 routine) and 003
 * (2025 instruction, which wins: work guidance officers, not providers, administer the queue).
 * Pure rules: given the provider and its queue, say what may happen and what follows.
 */

export type ProviderKind = 'private' | 'municipal';

export interface Provider {
  providerId: string;
  name: string;
  kind: ProviderKind;
  /** Private: capacity ceiling granted by IVO for places made available to the city; municipal: number of places. */
  places: number;
  /** Occupied places (executed decisions), registered by work guidance officers. */
  occupied: number;
  /** Entries waiting (including one under offer). */
  waiting: number;
  /** The entry currently offered a place, if any: a place is never offered to two at once. */
  openOffer: string | null;
  /** Next queue sequence number (position tiebreak within a request date). */
  nextSeq: number;
  /** Municipal providers report place changes to a designated responsible in this unit. */
  responsibleUnit: UnitId;
}

export const MAX_PLACES = 500;

export type ProviderStatus = 'freeWithoutQueue' | 'freeWithQueue' | 'noFreePlace';

/** Status, derived — never stored by hand. */
export function providerStatus(p: Pick<Provider, 'places' | 'occupied' | 'waiting'>): ProviderStatus {
  if (p.occupied >= p.places) return 'noFreePlace';
  return p.waiting > 0 ? 'freeWithQueue' : 'freeWithoutQueue';
}

/** Selectable (valbar) only while a place is free and nobody waits. */
export function isSelectable(p: Pick<Provider, 'places' | 'occupied' | 'waiting'>): boolean {
  return providerStatus(p) === 'freeWithoutQueue';
}

/** The public comparison service shows free / not free; a free place with a queue is published as not free. */
export function publicAvailability(p: Pick<Provider, 'places' | 'occupied' | 'waiting'>): 'free' | 'notFree' {
  return isSelectable(p) ? 'free' : 'notFree';
}

// --- who may do what -------------------------------------------------------------------------

/** The queue is administered only by work guidance officers (2025 instruction). */
export function mayAdministerQueue(person: StaffMember): boolean {
  return hasRole(person, 'workGuidanceOfficer');
}

/** Officers register; social workers may also guide an individual into a queue (2018 routine). */
export function mayRegisterInQueue(person: StaffMember): boolean {
  return mayAdministerQueue(person) || hasRole(person, 'socialWorker');
}

export function isContactOf(person: StaffMember, providerId: string): boolean {
  return hasRole(person, 'providerContact', providerUnit(providerId));
}

/** Who may see a provider's queue: officers (all), the provider's own contacts (their own), nobody else. */
export function mayViewQueue(person: StaffMember, providerId: string): boolean {
  return mayAdministerQueue(person) || isContactOf(person, providerId);
}

/** Who may list every provider with places, occupied, waiting and status. */
export function mayListProviders(person: StaffMember): boolean {
  return mayAdministerQueue(person) || hasRole(person, 'contractUnit');
}

/**
 * The steps of routine A that read or change one case or one of its queue entries:
 * - `register`: put the case in a queue (typed reference);
 * - `revoke`: record a revoked consent, which removes the person from every queue (typed reference);
 * - `offer`: take, answer or follow up an offer of a freed place (card buttons, tasks);
 * - `viewEntry`: see the entry's line in a provider's queue.
 */
export type ACaseStep = 'register' | 'revoke' | 'offer' | 'viewEntry';

/**
 * Who may see and act on a routine A case — the one decision every A step asks. The parties the
 * seeds give a part: the work guidance officers of FFS, who administer every queue (2025
 * instruction); the social workers of the unit that registered the case (2018 routine: the social
 * worker guides the individual into the queue and passes on a revoked consent); and, for the line
 * in its own queue only, the provider's contacts. Nobody else: not another administration's social
 * worker, not another provider, not EKU, TID or a supervisor. A refused person is told
 * 'notFoundOrNotAllowed', the same answer as for a case that does not exist.
 */
export function mayAccessCase(person: StaffMember, caseFile: Pick<CaseFile, 'routine' | 'owningUnit'>, step: ACaseStep, providerId?: string): boolean {
  if (caseFile.routine !== 'A') return false;
  const officer = mayAdministerQueue(person);
  const ownSocialWorker = hasRole(person, 'socialWorker', caseFile.owningUnit);
  switch (step) {
    case 'register':
    case 'revoke':
      return officer || ownSocialWorker;
    case 'offer':
      return officer;
    case 'viewEntry':
      return officer || ownSocialWorker || (providerId !== undefined && isContactOf(person, providerId));
  }
}

/** The case, when this person may take this step on it; otherwise the one answer that reveals nothing. */
export function caseAccess<C extends Pick<CaseFile, 'routine' | 'owningUnit'>>(person: StaffMember, caseFile: C | undefined, step: ACaseStep, providerId?: string): Decision<C> {
  return caseFile && mayAccessCase(person, caseFile, step, providerId) ? accept(caseFile) : refuse('notFoundOrNotAllowed');
}

/**
 * Where a typed case reference is looked up for this person: a reference is only ever resolved
 * among cases the person may act on, so typing another unit's reference finds nothing (and a new
 * case of one's own unit may carry the same reference). Officers administer every queue: every
 * administration's cases; a social worker: the units of their social-worker roles.
 */
export function referenceScopes(person: StaffMember): UnitId[] {
  if (mayAdministerQueue(person)) return [...ADMINISTRATIONS];
  return unitsWithRole(person, 'socialWorker');
}

// --- places --------------------------------------------------------------------------------------

export function registerOccupied(p: Provider, count = 1): Decision<Provider> {
  if (!Number.isInteger(count) || count < 1) return refuse('notAllowed', { reason: 'count' });
  if (p.occupied + count > p.places) return refuse('noFreePlace', { provider: p.name, places: p.places, occupied: p.occupied });
  return accept({ ...p, occupied: p.occupied + count });
}

export function registerRelease(p: Provider, count = 1): Decision<Provider> {
  if (!Number.isInteger(count) || count < 1) return refuse('notAllowed', { reason: 'count' });
  if (count > p.occupied) return refuse('releaseExceedsOccupied', { provider: p.name, occupied: p.occupied });
  return accept({ ...p, occupied: p.occupied - count });
}

/** A new number of places (ceiling). Lowering it below occupancy is allowed: the provider then takes no new assignments. */
export function changePlaces(p: Provider, places: number): Decision<Provider> {
  if (!Number.isInteger(places) || places < 0 || places > MAX_PLACES) return refuse('outOfRange', { field: 'places', min: 0, max: MAX_PLACES });
  return accept({ ...p, places });
}

// --- the queue -----------------------------------------------------------------------------------

export interface QueueEntry {
  entryId: string;
  providerId: string;
  caseId: string;
  /** The date the request arrived: the queue is ordered by it, then by `seq`. */
  requestDate: IsoDate;
  seq: number;
  state: 'waiting' | 'offered';
  consentId: string;
  registeredBy: string;
  registeredAt: string;
  /** The case's label on the offer's follow-up tasks (a code for a protected case), from the registration: opening an offer needs no read of the case. */
  taskLabel?: string | undefined;
  /**
   * The case's label as its case file gives it (reference, initials, protected identity, owning
   * unit), from the registration: the offer card shows it per viewer (`caseLabelFor`) without a
   * read of the case file. Entries registered before have none and read the case.
   */
  label?: CaseLabelSource | undefined;
  /** Registered with its case's `k|` row in the queue partition (storage/waitingList.ts): it leaves with it, without a read. */
  keyed?: boolean | undefined;
  offer?:
    | {
        takenBy?: string | undefined;
        takenByName?: string | undefined;
        takenAt?: string | undefined;
        notReachedCount: number;
        /** Who recorded the latest "not reached", and when (a stale press of that answer is told). */
        lastAttemptByName?: string | undefined;
        lastAttemptAt?: string | undefined;
        /** The offer cards sent to officers, so each can be replaced when the offer is taken or answered. */
        cards?: Array<{ personId: string; activityId: string }> | undefined;
        /** The case's label on the offer's follow-up tasks (a code for a protected case), for every round. */
        taskLabel?: string | undefined;
      }
    | undefined;
}

/** Queue order: by request date, then position. Re-registering cannot jump the queue. */
export function compareQueue(a: Pick<QueueEntry, 'requestDate' | 'seq'>, b: Pick<QueueEntry, 'requestDate' | 'seq'>): number {
  return a.requestDate.localeCompare(b.requestDate) || a.seq - b.seq;
}

export interface JoinInput {
  entryId: string;
  caseId: string;
  requestDate: IsoDate;
  registeredBy: string;
}

/**
 * Joining a provider's queue: only when the provider is not selectable, only with consent that
 * covers the provider at this moment, and never twice for the same case.
 */
export function joinQueue(p: Provider, existingForCase: boolean, consents: readonly Consent[], input: JoinInput, today: IsoDate, now: Date): Decision<{ provider: Provider; entry: QueueEntry }> {
  if (isSelectable(p)) return refuse('providerSelectable', { provider: p.name });
  if (existingForCase) return refuse('alreadyInQueue', { provider: p.name });
  if (input.requestDate > today) return refuse('dateInFuture', { field: 'requestDate' });
  const consent = mayTell(consents, input.caseId, providerUnit(p.providerId), now);
  if (!consent.ok) return consent;
  const entry: QueueEntry = {
    entryId: input.entryId,
    providerId: p.providerId,
    caseId: input.caseId,
    requestDate: input.requestDate,
    seq: p.nextSeq,
    state: 'waiting',
    consentId: consent.value.consentId,
    registeredBy: input.registeredBy,
    registeredAt: now.toISOString(),
  };
  return accept({ provider: { ...p, waiting: p.waiting + 1, nextSeq: p.nextSeq + 1 }, entry });
}

/** A place can be offered when one is free, somebody waits and no offer is open. */
export function mayOffer(p: Provider): boolean {
  return p.occupied < p.places && p.waiting > 0 && p.openOffer === null;
}

/** Opens the offer to the first in line. */
export function openOffer(p: Provider, first: QueueEntry | undefined): Decision<{ provider: Provider; entry: QueueEntry }> {
  if (!first || !mayOffer(p)) return refuse('noOfferPossible', { provider: p.name });
  return accept({ provider: { ...p, openOffer: first.entryId }, entry: { ...first, state: 'offered', offer: { notReachedCount: 0 } } });
}

/** One officer takes the offer; the card then shows who took it, for everyone. */
export function takeOffer(p: Provider, entry: QueueEntry, officer: StaffMember, now: Date): Decision<QueueEntry> {
  if (!mayAdministerQueue(officer)) return refuse('notFoundOrNotAllowed');
  if (p.openOffer !== entry.entryId || entry.state !== 'offered') return refuse('staleCard');
  if (entry.offer?.takenBy) return refuse('alreadyDone', { by: entry.offer.takenByName ?? '', at: entry.offer.takenAt ?? '' });
  return accept({ ...entry, offer: { ...entry.offer, notReachedCount: entry.offer?.notReachedCount ?? 0, takenBy: officer.id, takenByName: officer.name, takenAt: now.toISOString() } });
}

export const OFFER_ANSWERS = ['stillWants', 'noLongerWants', 'consentRevoked', 'notReached'] as const;
export type OfferAnswer = (typeof OFFER_ANSWERS)[number];

/** Answers that take the person out of a queue: they first show what will happen, and act only when confirmed. */
export function answerNeedsConfirmation(answer: OfferAnswer): boolean {
  return answer === 'noLongerWants' || answer === 'consentRevoked';
}

export type OfferOutcome =
  | { kind: 'assigned'; provider: Provider; entry: QueueEntry }
  | { kind: 'closed'; provider: Provider; entry: QueueEntry; reason: 'noLongerWants' | 'consentRevoked' }
  | { kind: 'stillOpen'; provider: Provider; entry: QueueEntry };

/**
 * The answer the officer records after contacting the individual. "Still wants" sends the
 * assignment — only while consent still covers the provider — and takes the place; "no longer"
 * or "consent revoked" close the entry (the next in line is offered by the caller); "not reached"
 * keeps the offer open with a follow-up.
 */
export function answerOffer(p: Provider, entry: QueueEntry, officer: StaffMember, answer: OfferAnswer, consents: readonly Consent[], now: Date): Decision<OfferOutcome> {
  if (!mayAdministerQueue(officer)) return refuse('notFoundOrNotAllowed');
  if (p.openOffer !== entry.entryId || entry.state !== 'offered') return refuse('staleCard');
  if (entry.offer?.takenBy && entry.offer.takenBy !== officer.id) return refuse('alreadyDone', { by: entry.offer.takenByName ?? '', at: entry.offer.takenAt ?? '' });
  const base = { ...p, openOffer: null };
  switch (answer) {
    case 'stillWants': {
      const consent = mayTell(consents, entry.caseId, providerUnit(p.providerId), now);
      if (!consent.ok) return consent;
      const occupied = registerOccupied(base);
      if (!occupied.ok) return occupied;
      return accept({ kind: 'assigned', provider: { ...occupied.value, waiting: p.waiting - 1 }, entry });
    }
    case 'noLongerWants':
    case 'consentRevoked':
      return accept({ kind: 'closed', provider: { ...base, waiting: p.waiting - 1 }, entry, reason: answer });
    case 'notReached':
      return accept({ kind: 'stillOpen', provider: p, entry: { ...entry, offer: { ...(entry.offer ?? { notReachedCount: 0 }), notReachedCount: (entry.offer?.notReachedCount ?? 0) + 1 } } });
  }
}

/** Leaving the queue when consent is revoked: the entry closes (an open offer on it closes too). */
export function leaveQueue(p: Provider, entry: QueueEntry): Provider {
  return { ...p, waiting: Math.max(0, p.waiting - 1), openOffer: p.openOffer === entry.entryId ? null : p.openOffer };
}

export type AAction = 'join' | 'occupied' | 'release' | 'status' | 'list' | 'queue' | 'reportPlaces' | 'reportAvailability' | 'places' | 'revoke';

/**
 * Who passes a provider's change in places on to TID: EKU for private providers, the designated
 * responsible of the provider's unit for municipal ones (2025 instruction, "Meddela antal platser").
 */
export function placesForwarders(p: Pick<Provider, 'kind' | 'responsibleUnit'>): { role: 'contractUnit' | 'placesResponsible'; unit: UnitId } {
  return p.kind === 'private' ? { role: 'contractUnit', unit: 'eku' } : { role: 'placesResponsible', unit: p.responsibleUnit };
}

/** The actions of routine A a person's roles allow, in menu order. */
export function actionsFor(person: StaffMember): AAction[] {
  const out: AAction[] = [];
  const officer = mayAdministerQueue(person);
  if (mayRegisterInQueue(person)) out.push('join');
  if (officer) out.push('occupied', 'release');
  out.push('status');
  if (mayListProviders(person)) out.push('list');
  if (officer || hasRole(person, 'providerContact')) out.push('queue');
  if (hasRole(person, 'providerContact')) out.push('reportPlaces', 'reportAvailability');
  if (hasRole(person, 'placesRegistrar')) out.push('places');
  if (mayRegisterInQueue(person)) out.push('revoke');
  return out;
}

/**
 * Deadline of the offer's follow-up task: the officer reaches the first in line within N working
 * days of the offer (the seed gives no number; the city sets it, OFFER_FOLLOW_UP_WORKING_DAYS).
 * Counted in working days from the offer's Stockholm date, so it always lands on a working day.
 */
export function offerFollowUpDue(offeredOn: IsoDate, workingDays: number): IsoDate {
  return addWorkingDays(offeredOn, workingDays);
}
