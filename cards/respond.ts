import { expandCard, type CardAttachment } from './expand';
import template from './templates/respond.json';

type Fact = { title: string; value: string };

/**
 * A notification card with facts, an optional comment box and buttons (Action.Execute verbs of
 * a feature): invitations and approvals (D), the provider's answers (B).
 */
export function renderRespondCard(d: { title: string; text: string; facts: Fact[]; status: string; noteLabel: string; buttons: Array<{ verb: string; title: string; data: Record<string, string | number> }> }): CardAttachment {
  return expandCard(template, d);
}
