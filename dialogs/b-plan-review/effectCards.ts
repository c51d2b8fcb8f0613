import type { Texts } from '../../locale';
import { B_CARDS, B_RECORDS } from '../../routines/b-plan-review/decisions';
import type { CardSpec } from '../../routines/shared/effects';
import type { StaffMember } from '../../routines/shared/organisation';
import type { StoredReview } from '../../storage/planReviews';
import type { CardRenderers, RecordWriters } from '../outboxRelay';
import type { Administration } from '../../routines/shared/organisation';
import type { DialogDeps } from '../ports';
import type { PlanReviewService } from './service';

/**
 * The cards routine B's decisions send or refresh, by kind (see routines/b-plan-review/decisions.ts).
 * Their data holds ids only (unit, review, round); each card is rendered at delivery from the
 * review as stored then, in the recipient's language — a provider sees the case's reference or its
 * code, never initials; staff see what their own units may.
 */
export function planReviewCards(deps: Pick<DialogDeps, 'stores'>, service: PlanReviewService): CardRenderers {
  const reviewOf = async (data: CardSpec['data']): Promise<StoredReview> => {
    const review = await service.get(String(data['unit']), String(data['reviewId']));
    // Reviews are never deleted: a review missing here is a fault, and the step stays in the outbox.
    if (!review) throw new Error('routine B card: the review is missing');
    return review;
  };
  /** The person the card goes to, as the directory knows them now (no roles when they left it: the case label then shows the least). */
  const viewerOf = async (personId: string): Promise<StaffMember> => (await deps.stores.staff.get(personId))?.value ?? { id: personId, name: '', roles: [] };
  const round = (data: CardSpec['data']) => Number(data['round']);
  return {
    [B_CARDS.delayCards]: {
      refresh: (data, except) => service.refreshDelayCards(String(data['unit']), String(data['reviewId']), except),
    },
    [B_CARDS.delayCard]: {
      render: async (data, t: Texts) => {
        const review = await reviewOf(data);
        const c = await service.caseOf(review);
        return { card: service.delayCard(review, c, t), summary: t.b.delayTitle(service.providerText(review, c)) };
      },
      remember: (data, sent) => service.rememberDelay(String(data['unit']), String(data['reviewId']), sent),
    },
    [B_CARDS.delayNotice]: {
      render: async (data, t: Texts, personId) => {
        const review = await reviewOf(data);
        return service.delayNoticeCard(review, await service.caseOf(review), await viewerOf(personId), t);
      },
    },
    [B_CARDS.returned]: {
      render: async (data, t: Texts) => {
        const review = await reviewOf(data);
        const r = review.rounds.find((x) => x.round === round(data));
        if (!r) throw new Error('routine B card: the round is missing');
        const c = await service.caseOf(review);
        return { card: service.returnedCard(review, r, c, t), summary: t.b.returnedTitle(service.providerText(review, c)) };
      },
      remember: (data, sent) => service.rememberReturned(String(data['unit']), String(data['reviewId']), round(data), sent),
    },
    [B_CARDS.returnedCards]: {
      refresh: (data, except) => service.refreshReturnedCards(String(data['unit']), String(data['reviewId']), round(data), except),
    },
    [B_CARDS.revisedNotice]: {
      render: async (data, t: Texts, personId) => {
        const review = await reviewOf(data);
        return service.revisedNoticeCard(review, round(data), await service.caseOf(review), await viewerOf(personId), t);
      },
    },
    [B_CARDS.compensation]: {
      render: async (data, t: Texts, personId) => {
        const review = await reviewOf(data);
        return { card: service.compensationCard(review, await service.caseOf(review), await viewerOf(personId), t), summary: t.b.compensationTitle };
      },
    },
  };
}

/** The rows routine B's decisions keep beside its reviews, by kind (see B_RECORDS): each write idempotent. */
export function planReviewRecords(deps: Pick<DialogDeps, 'stores'>): RecordWriters {
  return {
    [B_RECORDS.providerIndex]: (d) => deps.stores.planReviews.indexForProvider(String(d['providerId']), String(d['reviewId']), String(d['unit']) as Administration),
  };
}
