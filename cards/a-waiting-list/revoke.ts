import { z } from 'zod';
import type { Texts } from '../../locale';
import { renderActionMessageCard } from '../actionMessage';
import type { CardAttachment } from '../expand';

/**
 * The confirmation shown before a revoked consent is recorded: what will happen (which queues the
 * person leaves, which providers are told) and one button that does it. The button carries the
 * case, a one-time id (a second press is "already done") and the state it was shown for (a press
 * after the queues changed is stale).
 */
export function renderRevokeConfirmCard(t: Texts, d: { caseId: string; confirmId: string; version: string; consents: number; providers: string[] }): CardAttachment {
  return renderActionMessageCard({
    title: t.a.revokeConfirmTitle,
    text: t.a.revokeConfirmText(d.consents, d.providers),
    button: { verb: 'a.revoke.confirm', title: t.a.revokeConfirmButton, data: { caseId: d.caseId, confirmId: d.confirmId, version: d.version } },
  });
}

const id = z.string().min(1).max(100);
export const revokeConfirmSubmission = z.object({ caseId: id, confirmId: id, version: z.string().regex(/^[0-9a-f]{16}$/) });
