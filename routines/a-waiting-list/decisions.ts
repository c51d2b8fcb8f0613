import { Effects, type StepDecision } from '../shared/effects';
import { journalEvent, type Actor } from '../shared/journal';
import { labelSourceOf, type CaseFile } from '../shared/cases';
import { providerUnit, unitName, unitsWithRole, type Role, type StaffMember } from '../shared/organisation';
import { planReminders, taskCaseLabel, type ReminderPolicy, type Task } from '../shared/tasks';
import { toIsoDate } from '../shared/workingDays';
import { accept, refuse, type Decision } from '../shared/refusal';
import type { Consent } from '../shared/consent';
import { answerOffer, joinQueue, leaveQueue, offerFollowUpDue, openOffer, registerRelease, takeOffer, type OfferAnswer, type Provider, type QueueEntry } from './rules';

/**
 * Routine A's steps as whole decisions (ARCHITECTURE "A step, end to end"): the new state of the
 * provider's queue and everything the step does besides. Pure; the use cases in
 * dialogs/a-waiting-list/ read, call one of these and commit the result once.
 */

/** Card kinds of routine A's effects (rendered by dialogs/a-waiting-list/effectCards.ts). */
export const A_CARDS = {
  /** Every work guidance officer's offer card of one entry, re-rendered from the queue (data: providerId, entryId). */
  offerCards: 'a.offerCards',
  /** To every work guidance officer: the offer of a freed place to the first in line (data: providerId, entryId); the ids are kept on the entry. */
  offerCard: 'a.offerCard',
  /** Every other officer's offer card of an entry that left the queue: how the offer ended and who answered (data: providerId, entryId; read from the answered row). */
  offerEndedCards: 'a.offerEndedCards',
  /** Every officer's offer card of an entry whose person left the queue with a revoked consent (data: providerId, entryId; the ids from the answered row). */
  offerLeftCards: 'a.offerLeftCards',
  /** To every contact of the provider: the person is assigned the place (data: providerId, providerName, caseId), rendered from the case as a provider may see it. */
  assignmentCard: 'a.assignmentCard',
  /** To every contact of the provider: an entry left the queue, nothing about whose (data: providerName). */
  entryLeftCard: 'a.entryLeftCard',
  /** To every contact of the provider: a case joined the queue (data: providerId, providerName, caseId, requestDate, position), rendered from the case as a provider may see it. */
  queuedCard: 'a.queuedCard',
} as const;

/** Rows routine A keeps beside a queue (written by dialogs/a-waiting-list/effectCards.ts `waitingListRecords`). */
export const A_RECORDS = {
  /** The case's index of the queues it waits in (`c|<caseId>`; data: caseId, providerId, entryId, at): a revoked consent finds every queue by it. */
  caseIndex: 'a.caseIndex',
  /** A case reference found within its owning unit (data: reference, caseId, unit). */
  caseReference: 'a.caseReference',
  /** The case no longer waits at the provider: its row in the case's index goes (data: caseId, providerId). */
  caseIndexRelease: 'a.caseIndexRelease',
  /** The provider's next offer, as a step of its own (data: providerId): nothing when no place is free or nobody waits. */
  offerNext: 'a.offerNext',
} as const;

/** Who opens an offer when a place is freed: the routine itself. */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Rutinstöd', role: 'workGuidanceOfficer', unit: 'ffs' };

/** A case's label on its offer tasks: the reference, or a code from the case id for a protected case (or one not found). */
export function entryTaskLabel(c: CaseFile | undefined, caseId: string): string {
  return taskCaseLabel(c, `A-${caseId.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase()}`);
}

/** The offer's follow-up task id; `round` counts the attempts that did not reach the person. */
export const offerTaskId = (providerId: string, entryId: string, round: number) => `a-offer-${providerId}-${entryId}-${round}`;

/** Who acts in routine A: the person in the first of the routine's roles they hold. */
export function actorOf(person: StaffMember, preferred: Role[] = ['workGuidanceOfficer', 'socialWorker', 'providerContact', 'contractUnit', 'placesRegistrar', 'placesResponsible']): Actor {
  for (const role of preferred) {
    const [unit] = unitsWithRole(person, role);
    if (unit) return { id: person.id, name: person.name, role, unit };
  }
  const first = person.roles[0]!;
  return { id: person.id, name: person.name, role: first.role, unit: first.unit };
}

/** A provider's queue as one step sees it: the provider row and the entry the step is about. */
export interface QueueState {
  provider: Provider;
  entry: QueueEntry;
}

/**
 * A work guidance officer takes the open offer (the 2018 waiting-list routine, "När utförare
 * åter är valbar": "Kontakta den enskilde för att höra om önskemål … kvarstår"; in the bot the work
 * guidance officers of FFS do it, as the 2025 PAX instruction for arbetsvägledare describes): only an officer, only the entry on offer, only once (`takeOffer`,
 * rules.ts). Besides the entry (taken by whom, when): the journal records it, and every other
 * officer's offer card shows who took it (no more "take" button).
 */
export function take(state: QueueState, officer: StaffMember, stepId: string, now: Date): Decision<StepDecision<QueueState>> {
  const d = takeOffer(state.provider, state.entry, officer, now);
  if (!d.ok) return d;
  const fx = new Effects(stepId);
  fx.journal(journalEvent(d.value.caseId, actorOf(officer), 'A', 'a.offerTaken', now, { provider: state.provider.name }));
  fx.refreshCards({ kind: A_CARDS.offerCards, data: { providerId: state.provider.providerId, entryId: d.value.entryId } }, officer.id);
  return accept({ state: { provider: state.provider, entry: d.value }, effects: fx.all });
}

export interface ReleaseInput {
  stepId: string;
  actor: Actor;
  now: Date;
  /** The case of the first in line (its label on the follow-up task), when someone waits. */
  firstCase: CaseFile | undefined;
  offerFollowUpWorkingDays: number;
  policy: ReminderPolicy;
}

/**
 * An officer registers that a place ends (the 2018 routine, "När utförare åter är valbar":
 * the one first in line, by date, is asked first; `registerRelease`). When a place is then free, nobody holds an open offer and
 * someone waits, the first in line is offered it in the same step (`openOffer`): every work
 * guidance officer gets the offer card (its ids kept on the entry, so taking it updates them all),
 * and the unit gets a follow-up task to contact the person within `offerFollowUpWorkingDays`. The
 * journal records the release, and the offer (naming the unit when no officer could be reached).
 */
/** A provider's queue as its head: the provider row and the first in line (if anyone waits). */
export interface QueueHead {
  provider: Provider;
  first: QueueEntry | undefined;
}

export function release(state: QueueHead, input: ReleaseInput): Decision<StepDecision<QueueHead> & { offered: boolean }> {
  const { actor, now } = input;
  const r = registerRelease(state.provider);
  if (!r.ok) return r;
  const fx = new Effects(input.stepId);
  fx.journal(journalEvent(`provider:${r.value.providerId}`, actor, 'A', 'a.released', now, { occupied: r.value.occupied, places: r.value.places }));
  const offered = openFirst(fx, r.value, state.first, input);
  if (!offered) return accept({ state: { provider: r.value, first: state.first }, effects: fx.all, offered: false });
  return accept({ state: { provider: offered.provider, first: offered.entry }, effects: fx.all, offered: true });
}

/** What opening an offer needs besides the queue: the case of the first in line (its label on the task) and the routine's deadlines. */
export type OfferInput = Omit<ReleaseInput, 'actor'>;

/**
 * The next offer of a provider whose place is free (after an answer, a revoked consent, more
 * places): the first in line is offered it (`openOffer`), with the same effects as when a place
 * ends. Refused (nothing to do) when no place is free, an offer is open or nobody waits.
 */
export function offerNext(state: QueueHead, input: OfferInput): Decision<StepDecision<QueueHead>> {
  const fx = new Effects(input.stepId);
  const offered = openFirst(fx, state.provider, state.first, input);
  if (!offered) return refuse('alreadyDone', { by: '', at: '' });
  return accept({ state: { provider: offered.provider, first: offered.entry }, effects: fx.all });
}

/**
 * Opens the offer of a free place to the first in line, if there is one to open: every work
 * guidance officer gets the offer card (its ids kept on the entry, so a later step updates them
 * all), the unit gets a follow-up task to contact the person within `offerFollowUpWorkingDays`,
 * and the journal records the offer (naming the unit when no officer could be reached).
 */
function openFirst(fx: Effects, provider: Provider, first: QueueEntry | undefined, input: OfferInput): { provider: Provider; entry: QueueEntry } | undefined {
  const o = openOffer(provider, first);
  if (!o.ok) return undefined;
  const { now } = input;
  // The case, so that two tasks for one provider can be told apart (a code for a protected case); kept on the offer for its later rounds.
  const caseLabel = o.value.entry.offer?.taskLabel ?? o.value.entry.taskLabel ?? entryTaskLabel(input.firstCase, o.value.entry.caseId);
  const entry: QueueEntry = { ...o.value.entry, offer: { notReachedCount: 0, ...o.value.entry.offer, taskLabel: caseLabel } };
  const task = offerTask(o.value.provider, entry, { now, offerFollowUpWorkingDays: input.offerFollowUpWorkingDays, round: 0 });
  fx.openTask(task, planReminders(task, toIsoDate(now), input.policy));
  const cards = fx.notifyRole({ role: 'workGuidanceOfficer', unit: 'ffs' }, { kind: A_CARDS.offerCard, data: { providerId: provider.providerId, entryId: entry.entryId } }, { remember: true, about: entry.caseId });
  // The journal says whether any officer got the offer card (the unit's task holds it either way).
  fx.journal(journalEvent(entry.caseId, SYSTEM_ACTOR, 'A', 'a.offerOpened', now, { provider: provider.name }), { effect: cards, notReachedName: unitName('ffs') });
  return { provider: o.value.provider, entry };
}

/**
 * The offer's follow-up task: contact the first in line within the configured working days,
 * visible to every work guidance officer of the unit; `holder`: the officer whose attempt it
 * follows up (their reminders; the overdue one reaches the whole unit, routines/shared/tasks.ts).
 */
function offerTask(provider: Provider, entry: QueueEntry, o: { now: Date; offerFollowUpWorkingDays: number; round: number; holder?: string | undefined }): Task {
  return {
    ...(o.holder ? { holder: o.holder } : {}),
    taskId: offerTaskId(provider.providerId, entry.entryId, o.round),
    caseId: entry.caseId,
    routine: 'A',
    step: 'a.contactFirstInLine',
    unit: 'ffs',
    assignee: { kind: 'role', role: 'workGuidanceOfficer', unit: 'ffs' },
    dueDate: offerFollowUpDue(toIsoDate(o.now), o.offerFollowUpWorkingDays),
    binding: false,
    consentRecipient: providerUnit(provider.providerId),
    label: provider.name,
    caseLabel: entry.offer?.taskLabel ?? entry.taskLabel ?? entryTaskLabel(undefined, entry.caseId),
    context: { providerId: provider.providerId, entryId: entry.entryId },
    state: 'open',
    createdAt: o.now.toISOString(),
  };
}

export interface AnswerInput {
  stepId: string;
  officer: StaffMember;
  answer: OfferAnswer;
  /** The round of the pressed card (how many "not reached" it saw); a card of an earlier round is stale. */
  round: number | undefined;
  /** The case's consents (read for "still wants" only: the assignment is sent under them). */
  consents: readonly Consent[];
  now: Date;
  offerFollowUpWorkingDays: number;
  policy: ReminderPolicy;
}

export type AnswerOutcome = 'assigned' | 'closed' | 'stillOpen';

/**
 * The officer records the individual's answer to the offer (the 2018 routine, "När utförare åter
 * är valbar": "Kontakta den enskilde …", "Skicka uppdrag till utföraren om fortfarande aktuellt med
 * val"; `answerOffer`, rules.ts). Only an officer, only
 * the open offer, only the officer who took it, only the card of the current round.
 * - "Nådde inte personen": the offer stays open; the follow-up starts again from today, in the hands
 *   of the officer who tried (the unit sees it).
 * - "Vill fortfarande välja utföraren" (under a consent covering the provider): the person is
 *   assigned the place; the provider is told (consent checked again when sent).
 * - "Vill inte längre" / "Har återkallat samtycket": the entry closes; for a revoked consent the
 *   provider learns only that an entry left (the rest of the revocation is the use case's).
 * An entry that leaves: its offer task closes, every other officer's offer card shows how it
 * ended, the case's queue index lets it go, and the next in line is offered the place.
 */
export function answer(state: QueueState, input: AnswerInput): Decision<StepDecision<QueueState> & { outcome: AnswerOutcome; providerCard?: string | undefined; nextOffered: boolean }> {
  const { officer, now } = input;
  const { provider: p, entry: e } = state;
  const round = e.offer?.notReachedCount ?? 0;
  // Answer buttons belong to one attempt: after "not reached" was recorded, the same card is stale.
  if (input.round !== undefined && input.round !== round) return refuse('alreadyDone', { by: e.offer?.lastAttemptByName ?? '', at: e.offer?.lastAttemptAt ?? '' });
  const d = answerOffer(p, e, officer, input.answer, input.consents, now);
  if (!d.ok) return d;
  const o = d.value;
  const actor = actorOf(officer);
  const fx = new Effects(input.stepId);
  const providerId = p.providerId;
  if (o.kind === 'stillOpen') {
    const times = o.entry.offer?.notReachedCount ?? 1;
    const entry = { ...o.entry, offer: { ...(o.entry.offer ?? { notReachedCount: times }), lastAttemptByName: officer.name, lastAttemptAt: now.toISOString() } };
    fx.journal(journalEvent(e.caseId, actor, 'A', 'a.notReached', now, { provider: p.name, times }));
    // This round's follow-up is done; the next starts from today.
    fx.closeTask('ffs', offerTaskId(providerId, e.entryId, round), 'done', officer.id, now);
    const task = offerTask(p, entry, { now, offerFollowUpWorkingDays: input.offerFollowUpWorkingDays, round: times, holder: officer.id });
    fx.openTask(task, planReminders(task, toIsoDate(now), input.policy));
    return accept({ state: { provider: o.provider, entry }, effects: fx.all, outcome: 'stillOpen', nextOffered: false });
  }
  fx.closeTasks('ffs', `a-offer-${providerId}-${e.entryId}-`, 'done', officer.id, now);
  fx.record(A_RECORDS.caseIndexRelease, { caseId: e.caseId, providerId });
  fx.refreshCards({ kind: A_CARDS.offerEndedCards, data: { providerId, entryId: e.entryId } }, officer.id);
  let providerCard: string | undefined;
  const unit = providerUnit(providerId);
  if (o.kind === 'assigned') {
    fx.journal(journalEvent(e.caseId, actor, 'A', 'a.assigned', now, { provider: p.name }));
    providerCard = fx.notifyRole({ role: 'providerContact', unit }, { kind: A_CARDS.assignmentCard, data: { providerId, providerName: p.name, caseId: e.caseId } }, { consent: { caseId: e.caseId, recipient: unit } });
    fx.journal(journalEvent(e.caseId, actor, 'A', 'a.assignmentSent', now, { provider: p.name, recipients: 0 }), undefined, { effect: providerCard, reached: 'recipients', stepIfNone: 'a.providerNotReached' });
  } else {
    fx.journal(journalEvent(e.caseId, actor, 'A', 'a.entryClosed', now, { provider: p.name, reason: o.reason }));
    if (o.reason === 'consentRevoked') {
      // The provider learns only that an entry left (nothing about who): no consent is needed for that.
      providerCard = fx.notifyRole({ role: 'providerContact', unit }, { kind: A_CARDS.entryLeftCard, data: { providerName: p.name } });
      fx.journal(journalEvent(e.caseId, actor, 'A', 'a.providerNotified', now, { provider: p.name, recipients: 0, about: 'leftQueue' }), undefined, { effect: providerCard, reached: 'recipients', stepIfNone: 'a.providerNotReached' });
    }
  }
  // Another place may be free (several were released at once, or this one was not taken): the next in line is offered it, as its own step.
  fx.record(A_RECORDS.offerNext, { providerId });
  const nextOffered = o.provider.openOffer === null && o.provider.waiting > 0 && o.provider.occupied < o.provider.places;
  return accept({ state: { provider: o.provider, entry: o.entry }, effects: fx.all, outcome: o.kind, providerCard, nextOffered });
}

/**
 * A person whose consent is revoked leaves a provider's queue (the 2018 routine: a queue place
 * rests on the consent, "om hen samtycker"): the entry goes, with any open offer on it — its
 * follow-up tasks are cancelled and every officer's offer card says the person left — the case's
 * queue index lets it go, the provider learns only that an entry left (nothing about whose), and
 * the next in line is offered a free place. `consentsRevoked`: the first queue left also journals
 * how many consents the revocation ended.
 */
export function leave(state: QueueState, input: { stepId: string; actor: Actor; now: Date; consentsRevoked: number }): Decision<StepDecision<QueueState>> {
  const { actor, now } = input;
  const { provider: p, entry: e } = state;
  const fx = new Effects(input.stepId);
  const providerId = p.providerId;
  if (input.consentsRevoked > 0) fx.journal(journalEvent(e.caseId, actor, 'A', 'a.consentRevoked', now, { consents: input.consentsRevoked }));
  fx.record(A_RECORDS.caseIndexRelease, { caseId: e.caseId, providerId });
  fx.journal(journalEvent(e.caseId, actor, 'A', 'a.leftQueue', now, { provider: p.name, reason: 'consentRevoked' }));
  // Nothing about an ended offer stays behind: its follow-up tasks and every officer's card.
  fx.closeTasks('ffs', `a-offer-${providerId}-${e.entryId}-`, 'cancelled', actor.id, now);
  if (e.offer?.cards?.length) fx.refreshCards({ kind: A_CARDS.offerLeftCards, data: { providerId, entryId: e.entryId } });
  const told = fx.notifyRole({ role: 'providerContact', unit: providerUnit(providerId) }, { kind: A_CARDS.entryLeftCard, data: { providerName: p.name } });
  fx.journal(journalEvent(e.caseId, actor, 'A', 'a.providerNotified', now, { provider: p.name, recipients: 0, about: 'leftQueue' }), undefined, { effect: told, reached: 'recipients', stepIfNone: 'a.providerNotReached' });
  fx.record(A_RECORDS.offerNext, { providerId });
  return accept({ state: { provider: leaveQueue(p, e), entry: e }, effects: fx.all });
}

/** A registration as it reads the provider's queue: the provider row, whether the case waits there already, and how many wait with a later request date. */
export interface RegistrationState {
  provider: Provider;
  alreadyQueued: boolean;
  /** Entries with a later request date than the new one: behind it in the queue. */
  behind: number;
  /** After the decision: the new entry. */
  entry?: QueueEntry | undefined;
}

export interface RegisterInput {
  stepId: string;
  actor: Actor;
  now: Date;
  caseId: string;
  requestDate: string;
  /** The consent given on this form (its id fixed by the form): recorded by the step, before the card it allows. */
  consent: Consent;
  /** The case file, when this step names the case for the first time: created by the step (with its reference in the owning unit's index). */
  newCase?: CaseFile | undefined;
  /** The entry id of the new entry, from its request date and sequence number. */
  entryId: (seq: number) => string;
  /** The case being registered (new or found): its label is kept on the entry for the offer's tasks. */
  caseFile?: CaseFile | undefined;
}

/**
 * A case joins a provider's queue (the 2018 routine, "När utförare inte är valbar":
 * informera den enskilde, samtycke, meddela utföraren, dokumentera; the queue by date): once per case and provider, not at a
 * selectable provider, not with a future request date, only under the consent given on the form,
 * which must cover the provider (`joinQueue`, rules.ts). Besides the entry: the consent is
 * recorded, a case named for the first time is created (and its reference indexed in its unit),
 * the case's index of queues gets the provider; the journal records that the person was informed,
 * the consent, the registration with its position; every contact of the provider gets a card
 * (consent checked again when it is sent).
 */
export function register(state: RegistrationState, input: RegisterInput): Decision<StepDecision<RegistrationState & { entry: QueueEntry }> & { position: number; providerCard: string }> {
  const { actor, now, caseId } = input;
  const d = joinQueue(state.provider, state.alreadyQueued, [input.consent], { entryId: input.entryId(state.provider.nextSeq), caseId, requestDate: input.requestDate, registeredBy: actor.id }, toIsoDate(now), now);
  if (!d.ok) return d;
  const provider = d.value.provider;
  const named = input.caseFile ?? input.newCase;
  const entry: QueueEntry = {
    ...d.value.entry,
    taskLabel: entryTaskLabel(named, caseId),
    // The offer card's label travels with the entry (shown per viewer), so an offer is shown without reading the case.
    ...(named ? { label: labelSourceOf(named) } : {}),
  };
  // Everyone waiting, less those with a later request date.
  const position = Math.max(1, provider.waiting - state.behind);
  const fx = new Effects(input.stepId);
  // What the card to the provider needs exists before it is sent: the consent, the case file.
  fx.recordConsent(input.consent);
  if (input.newCase) {
    fx.createCase(input.newCase);
    fx.record(A_RECORDS.caseReference, { reference: input.newCase.reference, caseId, unit: input.newCase.owningUnit });
  }
  fx.record(A_RECORDS.caseIndex, { caseId, providerId: provider.providerId, entryId: entry.entryId, at: now.toISOString() });
  fx.journal(journalEvent(caseId, actor, 'A', 'a.informedNotSelectable', now, { provider: provider.name }));
  fx.journal(journalEvent(caseId, actor, 'A', 'a.consentRecorded', now, { provider: provider.name, givenBy: input.consent.givenBy, method: input.consent.method }));
  fx.journal(journalEvent(caseId, actor, 'A', 'a.queued', now, { provider: provider.name, position, requestDate: entry.requestDate }));
  const unit = providerUnit(provider.providerId);
  const providerCard = fx.notifyRole({ role: 'providerContact', unit }, { kind: A_CARDS.queuedCard, data: { providerId: provider.providerId, providerName: provider.name, caseId, requestDate: entry.requestDate, position } }, { consent: { caseId, recipient: unit } });
  // Whether the provider was told, and how many of its contacts got the card.
  fx.journal(journalEvent(caseId, actor, 'A', 'a.providerNotified', now, { provider: provider.name, recipients: 0 }), undefined, { effect: providerCard, reached: 'recipients', stepIfNone: 'a.providerNotReached' });
  return accept({ state: { provider, alreadyQueued: true, behind: state.behind, entry }, effects: fx.all, position, providerCard });
}

/**
 * The person was told the provider is not selectable, and the registration stopped before the
 * queue (the 2018 routine, "När utförare inte är valbar": informera den enskilde; without a
 * consent nothing is sent to the provider): no consent was given (`a.consentDeclined`), the
 * consent could not be recorded, or the case waits there already. The provider's queue does not
 * change; the journal records what the person was told, and a case named for the first time
 * exists from then on (with its reference in its unit).
 */
export function informedOnly(provider: Provider, input: { stepId: string; actor: Actor; now: Date; caseId: string; declined: boolean; newCase?: CaseFile | undefined }): Decision<StepDecision<Provider>> {
  const fx = new Effects(input.stepId);
  if (input.newCase) {
    fx.createCase(input.newCase);
    fx.record(A_RECORDS.caseReference, { reference: input.newCase.reference, caseId: input.caseId, unit: input.newCase.owningUnit });
  }
  fx.journal(journalEvent(input.caseId, input.actor, 'A', 'a.informedNotSelectable', input.now, { provider: provider.name }));
  if (input.declined) fx.journal(journalEvent(input.caseId, input.actor, 'A', 'a.consentDeclined', input.now, { provider: provider.name }));
  return accept({ state: provider, effects: fx.all });
}
