import { logViews } from '../dataProtection/accessLogging';
import { renderMessageCard } from '../../cards/message';
import { takeOffer } from './takeOffer';
import { offerAnswerSubmission, offerTakeSubmission, renderAnswerConfirmCard } from '../../cards/a-waiting-list/offer';
import { ROUTINE_ROLES } from '../../routines/shared/menu';
import { hasRole, unitName } from '../../routines/shared/organisation';
import { cardAction } from '../cardActions';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { refusalCard } from '../refusalCard';
import { turnInfo } from '../turn';
import { actorOf, WaitingListService } from './service';
import { refuse } from '../../routines/shared/refusal';
import { placesSubmission } from '../../cards/a-waiting-list/places';
import { revokeConfirmSubmission } from '../../cards/a-waiting-list/revoke';
import { answerNeedsConfirmation, mayAccessCase, type Provider } from '../../routines/a-waiting-list/rules';
import { WaitingListDialog } from './waitingListDialog';
import { answerCard, toldLines } from './answerOffer';

/** Routine A: the dialog, and the offer card's buttons (take the offer, record the answer). */
export function waitingListFeature(deps: DialogDeps): Feature {
  const service = new WaitingListService(deps);
  const relay = service.relay;
  return {
    id: 'A',
    dialog: new WaitingListDialog(deps),
    visibleTo: (p) => ROUTINE_ROLES.A.some((r) => hasRole(p, r)),
    commands: ['kö', 'väntelista', 'daglig verksamhet', 'queue', 'waiting list'],
    relayPending: (now, onError) => relay.relayPending(now, onError),
    /** "Contact the first in line": shows the offer card again, with the answers for the officer who took it. */
    async resumeTask(ctx, task) {
      const { person, t } = turnInfo(ctx);
      const providerId = task.context?.providerId;
      const entryId = task.context?.entryId;
      if (!person || task.step !== 'a.contactFirstInLine' || !providerId || !entryId) return false;
      const caseFile = (await deps.stores.cases.get(task.caseId))?.value;
      if (!caseFile || !mayAccessCase(person, caseFile, 'offer')) return false;
      const provider = (await deps.stores.waitingList.provider(providerId))?.value;
      const entry = (await deps.stores.waitingList.entry(providerId, entryId))?.value;
      if (!provider || !entry || entry.state !== 'offered') return false;
      await ctx.sendActivity({ attachments: [await service.offerCard(provider, entry, person, entry.offer?.takenBy === person.id, t, caseFile)] });
      logViews(ctx, deps.stores, [{ caseId: caseFile.caseId, routine: 'A', view: 'a.offer', units: [caseFile.owningUnit] }]);
      return true;
    },
    cardActions: [
      cardAction({
        verb: 'a.offer.take',
        schema: offerTakeSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          // The card is replaced for the officer who took it: it now carries the answers.
          const r = await takeOffer(deps, service, relay, person, data, t);
          return r.ok ? r.value : refusalCard(t, r);
        },
      }),
      cardAction({
        verb: 'a.places.forward',
        schema: placesSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const forwarded = () => renderMessageCard({ title: t.a.forwardToTid, text: t.a.forwarded(person.name), tone: 'good' });
          // Answered from the decision; if then nobody at TID could be reached, the pressed card is updated to say so.
          const r = await service.forwardPlaces(person, data.providerId, data.places, data.reportId, forwarded);
          if (!r.ok) return refusalCard(t, r);
          return r.value.sent > 0 ? forwarded() : renderMessageCard({ title: t.a.forwardToTid, text: t.a.notReachedUnit(unitName(r.value.unit)), tone: 'warning' });
        },
      }),
      cardAction({
        verb: 'a.places.register',
        schema: placesSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person || !hasRole(person, 'placesRegistrar')) return refusalCard(t, refuse('notAllowed'));
          const registered = (p: Provider) => renderMessageCard({ title: p.name, text: t.a.registered(person.name, data.places), tone: 'good' });
          const r = await service.changePlaces(actorOf(person, ['placesRegistrar']), data.providerId, data.places, data.reportId, undefined, registered);
          if (!r.ok) return refusalCard(t, r);
          return registered(r.value);
        },
      }),
      cardAction({
        verb: 'a.offer.answer',
        schema: offerAnswerSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          if (answerNeedsConfirmation(data.answer) && data.confirm !== 'yes') {
            // Nothing happens yet: the card says what will, and only its button does it.
            const preview = await service.previewAnswer(person, data.providerId, data.entryId, data.answer, data.round);
            if (!preview.ok) return refusalCard(t, preview);
            return renderAnswerConfirmCard(t, { providerId: data.providerId, entryId: data.entryId, answer: data.answer, round: data.round ?? 0, ...preview.value });
          }
          const r = await service.answerOffer(person, data.providerId, data.entryId, data.answer, data.round, t);
          return r.ok ? answerCard(t, data.answer, r.value) : refusalCard(t, r);
        },
      }),
      cardAction({
        verb: 'a.revoke.confirm',
        schema: revokeConfirmSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await service.revokeAndLeave(person, data.caseId, data.confirmId, data.version);
          if (!r.ok) return refusalCard(t, r);
          const { left, told, notTold } = r.value;
          const lines = [t.a.revoked(left), ...toldLines(t, { told, notTold })];
          return renderMessageCard({ title: t.a.revokeTitle, text: lines.join('\n\n'), tone: notTold.length ? 'warning' : 'good' });
        },
      }),
    ],
  };
}
