import { expandCard, type CardAttachment } from './expand';
import template from './templates/message.json';

export type MessageTone = 'info' | 'good' | 'warning' | 'error';
export interface MessageCardData {
  title: string;
  text: string;
  tone?: MessageTone;
  facts?: Array<{ title: string; value: string }>;
}

const COLORS: Record<MessageTone, string> = { info: 'Default', good: 'Good', warning: 'Warning', error: 'Attention' };

/** A read-only card: a title, a sentence and optional facts. Used for receipts, refusals and replaced cards. */
export function renderMessageCard(d: MessageCardData): CardAttachment {
  return expandCard(template, { title: d.title, text: d.text, color: COLORS[d.tone ?? 'info'], facts: d.facts ?? [] });
}

/** The same card with a button that opens a link (e.g. a Teams deep link to the personal chat). */
export function withLink(card: CardAttachment, title: string, url: string): CardAttachment {
  const actions = Array.isArray(card.content.actions) ? card.content.actions : [];
  return { ...card, content: { ...card.content, actions: [...actions, { type: 'Action.OpenUrl', title, url }] } };
}

/**
 * The same card with a warning line at the end (e.g. "X could not be reached – tell X another
 * way"), so a state card can still say honestly what did not arrive.
 */
export function withWarning(card: CardAttachment, text: string): CardAttachment {
  const body = Array.isArray(card.content.body) ? card.content.body : [];
  return { ...card, content: { ...card.content, body: [...body, { type: 'TextBlock', text, wrap: true, color: 'Warning', weight: 'Bolder', spacing: 'Medium' }] } };
}
