import { renderMessageCard } from '../cards/message';
import { refusalText, type Texts } from '../locale';
import type { Refusal } from '../routines/shared/refusal';

/** A refusal as the card that replaces a pressed button: the reason in the person's language, times as they read them. */
export function refusalCard(t: Texts, r: Refusal) {
  return renderMessageCard({ title: t.errorTitle, text: refusalText(t, r), tone: 'warning' });
}
