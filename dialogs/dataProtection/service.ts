import { mayAccessCase } from '../../routines/a-waiting-list/rules';
import { formatInstant, type Texts } from '../../locale';
import { accessEntry, mayExtractCase, mayExtractPerson, type AccessEntry } from '../../routines/shared/accessLog';
import { caseLabelFor, type CaseFile } from '../../routines/shared/cases';
import type { JournalEvent } from '../../routines/shared/journal';
import { isUnitId, unitName, unitsWithRole, hasRole, ROLES, type Administration, type Role, type StaffMember, type UnitId } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { toIsoDate } from '../../routines/shared/workingDays';
import { PlanReviewService } from '../b-plan-review/service';
import { KompetenscenterService } from '../c-kompetenscenter/service';
import { CoordinatedPlanService } from '../d-coordinated-plan/service';
import type { DialogDeps } from '../ports';

/** At most this many journal events in one export (a case's journal is bounded by its routine's steps). */
const MAX_EVENTS = 5000;

export interface JournalExport {
  caseFile: CaseFile;
  /** The case as the person may see it: reference and initials, or the protected case's code. */
  label: string;
  /** Oldest first. */
  events: JournalEvent[];
}

/**
 * The journal export and the access extract. Who may export a case's journal is who may see the
 * case in its routine — the routine's own access function, through its service (`openFor`): D
 * `planAccess`, C `referralAccess`, B `reviewAccess`; A (no aggregate) `mayAccessCase`. Anyone else, and a case that does not exist,
 * get the same 'notFoundOrNotAllowed'.
 */
export class DataProtectionService {
  private readonly plans: CoordinatedPlanService;
  private readonly referrals: KompetenscenterService;
  private readonly reviews: PlanReviewService;
  constructor(private readonly deps: DialogDeps) {
    this.plans = new CoordinatedPlanService(deps);
    this.referrals = new KompetenscenterService(deps);
    this.reviews = new PlanReviewService(deps);
  }

  /** Whether the person may see the case in its routine (the routine's access rule on its aggregate). */
  async maySee(person: StaffMember, c: CaseFile): Promise<boolean> {
    const a = c.aggregate;
    // Routine A has no aggregate: its officers and the owning unit's social workers (who may register and revoke for it). Others filed before the aggregate was kept: not exportable here.
    if (!a) return c.routine === 'A' && mayAccessCase(person, c, 'register');
    if (a.kind === 'plan') return (await this.plans.openFor(person, a.id)).ok;
    if (a.kind === 'referral') return (await this.referrals.openFor(person, a.id, 'see')).ok;
    return (await this.reviews.openFor(person, a.unit, a.id)).ok;
  }

  /** The cases under a reference that the person may see. */
  async casesFor(person: StaffMember, reference: string): Promise<CaseFile[]> {
    const out: CaseFile[] = [];
    for (const c of await this.deps.stores.cases.byReference(reference)) if (await this.maySee(person, c)) out.push(c);
    return out;
  }

  /** The journal of one case for the person, checked again (a link opened later re-checks too). */
  async journalFor(person: StaffMember, caseId: string, t: Texts): Promise<Decision<JournalExport>> {
    const c = (await this.deps.stores.cases.get(caseId))?.value;
    if (!c || !(await this.maySee(person, c))) return refuse('notFoundOrNotAllowed');
    const events = (await this.deps.stores.journal.forCase(caseId, MAX_EVENTS)).reverse();
    return accept({ caseFile: c, label: this.label(c, person, t), events });
  }

  label(c: CaseFile, person: StaffMember, t: Texts): string {
    const l = caseLabelFor(c, { kind: 'staff', units: person.roles.map((r) => r.unit) });
    return l.reference ? `${l.reference} (${l.initials ?? ''})` : `${t.a.protectedCase} – ${c.caseId.slice(0, 6).toUpperCase()}`;
  }

  // --- the access extract ----------------------------------------------------------------------

  /** The case under a reference whose access log the person may see: a supervisor of its owning unit, or the admin. */
  async extractCase(person: StaffMember, reference: string): Promise<CaseFile | undefined> {
    return (await this.deps.stores.cases.byReference(reference)).find((c) => mayExtractCase(person, c.owningUnit));
  }

  /** A person the asker may see the access log of (by id, or by name among the people of their units). */
  async extractPerson(person: StaffMember, who: string): Promise<StaffMember | undefined> {
    const byId = (await this.deps.stores.staff.get(who.trim()))?.value;
    if (byId) return mayExtractPerson(person, byId) ? byId : undefined;
    const name = who.trim().toLocaleLowerCase('sv');
    const units = hasRole(person, 'admin', 'city') ? [] : unitsWithRole(person, 'supervisor');
    const candidates = units.length
      ? (await Promise.all(units.flatMap((u) => ROLES.map((r: Role) => this.deps.stores.staff.holders(r, u))))).flat()
      : await this.deps.stores.staff.page(1000);
    return candidates.find((p) => p.name.toLocaleLowerCase('sv') === name && mayExtractPerson(person, p));
  }

  entries(target: { caseId: string } | { personId: string }, from: Date, to: Date): Promise<AccessEntry[]> {
    return 'caseId' in target ? this.deps.stores.accessLog.forCase(target.caseId, from, to) : this.deps.stores.accessLog.forPerson(target.personId, from, to);
  }

  /** The extract itself is a view: recorded under the case, or under `person:<id>` for a person. */
  extractEntry(person: StaffMember, target: { caseId: string; owningUnit: string } | { personId: string }, now: Date): AccessEntry {
    return 'caseId' in target ? accessEntry(person, target.caseId, 'shared', 'access.extract', now, [target.owningUnit]) : accessEntry(person, `person:${target.personId}`, 'shared', 'access.extract', now);
  }
}

// --- documents ---------------------------------------------------------------------------------

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const unitText = (u: string) => (isUnitId(u) ? unitName(u as UnitId) : u);
const roleText = (t: Texts, r: string) => (t.roles as Record<string, string>)[r] ?? r;
const stepText = (t: Texts, s: string) => t.steps[s] ?? s;
const detailsText = (d: JournalEvent['details']) => Object.entries(d).filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${String(v)}`).join('; ');

/** The journal as JSON, for filing (ordered oldest first; who, role, when, step, what). */
export function journalJson(x: JournalExport, by: StaffMember, now: Date): object {
  return {
    kind: 'journal',
    case: { caseId: x.caseFile.caseId, label: x.label, routine: x.caseFile.routine, owningUnit: x.caseFile.owningUnit },
    exportedAt: now.toISOString(),
    exportedBy: { id: by.id, name: by.name },
    events: x.events.map((e) => ({ at: e.at, who: e.actorName, actorId: e.actorId, role: e.role, unit: e.unit, routine: e.routine, step: e.step, details: e.details })),
  };
}

/** The journal as a readable Swedish (or English) HTML page, printable to PDF from the browser. */
export function journalHtml(x: JournalExport, by: StaffMember, now: Date, t: Texts): string {
  const d = t.dp.doc;
  const rows = x.events
    .map((e) => `<tr><td>${esc(formatInstant(t, e.at))}</td><td>${esc(e.actorName)}</td><td>${esc(e.role === 'system' ? 'system' : roleText(t, e.role))}</td><td>${esc(unitText(e.unit))}</td><td>${esc(stepText(t, e.step))}<br><code>${esc(e.step)}</code></td><td>${esc(detailsText(e.details))}</td></tr>`)
    .join('\n');
  return page(t, `${d.title} ${x.label}`, [
    [d.caseLabel, x.label],
    [d.routine, t.routines[x.caseFile.routine]],
    [d.owningUnit, unitText(x.caseFile.owningUnit)],
    [d.exportedBy, by.name],
    [d.exportedAt, formatInstant(t, now.toISOString())],
  ], [d.when, d.who, d.role, d.unit, d.step, d.what], rows, d.note);
}

export function accessCsv(entries: readonly AccessEntry[]): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ['at,personId,personName,role,unit,caseId,routine,view', ...entries.map((e) => [e.at, e.personId, e.personName, e.role, e.unit, e.caseId, e.routine, e.view].map(q).join(','))].join('\r\n') + '\r\n';
}

export function accessJson(entries: readonly AccessEntry[], subject: string, from: Date, to: Date, by: StaffMember, now: Date): object {
  return { kind: 'accessExtract', subject, from: from.toISOString(), to: to.toISOString(), exportedAt: now.toISOString(), exportedBy: { id: by.id, name: by.name }, entries };
}

function page(t: Texts, title: string, facts: Array<[string, string]>, columns: string[], rows: string, note: string): string {
  return `<!doctype html>
<html lang="${t.lang}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="robots" content="noindex">
<style>
body{font-family:"Segoe UI",Arial,sans-serif;margin:2rem;color:#111}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border:1px solid #999;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}
code{font-size:.75rem;color:#555}p.note{font-size:.8rem;color:#333}
@media print{body{margin:1cm}tr{page-break-inside:avoid}thead{display:table-header-group}}
</style></head><body>
<h1>${esc(title)}</h1>
<dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<table><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows || `<tr><td colspan="${columns.length}">${esc(t.dp.doc.none)}</td></tr>`}
</tbody></table>
<p class="note">${esc(note)}</p>
</body></html>
`;
}

/** First and last day of the events (Stockholm dates), for the card's summary. */
export function eventSpan(events: readonly JournalEvent[]): { first: string; last: string } {
  return { first: events[0] ? toIsoDate(new Date(events[0].at)) : '', last: events.at(-1) ? toIsoDate(new Date(events.at(-1)!.at)) : '' };
}

export type { Administration };
