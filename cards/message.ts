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
