import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { CardAttachment } from '../cards/expand';

/**
 * A state-changing card button (Action.Execute) that is not part of a waiting dialog, e.g. a
 * provider answering a notification card. Routed by verb through a table; the handler returns
 * the card that replaces the pressed one for every viewer.
 */
export interface CardAction<T = unknown> {
  verb: string;
  schema: z.ZodType<T>;
  handle(ctx: TurnContext, data: T): Promise<CardAttachment>;
}

/** Keeps the data's type tied to its schema when a feature declares its actions. */
export function cardAction<T>(a: CardAction<T>): CardAction<unknown> {
  return a as CardAction<unknown>;
}
