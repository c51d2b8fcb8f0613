import type { CardAttachment } from '../../cards/expand';
import { changePlaces, forwardPlaces, forwardStepId, occupyPlace, registerStepId, reportAvailability, reportPlaces, type TellsUnit } from '../../routines/a-waiting-list/places';
import type { Provider } from '../../routines/a-waiting-list/rules';
import type { StepDecision } from '../../routines/shared/effects';
import type { Actor } from '../../routines/shared/journal';
import type { StaffMember, UnitId } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { formStepId } from '../../storage/outbox';
import type { Delivery as RelayDelivery, OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';

/**
 * Use cases of routine A's chain of places (routines/a-waiting-list/places.ts): a provider's
 * report, its forwarding to TID, TID's registration, a provider's availability, an occupied
 * place. Each: read the provider row → decide → commit once in the provider's partition (the
 * provider row on its ETag and the step's outbox row) → the relay sends the cards and writes the
 * journal. A button's step answers from its decision (`reply`), before the cards go. A step with a fixed id (a report forwarded, a report registered, a form) happens once:
 * a second press is told who did it and when.
 */

/** How many of a unit's people got the step's card, and the unit (named to the person when nobody did). */
export interface Delivery {
  sent: number;
  unit: UnitId;
}

/** One step on a provider row: read, decide, commit once; `keepBy`: a step with a fixed id, whose row is kept to say who did it. */
async function providerStep<R extends StepDecision<Provider>>(deps: DialogDeps, relay: OutboxRelay, providerId: string, stepId: string, decide: (p: Provider, now: Date) => Decision<R>, keepBy?: string, reply?: (d: R) => CardAttachment) {
  const now = deps.clock();
  const { waitingList } = deps.stores;
  return runStep(
    {
      load: async () => {
        const p = await waitingList.provider(providerId);
        return p ? { value: p.value, etag: p.etag } : undefined;
      },
      context: async () => undefined,
      decide: (p) => decide(p, now),
      commit: (state, etag, effects) => waitingList.commitStep(state, etag, [], { stepId, effects, now, keep: keepBy ? { byName: keepBy } : undefined }),
      ...(keepBy ? { committedBefore: () => waitingList.stepRow(providerId, stepId) } : {}),
      ...(reply ? { reply } : {}),
    },
    relay,
  );
}

/** How many got the card a decision names. */
function told(d: { decision: TellsUnit<Provider>; delivery: RelayDelivery }): Delivery {
  const o = d.delivery.outcomes.get(d.decision.card);
  return { sent: o?.reached?.length ?? (o?.delivered ? 1 : 0), unit: d.decision.unit };
}

/** A provider that does not exist answers "not found", as before the step. */
const notFound = <T>(r: Decision<T>): Decision<T> => (!r.ok && r.code === 'notFoundOrNotAllowed' ? refuse('notFound') : r);

/** A provider's contact reports a new number of places: it reaches EKU (private) or the designated responsible (municipal). */
export async function reportPlacesStep(deps: DialogDeps, relay: OutboxRelay, contact: StaffMember, providerId: string, places: number): Promise<Decision<Delivery>> {
  const reportId = deps.newId();
  const stepId = deps.newId();
  const r = notFound(await providerStep(deps, relay, providerId, stepId, (p, now) => reportPlaces(p, { stepId, contact, places, reportId, now })));
  return r.ok ? accept(told(r.value)) : r;
}

/** EKU or the designated responsible passes the change on to TID (once per report), who registers it with one button. */
export async function forwardPlacesStep(deps: DialogDeps, relay: OutboxRelay, forwarder: StaffMember, providerId: string, places: number, reportId?: string, reply?: (p: Provider) => CardAttachment): Promise<Decision<Delivery>> {
  const stepId = reportId ? forwardStepId(reportId) : deps.newId();
  const r = notFound(await providerStep(deps, relay, providerId, stepId, (p, now) => forwardPlaces(p, { stepId, forwarder, places, reportId, now }), reportId ? forwarder.name : undefined, reply && ((d) => reply(d.state))));
  return r.ok ? accept(told(r.value)) : r;
}

/** A provider tells EKU "free place without queue" or "no free place". */
export async function reportAvailabilityStep(deps: DialogDeps, relay: OutboxRelay, contact: StaffMember, providerId: string, reported: 'freeWithoutQueue' | 'noFreePlace'): Promise<Decision<Delivery>> {
  const stepId = deps.newId();
  const r = notFound(await providerStep(deps, relay, providerId, stepId, (p, now) => reportAvailability(p, { stepId, contact, reported, now })));
  return r.ok ? accept(told(r.value)) : r;
}

/** TID registers a new number of places: from the forwarded card (once per report), or from the menu's form. */
export async function changePlacesStep(deps: DialogDeps, relay: OutboxRelay, actor: Actor, providerId: string, places: number, from: { reportId?: string | undefined; formId?: string | undefined } = {}, reply?: (p: Provider) => CardAttachment): Promise<Decision<Provider>> {
  // Decided before anything is read, as the rule does.
  if (actor.role !== 'placesRegistrar') return refuse('notAllowed');
  const stepId = from.reportId ? registerStepId(from.reportId) : from.formId ? formStepId(from.formId) : deps.newId();
  const once = from.reportId || from.formId ? actor.name : undefined;
  const r = notFound(await providerStep(deps, relay, providerId, stepId, (p, now) => changePlaces(p, { stepId, actor, places, now }), once, reply && ((d) => reply(d.state))));
  return r.ok ? accept(r.value.decision.state) : r;
}

/** A work guidance officer registers an occupied place. */
export async function occupyPlaceStep(deps: DialogDeps, relay: OutboxRelay, actor: Actor, providerId: string, formId?: string): Promise<Decision<Provider>> {
  if (actor.role !== 'workGuidanceOfficer') return refuse('notAllowed');
  const stepId = formId ? formStepId(formId) : deps.newId();
  const r = notFound(await providerStep(deps, relay, providerId, stepId, (p, now) => occupyPlace(p, { stepId, actor, now }), formId ? actor.name : undefined));
  return r.ok ? accept(r.value.decision.state) : r;
}
