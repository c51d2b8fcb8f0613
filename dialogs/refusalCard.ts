import { renderMessageCard } from '../cards/message';
import { formatInstant, refusalText, type Texts } from '../locale';
import type { Refusal } from '../routines/shared/refusal';

/** A refusal as the card that replaces a pressed button: the reason in the person's language, times as they read them. */
export function refusalCard(t: Texts, r: Refusal) {
  const params = typeof r.params.at === 'string' && r.params.at ? { ...r.params, at: formatInstant(t, r.params.at) } : r.params;
  return renderMessageCard({ title: t.errorTitle, text: refusalText(t, { ...r, params }), tone: 'warning' });
}
