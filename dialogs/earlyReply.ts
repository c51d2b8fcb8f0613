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

interface EarlyReply {
  answer: AnswerNow;
  /** Writes that belong to the turn but not to its answer (a form's receipt), done right after it. */
  afterAnswer: Array<() => Promise<unknown>>;
}

const current = new AsyncLocalStorage<EarlyReply>();

export function withEarlyReply<T>(answer: AnswerNow, fn: () => Promise<T>): Promise<T> {
  return current.run({ answer, afterAnswer: [] }, fn);
}

export function replyNow(card?: object): void {
  current.getStore()?.answer(card);
}

/** Whether this turn can answer before it ends (an HTTP turn): only then is `onceAnswered` available. */
export function answersEarly(): boolean {
  return current.getStore() !== undefined;
}

/** Something to write right after the answer (`afterAnswered`), not before it. */
export function onceAnswered(write: () => Promise<unknown>): void {
  current.getStore()?.afterAnswer.push(write);
}

/**
 * Runs what waited for the answer, once. A failure is not the step's: the step stands and its
 * effects follow; what waited (a form's receipt, read only to word a later press of the same form)
 * is left undone, and that press is answered "no longer valid" instead of "already sent by".
 */
export async function afterAnswered(): Promise<void> {
  const store = current.getStore();
  if (!store) return;
  const writes = store.afterAnswer.splice(0);
  await Promise.all(writes.map((w) => w().catch(() => undefined)));
}
