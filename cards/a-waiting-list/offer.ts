import { z } from 'zod';
import type { Texts } from '../../locale';
import { OFFER_ANSWERS, type OfferAnswer } from '../../routines/a-waiting-list/rules';
import { renderActionMessageCard } from '../actionMessage';
import { expandCard, type CardAttachment } from '../expand';
import template from '../templates/a-offer.json';

export interface OfferCardData {
  providerId: string;
  entryId: string;
  providerName: string;
  caseLabel: string;
  requestDate: string;
  waitingDays: number;
  /** Empty while nobody has taken the offer. */
  takenByName: string;
  notReachedCount: number;
  /** Shown to the officer who took it: the answers. */
  forTaker?: boolean;
}

/** A free place offered to the first in line, as the work guidance officers see it. */
export function renderOfferCard(t: Texts, d: OfferCardData): CardAttachment {
  return expandCard(template, {
    title: t.a.offerTitle(d.providerName),
    text: t.a.offerText,
    caseLabel: d.caseLabel,
    requestDate: d.requestDate,
    waitingDaysText: t.a.waitingDays(d.waitingDays),
    providerId: d.providerId,
    entryId: d.entryId,
    takenText: d.takenByName ? t.a.takenBy(d.takenByName) : '',
    notReachedText: d.notReachedCount > 0 ? t.a.notReachedTimes(d.notReachedCount) : '',
    // Which attempt the answer buttons belong to: a press of an earlier attempt's card is stale.
    round: String(d.notReachedCount),
    showTake: !d.takenByName,
    showAnswers: Boolean(d.takenByName && d.forTaker),
    answers: OFFER_ANSWERS.map((a) => ({ title: t.a.answers[a], value: a })),
    labels: { caseLabel: t.a.caseLabel, waitingSince: t.a.waitingSince, take: t.a.take, answerPrompt: t.a.answerPrompt },
  });
}

const id = z.string().min(1).max(100);
export const offerTakeSubmission = z.object({ providerId: z.string().regex(/^[a-z0-9-]{1,40}$/), entryId: id });
export const offerAnswerSubmission = offerTakeSubmission.extend({
  answer: z.enum(OFFER_ANSWERS),
  round: z.coerce.number().int().min(0).max(1000).optional(),
  /** Set by the confirmation card's button: an answer that removes the person from a queue acts only then. */
  confirm: z.literal('yes').optional(),
});

/** The confirmation of such an answer: what will happen (which queues, which providers are told), one button that does it. */
export function renderAnswerConfirmCard(t: Texts, d: { providerId: string; entryId: string; answer: OfferAnswer; round: number; providerName: string; others: string[] }): CardAttachment {
  return renderActionMessageCard({
    title: t.a.answerConfirmTitle(t.a.answers[d.answer] ?? d.answer, d.providerName),
    text: d.answer === 'consentRevoked' ? t.a.answerConfirmRevoked(d.providerName, d.others) : t.a.answerConfirmNoLonger(d.providerName),
    button: { verb: 'a.offer.answer', title: t.a.answerConfirmButton, data: { providerId: d.providerId, entryId: d.entryId, answer: d.answer, round: d.round, confirm: 'yes' } },
  });
}
