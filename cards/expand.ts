import * as ACData from 'adaptivecards-templating';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card ready to attach to an activity (structurally a botbuilder Attachment). */
export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: Record<string, unknown>;
}

/** Parsed templates, one per template file (the templates are module constants, so this stays small). */
const parsed = new WeakMap<object, ACData.Template>();

/** Expands a card template (schema 1.5) with data. Templating is one pass: data is never re-evaluated. */
export function expandCard(template: object, data: object): CardAttachment {
  let t = parsed.get(template);
  if (!t) {
    t = new ACData.Template(template);
    parsed.set(template, t);
  }
  const content = t.expand({ $root: data }) as Record<string, unknown>;
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}

/** Every card that submits through Action.Execute carries these in its data. */
export const FORM_SUBMIT_VERB = 'form.submit';
