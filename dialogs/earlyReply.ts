import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The turn's answer, sent as soon as a step is committed (bot/responseWindow.ts): a step's
 * effects — cards to others, tasks, the journal — are carried out after the person has their
 * answer, never before it. `card`: the card that answers a pressed button (an Action.Execute),
 * when the step renders it before its effects; without one, the card the turn set already (a
 * form's "received") or, for a message, the empty 200. Outside an HTTP turn (a sweep, a test
 * calling a use case) nothing happens.
 */
export type AnswerNow = (card?: object) => void;

const current = new AsyncLocalStorage<AnswerNow>();

export function withEarlyReply<T>(answer: AnswerNow, fn: () => Promise<T>): Promise<T> {
  return current.run(answer, fn);
}

export function replyNow(card?: object): void {
  current.getStore()?.(card);
}
