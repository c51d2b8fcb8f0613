import { formatInstant, type Texts } from '../locale';
import { containsPersonalIdentityNumber } from '../routines/shared/privacy';
import { expandCard, FORM_SUBMIT_VERB, type CardAttachment } from './expand';
import template from './templates/formSummary.json';

/** One line of a summary: the field's label as the form showed it, and the value as the person saw it. */
export interface SummaryField {
  label: string;
  value: string;
}

export interface FormSummary {
  /** The form's own title (its first heading), or '' when it has none. */
  title: string;
  fields: SummaryField[];
}

type Node = Record<string, unknown>;
const isNode = (n: unknown): n is Node => Boolean(n) && typeof n === 'object' && !Array.isArray(n);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/**
 * What a submitted form said, read from the rendered form card itself (its `Input.*` elements,
 * their labels and choices) and the submitted values — the same for every form, no per-form code:
 * - each input in the card's order, labelled as the card labelled it (a toggle by its title);
 * - a choice by the title the person picked it by (several, for a multi-select), never by its
 *   value, and a value the card offered no choice for is left out;
 * - a toggle as yes / no; text, numbers, dates and times as entered (trimmed);
 * - empty fields left out, hidden inputs (`isVisible: false`) too;
 * - a text that could hold a personal identity number is not shown (the forms refuse those
 *   before this point; this is the last guard);
 * - the form's own button, when it carried a choice of its own (a card of choices, add/remove),
 *   by its title.
 * Submitted keys the card has no input for are never shown.
 */
export function summarizeForm(t: Texts, form: CardAttachment | Node, submitted: Readonly<Record<string, unknown>>): FormSummary {
  const card: Node = 'contentType' in form && isNode(form.content) ? form.content : (form as Node);
  const fields: SummaryField[] = [];
  const buttons: Node[] = [];
  let title = '';
  let firstBold = '';
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!isNode(n) || n.isVisible === false) return;
    const type = str(n.type);
    if (type === 'TextBlock' && n.weight === 'Bolder' && str(n.text).trim()) {
      if (!title && ['Medium', 'Large', 'ExtraLarge'].includes(str(n.size))) title = str(n.text).trim();
      if (!firstBold) firstBold = str(n.text).trim();
    }
    if (type.startsWith('Input.')) {
      const field = summaryField(t, n, submitted);
      if (field) fields.push(field);
      return;
    }
    if (type === 'Action.Execute' && n.verb === FORM_SUBMIT_VERB) buttons.push(n);
    for (const v of Object.values(n)) walk(v);
  };
  walk(card.body);
  walk(card.actions);
  const pressed = buttons.find((b) => {
    const own = Object.entries(isNode(b.data) ? b.data : {}).filter(([k]) => k !== 'formId');
    return own.length > 0 && own.every(([k, v]) => str(submitted[k]) === str(v));
  });
  if (pressed && str(pressed.title).trim()) fields.push({ label: t.formSummary.chosen, value: str(pressed.title).trim() });
  return { title: title || firstBold, fields };
}

function summaryField(t: Texts, input: Node, submitted: Readonly<Record<string, unknown>>): SummaryField | undefined {
  const id = str(input.id);
  if (!id || id === 'formId' || !Object.hasOwn(submitted, id)) return undefined;
  const raw = str(submitted[id]).trim();
  if (!raw) return undefined;
  const label = (str(input.type) === 'Input.Toggle' ? str(input.title) || str(input.label) : str(input.label) || str(input.placeholder)).trim() || (t.field[id] ?? '');
  switch (input.type) {
    case 'Input.Toggle': {
      const on = input.valueOn === undefined ? 'true' : str(input.valueOn);
      const off = input.valueOff === undefined ? 'false' : str(input.valueOff);
      return raw === on ? { label, value: t.formSummary.yes } : raw === off ? { label, value: t.formSummary.no } : undefined;
    }
    case 'Input.ChoiceSet': {
      const choices = Array.isArray(input.choices) ? input.choices.filter(isNode) : [];
      const picked = input.isMultiSelect === true ? raw.split(',').map((v) => v.trim()) : [raw];
      const titles = picked.map((v) => str(choices.find((c) => str(c.value) === v)?.title).trim()).filter(Boolean);
      return titles.length ? { label, value: titles.join(', ') } : undefined;
    }
    case 'Input.Text':
    case 'Input.Number':
    case 'Input.Date':
    case 'Input.Time':
      return { label, value: containsPersonalIdentityNumber(raw) ? t.formSummary.hidden : raw };
    default:
      return undefined;
  }
}

/**
 * The read-only card a sent form is replaced by: "Mottaget" (t.cardReceivedTitle), the form's
 * title, each field the person filled in with its label and value, then "Skickat av … …".
 */
export function renderFormSummary(t: Texts, form: CardAttachment | Node, submitted: Readonly<Record<string, unknown>>, sent: { by: string; at: string }): CardAttachment {
  const s = summarizeForm(t, form, submitted);
  return expandCard(template, {
    received: t.cardReceivedTitle,
    title: s.title,
    // A line break the person typed stays a line in the card (a single newline is no break in markdown).
    fields: s.fields.map((f) => ({ label: f.label, value: f.value.replace(/(\r?\n)+/g, '\n\n') })),
    sent: t.cardReceived(sent.by, formatInstant(t, sent.at)),
  });
}
