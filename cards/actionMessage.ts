import { expandCard, type CardAttachment } from './expand';
import template from './templates/actionMessage.json';

export interface ActionMessageCardData {
  title: string;
  text: string;
  facts?: Array<{ title: string; value: string }>;
  /** One state-changing button (Action.Execute), routed by its verb. */
  button: { verb: string; title: string; data: Record<string, string | number> };
}

/** A notification with one button, e.g. "forward to TID" or "register the places". */
export function renderActionMessageCard(d: ActionMessageCardData): CardAttachment {
  return expandCard(template, { ...d, facts: d.facts ?? [] });
}
