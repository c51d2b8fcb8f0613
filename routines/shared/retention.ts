import type { CaseFile, RoutineId } from './cases';
import type { JournalEvent } from './journal';

/**
 * Retention (gallring) — what is due when. A case whose routine has ended keeps its identifying
 * data (initials, case reference, free texts) for `days` after it ended; then the retention sweep
 * (storage/retention.ts) replaces them with a pseudonym and `REDACTED`, keeps the journal's events
 * (who, role, when, step — without their free texts) and the access log. The bot is not the case
 * record (Treserva / GWA / PAX are): its copy only has to outlive the longest look-back a routine
 * makes on its own data. No governing document sets a period for the bot's copy; routine B looks two
 * years back ("de senaste två åren"), so the default is 730 days (bot/config.ts RETENTION_DAYS).
 * No clock is read here: every function takes the time.
 */

export const DEFAULT_RETENTION_DAYS = 730;
const DAY_MS = 86_400_000;

/** What a free text becomes once retention has run. */
export const REDACTED = '[gallrad]';
/** The prefix of a pseudonymised case reference (reference → `GALLRAD-<code>`, initials → `–`). */
export const PSEUDONYM_PREFIX = 'GALLRAD-';
export const PSEUDONYM_INITIALS = '–';

/** The states in which each routine has ended (read-only): from then on the retention period runs. */
export const ENDED_STATES: Record<Exclude<RoutineId, 'A'>, readonly string[]> = {
  B: ['complete'],
  // A withdrawn assignment is still open for KC's documentation; it ends as `closed`.
  C: ['closed', 'notReferred'],
  D: ['closed'],
};

export function hasEnded(routine: Exclude<RoutineId, 'A'>, state: string): boolean {
  return ENDED_STATES[routine].includes(state);
}

/** The instant from which a case that ended at `endedAt` is due for retention. */
export function retentionDueAt(endedAt: string, days: number): Date {
  return new Date(Date.parse(endedAt) + days * DAY_MS);
}

/**
 * Whether a case that ended at `endedAt` is due at `now`: exactly `days` × 24 h after it ended, and
 * never before (the day before the period ends the data is still there). Not ended = never due.
 */
export function isDueForRetention(endedAt: string | undefined, now: Date, days: number): boolean {
  if (!endedAt || Number.isNaN(Date.parse(endedAt))) return false;
  return now.getTime() >= retentionDueAt(endedAt, days).getTime();
}

/** The oldest time a kept record (a claim, a closed task) may have at `now`: older ones are removed. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** A row stamped `at` (a form claim, a closed task) is past its purpose at `now`. */
export function isExpired(at: string | undefined, now: Date, days: number): boolean {
  return at !== undefined && !Number.isNaN(Date.parse(at)) && Date.parse(at) <= retentionCutoff(now, days).getTime();
}

/**
 * The latest of several instants (the last activity of a case: its newest journal event, the newest
 * registration of it in a queue); undefined when none is a date.
 */
export function latestInstant(ats: ReadonlyArray<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const at of ats) if (at !== undefined && !Number.isNaN(Date.parse(at)) && (best === undefined || Date.parse(at) > Date.parse(best))) best = at;
  return best;
}

/**
 * A step's outbox row that is done (kept so that a second submission of its form is told who did
 * it) and older than the period: removed. A row not done — effects still to carry out — is never
 * removed, however old: those effects would be lost.
 */
export function isExpiredDoneStep(row: { done?: boolean | undefined; createdAt: string }, now: Date, days: number): boolean {
  return row.done === true && isExpired(row.createdAt, now, days);
}

/** The pseudonym of a case: its own random id (never derived from the person), so the journal still reads as one case. */
export function caseCode(caseId: string): string {
  return caseId.replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toUpperCase() || 'OKAND';
}

export function pseudonymiseCase(c: CaseFile): CaseFile {
  return { ...c, reference: `${PSEUDONYM_PREFIX}${caseCode(c.caseId)}`, initials: PSEUDONYM_INITIALS };
}

export function isPseudonymised(c: Pick<CaseFile, 'reference' | 'initials'>): boolean {
  return c.reference.startsWith(PSEUDONYM_PREFIX) && c.initials === PSEUDONYM_INITIALS;
}

/**
 * The free-text fields of each routine's aggregate (at any depth): what staff typed about the
 * person. Codes, dates, counts, staff names and ids stay: they say who did what when.
 */
export const FREE_TEXT_FIELDS: Record<Exclude<RoutineId, 'A'> | 'consent' | 'journal', readonly string[]> = {
  // `label`: the case's reference and initials kept on a review for its cards (PlanReview.label).
  B: ['text', 'note', 'comment', 'label'],
  C: ['needs', 'includes', 'goals', 'goal', 'text', 'question', 'resolution', 'reason', 'why', 'place'],
  D: ['purpose', 'needs', 'questions', 'proposedTime', 'note', 'comment', 'closedReason', 'reason', 'outcome', 'participants', 'background', 'responsibilities', 'individualParticipation'],
  consent: ['information'],
  // A journal event's details hold codes and counts, except these texts (D's close reason, a disagreement's outcome).
  journal: ['reason', 'outcome', 'note', 'comment', 'text', 'question', 'resolution'],
};

/**
 * A copy of `value` with every string under one of `fields` (the field's own text, a list's, or an
 * object's, at any depth) replaced by REDACTED, the field found at any depth; an empty text stays empty. Idempotent: a redacted value comes back equal.
 */
export function redactTexts<T>(value: T, fields: readonly string[]): T {
  const names = new Set(fields);
  const walk = (v: unknown, redact: boolean): unknown => {
    if (typeof v === 'string') return redact && v !== '' ? REDACTED : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, redact));
    // Under a named field every string goes, however deep (e.g. B's `label`: reference and initials).
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, redact || names.has(k))]));
    return v;
  };
  return walk(value, false) as T;
}

/** A journal event without its free texts: who, role, unit, when, routine and step are kept. */
export function redactJournalEvent(e: JournalEvent): JournalEvent {
  const names = new Set(FREE_TEXT_FIELDS.journal);
  const details = Object.fromEntries(Object.entries(e.details).map(([k, v]) => [k, names.has(k) && typeof v === 'string' && v !== '' ? REDACTED : v]));
  return { ...e, details };
}

/** Whether redaction would change anything (so the sweep writes only what it must). */
export function changedBy<T>(value: T, redact: (v: T) => T): boolean {
  return JSON.stringify(redact(value)) !== JSON.stringify(value);
}
