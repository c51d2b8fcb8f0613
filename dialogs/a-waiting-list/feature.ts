import { renderMessageCard } from '../../cards/message';
import { offerAnswerSubmission, offerTakeSubmission } from '../../cards/a-waiting-list/offer';
import { formatInstant, refusalText } from '../../locale';
import { ROUTINE_ROLES } from '../../routines/shared/menu';
import { hasRole } from '../../routines/shared/organisation';
import { cardAction } from '../cardActions';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { WaitingListService } from './service';
import { WaitingListDialog } from './waitingListDialog';

/** Routine A: the dialog, and the offer card's buttons (take the offer, record the answer). */
export function waitingListFeature(deps: DialogDeps): Feature {
  const service = new WaitingListService(deps);
  return {
    id: 'A',
    dialog: new WaitingListDialog(deps),
    visibleTo: (p) => ROUTINE_ROLES.A.some((r) => hasRole(p, r)),
    commands: ['kö', 'väntelista', 'daglig verksamhet', 'queue', 'waiting list'],
    cardActions: [
      cardAction({
        verb: 'a.offer.take',
        schema: offerTakeSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return renderMessageCard({ title: t.errorTitle, text: refusalText(t, { ok: false, code: 'noRole', params: {} }), tone: 'warning' });
          const r = await service.takeOffer(person, data.providerId, data.entryId);
          if (!r.ok) {
            const params = r.code === 'alreadyDone' && typeof r.params.at === 'string' && r.params.at ? { ...r.params, at: formatInstant(t, r.params.at) } : r.params;
            return renderMessageCard({ title: t.errorTitle, text: refusalText(t, { ...r, params }), tone: 'warning' });
          }
          // The card is replaced for the officer who took it: it now carries the answers.
          return service.offerCard(r.value.provider, r.value.entry, person, true, t);
        },
      }),
      cardAction({
        verb: 'a.offer.answer',
        schema: offerAnswerSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return renderMessageCard({ title: t.errorTitle, text: refusalText(t, { ok: false, code: 'noRole', params: {} }), tone: 'warning' });
          const r = await service.answerOffer(person, data.providerId, data.entryId, data.answer);
          if (!r.ok) return renderMessageCard({ title: t.errorTitle, text: refusalText(t, r), tone: 'warning' });
          const text = r.value.outcome === 'assigned' ? t.a.answered.assigned(r.value.provider.name) : r.value.outcome === 'closed' ? t.a.answered.closed(Boolean(r.value.next)) : t.a.answered.stillOpen;
          return renderMessageCard({ title: `${t.a.answers[data.answer]} – ${r.value.provider.name}`, text, tone: 'good' });
        },
      }),
    ],
  };
}
