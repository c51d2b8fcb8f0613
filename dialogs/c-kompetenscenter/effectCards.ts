import type { CardAttachment } from '../../cards/expand';
import type { Texts } from '../../locale';
import { C_CARDS, KEPT_CARD } from '../../routines/c-kompetenscenter/decisions';
import type { CaseFile } from '../../routines/shared/cases';
import type { StaffMember } from '../../routines/shared/organisation';
import type { StoredReferral } from '../../storage/referrals';
import type { CardRenderers } from '../outboxRelay';
import type { KompetenscenterService } from './service';

type View = { r: StoredReferral; c: CaseFile | undefined };

/**
 * The cards routine C's decisions send or refresh, by kind (see routines/c-kompetenscenter/decisions.ts).
 * Each is rendered from the referral as stored when it is sent (the outbox holds ids, never the
 * case's texts), for the recipient as the directory knows them (their units decide how the case is
 * named). The referral and its case are read once per step, however many people get the card.
 */
export function kompetenscenterCards(service: KompetenscenterService): CardRenderers {
  const views = new Map<string, Promise<View | undefined>>();
  /** The referral and its case for one step's cards (a few steps kept: a relay works on one step at a time). */
  const view = (data: Record<string, string | number | boolean>): Promise<View | undefined> => {
    const key = `${String(data['stepId'] ?? '')}|${String(data['referralId'])}`;
    let v = views.get(key);
    if (!v || !data['stepId']) {
      v = service.viewOf(String(data['referralId']));
      views.set(key, v);
      if (views.size > 32) views.delete(views.keys().next().value!);
      v.catch(() => views.delete(key));
    }
    return v;
  };
  /** A card for one person: rendered from the referral, or (referral gone, person not in the directory) a bare notice. */
  const render = async (data: Record<string, string | number | boolean>, t: Texts, personId: string, card: (v: View, viewer: StaffMember) => { card: CardAttachment; summary: string }) => {
    const [v, viewer] = await Promise.all([view(data), service.staffMember(personId)]);
    return v && viewer ? card(v, viewer) : service.bareNotice(v?.r, t);
  };
  return {
    [C_CARDS.assignment]: {
      render: (data, t, personId) => render(data, t, personId, ({ r, c }, viewer) => ({ card: service.assignmentCard(r, c, viewer, t), summary: t.c.assignmentTitle(service.labelFor(r, c, viewer, t)) })),
      remember: (data, sent) => service.rememberCards(String(data['referralId']), KEPT_CARD[C_CARDS.assignment], sent),
    },
    [C_CARDS.coordinator]: {
      render: (data, t, personId) => render(data, t, personId, ({ r, c }, viewer) => ({ card: service.coordinatorCard(r, c, viewer, t), summary: t.c.coordinatorTitle(service.labelFor(r, c, viewer, t)) })),
      remember: (data, sent) => service.rememberCards(String(data['referralId']), KEPT_CARD[C_CARDS.coordinator], sent),
    },
    [C_CARDS.consentRevokedCards]: {
      refresh: (data) => service.showConsentRevoked(String(data['referralId'])),
    },
    [C_CARDS.assignmentCards]: {
      refresh: (data) => service.refreshCards(String(data['referralId']), 'assignment'),
    },
    [C_CARDS.coordinatorCards]: {
      refresh: (data) => service.refreshCards(String(data['referralId']), 'coordinator'),
    },
    [C_CARDS.notice]: {
      render: (data, t, personId) => render(data, t, personId, ({ r, c }, viewer) => ({ card: service.noticeCard(r, c, viewer, String(data['byName']), String(data['step']), t), summary: t.c.noticeTitle(service.labelFor(r, c, viewer, t)) })),
    },
    [C_CARDS.escalation]: {
      render: (data, t, personId) => render(data, t, personId, ({ r, c }, viewer) => ({ card: service.escalationCard(r, c, viewer, Number(data['disagreement']), t), summary: t.c.escalationTitle(service.labelFor(r, c, viewer, t)) })),
    },
  };
}
