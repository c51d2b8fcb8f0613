import type { TurnContext } from 'botbuilder';
import type { Texts } from '../locale';
import type { StaffMember } from '../routines/shared/organisation';
import type { ClaimStore } from '../storage/claims';

/** What the bot resolves once per turn and every dialog reads: who is talking, in which language, when. */
export interface TurnInfo {
  personId: string;
  personName: string;
  /** Undefined when the person is not in the staff directory. */
  person: StaffMember | undefined;
  t: Texts;
  now: Date;
  correlationId: string;
  /** One-time claims of forms (set by the bot; absent in bare dialog tests). */
  claims?: ClaimStore | undefined;
}

const TURN_INFO = Symbol('turnInfo');
const INVOKE_CARD = Symbol('invokeCard');

export function setTurnInfo(ctx: TurnContext, info: TurnInfo): void {
  ctx.turnState.set(TURN_INFO, info);
}

export function turnInfo(ctx: TurnContext): TurnInfo {
  const info = ctx.turnState.get(TURN_INFO) as TurnInfo | undefined;
  if (!info) throw new Error('turn info was not set by the bot before running dialogs');
  return info;
}

/** The card that answers an Action.Execute invoke (replaces the card the person pressed). */
export function setInvokeCard(ctx: TurnContext, card: object): void {
  ctx.turnState.set(INVOKE_CARD, card);
}
/**
 * This turn leaves the dialog state as it read it (not written at the end): a parallel turn of the
 * same form did its step, and this one only tells the person so (cardFormPrompt `answerSentAlready`).
 */
export function keepDialogStateAsRead(ctx: TurnContext): void {
  ctx.turnState.set(KEEP_STATE, true);
}
export function dialogStateKeptAsRead(ctx: TurnContext): boolean {
  return ctx.turnState.get(KEEP_STATE) === true;
}
const KEEP_STATE = Symbol('keepDialogStateAsRead');

export function invokeCard(ctx: TurnContext): object | undefined {
  return ctx.turnState.get(INVOKE_CARD) as object | undefined;
}

/** The data of an Action.Execute invoke, or undefined for any other activity. */
export function executeAction(ctx: TurnContext): { verb: string; data: Record<string, unknown> } | undefined {
  const a = ctx.activity;
  if (a.type !== 'invoke' || a.name !== 'adaptiveCard/action') return undefined;
  const action = (a.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  if (!action || typeof action.verb !== 'string') return undefined;
  const data = action.data && typeof action.data === 'object' && !Array.isArray(action.data) ? (action.data as Record<string, unknown>) : {};
  return { verb: action.verb, data };
}
