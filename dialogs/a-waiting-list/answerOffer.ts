import type { CardAttachment } from '../../cards/expand';
import { renderMessageCard } from '../../cards/message';
import type { Texts } from '../../locale';
import { sv } from '../../locale/sv';
import { answer, type AnswerOutcome } from '../../routines/a-waiting-list/decisions';
import { mayAdministerQueue, type OfferAnswer, type Provider } from '../../routines/a-waiting-list/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { accept, refuse, type Decision, type Refusal } from '../../routines/shared/refusal';
import type { Consent } from '../../routines/shared/consent';
import type { DialogDeps } from '../ports';
import { settingsOf } from '../ports';
import { runStep } from '../step';
import type { WaitingListService } from './service';

export interface AnswerResult {
  outcome: AnswerOutcome;
  provider: Provider;
  /** Whether the next in line is offered the freed place. */
  nextOffered: boolean;
  /** For an assignment: how many of the provider's contacts got it. */
  reached?: number | undefined;
  /** For a revoked consent: the other queues left, and which providers were told. */
  revocation?: { left: string[]; told: string[]; notTold: string[] } | undefined;
}

/**
 * Use case: the officer who took the offer records the individual's answer from its card.
 * Read (provider row and entry, one query; the case's consents for "still wants") → decide
 * (`answer`, routines/a-waiting-list/decisions.ts) → commit once in the provider's partition (the
 * entry changed or gone, how it ended, the outbox) → the card that answers the press → effects
 * (journal, tasks, the provider's card, the other officers' cards, the next offer). A revoked
 * consent then ends the case's other consents and queues (`WaitingListService.revokeRest`).
 */
export async function answerOffer(deps: DialogDeps, service: WaitingListService, officer: StaffMember, req: { providerId: string; entryId: string; answer: OfferAnswer; round?: number | undefined }, t: Texts = sv): Promise<Decision<AnswerResult>> {
  // Decided before anything is read: a forged button reveals nothing, whether or not the entry exists.
  if (!mayAdministerQueue(officer)) return refuse('notFoundOrNotAllowed');
  const now = deps.clock();
  const stepId = deps.newId();
  const settings = settingsOf(deps);
  const { waitingList, consents } = deps.stores;
  let entryEtag = '';
  const r = await runStep(
    {
      load: async () => {
        const { provider: p, entry: e } = await waitingList.providerAndEntry(req.providerId, req.entryId);
        if (!p || !e) return undefined;
        entryEtag = e.etag;
        return { value: { provider: p.value, entry: e.value }, etag: p.etag };
      },
      // The assignment is sent under the consent as it is now; the other answers need none.
      context: async (state): Promise<readonly Consent[]> => (req.answer === 'stillWants' ? consents.forCase(state.entry.caseId) : []),
      decide: (state, caseConsents) =>
        answer(state, { stepId, officer, answer: req.answer, round: req.round, consents: caseConsents, now, offerFollowUpWorkingDays: settings.offerFollowUpWorkingDays, policy: { workingDaysBefore: settings.reminderWorkingDaysBefore } }),
      commit: (state, etag, effects) => {
        const { entry } = state;
        if (req.answer === 'notReached') return waitingList.commitStep(state.provider, etag, [{ op: 'replace', entry, etag: entryEtag }], { stepId, effects, now });
        // The answer is kept with the queue in the same transaction, so a later press reads who answered and when (and the relay, whose cards to replace).
        const answered = { entryId: entry.entryId, caseId: entry.caseId, answer: req.answer, by: officer.id, byName: officer.name, at: now.toISOString(), ...(entry.offer?.cards?.length ? { cards: entry.offer.cards } : {}) };
        return waitingList.commitStep(state.provider, etag, [{ op: 'delete', entry, etag: entryEtag }], { stepId, effects, now }, answered);
      },
      // The press is answered from the decision; a revoked consent is answered when the rest of the revocation is done.
      reply: (d) => (req.answer === 'consentRevoked' ? undefined : answerCard(t, req.answer, { outcome: d.outcome, provider: d.state.provider, nextOffered: d.nextOffered })),
    },
    service.relay,
  );
  // Gone from the queue meanwhile: answered by someone (who, when), or a card that no longer applies.
  if (!r.ok) return r.code === 'notFoundOrNotAllowed' ? answeredAlready(deps, req.providerId, req.entryId) : r;
  const { decision, delivery } = r.value;
  const reachedOf = (id: string | undefined) => {
    const o = id ? delivery.outcomes.get(id) : undefined;
    return o?.reached?.length ?? (o?.delivered ? 1 : 0);
  };
  const result: AnswerResult = { outcome: decision.outcome, provider: decision.state.provider, nextOffered: decision.nextOffered };
  if (decision.outcome === 'assigned') result.reached = reachedOf(decision.providerCard);
  if (req.answer === 'consentRevoked') {
    // A revoked consent holds for every queue: it is revoked in the routine support, and the person leaves the other queues too.
    const here = reachedOf(decision.providerCard) > 0;
    const name = decision.state.provider.name;
    const rest = await service.revokeRest(officer, decision.state.entry.caseId, now);
    result.revocation = { left: rest.left, told: [...(here ? [name] : []), ...rest.told], notTold: [...(here ? [] : [name]), ...rest.notTold] };
  }
  return accept(result);
}

async function answeredAlready(deps: DialogDeps, providerId: string, entryId: string): Promise<Refusal> {
  const a = await deps.stores.waitingList.answered(providerId, entryId);
  return a ? refuse('alreadyDone', { by: a.byName, at: a.at }) : refuse('staleCard');
}

/** The card that answers the pressed answer: what became of the offer, and — for a place that reached nobody at the provider, or a revocation some provider did not get — what to do another way. */
export function answerCard(t: Texts, answer: OfferAnswer, r: Pick<AnswerResult, 'outcome' | 'provider' | 'nextOffered' | 'reached' | 'revocation'>): CardAttachment {
  const name = r.provider.name;
  // "Sent" only when a contact of the provider accepted the assignment card.
  const notReached = r.outcome === 'assigned' && r.reached === 0;
  const text = r.outcome === 'assigned' ? (notReached ? t.a.answered.assignedNotReached(name) : t.a.answered.assigned(name)) : r.outcome === 'closed' ? t.a.answered.closed(r.nextOffered) : t.a.answered.stillOpen;
  const rev = r.revocation;
  const lines = [text, ...(rev ? [t.a.answered.consentRevoked(rev.left), ...toldLines(t, rev)] : [])];
  return renderMessageCard({ title: `${t.a.answers[answer]} – ${name}`, text: lines.join('\n\n'), tone: notReached || rev?.notTold.length ? 'warning' : 'good' });
}

/** Which providers were told that a person left their queue, and which must be told another way. */
export function toldLines(t: Texts, r: { told: string[]; notTold: string[] }): string[] {
  return [...(r.told.length ? [t.a.revokeTold(r.told)] : []), ...(r.notTold.length ? [t.a.revokeNotTold(r.notTold)] : [])];
}
