import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomUUID } from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import pino, { type DestinationStream, type Logger } from 'pino';
import { telemetryLogStream } from './telemetry';

export type { Logger };

/** How log lines are written: `auto` = readable for a person on a terminal (pino-pretty), JSON otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Structured logs for the operator: JSON lines (one object per line) unless a person reads them on a
 * terminal. Never log what a person typed, a card's content, a name, a case reference or initials:
 * only ids, verbs, codes, counts and timings. People appear as a keyed pseudonym (`person`, see
 * below). Every line of a turn, of a proactive send and of a sweep carries the log context
 * (`correlationId`, `routine`, `step`, see withLogContext) through the pino mixin.
 */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'auto'): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && !destination && process.stdout.isTTY === true);
  let out: DestinationStream | undefined = pretty ? prettyStream(destination) : destination;
  // With Application Insights configured (bot/telemetry.ts), every line also goes there as a log record.
  const telemetry = telemetryLogStream();
  if (telemetry) out = tee(out ?? pino.destination(1), telemetry);
  return pino(
    {
      level,
      base: { service: 'gbg-rutinstod' },
      // A second line of defence: fields that would carry what a person wrote are never printed.
      redact: { paths: ['text', '*.text', 'value', '*.value', 'card', '*.card', 'reference', '*.reference', 'initials', '*.initials'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // A fresh object each time: pino merges the call's fields into it (they win over the context's).
      mixin: () => ({ ...context.getStore() }),
    },
    out,
  );
}

/** pino-pretty in this thread (no worker: the process has a small heap budget), loaded only when used. */
function prettyStream(destination?: DestinationStream): DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prettyFactory } = require('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({ colorize: !destination && process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true });
  const target = destination ?? pino.destination(1);
  return { write: (line: string) => void target.write(prettify(line)) };
}

function tee(a: DestinationStream, b: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      a.write(line);
      b.write(line);
    },
  };
}

/**
 * What every log line of one unit of work carries: a turn (bot/server.ts, bot/teamsBot.ts), a
 * sweep or a relay of the outbox (bot/app.ts), a reminder (bot/reminderSweep.ts). `routine` is the
 * routine letter (A–D) or the shared part (`main`, `tasks`, `admin`, `sweep`), `step` the card
 * verb or dialog step within it. Ids and codes only, never what a person wrote.
 */
export interface LogContext {
  correlationId?: string;
  routine?: string;
  step?: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with these fields added to the current log context (for `fn` and everything it starts). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/**
 * Adds fields to the current log context (the turn's, from here on); outside any context, starts
 * one for the rest of the current async call chain.
 */
export function setLogContext(fields: LogContext): void {
  const store = context.getStore();
  if (store) Object.assign(store, fields);
  else context.enterWith({ ...fields });
}

/** The current log context (a copy). */
export function logContext(): LogContext {
  return { ...context.getStore() };
}

/** `a.offer.take` → { routine: 'A', step: 'offer.take' }; `tasks.mine` → { routine: 'tasks', step: 'mine' }. */
export function routineStepOf(id: string): { routine: string; step: string } {
  const dot = id.indexOf('.');
  const head = dot < 0 ? id : id.slice(0, dot);
  const routine = /^[a-d]$/.test(head) ? head.toUpperCase() : head;
  return { routine, step: dot < 0 ? id : id.slice(dot + 1) };
}

/**
 * The routine and step of a turn from what the bot knows before it runs: a card button's verb
 * (`verbForLog`: a verb the bot defines, `form.submit`, or `(unknown)`), else the activity type.
 * A form or a message is refined by the dialog the person is in (activeDialogStep).
 */
export function turnRoutineStep(activity: Partial<Activity>, verbForLog: string | undefined): { routine: string; step: string } {
  if (verbForLog && verbForLog !== '(unknown)' && verbForLog !== FORM_SUBMIT) return routineStepOf(verbForLog);
  return { routine: 'main', step: verbForLog ?? (typeof activity.type === 'string' && /^[A-Za-z]{1,30}$/.test(activity.type) ? activity.type : 'activity') };
}
const FORM_SUBMIT = 'form.submit';

interface DialogInstanceLike {
  id?: unknown;
  state?: { dialogs?: { dialogStack?: unknown }; stepIndex?: unknown } | undefined;
}

/**
 * The innermost dialog the person is in (botbuilder's stack: the active dialog is the last; a
 * component dialog keeps its own stack in `state.dialogs`), as routine and step, e.g. the form
 * `a.form.join` → { routine: 'A', step: 'form.join' }. Undefined when no dialog is active. Dialog
 * ids are the bot's own constants, never data a person entered.
 */
export function activeDialogStep(dialogState: { dialogStack?: unknown } | undefined): { routine: string; step: string } | undefined {
  let stack = dialogState?.dialogStack;
  let id: string | undefined;
  for (let depth = 0; depth < 10 && Array.isArray(stack) && stack.length > 0; depth++) {
    const top = stack[stack.length - 1] as DialogInstanceLike;
    if (typeof top.id !== 'string') break;
    // The main dialog and a routine's waterfall are containers: the innermost id says most.
    if (/^[A-Za-z][A-Za-z0-9.]{0,60}$/.test(top.id)) id = top.id;
    stack = top.state?.dialogs?.dialogStack;
  }
  return id ? routineStepOf(id) : undefined;
}

/** A fixed key for local development only (no MicrosoftAppId): not a secret, so not private. */
export const DEV_PSEUDONYM_KEY = 'gbg-rutinstod-local-development-only-not-a-secret';

let pseudonymKey = DEV_PSEUDONYM_KEY;

/** The key of the log pseudonyms (LOG_PSEUDONYM_KEY; empty = the development key). Set once at start-up. */
export function usePseudonymKey(key: string): void {
  pseudonymKey = key || DEV_PSEUDONYM_KEY;
}

/**
 * A stable pseudonym of a person's id (Entra object id or Teams user id) for log lines: the first
 * 16 hex digits of HMAC-SHA-256 keyed with LOG_PSEUDONYM_KEY. Without the key nobody can tell
 * whose lines they are, not even by hashing a list of known ids; an operator who has the key and
 * is told an id can compute the pseudonym and find the person's lines.
 */
export function pseudonym(personId: string): string {
  return personId ? createHmac('sha256', pseudonymKey).update(personId).digest('hex').slice(0, 16) : '';
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
