import { z } from 'zod';
import { expandCard, type CardAttachment } from './expand';
import template from './templates/choices.json';

/** A card of buttons, one per choice, each submitting the waiting form with its value. */
export function renderChoicesCard(d: { formId: string; title: string; intro: string; choices: Array<{ title: string; value: string }> }): CardAttachment {
  return expandCard(template, { formId: d.formId, title: d.title, intro: d.intro, actions: d.choices });
}

export const choiceSubmission = z.object({ formId: z.string(), action: z.string().min(1).max(200) });
