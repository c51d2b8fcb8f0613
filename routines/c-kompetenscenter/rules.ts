import { identifyingContent } from '../d-coordinated-plan/rules';
import { hasRole, type Administration, type StaffMember } from '../shared/organisation';
import { accept, refuse, type Decision } from '../shared/refusal';
import { addCalendarDays, addMonths, addYears, lastWorkingDayOnOrBefore, type IsoDate } from '../shared/workingDays';

/**
 * Routine C — referral to Kompetenscenter (KC) under 12 kap 4 § SoL (seed 002, with its annex on
 * protected cases). Two parties work on each referral: the social worker (SF, economic assistance,
 * side `sf`) and the employment consultant at KC (side `kc`). The referral is one state machine;
 * `act` applies one step of one side and refuses any step out of order. No clock is read here.
 */

export type Side = 'sf' | 'kc';

export const C_STATES = [
  'notReferred', // a criterion was not met, or AF has a suitable measure: no referral (recorded)
  'afConsultation', // criteria met: consult Arbetsförmedlingen, steps (1)–(3)
  'consent', // AF has no measure: consent to KC and the work plan updated with the client
  'decision', // the decision under 12 kap 4 § SoL (one year), communicated to the client
  'assignment', // the assignment (needs, what it includes, goals) is written
  'assigned', // the assignment is at KC: a consultant takes it, the social worker books the intake
  'intakeBooked', // the three-party intake meeting is booked
  'intakeMissed', // the client missed it; a new time is wanted: the consultant proposes one
  'newTimeProposed', // the social worker confirms the new time to the client
  'withdrawn', // no new intake meeting: the assignment is withdrawn; KC documents and cancels the booking
  'intakeHeld', // the intake was held; the consultant executes the assignment (the effort starts)
  'ongoing', // the effort runs: implementation plan, follow-ups, significant events, renewal
  'closing', // the consultant announced the close
  'closed', // read-only
] as const;
export type CState = (typeof C_STATES)[number];

export const GOAL_ASSESSMENTS = ['met', 'partlyMet', 'notMet'] as const;
export type GoalAssessment = (typeof GOAL_ASSESSMENTS)[number];

export interface IntakeBooking {
  /** Local date and time of the meeting, `YYYY-MM-DDTHH:mm` (Stockholm). */
  at: string;
  place: string;
  /** Interpreter language; empty when no interpreter is needed. */
  interpreter: string;
  clientTold: boolean;
  /** Protected identity: booked by direct contact with the KC coordinator, not the ordinary booking. */
  viaCoordinator: boolean;
  preparedAt?: string | undefined;
}

/** The three-party meeting before a close not to self-sufficiency, as booked by the consultant. */
export interface ThreePartyBooking {
  /** Local date and time of the meeting, `YYYY-MM-DDTHH:mm` (Stockholm). */
  at: string;
  place: string;
  /** Interpreter language; empty when no interpreter is needed. */
  interpreter: string;
  /** Who booked it (the consultant), and when. */
  byName: string;
  bookedAt: string;
}

export interface FollowUp {
  date: IsoDate;
  bookedAt: string;
  sf?: { checkedAgainstPlan: string; clientPerception: string; complementaryNeeds: string; at: string } | undefined;
  kc?: { progress: string; furtherNeeds: string; at: string } | undefined;
}

export interface Referral {
  referralId: string;
  caseId: string;
  socialWorkerId: string;
  socialWorkerName: string;
  administration: Administration;
  protectedIdentity: boolean;
  state: CState;
  notReferredReason?: 'criteria' | 'afMeasure' | undefined;
  criteria: { unemployed: boolean; withinThreeYears: boolean };
  af?: { ssbtekOn: IsoDate; askedOn: IsoDate; afActivity: 'none' | 'ongoingOrPlanned'; formsSentOn?: IsoDate | undefined } | undefined;
  coordinatorContact?: { requestedAt: string; confirmedBy?: string | undefined; confirmedByName?: string | undefined; confirmedAt?: string | undefined } | undefined;
  consentId?: string | undefined;
  /** When the individual's revoked consent was recorded (routines/c-kompetenscenter/consentRevocation.ts). */
  consentRevokedAt?: string | undefined;
  workPlanUpdatedOn?: IsoDate | undefined;
  /** Every decision (the first and each renewal); the last one is in force. */
  decisions: Array<{ decisionDate: IsoDate; expiresOn: IsoDate; at: string }>;
  assignment?: { needs: string; includes: string; goals: string[]; sentAt: string } | undefined;
  consultantId?: string | undefined;
  consultantName?: string | undefined;
  /** When the consultant took the assignment (so a later press can say who took it, and when). */
  consultantTakenAt?: string | undefined;
  intake?: IntakeBooking | undefined;
  /** Intake meetings booked so far (each missed one is kept). */
  intakes: Array<{ at: string; outcome: 'missed' | 'held' }>;
  missed?: { followedUpOn: IsoDate; newMeeting: boolean } | undefined;
  proposedTime?: { at: string; place: string } | undefined;
  intakeHeld?: { attendedInPerson: boolean; requirementsExplained: boolean; firstFollowUp: IsoDate } | undefined;
  startDate?: IsoDate | undefined;
  /** Dates the implementation plan was drawn up, then updated. */
  plans: IsoDate[];
  followUps: FollowUp[];
  events: Array<{ side: Side; by: string; byName: string; text: string; at: string }>;
  disagreements: Array<{ side: Side; by: string; byName: string; question: string; at: string; resolution?: string | undefined; resolvedByName?: string | undefined; resolvedAt?: string | undefined }>;
  renewal?: { answer: 'renew' | 'close'; at: string } | undefined;
  withdrawal?: { reason: string; at: string; documentedAt?: string | undefined } | undefined;
  closing?:
    | {
        announcedAt: string;
        selfSufficiency: boolean;
        reason: string;
        /** The three-party meeting before the close, booked by KC (seed: "Om deltagaren ej avslutas till självförsörjning bokas ett trepartsmöte"); a new booking replaces it until it is held. */
        threePartyBooking?: ThreePartyBooking | undefined;
        threePartyMeetingOn?: IsoDate | undefined;
        document?: { endDate: IsoDate; why: string; goals: Array<{ goal: string; assessment: GoalAssessment }>; at: string } | undefined;
        gwaClosedAt?: string | undefined;
        treservaClosedAt?: string | undefined;
      }
    | undefined;
  createdAt: string;
}

/** Deadlines the city may tune (bot/config.ts). */
export interface CSettings {
  /** Days after the start within which the implementation plan is drawn up ("skyndsamt"). */
  implementationPlanDays: number;
  /** Days before the decision expires that the social worker is asked to reassess. */
  renewalDaysBefore: number;
}
export const DEFAULT_C_SETTINGS: CSettings = { implementationPlanDays: 14, renewalDaysBefore: 60 };

// --- criteria and dates -----------------------------------------------------------------------

/** The two guiding criteria of the seed: both must hold for a referral to be the guided path. */
export function criteriaMet(c: { unemployed: boolean; withinThreeYears: boolean }): boolean {
  return c.unemployed && c.withinThreeYears;
}

/**
 * A decision under 12 kap 4 § SoL is made for one year (2028-02-29 → 2029-02-28). The expiry is a
 * legal fact, not a day someone must act on, so it stays on the calendar date (weekend or not);
 * the deadlines derived from it below are moved to working days.
 */
export function expiryOf(decisionDate: IsoDate): IsoDate {
  return addYears(decisionDate, 1);
}

export function currentDecision(r: Pick<Referral, 'decisions'>): Referral['decisions'][number] | undefined {
  return r.decisions.at(-1);
}

/**
 * The last day a follow-up may be held: the day before the decision expires. This bounds the date a
 * social worker may book (any day up to it); the follow-up's due date (`followUpDue`) is this day
 * or earlier moved to a working day.
 */
export function lastFollowUpDay(r: Pick<Referral, 'decisions'>): IsoDate | undefined {
  const d = currentDecision(r);
  return d ? addCalendarDays(d.expiresOn, -1) : undefined;
}

/**
 * When the implementation plan is next due: promptly after the start ("skyndsamt", N days), then
 * every six months ("ska uppdateras var 6:e månad"). Both are upper bounds, so the due date is the
 * last working day ON OR BEFORE the calendar date (31 August + 6 months = Sunday 2027-02-28 → Friday
 * 2027-02-26).
 */
export function planDue(r: Pick<Referral, 'startDate' | 'plans'>, s: CSettings = DEFAULT_C_SETTINGS): IsoDate | undefined {
  if (!r.startDate) return undefined;
  const last = r.plans.at(-1);
  return lastWorkingDayOnOrBefore(last ? addMonths(last, 6) : addCalendarDays(r.startDate, s.implementationPlanDays));
}

/**
 * When the next follow-up must be held: three months after the last one held (or after the
 * start), and always before the decision expires ("var 3:e månad dock alltid senast innan beslutet
 * om insats upphör att gälla"). Both are upper bounds, so each moves to the last working day ON OR
 * BEFORE it, and the earlier one wins.
 */
export function followUpDue(r: Pick<Referral, 'startDate' | 'followUps' | 'decisions'>): IsoDate | undefined {
  if (!r.startDate) return undefined;
  const held = r.followUps.filter((f) => f.sf).map((f) => f.date).sort().at(-1);
  const regular = lastWorkingDayOnOrBefore(addMonths(held ?? r.startDate, 3));
  const lastDay = lastFollowUpDay(r);
  const last = lastDay ? lastWorkingDayOnOrBefore(lastDay) : undefined;
  return last && last < regular ? last : regular;
}

/**
 * The day the social worker is asked to reassess (renew or close): N days before expiry. The new
 * assessment must be made before the decision runs out ("ny bedömning och beslut … behöver ske"),
 * so the prompt moves to the last working day ON OR BEFORE that day: never less notice than the
 * city configured.
 */
export function renewalPromptOn(r: Pick<Referral, 'decisions'>, s: CSettings = DEFAULT_C_SETTINGS): IsoDate | undefined {
  const d = currentDecision(r);
  return d ? lastWorkingDayOnOrBefore(addCalendarDays(d.expiresOn, -s.renewalDaysBefore)) : undefined;
}

/** Would the regular follow-up after one held on `date` fall on or after the expiry? (Then warn: renew or close first.) */
export function nextFollowUpAfterExpiry(r: Pick<Referral, 'decisions'>, date: IsoDate): boolean {
  const d = currentDecision(r);
  return Boolean(d && addMonths(date, 3) >= d.expiresOn);
}

// --- who is who ---------------------------------------------------------------------------------

/** The side a person acts for on this referral, if any: the social worker, or the consultant who took it. */
export function sideOf(r: Pick<Referral, 'socialWorkerId' | 'consultantId'>, person: Pick<StaffMember, 'id'>): Side | undefined {
  if (person.id === r.socialWorkerId) return 'sf';
  if (r.consultantId && person.id === r.consultantId) return 'kc';
  return undefined;
}

/** Escalation contacts: the 1:e socialsekreterare of the social worker's administration and the KC coordinators. */
export function isEscalationContact(r: Pick<Referral, 'administration'>, person: StaffMember): boolean {
  return hasRole(person, 'supervisor', r.administration) || hasRole(person, 'kcCoordinator', 'kc');
}

/**
 * Who may see a referral: the two parties and their escalation contacts (the KC coordinator only
 * once KC may know of the case). Before a consultant has taken it, the KC consultants may see an
 * assignment that has been sent (to take it).
 */
export function maySee(r: Referral, person: StaffMember): boolean {
  if (sideOf(r, person) || hasRole(person, 'supervisor', r.administration)) return true;
  // KC learns of a case only with consent to KC, or (protected) when the coordinator is asked, by handle.
  if (hasRole(person, 'kcCoordinator', 'kc')) return Boolean(r.consentId || r.coordinatorContact);
  return r.state === 'assigned' && !r.consultantId && hasRole(person, 'employmentConsultant', 'kc');
}

/** The part a person has in a referral: a side, the KC coordinator, or the administration's supervisor (escalation). */
export type ReferralPart = Side | 'coordinator' | 'supervisor';
/** What a person asks to do with a referral: see it, one of its steps, or record a revoked consent. */
export type ReferralAsk = 'see' | 'revokeConsent' | CActionKind;

/**
 * Who may see / act on a referral — the one place routine C decides it. Parties: the social
 * worker; the consultant who took it; KC's consultants once the assignment was sent to KC (to take
 * it, or to learn who took it); the KC coordinator once KC may know of the case (consent to KC, or
 * the protected case's request for a dialogue); the 1:e socialsekreterare of the administration.
 * Anyone else gets 'notFoundOrNotAllowed' — the same words as for a referral that does not exist.
 * A party asking for another party's step gets 'notAllowed'; `see` follows `maySee`. Returns the part
 * the person acts as (the coordinator acts for KC on the coordinator's step).
 * `kcMayKnow` is false once the consent to KC is revoked: then nobody at KC has a part any more.
 */
export function referralAccess(r: Referral, person: StaffMember, ask: ReferralAsk = 'see', kcMayKnow = true): Decision<ReferralPart> {
  const own = sideOf(r, person);
  const side = own === 'kc' && !kcMayKnow ? undefined : own;
  const coordinator = kcMayKnow && hasRole(person, 'kcCoordinator', 'kc') && Boolean(r.consentId || r.coordinatorContact);
  const pool = kcMayKnow && hasRole(person, 'employmentConsultant', 'kc') && Boolean(r.assignment);
  const supervisor = hasRole(person, 'supervisor', r.administration);
  if (!side && !coordinator && !pool && !supervisor) return refuse('notFoundOrNotAllowed');
  if (ask === 'see') return maySee(r, person) ? accept(side ?? (supervisor ? 'supervisor' : coordinator ? 'coordinator' : 'kc')) : refuse('notAllowed');
  if (ask === 'coordinatorConfirm') return coordinator ? accept('coordinator') : refuse('notAllowed');
  if (ask === 'take') return pool ? accept('kc') : refuse('notAllowed');
  if (ask === 'revokeConsent') return side === 'sf' ? accept('sf') : refuse('notAllowed');
  const needed = ACTION_SIDE[ask];
  return side && (needed === 'either' || needed === side) ? accept(side) : refuse('notAllowed');
}

/** A non-identifying handle for cards to KC about a protected case (and for lists). */
export function handleOf(r: Pick<Referral, 'referralId'>): string {
  return `KC-${r.referralId.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase()}`;
}

// --- the steps ---------------------------------------------------------------------------------

export type CAction =
  | { kind: 'af'; ssbtekOn: IsoDate; askedOn: IsoDate; afActivity: 'none' | 'ongoingOrPlanned'; formsSentOn?: IsoDate | undefined }
  | { kind: 'requestCoordinator' }
  | { kind: 'coordinatorConfirm' }
  | { kind: 'consent'; consentId: string; workPlanUpdatedOn: IsoDate }
  | { kind: 'decide'; decisionDate: IsoDate; communicated: boolean }
  | { kind: 'assign'; needs: string; includes: string; goals: string[] }
  | { kind: 'take' }
  | { kind: 'bookIntake'; at: string; place: string; interpreter: string; clientTold: boolean; viaCoordinator: boolean }
  | { kind: 'prepared' }
  | { kind: 'intakeHeld'; attendedInPerson: boolean; requirementsExplained: boolean; firstFollowUp: IsoDate }
  | { kind: 'intakeMissed'; followedUpOn: IsoDate; newMeeting: boolean; reason: string }
  | { kind: 'proposeTime'; at: string; place: string }
  | { kind: 'confirmNewTime'; clientTold: boolean }
  | { kind: 'withdrawalDocumented'; bookingCancelled: boolean }
  | { kind: 'execute'; startDate: IsoDate }
  | { kind: 'plan'; date: IsoDate }
  | { kind: 'bookFollowUp'; date: IsoDate }
  | { kind: 'followUpSf'; checkedAgainstPlan: string; clientPerception: string; complementaryNeeds: string }
  | { kind: 'followUpKc'; progress: string; furtherNeeds: string }
  | { kind: 'event'; text: string }
  | { kind: 'disagreement'; question: string }
  | { kind: 'resolve'; resolution: string }
  | { kind: 'renew'; answer: 'renew' | 'close'; decisionDate?: IsoDate | undefined; communicated: boolean }
  | { kind: 'announceClose'; selfSufficiency: boolean; reason: string }
  | { kind: 'bookThreePartyMeeting'; at: string; place: string; interpreter: string }
  | { kind: 'threePartyMeeting'; date: IsoDate }
  | { kind: 'closingDocument'; endDate: IsoDate; why: string; goals: GoalAssessment[] }
  | { kind: 'gwaClosed' }
  | { kind: 'treservaClosed' };
export type CActionKind = CAction['kind'];

/** Who does each step. `coordinatorConfirm` is the KC coordinator's, `take` any KC consultant's (see the service). */
export const ACTION_SIDE: Record<CActionKind, Side | 'either'> = {
  af: 'sf',
  requestCoordinator: 'sf',
  coordinatorConfirm: 'kc',
  consent: 'sf',
  decide: 'sf',
  assign: 'sf',
  take: 'kc',
  bookIntake: 'sf',
  prepared: 'kc',
  intakeHeld: 'sf',
  intakeMissed: 'sf',
  proposeTime: 'kc',
  confirmNewTime: 'sf',
  withdrawalDocumented: 'kc',
  execute: 'kc',
  plan: 'kc',
  bookFollowUp: 'sf',
  followUpSf: 'sf',
  followUpKc: 'kc',
  event: 'either',
  disagreement: 'either',
  resolve: 'either',
  renew: 'sf',
  announceClose: 'kc',
  bookThreePartyMeeting: 'kc',
  threePartyMeeting: 'either',
  closingDocument: 'kc',
  gwaClosed: 'kc',
  treservaClosed: 'sf',
};

const BEFORE_DECISION: readonly CState[] = ['afConsultation', 'consent', 'decision'];
const AFTER_ASSIGNMENT: readonly CState[] = ['assigned', 'intakeBooked', 'intakeMissed', 'newTimeProposed', 'withdrawn', 'intakeHeld', 'ongoing', 'closing'];

function openFollowUp(r: Pick<Referral, 'followUps'>): FollowUp | undefined {
  return r.followUps.find((f) => !f.sf);
}
/** The latest follow-up the consultant has not yet recorded their points for. */
function kcOpenFollowUp(r: Pick<Referral, 'followUps'>): FollowUp | undefined {
  return [...r.followUps].reverse().find((f) => !f.kc);
}
function openDisagreement(r: Pick<Referral, 'disagreements'>) {
  return r.disagreements.find((d) => !d.resolution);
}

/** Is this step possible now (state, order and the preconditions of the step)? Roles are checked by `act`. */
export function isPossible(r: Referral, kind: CActionKind): boolean {
  switch (kind) {
    case 'af':
      return r.state === 'afConsultation';
    case 'requestCoordinator':
      return r.protectedIdentity && BEFORE_DECISION.includes(r.state) && !r.coordinatorContact;
    case 'coordinatorConfirm':
      return r.protectedIdentity && Boolean(r.coordinatorContact && !r.coordinatorContact.confirmedAt) && r.state !== 'closed' && r.state !== 'notReferred';
    case 'consent':
      return r.state === 'consent';
    case 'decide':
      return r.state === 'decision';
    case 'assign':
      return r.state === 'assignment';
    case 'take':
      return r.state === 'assigned' && !r.consultantId;
    case 'bookIntake':
      return r.state === 'assigned' && Boolean(r.consultantId);
    case 'prepared':
      return r.state === 'intakeBooked' && !r.intake?.preparedAt;
    case 'intakeHeld':
    case 'intakeMissed':
      return r.state === 'intakeBooked';
    case 'proposeTime':
      return r.state === 'intakeMissed';
    case 'confirmNewTime':
      return r.state === 'newTimeProposed';
    case 'withdrawalDocumented':
      return r.state === 'withdrawn';
    case 'execute':
      return r.state === 'intakeHeld';
    case 'plan':
      return r.state === 'ongoing';
    case 'bookFollowUp':
      return r.state === 'ongoing' && !openFollowUp(r);
    case 'followUpSf':
      return r.state === 'ongoing' && Boolean(openFollowUp(r));
    case 'followUpKc':
      return r.state === 'ongoing' && Boolean(kcOpenFollowUp(r));
    case 'event':
      return r.state === 'ongoing' || r.state === 'closing';
    case 'disagreement':
      return AFTER_ASSIGNMENT.includes(r.state) && Boolean(r.consultantId) && !openDisagreement(r);
    case 'resolve':
      return r.state !== 'closed' && Boolean(openDisagreement(r));
    case 'renew':
      return r.state === 'ongoing' && !r.renewal;
    case 'announceClose':
      return r.state === 'ongoing';
    case 'bookThreePartyMeeting':
    case 'threePartyMeeting':
      return threePartyMeetingOutstanding(r);
    case 'closingDocument':
      return r.state === 'closing' && !r.closing?.document;
    case 'gwaClosed':
      return r.state === 'closing' && Boolean(r.closing?.document) && !r.closing?.gwaClosedAt;
    case 'treservaClosed':
      return r.state === 'closing' && Boolean(r.closing?.document) && !r.closing?.treservaClosedAt;
  }
}

/** A close not to self-sufficiency whose three-party meeting is not yet recorded held (it may be booked, or booked again). */
function threePartyMeetingOutstanding(r: Pick<Referral, 'state' | 'closing'>): boolean {
  return r.state === 'closing' && Boolean(r.closing) && !r.closing!.selfSufficiency && !r.closing!.threePartyMeetingOn;
}

/** The steps a side may take now, in the order the routine runs them. */
export function actionsFor(r: Referral, side: Side): CActionKind[] {
  return (Object.keys(ACTION_SIDE) as CActionKind[]).filter((k) => k !== 'coordinatorConfirm' && k !== 'take' && (ACTION_SIDE[k] === side || ACTION_SIDE[k] === 'either') && isPossible(r, k));
}

/** Steps that stay possible while the effort runs ("vid behov"); on their own they are nobody's next step. */
export const ALWAYS_OPEN_STEPS: readonly CActionKind[] = ['event', 'disagreement', 'resolve', 'renew', 'announceClose', 'plan', 'bookFollowUp'];

/**
 * The routine's due steps of a side now, in order: what "your next step" names. Around the
 * three-party meeting before a close not to self-sufficiency: KC books it first (then a new booking
 * is only "vid behov"), and the closing document is nobody's next step until the meeting is held
 * (it stays possible, and is refused `threePartyMeetingFirst`). The social worker may record the
 * meeting held at any time, as before a booking existed.
 */
export function dueActionsFor(r: Referral, side: Side): CActionKind[] {
  const outstanding = threePartyMeetingOutstanding(r);
  const booked = Boolean(r.closing?.threePartyBooking);
  return actionsFor(r, side).filter((k) => {
    if (ALWAYS_OPEN_STEPS.includes(k)) return false;
    if (k === 'bookThreePartyMeeting') return !booked;
    if (k === 'threePartyMeeting' && side === 'kc') return booked;
    if (k === 'closingDocument') return !outstanding;
    return true;
  });
}

/** The next step(s) of the party a step was handed over to: what the routine now expects of them, and what the seed asks of them "vid behov". */
export interface HandOver {
  /** The routine's due steps of the receiving side (e.g. after the booked intake time: the consultant goes through the assignment). */
  due: CActionKind[];
  /** What the step may call for besides (a significant event: the social worker calls a follow-up, KC updates the implementation plan). */
  ifNeeded: CActionKind[];
}

/**
 * What the card that hands a step to the other party (`Outcome.notify`) offers them, decided from
 * the seed (002) for the step just taken and the referral as it is now. The due steps are the
 * routine's own (booked intake → KC prepares; KC prepared → the social worker records the intake
 * held or missed; a new time → the social worker tells the client; the intake held → KC executes;
 * the follow-up agenda of one side → the other side's points, and once both are in the social
 * worker calls the next follow-up; the closing notice → the three-party meeting when the client
 * does not leave for self-sufficiency (KC books it; the social worker may record it held); the
 * booked meeting → the social worker records it held; the closing document → the social worker closes in
 * Treserva, then KC in GWA). Besides, "vid behov":
 * - a significant event ("händelser av vikt som har en betydande inverkan på genomförandet/planering
 *   av insats … Trepartsmöte bokas vid behov"): the social worker calls a follow-up ("vid behov sker
 *   uppföljning oftare"); KC updates the implementation plan ("uppdateras … vid behov oftare");
 * - a disagreement raised by the other party: record how it was resolved;
 * - a renewal answered "close": KC announces the close (the consultant tells the social worker first).
 * Only steps the side may take now are offered; the press is checked again (`referralAccess`, `act`).
 */
/**
 * What the card that hands a step over says the other side is expected to do: their due steps,
 * when nothing is due for the receiver — or, after a close announced to the social worker, also
 * beside her own step (KC books the three-party meeting first). Nothing on a referral that is over.
 */
export function awaitedFromOther(r: Referral, side: Side, step: string, handOver: HandOver): CActionKind[] {
  if (isReadOnly(r)) return [];
  const alsoOther = step === 'c.announceClose' && side === 'sf';
  return !handOver.due.length || alsoOther ? dueActionsFor(r, other(side)) : [];
}

export function handOverSteps(r: Referral, side: Side, step: string): HandOver {
  const possible = actionsFor(r, side);
  const due = dueActionsFor(r, side);
  // The follow-up was held (the consultant's points came last): the social worker calls the next one ("var 3:e månad").
  if (step === 'c.followUpKc' && side === 'sf' && possible.includes('bookFollowUp')) due.push('bookFollowUp');
  const extra: CActionKind[] = [];
  if (step === 'c.event') extra.push(side === 'sf' ? 'bookFollowUp' : 'plan');
  if (step === 'c.disagreement') extra.push('resolve');
  if (step === 'c.renew' && r.renewal?.answer === 'close' && side === 'kc') extra.push('announceClose');
  return { due, ifNeeded: extra.filter((k) => possible.includes(k) && !due.includes(k)) };
}

export interface Actor {
  id: string;
  name: string;
  side: Side;
}

/** What a step did: the new referral, the journal step, and which side must be told. */
export interface Outcome {
  referral: Referral;
  step: string;
  details: Record<string, string | number | boolean>;
  /** The side to tell by card (the other party), if any. */
  notify?: Side | undefined;
  /** Warnings for the person who acted (e.g. the next follow-up would fall after the expiry). */
  warnings: Array<'nextFollowUpAfterExpiry'>;
}

/** Who took a step without input, and when, once it is taken (its button pressed again is told so, not "steps in order"). */
function doneAlready(r: Referral, kind: CActionKind): { by: string; at: string } | undefined {
  if (kind === 'prepared' && r.state === 'intakeBooked' && r.intake?.preparedAt) return { by: r.consultantName ?? '', at: r.intake.preparedAt };
  if (kind === 'gwaClosed' && r.closing?.gwaClosedAt) return { by: r.consultantName ?? '', at: r.closing.gwaClosedAt };
  if (kind === 'treservaClosed' && r.closing?.treservaClosedAt) return { by: r.socialWorkerName, at: r.closing.treservaClosedAt };
  return undefined;
}

const isDate = (d: string | undefined): d is IsoDate => Boolean(d && /^\d{4}-\d{2}-\d{2}$/.test(d));
const isLocalDateTime = (d: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(d);
const other = (s: Side): Side => (s === 'sf' ? 'kc' : 'sf');

/**
 * Applies one step. Refuses a step out of order (`outOfOrder`), by the wrong side (`notAllowed`),
 * with missing confirmations, or against the deadlines of the seed. `today` is the Stockholm date.
 */
export function act(r: Referral, actor: Actor, action: CAction, now: Date, today: IsoDate): Decision<Outcome> {
  // A step taken on a hand-over card, pressed again (or by the same side's second viewer): who did it and when.
  const done = doneAlready(r, action.kind);
  if (done) return refuse('alreadyDone', done);
  if (r.state === 'closed' || r.state === 'notReferred') return refuse('alreadyDone', { by: '', at: '' });
  const side = ACTION_SIDE[action.kind];
  if (side !== 'either' && side !== actor.side) return refuse('notAllowed');
  // A button pressed again (or by a second consultant) says who did it and when.
  if (action.kind === 'take' && r.consultantId) return refuse('alreadyDone', { by: r.consultantName ?? '', at: r.consultantTakenAt ?? '' });
  if (action.kind === 'coordinatorConfirm' && r.coordinatorContact?.confirmedAt) return refuse('alreadyDone', { by: r.coordinatorContact.confirmedByName ?? '', at: r.coordinatorContact.confirmedAt });
  // Seed (annex 1): the consultation with Arbetsförmedlingen comes before the decision — said as such, not as "steps in order".
  if (r.state === 'afConsultation' && action.kind === 'decide') return refuse('afConsultationFirst');
  if (!isPossible(r, action.kind)) return refuse('outOfOrder');
  const at = now.toISOString();
  const ok = (referral: Referral, details: Outcome['details'] = {}, notify: Side | undefined = other(actor.side), warnings: Outcome['warnings'] = []): Decision<Outcome> =>
    accept({ referral, step: `c.${action.kind}`, details, notify, warnings });

  switch (action.kind) {
    case 'af': {
      if (!isDate(action.ssbtekOn) || !isDate(action.askedOn) || action.ssbtekOn > today || action.askedOn > today) return refuse('dateInFuture');
      if (action.afActivity === 'ongoingOrPlanned') {
        return ok({ ...r, af: { ssbtekOn: action.ssbtekOn, askedOn: action.askedOn, afActivity: action.afActivity }, state: 'notReferred', notReferredReason: 'afMeasure' }, { afActivity: action.afActivity }, undefined);
      }
      // Step (3): the consent form and the information about municipal activity are sent to AF.
      if (!isDate(action.formsSentOn)) return refuse('reasonRequired');
      if (action.formsSentOn > today) return refuse('dateInFuture');
      return ok({ ...r, af: { ssbtekOn: action.ssbtekOn, askedOn: action.askedOn, afActivity: 'none', formsSentOn: action.formsSentOn }, state: 'consent' }, { afActivity: 'none', formsSentOn: action.formsSentOn }, undefined);
    }
    case 'requestCoordinator':
      return ok({ ...r, coordinatorContact: { requestedAt: at } }, {}, 'kc');
    case 'coordinatorConfirm':
      return ok({ ...r, coordinatorContact: { ...r.coordinatorContact!, confirmedBy: actor.id, confirmedByName: actor.name, confirmedAt: at } }, {}, 'sf');
    case 'consent':
      if (!isDate(action.workPlanUpdatedOn) || action.workPlanUpdatedOn > today) return refuse('dateInFuture');
      return ok({ ...r, consentId: action.consentId, workPlanUpdatedOn: action.workPlanUpdatedOn, state: 'decision' }, { consentId: action.consentId }, undefined);
    case 'decide': {
      if (r.protectedIdentity && !r.coordinatorContact?.confirmedAt) return refuse('coordinatorFirst');
      if (!action.communicated) return refuse('reasonRequired');
      if (!isDate(action.decisionDate) || action.decisionDate > today) return refuse('dateInFuture');
      const expiresOn = expiryOf(action.decisionDate);
      return ok({ ...r, decisions: [...r.decisions, { decisionDate: action.decisionDate, expiresOn, at }], state: 'assignment' }, { decisionDate: action.decisionDate, expiresOn }, undefined);
    }
    case 'assign': {
      const goals = action.goals.map((g) => g.trim()).filter(Boolean);
      if (!action.needs.trim() || !action.includes.trim() || goals.length === 0) return refuse('reasonRequired');
      if (goals.length > 10) return refuse('outOfRange', { min: 1, max: 10 });
      if (r.protectedIdentity) {
        const kinds = [...new Set([action.needs, action.includes, ...goals].flatMap((t) => identifyingContent(t)))];
        if (kinds.length) return refuse('identifyingContent', { kinds: kinds.join(','), context: 'protected' });
      }
      return ok({ ...r, assignment: { needs: action.needs.trim(), includes: action.includes.trim(), goals, sentAt: at }, state: 'assigned' }, { goals: goals.length }, 'kc');
    }
    case 'take':
      return ok({ ...r, consultantId: actor.id, consultantName: actor.name, consultantTakenAt: at }, {}, 'sf');
    case 'bookIntake': {
      if (!isLocalDateTime(action.at) || action.at.slice(0, 10) < today) return refuse('outOfRange', { min: today, max: '' });
      if (!action.clientTold || !action.place.trim()) return refuse('reasonRequired');
      // Annex 1: for a protected case the time is booked in direct contact with the coordinator.
      if (r.protectedIdentity && !action.viaCoordinator) return refuse('coordinatorFirst');
      const intake: IntakeBooking = { at: action.at, place: action.place.trim(), interpreter: action.interpreter.trim(), clientTold: true, viaCoordinator: r.protectedIdentity && action.viaCoordinator };
      return ok({ ...r, intake, state: 'intakeBooked' }, { at: action.at, interpreter: intake.interpreter !== '' }, 'kc');
    }
    case 'prepared':
      return ok({ ...r, intake: { ...r.intake!, preparedAt: at } }, {}, 'sf');
    case 'intakeHeld': {
      if (!action.attendedInPerson || !action.requirementsExplained) return refuse('reasonRequired');
      const last = lastFollowUpDay(r);
      if (!isDate(action.firstFollowUp) || action.firstFollowUp < today) return refuse('outOfRange', { min: today, max: last ?? '' });
      if (last && action.firstFollowUp > last) return refuse('afterExpiry', { expiresOn: currentDecision(r)!.expiresOn });
      return ok(
        { ...r, intakeHeld: { attendedInPerson: true, requirementsExplained: true, firstFollowUp: action.firstFollowUp }, intakes: [...r.intakes, { at: r.intake!.at, outcome: 'held' }], followUps: [{ date: action.firstFollowUp, bookedAt: at }], state: 'intakeHeld' },
        { firstFollowUp: action.firstFollowUp },
        'kc',
      );
    }
    case 'intakeMissed': {
      if (!isDate(action.followedUpOn) || action.followedUpOn > today) return refuse('dateInFuture');
      const missed = { followedUpOn: action.followedUpOn, newMeeting: action.newMeeting };
      const intakes = [...r.intakes, { at: r.intake!.at, outcome: 'missed' as const }];
      if (action.newMeeting) return ok({ ...r, missed, intakes, state: 'intakeMissed' }, { newMeeting: true }, 'kc');
      if (!action.reason.trim()) return refuse('reasonRequired');
      return ok({ ...r, missed, intakes, withdrawal: { reason: action.reason.trim(), at }, state: 'withdrawn' }, { newMeeting: false }, 'kc');
    }
    case 'proposeTime':
      if (!isLocalDateTime(action.at) || action.at.slice(0, 10) < today) return refuse('outOfRange', { min: today, max: '' });
      if (!action.place.trim()) return refuse('reasonRequired');
      return ok({ ...r, proposedTime: { at: action.at, place: action.place.trim() }, state: 'newTimeProposed' }, { at: action.at }, 'sf');
    case 'confirmNewTime': {
      if (!action.clientTold) return refuse('reasonRequired');
      const p = r.proposedTime!;
      return ok({ ...r, intake: { ...r.intake!, at: p.at, place: p.place, clientTold: true, preparedAt: undefined }, proposedTime: undefined, missed: undefined, state: 'intakeBooked' }, { at: p.at }, 'kc');
    }
    case 'withdrawalDocumented':
      if (!action.bookingCancelled) return refuse('reasonRequired');
      return ok({ ...r, withdrawal: { ...r.withdrawal!, documentedAt: at }, state: 'closed' }, {}, 'sf');
    case 'execute':
      if (!isDate(action.startDate) || action.startDate > today) return refuse('dateInFuture');
      if (action.startDate < r.intake!.at.slice(0, 10)) return refuse('outOfRange', { min: r.intake!.at.slice(0, 10), max: today });
      return ok({ ...r, startDate: action.startDate, state: 'ongoing' }, { startDate: action.startDate }, 'sf');
    case 'plan':
      if (!isDate(action.date) || action.date > today) return refuse('dateInFuture');
      if (action.date < r.startDate! || (r.plans.at(-1) ?? '') > action.date) return refuse('outOfRange', { min: r.plans.at(-1) ?? r.startDate!, max: today });
      return ok({ ...r, plans: [...r.plans, action.date] }, { date: action.date, update: r.plans.length > 0 }, 'sf');
    case 'bookFollowUp': {
      const d = currentDecision(r)!;
      if (!isDate(action.date) || action.date < today) return refuse('outOfRange', { min: today, max: lastFollowUpDay(r)! });
      // Follow-ups are always held before the decision expires.
      if (action.date >= d.expiresOn) return refuse('afterExpiry', { expiresOn: d.expiresOn });
      const warnings: Outcome['warnings'] = nextFollowUpAfterExpiry(r, action.date) ? ['nextFollowUpAfterExpiry'] : [];
      return ok({ ...r, followUps: [...r.followUps, { date: action.date, bookedAt: at }] }, { date: action.date }, 'kc', warnings);
    }
    case 'followUpSf':
    case 'followUpKc': {
      const f = (action.kind === 'followUpSf' ? openFollowUp(r) : kcOpenFollowUp(r))!;
      if (f.date > today) return refuse('outOfRange', { min: f.date, max: '' });
      const texts = action.kind === 'followUpSf' ? [action.checkedAgainstPlan, action.clientPerception, action.complementaryNeeds] : [action.progress, action.furtherNeeds];
      if (texts.some((t) => !t.trim())) return refuse('reasonRequired');
      const updated: FollowUp =
        action.kind === 'followUpSf'
          ? { ...f, sf: { checkedAgainstPlan: action.checkedAgainstPlan.trim(), clientPerception: action.clientPerception.trim(), complementaryNeeds: action.complementaryNeeds.trim(), at } }
          : { ...f, kc: { progress: action.progress.trim(), furtherNeeds: action.furtherNeeds.trim(), at } };
      const warnings: Outcome['warnings'] = action.kind === 'followUpSf' && nextFollowUpAfterExpiry(r, f.date) ? ['nextFollowUpAfterExpiry'] : [];
      return ok({ ...r, followUps: r.followUps.map((x) => (x === f ? updated : x)) }, { date: f.date }, other(actor.side), warnings);
    }
    case 'event':
      if (!action.text.trim()) return refuse('reasonRequired');
      return ok({ ...r, events: [...r.events, { side: actor.side, by: actor.id, byName: actor.name, text: action.text.trim(), at }] });
    case 'disagreement':
      if (!action.question.trim()) return refuse('reasonRequired');
      return ok({ ...r, disagreements: [...r.disagreements, { side: actor.side, by: actor.id, byName: actor.name, question: action.question.trim(), at }] });
    case 'resolve': {
      if (!action.resolution.trim()) return refuse('reasonRequired');
      const open = openDisagreement(r)!;
      return ok({ ...r, disagreements: r.disagreements.map((d) => (d === open ? { ...d, resolution: action.resolution.trim(), resolvedByName: actor.name, resolvedAt: at } : d)) });
    }
    case 'renew': {
      if (action.answer === 'close') return ok({ ...r, renewal: { answer: 'close', at } }, { answer: 'close' }, 'kc');
      if (!action.communicated) return refuse('reasonRequired');
      const d = currentDecision(r)!;
      if (!isDate(action.decisionDate) || action.decisionDate > today) return refuse('dateInFuture');
      if (action.decisionDate <= d.decisionDate || action.decisionDate > d.expiresOn) return refuse('outOfRange', { min: d.decisionDate, max: d.expiresOn });
      // A new decision: a new expiry; the earlier decisions stay in the history.
      const expiresOn = expiryOf(action.decisionDate);
      return ok({ ...r, decisions: [...r.decisions, { decisionDate: action.decisionDate, expiresOn, at }] }, { answer: 'renew', decisionDate: action.decisionDate, expiresOn }, 'kc');
    }
    case 'announceClose':
      if (!action.reason.trim()) return refuse('reasonRequired');
      // The consultant tells the social worker first, before the effort is closed.
      return ok({ ...r, closing: { announcedAt: at, selfSufficiency: action.selfSufficiency, reason: action.reason.trim() }, state: 'closing' }, { selfSufficiency: action.selfSufficiency }, 'sf');
    case 'bookThreePartyMeeting': {
      // The same checks as the intake booking: a local date-time not in the past, a place, an interpreter (or none).
      if (!isLocalDateTime(action.at) || action.at.slice(0, 10) < today) return refuse('outOfRange', { min: today, max: '' });
      if (!action.place.trim()) return refuse('reasonRequired');
      const previous = r.closing!.threePartyBooking;
      const threePartyBooking: ThreePartyBooking = { at: action.at, place: action.place.trim(), interpreter: action.interpreter.trim(), byName: actor.name, bookedAt: at };
      // The journal says who booked what, and — for a new booking — what it replaces and who had booked that.
      const details: Outcome['details'] = { at: action.at, interpreter: threePartyBooking.interpreter !== '', bookedBy: actor.name, rebooked: Boolean(previous) };
      if (previous) Object.assign(details, { previousAt: previous.at, previousBookedBy: previous.byName });
      return ok({ ...r, closing: { ...r.closing!, threePartyBooking } }, details, 'sf');
    }
    case 'threePartyMeeting':
      if (!isDate(action.date) || action.date > today) return refuse('dateInFuture');
      return ok({ ...r, closing: { ...r.closing!, threePartyMeetingOn: action.date } }, { date: action.date });
    case 'closingDocument': {
      const c = r.closing!;
      if (!c.selfSufficiency && !c.threePartyMeetingOn) return refuse('threePartyMeetingFirst');
      const goals = r.assignment?.goals ?? [];
      if (action.goals.length !== goals.length) return refuse('reasonRequired');
      if (!action.why.trim()) return refuse('reasonRequired');
      if (!isDate(action.endDate)) return refuse('outOfRange', { min: r.startDate ?? '', max: '' });
      const document = { endDate: action.endDate, why: action.why.trim(), goals: goals.map((goal, i) => ({ goal, assessment: action.goals[i]! })), at };
      return ok({ ...r, closing: { ...c, document } }, { endDate: action.endDate, goalsMet: action.goals.filter((g) => g === 'met').length, goals: goals.length }, 'sf');
    }
    case 'gwaClosed':
    case 'treservaClosed': {
      const closing = action.kind === 'gwaClosed' ? { ...r.closing!, gwaClosedAt: at } : { ...r.closing!, treservaClosedAt: at };
      const done = Boolean(closing.gwaClosedAt && closing.treservaClosedAt);
      return ok({ ...r, closing, state: done ? 'closed' : 'closing' }, { closed: done });
    }
  }
}

/** Is the referral read-only (closed, or never referred)? */
export function isReadOnly(r: Pick<Referral, 'state'>): boolean {
  return r.state === 'closed' || r.state === 'notReferred';
}

/** A due step of a referral, as a task of one side (the service keeps the tasks in step with these). */
export interface DueStep {
  /** Stable within the referral: the same step keeps its task, a new round gets a new one. */
  key: string;
  step: string;
  side: Side;
  dueDate: IsoDate;
}

/**
 * The deadlines that run now: the intake meeting (both sides), the implementation plan and its
 * six-monthly update (KC), the three-monthly follow-up (SF), the renewal prompt (SF) and the booked
 * three-party meeting before a close (SF records it held).
 */
export function dueSteps(r: Referral, s: CSettings = DEFAULT_C_SETTINGS): DueStep[] {
  const out: DueStep[] = [];
  if (r.state === 'intakeBooked' && r.intake) {
    const n = r.intakes.length;
    // Due on the day of the booked meeting itself (a local date-time a person chose, not a computed deadline).
    const day = r.intake.at.slice(0, 10);
    out.push({ key: `intake-${n}`, step: 'c.intakeOutcome', side: 'sf', dueDate: day });
    if (!r.intake.preparedAt) out.push({ key: `prepare-${n}`, step: 'c.prepareIntake', side: 'kc', dueDate: day });
  }
  // The booked three-party meeting before the close: the social worker records it held, due on the meeting's day
  // (a new booking on another day is a new task; the closing document waits for it).
  const booking = r.closing?.threePartyBooking;
  if (booking && threePartyMeetingOutstanding(r)) out.push({ key: 'threeparty', step: 'c.threePartyHeld', side: 'sf', dueDate: booking.at.slice(0, 10) });
  if (r.state === 'ongoing') {
    const plan = planDue(r, s);
    if (plan) out.push({ key: `plan-${r.plans.length}`, step: r.plans.length ? 'c.planUpdate' : 'c.plan', side: 'kc', dueDate: plan });
    const follow = followUpDue(r);
    const held = r.followUps.filter((f) => f.sf).length;
    if (follow) out.push({ key: `followup-${held}`, step: 'c.followUp', side: 'sf', dueDate: follow });
    const renew = renewalPromptOn(r, s);
    if (renew && !r.renewal) out.push({ key: `renew-${r.decisions.length}`, step: 'c.renew', side: 'sf', dueDate: renew });
  }
  return out;
}
