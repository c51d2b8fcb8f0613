import { mayTell, type Consent } from '../shared/consent';
import { ADMINISTRATIONS, hasRole, isAdministration, type Administration, type StaffMember } from '../shared/organisation';
import { containsPersonalIdentityNumber } from '../shared/privacy';
import { accept, refuse, type Decision } from '../shared/refusal';
import { addWorkingDays, type IsoDate } from '../shared/workingDays';

/**
 * Routine D — coordinated plan (samordnad plan, SP) between the social administrations, FFS and
 * ÄVO (seed 004). Each administration is its own authority: nothing about the individual crosses
 * without consent; without consent only an unidentified consultation is possible. The plan is
 * approved by a supervisor of every other administration before it is established, then locked.
 */

export type SpMode = 'consent' | 'consultation';
export type InvitationAnswer = 'accepted' | 'proposedOtherTime' | 'declined';
export type SpState = 'invited' | 'awaitingApproval' | 'returned' | 'established' | 'closed';

export interface Invitation {
  administration: Administration;
  answer?: InvitationAnswer | undefined;
  note?: string | undefined;
  by?: string | undefined;
  byName?: string | undefined;
  at?: string | undefined;
}

export interface PlanContent {
  participants: string;
  background: string;
  needs: string;
  responsibilities: string;
  followUpDate: string;
  individualParticipation: string;
}

export interface ApprovalDecision {
  administration: Administration;
  decision: 'approved' | 'returned';
  comment?: string | undefined;
  by: string;
  byName: string;
  at: string;
}

export interface PlanVersion {
  version: number;
  content: PlanContent;
  submittedAt: string;
  decisions: ApprovalDecision[];
}

export interface CoordinatedPlan {
  spId: string;
  /** Null for an unidentified consultation: no case reference or initials exist or travel. */
  caseId: string | null;
  mode: SpMode;
  initiatorId: string;
  initiatorName: string;
  initiatingAdministration: Administration;
  others: Administration[];
  acuteConcern: boolean;
  concernReported: boolean;
  purpose: string;
  needs: string;
  questions: string;
  proposedTime: string;
  meetingForm: string;
  individualTakesPart: boolean;
  invitations: Invitation[];
  versions: PlanVersion[];
  state: SpState;
  closedReason?: string | undefined;
  /** A disagreement raised by either side, and its outcome once the managers settled it. */
  disagreement?: { raisedBy: string; raisedByName: string; administration: Administration; reason: string; at: string; outcome?: string | undefined } | undefined;
  createdAt: string;
}

// --- triage and start -------------------------------------------------------------------------

/** Step 0: acute concern is asked first; with concern, the report of concern must be made before anything else. */
export function triage(acuteConcern: boolean, reportMade: boolean): Decision<{ acuteConcern: boolean; concernReported: boolean }> {
  if (acuteConcern && !reportMade) return refuse('reportOfConcernFirst');
  return accept({ acuteConcern, concernReported: acuteConcern && reportMade });
}

export function mayInitiate(person: StaffMember): Administration | undefined {
  const r = person.roles.find((x) => (x.role === 'socialWorker' || x.role === 'supervisor') && isAdministration(x.unit));
  return r ? (r.unit as Administration) : undefined;
}

export function otherAdministrations(own: Administration, chosen: readonly string[]): Decision<Administration[]> {
  const others = [...new Set(chosen)].filter((a): a is Administration => isAdministration(a) && a !== own);
  if (others.length === 0 || others.length !== new Set(chosen).size) return refuse('pickOtherAdministration');
  return accept(others);
}

// --- unidentified consultation -----------------------------------------------------------------

export type IdentifyingKind = 'personalIdentityNumber' | 'name' | 'phone' | 'email' | 'address' | 'caseReference';

const PHONE = /(?<!\d)(?:\+46\s?|0)(?:\d[\s-]?){6,11}\d(?!\d)/;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/u;
const ADDRESS = /\b[\p{Lu}][\p{L}]+(?:gatan|vägen|gata|väg|gränd|torget|torg|backen|platsen|allén|leden|stigen|esplanaden)\s+\d+\s?[A-Za-z]?\b/u;

/**
 * What in a consultation text could identify the individual: personal identity numbers, the
 * individual's names as entered (`knownNames`), the case reference, phone numbers, e-mail and
 * street addresses. Detection is a safety net, not a guarantee; the card says so.
 */
export function identifyingContent(text: string, known: { names?: readonly string[]; reference?: string | undefined } = {}): IdentifyingKind[] {
  const found = new Set<IdentifyingKind>();
  if (containsPersonalIdentityNumber(text)) found.add('personalIdentityNumber');
  if (PHONE.test(text)) found.add('phone');
  if (EMAIL.test(text)) found.add('email');
  if (ADDRESS.test(text)) found.add('address');
  const lower = text.toLocaleLowerCase('sv');
  for (const n of known.names ?? []) {
    const name = n.trim().toLocaleLowerCase('sv');
    if (name.length >= 2 && new RegExp(`(^|[^\\p{L}])${escapeRegExp(name)}([^\\p{L}]|$)`, 'u').test(lower)) found.add('name');
  }
  if (known.reference && lower.includes(known.reference.trim().toLocaleLowerCase('sv'))) found.add('caseReference');
  return [...found];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function checkConsultationText(fields: readonly string[], known: { names?: readonly string[]; reference?: string | undefined }): Decision<true> {
  const kinds = [...new Set(fields.flatMap((f) => identifyingContent(f, known)))];
  return kinds.length ? refuse('identifyingContent', { kinds: kinds.join(',') }) : accept(true);
}

// --- invitations -------------------------------------------------------------------------------

/** An invitation goes out only with consent covering that administration, or as a consultation. */
export function mayInvite(plan: Pick<CoordinatedPlan, 'mode' | 'caseId'>, administration: Administration, consents: readonly Consent[], now: Date): Decision<true> {
  if (plan.mode === 'consultation') return accept(true);
  if (!plan.caseId) return refuse('consentMissing', { recipient: administration });
  const d = mayTell(consents, plan.caseId, administration, now);
  return d.ok ? accept(true) : d;
}

/** Who may answer an invitation or decide on a plan for an administration: its supervisors (and, for invitations, its social workers). */
export function mayAnswerInvitation(person: StaffMember, administration: Administration): boolean {
  return hasRole(person, 'supervisor', administration) || hasRole(person, 'socialWorker', administration);
}
export function mayDecide(person: StaffMember, administration: Administration): boolean {
  return hasRole(person, 'supervisor', administration);
}

/** The part a person has in an SP: the initiating administration's (`owner`), or an invited administration's (`invited`). */
export type PlanPart = 'owner' | 'invited';

/**
 * Who may see / act on a coordinated plan — the one place routine D decides it. The owner is the
 * initiator or a supervisor of the initiating administration; an invited administration acts
 * through its supervisors and social workers, only for itself (`administration`). Someone with no
 * part gets 'notFoundOrNotAllowed' (the same words as for a plan that does not exist); a party
 * asking for another part's step gets 'notAllowed'.
 */
export function planAccess(plan: Pick<CoordinatedPlan, 'initiatorId' | 'initiatingAdministration' | 'others'>, person: StaffMember, as?: PlanPart, administration?: Administration): Decision<PlanPart> {
  const owner = person.id === plan.initiatorId || hasRole(person, 'supervisor', plan.initiatingAdministration);
  const invitedAdmins = plan.others.filter((a) => mayAnswerInvitation(person, a));
  if (!owner && invitedAdmins.length === 0) return refuse('notFoundOrNotAllowed');
  if (as === 'owner') return owner ? accept('owner') : refuse('notAllowed');
  if (as === 'invited') return administration && invitedAdmins.includes(administration) ? accept('invited') : refuse('notAllowed');
  return accept(owner ? 'owner' : 'invited');
}

/** A non-identifying code of a plan, for task lists and notices where no reference may be shown. */
export function planCode(plan: Pick<CoordinatedPlan, 'spId'>): string {
  return `SP-${plan.spId.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase()}`;
}

export function answerInvitation(plan: CoordinatedPlan, administration: Administration, person: StaffMember, answer: InvitationAnswer, note: string, now: Date): Decision<CoordinatedPlan> {
  const access = planAccess(plan, person, 'invited', administration);
  if (!access.ok) return access;
  if (plan.state === 'closed') return refuse('staleCard');
  const inv = plan.invitations.find((i) => i.administration === administration);
  if (!inv) return refuse('staleCard');
  if (!mayAnswerInvitation(person, administration)) return refuse('notAllowed');
  if (inv.answer) return refuse('alreadyDone', { by: inv.byName ?? '', at: inv.at ?? '' });
  if (answer !== 'accepted' && !note.trim()) return refuse('reasonRequired');
  const invitations = plan.invitations.map((i) => (i === inv ? { ...i, answer, note: note.trim() || undefined, by: person.id, byName: person.name, at: now.toISOString() } : i));
  return accept({ ...plan, invitations });
}

// --- the plan and its approval -------------------------------------------------------------------

export function currentVersion(plan: Pick<CoordinatedPlan, 'versions'>): PlanVersion | undefined {
  return plan.versions.at(-1);
}

export function isLocked(plan: Pick<CoordinatedPlan, 'state'>): boolean {
  return plan.state === 'established' || plan.state === 'closed';
}

/** The initiator submits (a new version of) the plan for approval; a locked plan cannot change. */
export function submitPlan(plan: CoordinatedPlan, person: StaffMember, content: PlanContent, now: Date): Decision<CoordinatedPlan> {
  const access = planAccess(plan, person, 'owner');
  if (!access.ok) return access;
  if (isLocked(plan)) return refuse('planLocked');
  if (person.id !== plan.initiatorId) return refuse('notAllowed');
  if (plan.state === 'awaitingApproval') return refuse('awaitingApproval');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(content.followUpDate)) return refuse('outOfRange', { field: 'followUpDate', min: '', max: '' });
  const version: PlanVersion = { version: plan.versions.length + 1, content, submittedAt: now.toISOString(), decisions: [] };
  return accept({ ...plan, versions: [...plan.versions, version], state: 'awaitingApproval' });
}

/**
 * A supervisor of one of the other administrations approves or returns the current version. Only
 * the current version, only once per administration; a return needs a comment. When every other
 * administration has approved the same version, the plan is established and locked.
 */
export function decide(plan: CoordinatedPlan, version: number, administration: Administration, person: StaffMember, decision: 'approved' | 'returned', comment: string, now: Date): Decision<CoordinatedPlan> {
  const access = planAccess(plan, person, 'invited', administration);
  if (!access.ok) return access;
  const current = currentVersion(plan);
  if (!current || current.version !== version || plan.state !== 'awaitingApproval') {
    const earlier = plan.versions.find((v) => v.version === version)?.decisions.find((d) => d.administration === administration);
    if (earlier) return refuse('alreadyDone', { by: earlier.byName, at: earlier.at });
    return refuse('staleCard');
  }
  if (!plan.others.includes(administration)) return refuse('notAllowed');
  if (!mayDecide(person, administration)) return refuse('notAllowed');
  const done = current.decisions.find((d) => d.administration === administration);
  if (done) return refuse('alreadyDone', { by: done.byName, at: done.at });
  if (decision === 'returned' && !comment.trim()) return refuse('reasonRequired');
  const entry: ApprovalDecision = { administration, decision, by: person.id, byName: person.name, at: now.toISOString(), ...(comment.trim() ? { comment: comment.trim() } : {}) };
  const decisions = [...current.decisions, entry];
  const versions = [...plan.versions.slice(0, -1), { ...current, decisions }];
  const allApproved = plan.others.every((a) => decisions.some((d) => d.administration === a && d.decision === 'approved'));
  const state: SpState = decision === 'returned' ? 'returned' : allApproved ? 'established' : 'awaitingApproval';
  return accept({ ...plan, versions, state });
}

export function closePlan(plan: CoordinatedPlan, person: StaffMember, reason: string): Decision<CoordinatedPlan> {
  const access = planAccess(plan, person, 'owner');
  if (!access.ok) return access;
  if (plan.state === 'closed') return refuse('alreadyDone', { by: '', at: '' });
  if (!reason.trim()) return refuse('reasonRequired');
  return accept({ ...plan, state: 'closed', closedReason: reason.trim() });
}

/** Either side raises a disagreement (the initiator, or someone of an invited administration); one open at a time. */
export function raiseDisagreement(plan: CoordinatedPlan, person: StaffMember, administration: Administration, reason: string, now: Date): Decision<CoordinatedPlan> {
  const access = planAccess(plan, person, administration === plan.initiatingAdministration ? 'owner' : 'invited', administration);
  if (!access.ok) return access;
  if (plan.state === 'closed') return refuse('staleCard');
  if (!reason.trim()) return refuse('reasonRequired');
  if (plan.disagreement && !plan.disagreement.outcome) return refuse('alreadyDone', { by: plan.disagreement.raisedByName, at: plan.disagreement.at });
  return accept({ ...plan, disagreement: { raisedBy: person.id, raisedByName: person.name, administration, reason: reason.trim(), at: now.toISOString() } });
}

/** The outcome of a disagreement, recorded by the initiator or a supervisor of the initiating administration. */
export function recordDisagreementOutcome(plan: CoordinatedPlan, person: StaffMember, outcome: string): Decision<CoordinatedPlan> {
  const access = planAccess(plan, person, 'owner');
  if (!access.ok) return access;
  if (!plan.disagreement || plan.disagreement.outcome) return refuse('staleCard');
  if (!outcome.trim()) return refuse('reasonRequired');
  return accept({ ...plan, disagreement: { ...plan.disagreement, outcome: outcome.trim() } });
}

/** Administrations that take part (for disagreement cards to their managers). */
export function participants(plan: Pick<CoordinatedPlan, 'initiatingAdministration' | 'others'>): Administration[] {
  return [plan.initiatingAdministration, ...plan.others];
}

export const ALL_ADMINISTRATIONS = ADMINISTRATIONS;

/**
 * Deadlines of routine D, both counted in working days from the Stockholm date the step happened,
 * so they always land on a working day. The seed sets no numbers ("så god framförhållning som
 * möjligt"; the plan is approved "innan den upprättas"): the city sets them (bot/config.ts).
 * - The invited answer the invitation within INVITATION_REPLY_WORKING_DAYS (the initiator's task).
 * - A supervisor of each other administration approves within APPROVAL_WORKING_DAYS (binding).
 */
export function invitationReplyDue(invitedOn: IsoDate, workingDays: number): IsoDate {
  return addWorkingDays(invitedOn, workingDays);
}
export function approvalDue(submittedOn: IsoDate, workingDays: number): IsoDate {
  return addWorkingDays(submittedOn, workingDays);
}
