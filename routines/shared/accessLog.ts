import type { RoutineId } from './cases';
import { hasRole, unitsWithRole, type StaffMember, type UnitId } from './organisation';

/**
 * One row of the access log (loggkontroll): who saw which case, through which view of which
 * routine, when. Ids and codes only — never the case's reference, initials or a text.
 */
export interface AccessEntry {
  at: string;
  personId: string;
  personName: string;
  /** The role through which the person saw it, and its unit (`''` when the view is not tied to one). */
  role: string;
  unit: string;
  caseId: string;
  routine: RoutineId | 'shared';
  /** A stable code: `d.list`, `c.status`, `tasks.mine`, `journal.export`, `access.extract`, … */
  view: string;
}

/** The role and unit a view is recorded under: the first of the person's roles in `units` (else their first role). */
export function viewerRole(person: StaffMember, units: readonly string[] = []): { role: string; unit: string } {
  const r = person.roles.find((x) => units.includes(x.unit)) ?? person.roles[0];
  return r ? { role: r.role, unit: r.unit } : { role: '', unit: '' };
}

export function accessEntry(person: StaffMember, caseId: string, routine: AccessEntry['routine'], view: string, now: Date, units: readonly string[] = []): AccessEntry {
  return { at: now.toISOString(), personId: person.id, personName: person.name, ...viewerRole(person, units), caseId, routine, view };
}

/** The longest period one extract covers (days). */
export const MAX_EXTRACT_DAYS = 366;

/**
 * Who may ask for an access extract: the admin (any case, any person), and a supervisor for a case
 * their unit owns or a person who holds a role in their unit. Anyone else — and a supervisor asking
 * about another unit — gets the same answer as for a case or person that does not exist.
 */
export function mayExtractCase(person: StaffMember, owningUnit: UnitId): boolean {
  return hasRole(person, 'admin', 'city') || hasRole(person, 'supervisor', owningUnit);
}

export function mayExtractPerson(person: StaffMember, subject: StaffMember): boolean {
  if (hasRole(person, 'admin', 'city')) return true;
  const mine = unitsWithRole(person, 'supervisor');
  return subject.roles.some((r) => mine.includes(r.unit));
}

/** Whether the person may ask for extracts at all (so the command is offered). */
export function mayAskForExtracts(person: StaffMember): boolean {
  return hasRole(person, 'admin', 'city') || unitsWithRole(person, 'supervisor').length > 0;
}

/**
 * The period of an extract from what was typed: `från` and `till` as YYYY-MM-DD (Stockholm days,
 * taken whole), by default the last 30 days up to `now`; at most MAX_EXTRACT_DAYS.
 */
export function extractPeriod(fromText: string | undefined, toText: string | undefined, now: Date): { from: Date; to: Date } | undefined {
  const day = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) ? s : undefined);
  const to = toText ? day(toText) : undefined;
  const from = fromText ? day(fromText) : undefined;
  if ((toText && !to) || (fromText && !from)) return undefined;
  const end = to ? new Date(Date.parse(`${to}T23:59:59.999Z`) + 2 * 3600_000) : now;
  const start = from ? new Date(Date.parse(`${from}T00:00:00Z`) - 2 * 3600_000) : new Date(now.getTime() - 30 * 86_400_000);
  if (start.getTime() > end.getTime() || end.getTime() - start.getTime() > MAX_EXTRACT_DAYS * 86_400_000) return undefined;
  return { from: start, to: end };
}
