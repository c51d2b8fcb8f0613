import type { CardAttachment } from '../../cards/expand';
import { actorOf, informedOnly, leave, offerNext as decideOfferNext, register, release, type RegistrationState } from '../../routines/a-waiting-list/decisions';
import { answerOffer as answerOfferStep, type AnswerResult } from './answerOffer';
import type { StepDecision } from '../../routines/shared/effects';
import { OutboxRelay, type Delivery as RelayDelivery } from '../outboxRelay';
import { formStepId } from '../../storage/outbox';
import { runStep } from '../step';
import { changePlacesStep, forwardPlacesStep, occupyPlaceStep, reportAvailabilityStep, reportPlacesStep, type Delivery } from './places';
import { waitingListCards, waitingListRecords } from './effectCards';
import { renderMessageCard } from '../../cards/message';
import { renderOfferCard } from '../../cards/a-waiting-list/offer';
import { sv } from '../../locale/sv';
import type { Texts } from '../../locale';
import { createHash } from 'node:crypto';
import {
  caseAccess,
  mayAdministerQueue,
  answerOffer,
  type OfferAnswer,
  type Provider,
  type QueueEntry,
} from '../../routines/a-waiting-list/rules';
import { caseLabelFor, type CaseFile } from '../../routines/shared/cases';
import { recordConsent, type NewConsentInput } from '../../routines/shared/consent';
import { journalEvent, type Actor, type JournalEvent } from '../../routines/shared/journal';
import { providerUnit, type StaffMember } from '../../routines/shared/organisation';
import { accept, refuse, type Decision, type Refusal } from '../../routines/shared/refusal';
import { daysBetween, toIsoDate } from '../../routines/shared/workingDays';
import { entryIdFor, withRetries } from '../../storage/waitingList';
import { settingsOf, type CardUpdate, type DialogDeps } from '../ports';

/**
 * Routine A's use cases. The steps that change a queue read, decide (routines/a-waiting-list/
 * decisions.ts), commit once with an outbox and leave their effects to the relay: a registration,
 * a place ending, the next offer, a revoked consent leaving each queue; taking and answering an
 * offer have their own files (takeOffer.ts, answerOffer.ts). Not yet converted (issue 16): the
 * places chain (a provider's report → EKU or the designated responsible → TID) and an occupied
 * place, which still write the provider row, send their cards and journal here.
 */
export class WaitingListService {
  constructor(private readonly deps: DialogDeps) {}

  private get stores() {
    return this.deps.stores;
  }

  private async journal(events: JournalEvent[]): Promise<void> {
    await this.stores.journal.appendAll(events);
  }

  /**
   * Steps 2–5 of "provider not selectable": record consent, notify the provider (only after
   * consent, checked at sending), register in the queue and show the position, journal every step.
   * The case was found (or named for the first time: `isNew`) when the join form was sent
   * (`caseForJoin`); this turn reads only the provider's queue and commits once — the consent, a
   * new case file and the indexes are effects of the step, written by the relay after the answer.
   */
  async joinQueue(actor: Actor, request: { caseFile: CaseFile; isNew?: boolean | undefined; providerId: string; requestDate: string; consent: NewConsentInput | null; formId?: string | undefined }): Promise<Decision<{ position: number; provider: Provider; entry: QueueEntry; notified: number }>> {
    const now = this.deps.clock();
    // Without `isNew` (a caller that did not look the case up), the stored case decides, not the one handed in.
    const stored = request.isNew === undefined ? (await this.stores.cases.get(request.caseFile.caseId))?.value : undefined;
    const input = request.isNew === undefined ? { ...request, caseFile: stored ?? request.caseFile, isNew: !stored } : { ...request, isNew: request.isNew };
    const asPerson: StaffMember = { id: actor.id, name: actor.name, roles: [{ role: actor.role, unit: actor.unit }] };
    // Only the case's own parties may queue it.
    if (!caseAccess(asPerson, input.caseFile, 'register').ok) return refuse('notFoundOrNotAllowed');
    const caseId = input.caseFile.caseId;
    // A refusal before the queue (no consent, a consent that cannot be recorded, already queued) is a step too: the journal says what the person was told, and the case exists from then on.
    const refusedBefore = async (declined: boolean, newCase: boolean): Promise<string | undefined> => {
      const stepId = this.deps.newId();
      const r = await runStep(
        {
          load: () => this.stores.waitingList.provider(input.providerId),
          context: async () => undefined,
          decide: (p) => informedOnly(p, { stepId, actor, now, caseId, declined, newCase: newCase ? input.caseFile : undefined }),
          commit: (p, etag, effects) => this.stores.waitingList.commitStep(p, etag, [], { stepId, effects, now }),
        },
        this.relay,
      );
      return r.ok ? r.value.decision.state.name : undefined;
    };
    if (!input.consent) {
      const name = await refusedBefore(true, input.isNew);
      return name === undefined ? refuse('notFound') : refuse('consentMissing', { recipient: name });
    }
    // From the consent card: one step per form, and one consent (its id from the form too), however often it is sent.
    const stepId = input.formId ? formStepId(input.formId) : this.deps.newId();
    const consentId = input.formId ? `c-${stepId}` : this.deps.newId();
    const consent = recordConsent({ ...input.consent, recipients: [providerUnit(input.providerId)] }, { consentId, caseId, routine: 'A', capturedBy: actor.id }, now);
    if (!consent.ok) {
      await refusedBefore(false, input.isNew);
      return consent;
    }
    let entryEtagless: QueueEntry | undefined;
    const r = await runStep(
      {
        load: async () => {
          const { provider, queuedEntryId, behind } = await this.stores.waitingList.registrationState(input.providerId, caseId, input.requestDate);
          if (!provider) return undefined;
          // (An entry registered before the k| rows, with only the case index, was looked for when the join form was sent: `caseForJoin`.)
          return { value: { provider: provider.value, alreadyQueued: queuedEntryId !== undefined, behind } as RegistrationState, etag: provider.etag };
        },
        context: async () => undefined,
        decide: (state): Decision<StepDecision<RegistrationState> & { position: number; providerCard: string }> =>
          register(state, { stepId, actor, now, caseId, requestDate: input.requestDate, consent: consent.value, newCase: input.isNew ? input.caseFile : undefined, caseFile: input.caseFile, entryId: (seq) => entryIdFor(input.requestDate, seq) }),
        commit: async (state, etag, effects) => {
          entryEtagless = state.entry!;
          return this.stores.waitingList.commitStep(state.provider, etag, [{ op: 'create', entry: state.entry! }], { stepId, effects, now, keep: input.formId ? { byName: actor.name } : undefined });
        },
        committedBefore: () => this.stores.waitingList.stepRow(input.providerId, stepId),
      },
      this.relay,
    );
    if (!r.ok) {
      // The same form, committed by a turn that died before its effects: they are carried out now.
      if (r.code === 'alreadyDone' && input.formId) {
        const resumed = await this.resumeRegistration(actor, caseId, input.providerId, stepId, now);
        if (resumed) return resumed;
      }
      if (r.code === 'alreadyInQueue') await refusedBefore(false, false);
      return r.code === 'notFoundOrNotAllowed' ? refuse('notFound') : r;
    }
    const { decision, delivery } = r.value;
    const notified = this.providerTold(decision.providerCard, delivery);
    return accept({ position: decision.position, provider: decision.state.provider, entry: entryEtagless ?? decision.state.entry!, notified });
  }

  /**
   * The case a join form names, for the person sending it: the case with that reference in the
   * person's scopes that they may register (looked up only there: another unit's reference reveals
   * nothing), or a new case of their unit. Refused when the case waits at the provider already
   * (seen here by its case index alone: an entry registered before the queue's k| rows; the step
   * refuses the others).
   */
  async caseForJoin(person: StaffMember, join: { reference: string; initials: string; protectedIdentity: boolean }, provider: Provider, existing: CaseFile | undefined): Promise<Decision<{ caseFile: CaseFile; isNew: boolean }>> {
    if (existing) {
      if (await this.legacyEntryOfCase(existing.caseId, provider.providerId)) return refuse('alreadyInQueue', { provider: provider.name });
      return accept({ caseFile: existing, isNew: false });
    }
    const actor = actorOf(person);
    const now = this.deps.clock();
    return accept({
      caseFile: { caseId: this.deps.newId(), routine: 'A', reference: join.reference, initials: join.initials, protectedIdentity: join.protectedIdentity, owningUnit: actor.unit, createdBy: person.id, createdAt: now.toISOString() },
      isNew: true,
    });
  }

  /** Whether the case waits at the provider by its case index alone (an entry registered before the queue partition's k| rows). */
  private async legacyEntryOfCase(caseId: string, providerId: string): Promise<boolean> {
    const idx = await this.stores.waitingList.openEntryOfCase(caseId, providerId);
    if (!idx || idx.value.kind !== 'caseIndex') return false;
    // An index written before a transaction that lost its race names an entry id another case may have got.
    return (await this.stores.waitingList.entry(providerId, idx.value.entryId))?.value.caseId === caseId;
  }

  /** How many of the provider's contacts got the registration's card (the journal's a.providerNotified / a.providerNotReached is an effect of the step). */
  private providerTold(cardEffect: string, delivery: Delivery | RelayDelivery): number {
    const o = 'outcomes' in delivery ? delivery.outcomes.get(cardEffect) : undefined;
    return o?.reached?.length ?? (o?.delivered ? 1 : 0);
  }

  /**
   * A registration from this form was committed, but the turn died before its effects were carried
   * out (its outbox row still pending, its claim expired): they are carried out now and the person
   * gets the answer they missed. Undefined when they were carried out already (or are being so now).
   */
  private async resumeRegistration(actor: Actor, caseId: string, providerId: string, stepId: string, now: Date): Promise<Decision<{ position: number; provider: Provider; entry: QueueEntry; notified: number }> | undefined> {
    const row = await this.stores.waitingList.stepRow(providerId, stepId);
    if (!row || row.value.done || Date.parse(row.value.claimedUntil) > now.getTime()) return undefined;
    const claimed = await this.stores.waitingList.outbox.claim(row, new Date(now.getTime() + 60_000));
    if (!claimed) return undefined;
    const delivery = await this.relay.deliver(claimed);
    const queued = row.value.effects.find((e) => e.type === 'journal' && e.event.step === 'a.queued');
    const card = row.value.effects.find((e) => e.type === 'notify');
    const provider = (await this.stores.waitingList.provider(providerId))?.value;
    const entry = (await this.stores.waitingList.entryOfCase(providerId, caseId))?.value;
    if (!provider || !entry || !card) return undefined;
    const notified = this.providerTold(card.id, delivery);
    return accept({ position: Number(queued?.type === 'journal' ? queued.event.details['position'] : 1), provider, entry, notified });
  }

  /** The case file a provider's card is rendered from (the relay's renderer). */
  async caseFileOf(caseId: string): Promise<CaseFile | undefined> {
    return (await this.stores.cases.get(caseId))?.value;
  }

  /** An officer registers an occupied place, an executed decision (dialogs/a-waiting-list/places.ts). */
  registerOccupied(actor: Actor, providerId: string, formId?: string): Promise<Decision<Provider>> {
    return occupyPlaceStep(this.deps, this.relay, actor, providerId, formId);
  }

  /**
   * Use case: an officer registers that a place ends; a freed place goes to the first in line.
   * Read (provider and first in line, one query; that person's case) → decide (`release`,
   * routines/a-waiting-list/decisions.ts) → commit once in the provider's partition → effects
   * (journal, the offer's follow-up task, every officer's offer card).
   */
  async registerRelease(actor: Actor, providerId: string, formId?: string): Promise<Decision<Provider>> {
    if (actor.role !== 'workGuidanceOfficer') return refuse('notAllowed');
    const now = this.deps.clock();
    // From a form: one step per form card, so a second submission (a crash, a double click) releases nothing more.
    const stepId = formId ? formStepId(formId) : this.deps.newId();
    const settings = settingsOf(this.deps);
    let firstEtag = '';
    let offered = false;
    const r = await runStep(
      {
        load: async () => {
          const { provider, first } = await this.stores.waitingList.providerAndFirst(providerId);
          if (!provider) return undefined;
          firstEtag = first?.etag ?? '';
          return { value: { provider: provider.value, first: first?.value }, etag: provider.etag };
        },
        // The case only for an entry registered before its label was kept on it (the offer task's label).
        context: async (state) => (state.first && !state.first.taskLabel ? (await this.stores.cases.get(state.first.caseId))?.value : undefined),
        decide: (state, firstCase) => {
          const d = release(state, { stepId, actor, now, firstCase, offerFollowUpWorkingDays: settings.offerFollowUpWorkingDays, policy: { workingDaysBefore: settings.reminderWorkingDaysBefore } });
          offered = d.ok && d.value.offered;
          return d;
        },
        // The first in line changes only when it is offered the place (then on its ETag too).
        commit: (state, etag, effects) => this.stores.waitingList.commitStep(state.provider, etag, offered && state.first ? [{ op: 'replace', entry: state.first, etag: firstEtag }] : [], { stepId, effects, now, keep: formId ? { byName: actor.name } : undefined }),
        committedBefore: () => this.stores.waitingList.stepRow(providerId, stepId),
      },
      this.relay,
    );
    // A provider that does not exist: as before, "not found".
    if (!r.ok) return r.code === 'notFoundOrNotAllowed' ? refuse('notFound') : r;
    return accept(r.value.decision.state.provider);
  }

  /** Routine A's relay: carries out the effects its steps committed (also run by the sweep). */
  get relay(): OutboxRelay {
    return (this.relayOnce ??= new OutboxRelay(this.deps, this.stores.waitingList.outbox, waitingListCards(this), waitingListRecords(this.stores, this)));
  }
  private relayOnce: OutboxRelay | undefined;

  /** The offer card of an entry as one officer sees it, from what `prepare` read (the relay's renderer). */
  async offerCardFor(providerId: string, entryId: string): Promise<{ provider: Provider; entry: QueueEntry; caseFile: CaseFile | null } | undefined> {
    const { provider, entry } = await this.stores.waitingList.providerAndEntry(providerId, entryId);
    if (!provider || !entry) return undefined;
    return { provider: provider.value, entry: entry.value, caseFile: (await this.stores.cases.get(entry.value.caseId))?.value ?? null };
  }

  /** A provider's contact reports a change in places (dialogs/a-waiting-list/places.ts). */
  reportPlaces(contact: StaffMember, providerId: string, places: number): Promise<Decision<Delivery>> {
    return reportPlacesStep(this.deps, this.relay, contact, providerId, places);
  }

  /** EKU or the designated responsible passes the change on to TID (dialogs/a-waiting-list/places.ts). */
  forwardPlaces(forwarder: StaffMember, providerId: string, places: number, reportId?: string, reply?: (p: Provider) => CardAttachment): Promise<Decision<Delivery>> {
    return forwardPlacesStep(this.deps, this.relay, forwarder, providerId, places, reportId, reply);
  }

  /** A provider tells EKU "free place without queue" or "no free place" (dialogs/a-waiting-list/places.ts). */
  reportAvailability(contact: StaffMember, providerId: string, reported: 'freeWithoutQueue' | 'noFreePlace'): Promise<Decision<Delivery>> {
    return reportAvailabilityStep(this.deps, this.relay, contact, providerId, reported);
  }

  /** TID registers a new number of places (dialogs/a-waiting-list/places.ts); more places may free one for the queue. */
  changePlaces(actor: Actor, providerId: string, places: number, reportId?: string, formId?: string, reply?: (p: Provider) => CardAttachment): Promise<Decision<Provider>> {
    return changePlacesStep(this.deps, this.relay, actor, providerId, places, { reportId, formId }, reply);
  }

  /**
   * When a place is free and somebody waits: the offer opens to the first in line (by date, then
   * position) — atomically with the provider row, so never to two at once — and every work
   * guidance officer gets the offer card; a task keeps it on time. A step of its own (`offerNext`,
   * routines/a-waiting-list/decisions.ts), run after the step that freed the place (its relay, or
   * the use case): it answers nobody. Nothing when no place is free, an offer is open or nobody waits.
   */
  async offerNext(providerId: string): Promise<QueueEntry | undefined> {
    const now = this.deps.clock();
    const stepId = this.deps.newId();
    const settings = settingsOf(this.deps);
    let firstEtag = '';
    const r = await runStep(
      {
        load: async () => {
          const { provider, first } = await this.stores.waitingList.providerAndFirst(providerId);
          if (!provider) return undefined;
          firstEtag = first?.etag ?? '';
          return { value: { provider: provider.value, first: first?.value }, etag: provider.etag };
        },
        context: async (state) => (state.first && !state.first.taskLabel && state.provider.openOffer === null ? (await this.stores.cases.get(state.first.caseId))?.value : undefined),
        decide: (state, firstCase) => decideOfferNext(state, { stepId, now, firstCase, offerFollowUpWorkingDays: settings.offerFollowUpWorkingDays, policy: { workingDaysBefore: settings.reminderWorkingDaysBefore } }),
        commit: (state, etag, effects) => this.stores.waitingList.commitStep(state.provider, etag, [{ op: 'replace', entry: state.first!, etag: firstEtag }], { stepId, effects, now }),
      },
      this.relay,
      { answers: false },
    );
    return r.ok ? r.value.decision.state.first : undefined;
  }

  /** Every officer's offer card of an entry that left the queue (but the one who answered, whose card the reply replaced) shows how it ended and who answered. */
  async showOfferEnded(providerId: string, entryId: string, except: string | undefined): Promise<CardUpdate[]> {
    const a = await this.stores.waitingList.answered(providerId, entryId);
    if (!a?.cards?.length) return [];
    const name = (await this.stores.waitingList.provider(providerId))?.value.name ?? '';
    const ended = (t: Texts) => renderMessageCard({ title: t.a.offerTitle(name), text: a.answer === 'leftQueue' ? t.a.offerLeftQueue : t.a.offerEnded(t.a.answers[a.answer] ?? a.answer, a.byName), tone: 'info' });
    return a.cards.filter((c) => c.personId !== except).map((c) => ({ ...c, card: ended }));
  }

  /** Keeps the ids of the offer cards on the entry (conditionally: the offer may already be taken). */
  async rememberCards(providerId: string, entryId: string, cards: Array<{ personId: string; activityId: string }>): Promise<void> {
    if (cards.length === 0) return;
    await withRetries(async () => {
      const { provider: p, entry: e } = await this.stores.waitingList.providerAndEntry(providerId, entryId);
      if (!p || !e || e.value.state !== 'offered') return;
      const offer = { notReachedCount: 0, ...e.value.offer, cards };
      await this.stores.waitingList.commit(p.value, p.etag, [{ op: 'replace', entry: { ...e.value, offer }, etag: e.etag }]);
    });
  }

  /** Replaces every officer's offer card, so all see who took it or how it ended (not the one answered in place). */
  private async replaceOfferCards(entry: QueueEntry, except: string, card: (viewer: StaffMember, t: Texts) => Promise<CardAttachment>): Promise<CardUpdate[]> {
    const staff = await this.stores.staff.getMany((entry.offer?.cards ?? []).filter((c) => c.personId !== except).map((c) => c.personId));
    const byId = new Map(staff.map((p) => [p.id, p]));
    const updates = (entry.offer?.cards ?? []).flatMap((c) => {
      const viewer = c.personId === except ? undefined : byId.get(c.personId);
      return viewer ? [{ personId: c.personId, activityId: c.activityId, card: (t: Texts) => card(viewer, t) }] : [];
    });
    return updates;
  }

  /** The offer card as one officer sees it (case label per their units). */
  async offerCard(provider: Provider, entry: QueueEntry, viewer: StaffMember, forTaker = false, t: Texts = sv, caseFile?: CaseFile | null): Promise<CardAttachment> {
    const now = this.deps.clock();
    // `caseFile` when the caller read it already (null: read, and there is none); else the label the entry keeps from its registration.
    const c = caseFile === undefined ? (entry.label ?? (await this.stores.cases.get(entry.caseId))?.value) : (caseFile ?? undefined);
    const label = c ? caseLabelFor(c, { kind: 'staff', units: viewer.roles.map((r) => r.unit) }) : { reference: null, initials: null };
    return renderOfferCard(t, {
      providerId: provider.providerId,
      entryId: entry.entryId,
      providerName: provider.name,
      caseLabel: label.reference ? `${label.reference} (${label.initials ?? ''})` : t.a.protectedCase,
      waitingDays: daysBetween(entry.requestDate, toIsoDate(now)),
      requestDate: entry.requestDate,
      takenByName: entry.offer?.takenByName ?? '',
      notReachedCount: entry.offer?.notReachedCount ?? 0,
      forTaker,
    });
  }

  /**
   * Every other officer's offer card of an entry shows the offer as it is now (who took it): the
   * refresh effect of taking an offer. Nothing when the entry has left the queue meanwhile.
   */
  async refreshOfferCards(providerId: string, entryId: string, except: string | undefined): Promise<CardUpdate[]> {
    const [p, e] = await Promise.all([this.stores.waitingList.provider(providerId), this.stores.waitingList.entry(providerId, entryId)]);
    if (!p || !e) return [];
    const caseFile = (await this.stores.cases.get(e.value.caseId))?.value ?? null;
    return this.replaceOfferCards(e.value, except ?? '', (viewer, t) => this.offerCard(p.value, e.value, viewer, false, t, caseFile));
  }

  /**
   * What an answer that removes the person from a queue would do, for its confirmation card: the
   * provider of the offer and, for a revoked consent, the other queues the person leaves too. The
   * same checks as the answer itself, so a confirmation is never shown for an answer that would be refused.
   */
  async previewAnswer(officer: StaffMember, providerId: string, entryId: string, answer: OfferAnswer, round?: number): Promise<Decision<{ providerName: string; others: string[] }>> {
    if (!mayAdministerQueue(officer)) return refuse('notFoundOrNotAllowed');
    const now = this.deps.clock();
    const p = await this.stores.waitingList.provider(providerId);
    const e = await this.stores.waitingList.entry(providerId, entryId);
    if (!p || !e) return this.answeredAlready(providerId, entryId);
    if (round !== undefined && round !== (e.value.offer?.notReachedCount ?? 0)) return refuse('alreadyDone', { by: e.value.offer?.lastAttemptByName ?? '', at: e.value.offer?.lastAttemptAt ?? '' });
    const d = answerOffer(p.value, e.value, officer, answer, await this.stores.consents.forCase(e.value.caseId), now);
    if (!d.ok) return d;
    const others: string[] = [];
    if (answer === 'consentRevoked') {
      for (const x of await this.stores.waitingList.casesOpenEntries(e.value.caseId)) if (x.providerId !== providerId) others.push((await this.stores.waitingList.provider(x.providerId))?.value.name ?? x.providerId);
    }
    return accept({ providerName: p.value.name, others });
  }

  /** Use case: the officer records the individual's answer to the offer (dialogs/a-waiting-list/answerOffer.ts). */
  answerOffer(officer: StaffMember, providerId: string, entryId: string, answer: OfferAnswer, round?: number, t: Texts = sv): Promise<Decision<AnswerResult>> {
    return answerOfferStep(this.deps, this, officer, { providerId, entryId, answer, round }, t);
  }

  /** A revoked consent, after the queue where it was answered: every other consent of the case ends, and the person leaves every other queue. */
  revokeRest(person: StaffMember, caseId: string, now: Date): Promise<{ consents: number; left: string[]; told: string[]; notTold: string[] }> {
    return this.revokeNow(actorOf(person), caseId, now);
  }

  private async answeredAlready(providerId: string, entryId: string): Promise<Refusal> {
    const a = await this.stores.waitingList.answered(providerId, entryId);
    return a ? refuse('alreadyDone', { by: a.byName, at: a.at }) : refuse('staleCard');
  }

  /**
   * What recording a revoked consent for this case would do, for the confirmation card: the queues
   * (providers) the person leaves — each provider is told only that an entry left — and how many
   * consents are revoked. `version` fingerprints that state: a confirmation pressed after it
   * changed is stale.
   */
  async revokePreview(person: StaffMember, caseId: string): Promise<Decision<{ caseFile: CaseFile; providers: string[]; consents: number; version: string }>> {
    const access = caseAccess(person, (await this.stores.cases.get(caseId))?.value, 'revoke');
    if (!access.ok) return access;
    const state = await this.revocationState(caseId);
    const providers: string[] = [];
    for (const { providerId } of state.entries) providers.push((await this.stores.waitingList.provider(providerId))?.value.name ?? providerId);
    return accept({ caseFile: access.value, providers, consents: state.consents.length, version: state.version });
  }

  private async revocationState(caseId: string): Promise<{ entries: Array<{ providerId: string; entryId: string }>; consents: string[]; version: string }> {
    const entries = (await this.stores.waitingList.casesOpenEntries(caseId)).sort((a, b) => a.providerId.localeCompare(b.providerId));
    const consents = (await this.stores.consents.forCase(caseId)).filter((c) => !c.revokedAt).map((c) => c.consentId).sort();
    const version = createHash('sha256').update(JSON.stringify([entries, consents])).digest('hex').slice(0, 16);
    return { entries, consents, version };
  }

  /**
   * The confirmed revocation: every consent of the case is revoked and the person leaves every
   * queue. Each entry's open offer ends for good — its follow-up tasks are cancelled and every
   * officer's offer card is replaced ("personen har lämnat kön") — the provider is told only that
   * an entry left, and the next in line is offered. Only those who may act on the case; one press
   * acts once, and a confirmation of a state that has since changed is stale.
   */
  async revokeAndLeave(person: StaffMember, caseId: string, confirmId: string, version: string): Promise<Decision<{ consents: number; left: string[]; told: string[]; notTold: string[] }>> {
    const now = this.deps.clock();
    const access = caseAccess(person, (await this.stores.cases.get(caseId))?.value, 'revoke');
    if (!access.ok) return access;
    const claimed = await this.stores.claims.claim('a.revoke', confirmId, { byId: person.id, byName: person.name, at: now.toISOString() });
    if (!claimed.ok) {
      // Claimed before. A claim older than a turn can take whose revocation is not finished belongs to
      // a turn that died part-way: this press finishes it instead of saying "already done" —
      // - every consent revoked but the person still in a queue (a registration needs a live consent,
      //   so such an entry can only be one this revocation had not yet removed): the queues are left;
      // - nothing done at all (the state is still the one confirmed): the whole revocation.
      // A younger claim is a press still in progress (parallel presses): "already done by … at …".
      const state = await this.revocationState(caseId);
      const dead = now.getTime() - Date.parse(claimed.claim.at) > REVOKE_CLAIM_TAKEOVER_MS;
      const unfinished = (state.consents.length === 0 && state.entries.length > 0) || state.version === version;
      if (!dead || !unfinished) return refuse('alreadyDone', { by: claimed.claim.byName, at: claimed.claim.at });
      return accept(await this.revokeNow(actorOf(person, ['workGuidanceOfficer', 'socialWorker']), caseId, now));
    }
    try {
      if ((await this.revocationState(caseId)).version !== version) {
        await this.stores.claims.release('a.revoke', confirmId);
        return refuse('staleCard');
      }
      return accept(await this.revokeNow(actorOf(person, ['workGuidanceOfficer', 'socialWorker']), caseId, now));
    } catch (err) {
      await this.stores.claims.release('a.revoke', confirmId);
      throw err;
    }
  }

  /**
   * Every consent of the case ends (each on its ETag: from then on no card about the person is
   * sent, consent being checked at every sending), then the person leaves each queue as a step of
   * that queue (`leave`, routines/a-waiting-list/decisions.ts): one commit in the provider's
   * partition, its effects carried out by the relay. Which providers were told comes from each
   * step's delivery.
   */
  private async revokeNow(actor: Actor, caseId: string, now: Date): Promise<{ consents: number; left: string[]; told: string[]; notTold: string[] }> {
    const revoked = await this.stores.consents.revokeAll(caseId, actor.id, now);
    const left: string[] = [];
    const told: string[] = [];
    const notTold: string[] = [];
    let unjournaled = revoked;
    for (const { providerId, entryId } of await this.stores.waitingList.casesOpenEntries(caseId)) {
      const stepId = this.deps.newId();
      const consentsRevoked = unjournaled;
      let entryEtag = '';
      const r = await runStep(
        {
          load: async () => {
            const { provider: p, entry: e } = await this.stores.waitingList.providerAndEntry(providerId, entryId);
            if (!p || !e || e.value.caseId !== caseId) return undefined;
            entryEtag = e.etag;
            return { value: { provider: p.value, entry: e.value }, etag: p.etag };
          },
          context: async () => undefined,
          decide: (state) => leave(state, { stepId, actor, now, consentsRevoked }),
          commit: (state, etag, effects) => {
            const e = state.entry;
            // Kept with the queue: a later press of an offer card of this entry reads how it ended, the relay whose cards to replace.
            const answered = { entryId: e.entryId, caseId, answer: 'leftQueue', by: actor.id, byName: actor.name, at: now.toISOString(), ...(e.offer?.cards?.length ? { cards: e.offer.cards } : {}) };
            return this.stores.waitingList.commitStep(state.provider, etag, [{ op: 'delete', entry: e, etag: entryEtag }], { stepId, effects, now }, answered);
          },
        },
        this.relay,
        { answers: false },
      );
      if (!r.ok) {
        // Gone meanwhile (answered, or left by a parallel revocation): only the case's index row is stale.
        await this.stores.waitingList.releaseCaseIndex(caseId, providerId);
        continue;
      }
      unjournaled = 0;
      const name = r.value.decision.state.provider.name;
      left.push(name);
      const card = r.value.decision.effects.find((e) => e.type === 'notify');
      ((card && this.providerTold(card.id, r.value.delivery) > 0) ? told : notTold).push(name);
    }
    // No queue to leave: the revocation is journaled on its own.
    if (unjournaled > 0) await this.journal([journalEvent(caseId, actor, 'A', 'a.consentRevoked', now, { consents: unjournaled })]);
    return { consents: revoked, left, told, notTold };
  }
}

/** After this long a revocation's claim whose confirmed state is unchanged belongs to a turn that died. */
const REVOKE_CLAIM_TAKEOVER_MS = 60_000;

/** Routine A's actor rule lives with its decisions; re-exported for the service's callers. */
export { actorOf };
export type { Delivery };
