import { strict as assert } from 'node:assert';
import { C_STEP_VERB } from '../../cards/c-kompetenscenter/forms';
import type { CActionKind, Referral } from '../../routines/c-kompetenscenter/rules';
import type { RunningBot } from './app';
import { cardActions } from './connector';
import type { Chat } from './flow';

export type Button = { type: string; title: string; verb?: string; data?: Record<string, unknown> };

/**
 * The newest card sent to `c` since `from` with routine C's hand-over button of `kind` for the
 * referral (an Action.Submit through the menu, or the `c.step` Action.Execute); waits for its delivery.
 */
export async function handOverCard(bot: RunningBot, c: Chat, referralId: string, from: number, kind: CActionKind): Promise<{ card: Record<string, unknown>; button: Button }> {
  const find = () => {
    for (const s of c.sent().slice(from).reverse()) {
      const card = s.activity.attachments?.[0]?.content;
      const button = cardActions(card).find((a) => a.data?.referralId === referralId && a.data?.step === kind && (a.type === 'Action.Submit' ? a.data?.menu === 'C' : a.verb === C_STEP_VERB));
      if (card && button) return { card, button };
    }
    return undefined;
  };
  await bot.connector.waitFor(() => Boolean(find())).catch(() => undefined);
  const found = find();
  assert.ok(found, `${c.person.name} got no card with the button of ${kind}: ${c.textsSince(from).join(' | ')}`);
  return found;
}

/** A referral of routine C as the rules' unit tests start from: decided, the assignment taken by Ivar (SF Centrum's Anna refers). */
export const ASSIGNED_REFERRAL: Referral = {
  referralId: 'r1-abcdef',
  caseId: 'c1',
  socialWorkerId: 'anna',
  socialWorkerName: 'Anna',
  administration: 'sf-centrum',
  protectedIdentity: false,
  state: 'assigned',
  criteria: { unemployed: true, withinThreeYears: true },
  consentId: 'k1',
  decisions: [{ decisionDate: '2026-11-23', expiresOn: '2027-11-23', at: '2026-11-23T09:00:00.000Z' }],
  assignment: { needs: 'n', includes: 'i', goals: ['g1', 'g2'], sentAt: '2026-11-23T09:00:00.000Z' },
  consultantId: 'ivar',
  consultantName: 'Ivar',
  intakes: [],
  plans: [],
  followUps: [],
  events: [],
  disagreements: [],
  createdAt: '2026-11-23T09:00:00.000Z',
};
