import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent, type Actor } from '../shared/journal';
import { unitsWithRole, type Role, type StaffMember } from '../shared/organisation';
import { accept, type Decision } from '../shared/refusal';
import { takeOffer, type Provider, type QueueEntry } from './rules';

/**
 * Routine A's steps as whole decisions (ARCHITECTURE "A step, end to end"): the new state of the
 * provider's queue and everything the step does besides. Pure; the use cases in
 * dialogs/a-waiting-list/ read, call one of these and commit the result once.
 */

/** Card kinds of routine A's effects (rendered by dialogs/a-waiting-list/effectCards.ts). */
export const A_CARDS = {
  /** Every work guidance officer's offer card of one entry, re-rendered from the queue (data: providerId, entryId). */
  offerCards: 'a.offerCards',
} as const;

/** Who acts in routine A: the person in the first of the routine's roles they hold. */
export function actorOf(person: StaffMember, preferred: Role[] = ['workGuidanceOfficer', 'socialWorker', 'providerContact', 'contractUnit', 'placesRegistrar', 'placesResponsible']): Actor {
  for (const role of preferred) {
    const [unit] = unitsWithRole(person, role);
    if (unit) return { id: person.id, name: person.name, role, unit };
  }
  const first = person.roles[0]!;
  return { id: person.id, name: person.name, role: first.role, unit: first.unit };
}

/** A provider's queue as one step sees it: the provider row and the entry the step is about. */
export interface QueueState {
  provider: Provider;
  entry: QueueEntry;
}

/**
 * A work guidance officer takes the open offer (seed 001: "en arbetsvägledare tar kontakt med den
 * som står först i kön"): only an officer, only the entry on offer, only once (`takeOffer`,
 * rules.ts). Besides the entry (taken by whom, when): the journal records it, and every other
 * officer's offer card shows who took it (no more "take" button).
 */
export function take(state: QueueState, officer: StaffMember, stepId: string, now: Date): Decision<StepDecision<QueueState>> {
  const d = takeOffer(state.provider, state.entry, officer, now);
  if (!d.ok) return d;
  const fx = new Effects(stepId);
  fx.journal(journalEvent(d.value.caseId, actorOf(officer), 'A', 'a.offerTaken', now, { provider: state.provider.name }));
  fx.refreshCards({ kind: A_CARDS.offerCards, data: { providerId: state.provider.providerId, entryId: d.value.entryId } }, officer.id);
  return accept({ state: { provider: state.provider, entry: d.value }, effects: fx.all });
}
