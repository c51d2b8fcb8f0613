import { A_CARDS } from '../../routines/a-waiting-list/decisions';
import type { CardRenderers } from '../outboxRelay';
import type { WaitingListService } from './service';

/** The cards routine A's decisions send or refresh, by kind (see routines/a-waiting-list/decisions.ts). */
export function waitingListCards(service: WaitingListService): CardRenderers {
  return {
    [A_CARDS.offerCards]: {
      refresh: (data, except) => service.refreshOfferCards(String(data['providerId']), String(data['entryId']), except),
    },
  };
}
