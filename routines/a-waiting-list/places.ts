import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent, type Actor } from '../shared/journal';
import { hasRole, type StaffMember, type UnitId } from '../shared/organisation';
import { accept, refuse, type Decision } from '../shared/refusal';
import { actorOf, A_RECORDS } from './decisions';
import { changePlaces as changePlacesRule, isContactOf, placesForwarders, providerStatus, registerOccupied, type Provider } from './rules';

/**
 * Routine A's chain of places as whole decisions (ARCHITECTURE "A step, end to end"): a provider
 * reports a change in its number of places or its availability, EKU (a private provider) or the
 * designated responsible (a municipal one) passes the change on to TID, TID registers it; and an
 * officer registers an occupied place. The seed: the 2025 PAX instruction of FFS ("Meddela antal
 * platser": "Privata utförare ska meddela … (EKU) förändringar i antal platser", "EKU meddelar …
 * (TID)", "Kommunala utförare ska meddela utsedd ansvarig", "Utsedd ansvarig meddelar … (TID)";
 * "Meddela ledig plats utan kö / inte ledig plats": to EKU; "Administrera väntelista": "TID
 * registrerar antal platser i kösystemet", "Arbetsvägledare … registrerar belagda platser"). Pure: the use cases read the provider row, call one of
 * these and commit the result once in the provider's partition; the relay sends the cards and
 * writes the journal. What the person is told ("sent to …" or "nobody at … could be reached")
 * comes from the delivery of the card each decision names.
 */

/** Card kinds of the places chain (rendered by dialogs/a-waiting-list/effectCards.ts). */
export const A_PLACES_CARDS = {
  /** To EKU or the designated responsible: the provider's new number of places, with a button that passes it on to TID (data: providerId, providerName, places, providerKind, reportId). */
  placesReport: 'a.placesReport',
  /** To every places registrar of TID: the number to register, with a button that registers it (data: providerId, providerName, places, forwarderName, reportId). */
  registerPlaces: 'a.registerPlaces',
  /** To EKU: what the provider reports about its availability beside the status the queue gives (data: providerName, reported, derived). */
  availabilityReport: 'a.availabilityReport',
} as const;

/** A decision that tells a unit: which card effect to count, and the unit it was for (named when nobody got it). */
export interface TellsUnit<S> extends StepDecision<S> {
  card: string;
  unit: UnitId;
}

/** The step id of forwarding one report: a report is passed on once, whoever presses and however often. */
export const forwardStepId = (reportId: string) => `fwd-${reportId}`;
/** The step id of registering one forwarded report: registered once. */
export const registerStepId = (reportId: string) => `reg-${reportId}`;

/**
 * A provider's contact reports a new number of places: only the provider's own contacts, only a
 * number in range. It reaches EKU (a private provider) or the designated responsible (a municipal
 * one) as a card that passes it on to TID with one button; the journal records the report and how
 * many got it (the unit, when nobody did). The provider row does not change: TID registers the number.
 */
export function reportPlaces(provider: Provider, input: { stepId: string; contact: StaffMember; places: number; reportId: string; now: Date }): Decision<TellsUnit<Provider>> {
  if (!isContactOf(input.contact, provider.providerId)) return refuse('notAllowed');
  const check = changePlacesRule(provider, input.places);
  if (!check.ok) return check;
  const to = placesForwarders(provider);
  const fx = new Effects(input.stepId);
  const card = fx.notifyRole(to, { kind: A_PLACES_CARDS.placesReport, data: { providerId: provider.providerId, providerName: provider.name, places: input.places, providerKind: provider.kind, reportId: input.reportId } });
  fx.journal(journalEvent(`provider:${provider.providerId}`, actorOf(input.contact, ['providerContact']), 'A', 'a.placesReported', input.now, { places: input.places, recipients: 0 }), { effect: card, notReachedName: to.unit }, { effect: card, reached: 'recipients' });
  return accept({ state: provider, effects: fx.all, card, unit: to.unit });
}

/**
 * EKU or the designated responsible passes a reported change on to TID: only the provider's
 * forwarder (placesForwarders). Every places registrar of TID gets a card that registers the
 * number with one button; the journal records who forwarded it and how many got it.
 */
export function forwardPlaces(provider: Provider, input: { stepId: string; forwarder: StaffMember; places: number; reportId: string | undefined; now: Date }): Decision<TellsUnit<Provider>> {
  const to = placesForwarders(provider);
  if (!hasRole(input.forwarder, to.role, to.unit)) return refuse('notAllowed');
  const check = changePlacesRule(provider, input.places);
  if (!check.ok) return check;
  const fx = new Effects(input.stepId);
  const card = fx.notifyRole({ role: 'placesRegistrar', unit: 'tid' }, { kind: A_PLACES_CARDS.registerPlaces, data: { providerId: provider.providerId, providerName: provider.name, places: input.places, forwarderName: input.forwarder.name, reportId: input.reportId ?? '' } });
  fx.journal(journalEvent(`provider:${provider.providerId}`, actorOf(input.forwarder, [to.role]), 'A', 'a.placesForwarded', input.now, { places: input.places, recipients: 0 }), { effect: card, notReachedName: 'tid' }, { effect: card, reached: 'recipients' });
  return accept({ state: provider, effects: fx.all, card, unit: 'tid' });
}

/**
 * A provider's contact tells EKU "a free place without a queue" or "no free place": only the
 * provider's own contacts. EKU sees it beside the status the queue gives; the journal records it.
 */
export function reportAvailability(provider: Provider, input: { stepId: string; contact: StaffMember; reported: 'freeWithoutQueue' | 'noFreePlace'; now: Date }): Decision<TellsUnit<Provider>> {
  if (!isContactOf(input.contact, provider.providerId)) return refuse('notAllowed');
  const fx = new Effects(input.stepId);
  const card = fx.notifyRole({ role: 'contractUnit', unit: 'eku' }, { kind: A_PLACES_CARDS.availabilityReport, data: { providerName: provider.name, reported: input.reported, derived: providerStatus(provider) } });
  fx.journal(journalEvent(`provider:${provider.providerId}`, actorOf(input.contact, ['providerContact']), 'A', 'a.availabilityReported', input.now, { reported: input.reported, recipients: 0 }), { effect: card, notReachedName: 'eku' }, { effect: card, reached: 'recipients' });
  return accept({ state: provider, effects: fx.all, card, unit: 'eku' });
}

/**
 * TID registers a new number of places (the ceiling of the provider's places): only a places
 * registrar, only a number in range, and not the number already registered (then it is done).
 * More places may free one: the next in line is offered it, as a step of its own.
 */
export function changePlaces(provider: Provider, input: { stepId: string; actor: Actor; places: number; now: Date }): Decision<StepDecision<Provider>> {
  if (input.actor.role !== 'placesRegistrar') return refuse('notAllowed');
  if (provider.places === input.places) return refuse('alreadyDone', { by: '', at: '' });
  const d = changePlacesRule(provider, input.places);
  if (!d.ok) return d;
  const fx = new Effects(input.stepId);
  fx.journal(journalEvent(`provider:${provider.providerId}`, input.actor, 'A', 'a.placesChanged', input.now, { places: input.places }));
  fx.record(A_RECORDS.offerNext, { providerId: provider.providerId });
  return accept({ state: d.value, effects: fx.all });
}

/** A work guidance officer registers an occupied place (an executed decision): only an officer, only while a place is free. */
export function occupyPlace(provider: Provider, input: { stepId: string; actor: Actor; now: Date }): Decision<StepDecision<Provider>> {
  if (input.actor.role !== 'workGuidanceOfficer') return refuse('notAllowed');
  const d = registerOccupied(provider);
  if (!d.ok) return d;
  const fx = new Effects(input.stepId);
  fx.journal(journalEvent(`provider:${provider.providerId}`, input.actor, 'A', 'a.occupied', input.now, { occupied: d.value.occupied, places: d.value.places }));
  return accept({ state: d.value, effects: fx.all });
}
