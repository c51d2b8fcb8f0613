import type { TurnContext } from 'botbuilder';
import { accessEntry, type AccessEntry } from '../../routines/shared/accessLog';
import type { StaffMember } from '../../routines/shared/organisation';
import type { Stores } from '../../storage';
import { answersEarly, onceAnswered } from '../earlyReply';
import { turnInfo } from '../turn';

const BUFFER = Symbol('accessLog.buffer');

/**
 * Records that the person of this turn saw these cases (loggkontroll), never on the reply's
 * critical path: the entries of a turn are gathered and written in one batch after its answer
 * (`onceAnswered`, run by the bot after the turn's answer — bot/teamsBot.ts). A failed write does
 * not fail the turn (the view was shown); see docs/data-protection.md.
 */
export function logViews(ctx: TurnContext, stores: Pick<Stores, 'accessLog'>, views: ReadonlyArray<{ caseId: string | null | undefined; routine: AccessEntry['routine']; view: string; units?: readonly string[] }>): void {
  const { person, now } = turnInfo(ctx);
  if (!person) return;
  const entries = views.flatMap((v) => (v.caseId ? [accessEntry(person, v.caseId, v.routine, v.view, now, v.units)] : []));
  record(ctx, stores, entries);
}

/** As logViews, for entries made already (an extract about a person: `caseId` = `person:<id>`). */
export function record(ctx: TurnContext, stores: Pick<Stores, 'accessLog'>, entries: readonly AccessEntry[]): void {
  if (!entries.length) return;
  let buffer = ctx.turnState.get(BUFFER) as AccessEntry[] | undefined;
  if (!buffer) {
    const fresh: AccessEntry[] = [];
    buffer = fresh;
    ctx.turnState.set(BUFFER, fresh);
    const flush = () => {
      // A later view of the same turn starts a new batch (the answer may come before the turn's end).
      if (ctx.turnState.get(BUFFER) === fresh) ctx.turnState.delete(BUFFER);
      return fresh.length ? stores.accessLog.append(fresh.splice(0)) : Promise.resolve();
    };
    if (answersEarly()) onceAnswered(flush);
    else queueMicrotask(() => void flush().catch(() => undefined));
  }
  buffer.push(...entries);
}

/** The entry for a view outside a turn (the export link's download). */
export function entryFor(person: StaffMember, caseId: string, routine: AccessEntry['routine'], view: string, now: Date, units: readonly string[] = []): AccessEntry {
  return accessEntry(person, caseId, routine, view, now, units);
}
