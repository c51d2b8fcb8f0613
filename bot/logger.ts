import { createHash, randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs for the operator. Never log what a person typed, a card's content, a name,
 * a case reference or initials: only ids, verbs, codes, counts and timings. People appear as a
 * pseudonym (`person`, see below); a turn's lines share its `correlationId`.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gbg-rutinstod' },
      // A second line of defence: fields that would carry what a person wrote are never printed.
      redact: { paths: ['text', '*.text', 'value', '*.value', 'card', '*.card', 'reference', '*.reference', 'initials', '*.initials'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * A stable pseudonym of a person's id (Entra object id or Teams user id) for log lines: the first
 * 16 hex digits of its SHA-256. An operator who is told an id can compute the pseudonym and find
 * the person's lines; the log alone names no one.
 */
export function pseudonym(personId: string): string {
  return personId ? createHash('sha256').update(personId).digest('hex').slice(0, 16) : '';
}

/**
 * The correlation id of one turn: the incoming activity's id (so the operator can match Bot
 * Framework traces), reduced to safe characters, plus a short random part (a channel may resend
 * an activity with the same id); a random UUID when the activity has no id.
 */
export function newCorrelationId(activityId: unknown): string {
  const base = typeof activityId === 'string' ? activityId.replace(/[^A-Za-z0-9:._-]/g, '').slice(0, 40) : '';
  return base ? `${base}.${randomUUID().slice(0, 8)}` : randomUUID();
}

/** The response header that carries a turn's correlation id back to the caller. */
export const CORRELATION_HEADER = 'x-correlation-id';

const CORRELATION = Symbol('correlationId');

/** Set by the HTTP server before the turn runs, read by the bot and the adapter's error handler. */
export function setCorrelationId(ctx: TurnContext, id: string): void {
  ctx.turnState.set(CORRELATION, id);
}
export function correlationIdOf(ctx: TurnContext): string | undefined {
  return ctx.turnState.get(CORRELATION) as string | undefined;
}
