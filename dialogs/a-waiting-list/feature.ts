import { renderMessageCard } from '../../cards/message';
import { offerAnswerSubmission, offerTakeSubmission } from '../../cards/a-waiting-list/offer';
import { ROUTINE_ROLES } from '../../routines/shared/menu';
import { hasRole } from '../../routines/shared/organisation';
import { cardAction } from '../cardActions';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { refusalCard } from '../refusalCard';
import { turnInfo } from '../turn';
import { actorOf, WaitingListService } from './service';
import { refuse } from '../../routines/shared/refusal';
import { placesSubmission } from '../../cards/a-waiting-list/places';
import { WaitingListDialog } from './waitingListDialog';

/** Routine A: the dialog, and the offer card's buttons (take the offer, record the answer). */
export function waitingListFeature(deps: DialogDeps): Feature {
  const service = new WaitingListService(deps);
  return {
    id: 'A',
    dialog: new WaitingListDialog(deps),
    visibleTo: (p) => ROUTINE_ROLES.A.some((r) => hasRole(p, r)),
    commands: ['kö', 'väntelista', 'daglig verksamhet', 'queue', 'waiting list'],
    /** "Contact the first in line": shows the offer card again, with the answers for the officer who took it. */
    async resumeTask(ctx, task) {
      const { person, t } = turnInfo(ctx);
      const providerId = task.context?.providerId;
      const entryId = task.context?.entryId;
      if (!person || task.step !== 'a.contactFirstInLine' || !providerId || !entryId) return false;
      const provider = (await deps.stores.waitingList.provider(providerId))?.value;
      const entry = (await deps.stores.waitingList.entry(providerId, entryId))?.value;
      if (!provider || !entry || entry.state !== 'offered') return false;
      await ctx.sendActivity({ attachments: [await service.offerCard(provider, entry, person, entry.offer?.takenBy === person.id, t)] });
      return true;
    },
    cardActions: [
      cardAction({
        verb: 'a.offer.take',
        schema: offerTakeSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await service.takeOffer(person, data.providerId, data.entryId);
          if (!r.ok) return refusalCard(t, r);
          // The card is replaced for the officer who took it: it now carries the answers.
          return service.offerCard(r.value.provider, r.value.entry, person, true, t);
        },
      }),
      cardAction({
        verb: 'a.places.forward',
        schema: placesSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          const r = person ? await service.forwardPlaces(person, data.providerId, data.places, data.reportId) : refuse('noRole');
          if (!r.ok) return refusalCard(t, r);
          return renderMessageCard({ title: t.a.forwardToTid, text: r.value > 0 ? t.a.forwarded(person!.name) : t.a.noRecipients, tone: r.value > 0 ? 'good' : 'warning' });
        },
      }),
      cardAction({
        verb: 'a.places.register',
        schema: placesSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person || !hasRole(person, 'placesRegistrar')) return refusalCard(t, refuse('notAllowed'));
          const r = await service.changePlaces(actorOf(person, ['placesRegistrar']), data.providerId, data.places, data.reportId);
          if (!r.ok) return refusalCard(t, r);
          return renderMessageCard({ title: r.value.name, text: t.a.registered(person.name, data.places), tone: 'good' });
        },
      }),
      cardAction({
        verb: 'a.offer.answer',
        schema: offerAnswerSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await service.answerOffer(person, data.providerId, data.entryId, data.answer, data.round);
          if (!r.ok) return refusalCard(t, r);
          const text = r.value.outcome === 'assigned' ? t.a.answered.assigned(r.value.provider.name) : r.value.outcome === 'closed' ? t.a.answered.closed(Boolean(r.value.next)) : t.a.answered.stillOpen;
          return renderMessageCard({ title: `${t.a.answers[data.answer]} – ${r.value.provider.name}`, text, tone: 'good' });
        },
      }),
    ],
  };
}
