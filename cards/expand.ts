import * as ACData from 'adaptivecards-templating';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card ready to attach to an activity (structurally a botbuilder Attachment). */
export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: Record<string, unknown>;
}

/** Expands a card template (schema 1.5) with data. Templating is one pass: data is never re-evaluated. */
export function expandCard(template: object, data: object): CardAttachment {
  const content = new ACData.Template(template).expand({ $root: data }) as Record<string, unknown>;
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}

/** Every card that submits through Action.Execute carries these in its data. */
export const FORM_SUBMIT_VERB = 'form.submit';
