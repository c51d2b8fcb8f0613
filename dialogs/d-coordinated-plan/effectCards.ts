import { renderMessageCard } from '../../cards/message';
import { unitName, type Administration } from '../../routines/shared/organisation';
import { D_CARDS } from '../../routines/d-coordinated-plan/decisions';
import type { CardRenderers } from '../outboxRelay';
import type { CoordinatedPlanService } from './service';

/** The cards routine D's decisions send or refresh, by kind (see routines/d-coordinated-plan/decisions.ts). */
export function coordinatedPlanCards(service: CoordinatedPlanService): CardRenderers {
  return {
    [D_CARDS.approvalCards]: {
      refresh: (data, except) => service.refreshApprovalCards(String(data['spId']), Number(data['version']), except),
    },
    [D_CARDS.returned]: {
      render: (data, t) => ({ card: renderMessageCard({ title: t.d.returnedTitle, text: t.d.returnedText(String(data['byName']), String(data['comment'] ?? '')), tone: 'warning' }), summary: t.d.returnedTitle }),
    },
    [D_CARDS.invitationCards]: {
      refresh: (data, except) => service.refreshInvitationCards(String(data['spId']), String(data['administration']) as Administration, except),
    },
    [D_CARDS.invitationAnswered]: {
      render: (data, t) => {
        const answer = String(data['answer']);
        const text = t.d.invitationAnswered(unitName(String(data['administration']) as Administration), t.d.answers[answer as keyof typeof t.d.answers] ?? answer, String(data['byName']), String(data['note'] ?? ''));
        return { card: renderMessageCard({ title: t.d.invitationTitle(unitName(String(data['initiatingAdministration']) as Administration)), text }), summary: t.d.invitedTitle };
      },
    },
    [D_CARDS.established]: {
      render: (_data, t) => ({ card: renderMessageCard({ title: t.d.establishedTitle, text: t.d.establishedText, tone: 'good' }), summary: t.d.establishedTitle }),
    },
  };
}
