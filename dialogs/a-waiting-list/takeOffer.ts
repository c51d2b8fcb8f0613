import type { CardAttachment } from '../../cards/expand';
import type { Texts } from '../../locale';
import { take } from '../../routines/a-waiting-list/decisions';
import { mayAdministerQueue } from '../../routines/a-waiting-list/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { runStep } from '../step';
import type { WaitingListService } from './service';

/**
 * Use case: a work guidance officer takes the open offer from its card.
 * Read (provider row, entry) → decide (`take`, routines/a-waiting-list/decisions.ts) → commit once
 * in the provider's partition → effects (journal, the other officers' cards) → the card that
 * replaces the pressed one: the offer with its answers, for the officer who took it.
 */
export async function takeOffer(deps: DialogDeps, service: WaitingListService, relay: OutboxRelay, officer: StaffMember, req: { providerId: string; entryId: string }, t: Texts): Promise<Decision<CardAttachment>> {
  // Decided before anything is read: a forged button reveals nothing, whether or not the entry exists.
  if (!mayAdministerQueue(officer)) return refuse('notFoundOrNotAllowed');
  const now = deps.clock();
  const stepId = deps.newId();
  const { waitingList } = deps.stores;
  let entryEtag = '';
  let answer: CardAttachment | undefined;
  const r = await runStep(
    {
      load: async () => {
        const { provider: p, entry: e } = await waitingList.providerAndEntry(req.providerId, req.entryId);
        if (!p || !e) return undefined;
        entryEtag = e.etag;
        return { value: { provider: p.value, entry: e.value }, etag: p.etag };
      },
      context: async () => undefined,
      decide: (state) => take(state, officer, stepId, now),
      // Conditional on both rows: the first of two officers pressing at once wins; the other reads again and is told who.
      commit: (state, etag, effects) => waitingList.commitStep(state.provider, etag, [{ op: 'replace', entry: state.entry, etag: entryEtag }], { stepId, effects, now }),
      reply: async (d) => (answer = await service.offerCard(d.state.provider, d.state.entry, officer, true, t)),
    },
    relay,
  );
  // A button of an entry that has left the queue is stale, not "not yours".
  if (!r.ok) return r.code === 'notFoundOrNotAllowed' ? refuse('staleCard') : r;
  const { provider, entry } = r.value.decision.state;
  return accept(answer ?? (await service.offerCard(provider, entry, officer, true, t)));
}
