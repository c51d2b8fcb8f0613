import type { CardAttachment } from './expand';

export type FormValues = Readonly<Record<string, string | number | boolean>>;

/**
 * The same form card with what the person entered put back in its inputs (by input id), e.g. when
 * the form is refused: every valid value stays, only the refused field is left for them to fix.
 * Only `Input.*` elements are touched (their `value`); the choices of a choice set keep theirs.
 */
export function withValues(card: CardAttachment, values: FormValues): CardAttachment {
  const walk = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(walk);
    if (!n || typeof n !== 'object') return n;
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) o[k] = walk(v);
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string' && Object.hasOwn(values, o.id)) o.value = String(values[o.id]);
    return o;
  };
  return { ...card, content: walk(card.content) as CardAttachment['content'] };
}

/** The submitted values worth putting back: plain values, without the form's id and the fields named in `drop`. */
export function keptValues(data: Readonly<Record<string, unknown>>, drop: readonly string[]): FormValues {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === 'formId' || drop.includes(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
