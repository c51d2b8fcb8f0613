import type { RegisterSubmission } from '../../cards/b-plan-review/forms';
import type { CardAttachment } from '../../cards/expand';
import { renderMessageCard } from '../../cards/message';
import { renderRespondCard } from '../../cards/respond';
import { formatInstant, type Texts } from '../../locale';
import { sv } from '../../locale/sv';
import { askForDelayReason, followUpTaskId, reportDeviation, reviewActor } from '../../routines/b-plan-review/decisions';
import { runStep } from '../step';
import { OutboxRelay } from '../outboxRelay';
import { planReviewCards, planReviewRecords } from './effectCards';
import { registerReview } from './registerReview';
import {
  failedPoints,
  providerCaseText,
  REVIEW_QUESTIONS,
  reviewAccess,
  type ReviewPart,
  type PlanReview,
  type ReviewRound,
} from '../../routines/b-plan-review/rules';
import { caseLabelFor, type CaseFile, type CaseLabelSource } from '../../routines/shared/cases';
import { journalEvent, type Actor } from '../../routines/shared/journal';
import { isAdministration, unitName, type Administration, type StaffMember } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { StorageConflictError } from '../../storage/errors';
import type { CardRef, StoredReview } from '../../storage/planReviews';
import { updateAggregate } from '../aggregateUpdate';
import { settingsOf, type CardUpdate, type DialogDeps } from '../ports';
import { taskCaseLabel } from '../../routines/shared/tasks';
import { openTask } from '../tasks/taskActions';

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** A registration younger than this may still be running in another turn; older and unfinished = cut off. */
const IN_FLIGHT_MS = 60_000;

/**
 * Routine B's registration, plan-missing and deviation steps, and the cards of the routine. The
 * review is one aggregate written conditionally on its ETag; every card sent to the provider is
 * recorded so that an answer replaces it for every contact. The provider's answers and the
 * assessor's review are use cases of their own (answerDelay.ts, reviseReturned.ts,
 * submitReview.ts: decide → commit once → relay); the relay renders their cards with the methods
 * at the end of this class.
 */
export class PlanReviewService {
  constructor(private readonly deps: DialogDeps) {}

  /** Routine B's relay: carries out the effects its steps committed (also run by the sweep). */
  get relay(): OutboxRelay {
    return (this.relayOnce ??= new OutboxRelay(this.deps, this.stores.planReviews.outbox, planReviewCards(this.deps, this), planReviewRecords(this.deps)));
  }
  private relayOnce: OutboxRelay | undefined;

  /** Use case: an assessor registers an executed decision (dialogs/b-plan-review/registerReview.ts). */
  register(person: StaffMember, input: RegisterSubmission): Promise<Decision<StoredReview>> {
    return registerReview(this.deps, this, this.relay, person, input);
  }

  private get stores() {
    return this.deps.stores;
  }

  actorOf(person: StaffMember, unit: Administration): Actor {
    return reviewActor(person, unit);
  }

  async caseOf(review: Pick<PlanReview, 'caseId'>): Promise<CaseFile | undefined> {
    return (await this.stores.cases.get(review.caseId))?.value;
  }

  /** The case as a member of staff sees it: reference and initials, nothing outside its administration when protected. */
  staffLabel(review: PlanReview, c: CaseLabelSource | undefined, viewer: StaffMember, t: Texts): string {
    if (!c) return review.code;
    const l = caseLabelFor(c, { kind: 'staff', units: viewer.roles.map((r) => r.unit) });
    return l.reference ? `${l.reference} (${l.initials ?? ''})` : `${t.a.protectedCase} – ${review.code}`;
  }

  providerText(review: PlanReview, c: CaseLabelSource | undefined): string {
    return c ? providerCaseText(review, c) : review.code;
  }

  async get(unit: string, reviewId: string): Promise<StoredReview | undefined> {
    return isAdministration(unit) ? (await this.stores.planReviews.get(unit, reviewId))?.value : undefined;
  }

  /**
   * The review a person asks for by (unit, reviewId) — from a choice or a card button, either of
   * which may be forged — if they have a part in it (`reviewAccess`); otherwise the same
   * 'notFoundOrNotAllowed' as for a review that does not exist.
   */
  async openFor(person: StaffMember, unit: string, reviewId: string, as?: ReviewPart): Promise<Decision<StoredReview>> {
    const review = await this.get(unit, reviewId);
    if (!review) return refuse('notFoundOrNotAllowed');
    const access = reviewAccess(person, review, as);
    return access.ok ? accept(review) : access;
  }

  /** Saves with the ETag, retrying the whole read-decide-write when someone else wrote first. */
  private async update(unit: string, reviewId: string, change: (r: StoredReview) => Decision<StoredReview>): Promise<Decision<StoredReview>> {
    if (!isAdministration(unit)) return refuse('notFoundOrNotAllowed');
    const d = await updateAggregate(() => this.stores.planReviews.get(unit, reviewId), (r, etag) => this.stores.planReviews.save(r, etag), change, (r) => r);
    // A review that does not exist answers as one the person may not see.
    return !d.ok && d.code === 'notFound' ? refuse('notFoundOrNotAllowed') : d;
  }

  private replaceCards(review: StoredReview, match: (c: CardRef) => boolean, except: string, card: (t: Texts) => CardAttachment): CardUpdate[] {
    return (review.cards ?? []).filter((c) => match(c) && c.personId !== except).map((c) => ({ personId: c.personId, activityId: c.activityId, card }));
  }

  // --- registration --------------------------------------------------------------------------

  /**
   * The rest of a registration made before registrations were one step (`setupDone: false`): its
   * journal event and its binding follow-up task, then the mark that both exist. Idempotent, so a
   * registration cut off by a crash is finished the next time the review is listed (see
   * `finishInterrupted`). A registration today is one commit whose effects the relay carries out.
   */
  async finishSetup(review: StoredReview): Promise<StoredReview> {    const now = this.deps.clock();
    const c = await this.caseOf(review);
    const actor: Actor = { id: review.assessorId, name: review.assessorName, role: 'careNeedsAssessor', unit: review.owningUnit };
    const assessor = (await this.stores.staff.get(review.assessorId))?.value;
    const journaled = (await this.stores.journal.forCase(review.caseId)).some((e) => e.step === 'b.registered');
    if (!journaled) {
      await this.stores.journal.append(
        journalEvent(review.caseId, assessor ? this.actorOf(assessor, review.owningUnit) : actor, 'B', 'b.registered', now, { provider: review.providerName, executionDate: review.executionDate, grantedHours: review.grantedHours, newClient: review.newClient, followUpDeadline: review.followUpDeadline }),
      );
    }
    await openTask(
      this.stores,
      {
        taskId: followUpTaskId(review.reviewId),
        caseId: review.caseId,
        routine: 'B',
        step: 'b.followUp',
        unit: review.owningUnit,
        assignee: { kind: 'person', personId: review.assessorId },
        dueDate: review.followUpDeadline,
        binding: true,
        label: taskCaseLabel(c, review.code),
        caseLabel: taskCaseLabel(c, review.code),
        context: { unit: review.owningUnit, reviewId: review.reviewId },
      },
      now,
      { workingDaysBefore: settingsOf(this.deps).reminderWorkingDaysBefore },
    ).catch(ignoreConflict);
    const done = await this.update(review.owningUnit, review.reviewId, (r) => (r.setupDone === false ? accept({ ...r, setupDone: true }) : refuse('alreadyDone', { by: '', at: '' })));
    return done.ok ? done.value : { ...review, setupDone: true };
  }

  /** Registrations older than a turn that never got their journal event and task (the process died between the writes). */
  async finishInterrupted(reviews: readonly StoredReview[]): Promise<void> {
    const cutoff = this.deps.clock().getTime() - IN_FLIGHT_MS;
    for (const r of reviews) if (r.setupDone === false && new Date(r.createdAt).getTime() < cutoff) await this.finishSetup(r);
  }

  newCode(): string {
    let s = 'B-';
    for (let i = 0; i < 6; i++) s += CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)];
    return s;
  }

  // --- plan missing, reason, deviation -------------------------------------------------------

  delayCard(review: StoredReview, c: CaseLabelSource | undefined, t: Texts = sv): CardAttachment {
    const reason = review.delay?.reason;
    return renderRespondCard({
      title: t.b.delayTitle(this.providerText(review, c)),
      text: t.b.delayText(review.assessorName, unitName(review.owningUnit), review.executionDate),
      facts: [
        { title: t.b.facts.provider, value: review.providerName },
        { title: t.b.facts.execution, value: review.executionDate },
        { title: t.b.facts.granted, value: t.b.hours(review.grantedHours) },
      ],
      status: reason ? t.b.delayAnswered(reason.byName, formatInstant(t, reason.at), reason.text) : '',
      noteLabel: t.b.reasonLabel,
      buttons: reason || review.state !== 'planMissing' ? [] : [{ verb: 'b.delay.answer', title: t.b.sendReason, data: { unit: review.owningUnit, reviewId: review.reviewId } }],
    });
  }

  /**
   * Use case: the assessor records that the plan is missing. Read (the review) → decide
   * (`askForDelayReason`, routines/b-plan-review/decisions.ts) → commit once in the unit's
   * partition → effects by the relay (the provider's delay cards, remembered; the journal) → how
   * many of the provider's contacts got the card, for the reply.
   */
  async planMissing(person: StaffMember, unit: string, reviewId: string): Promise<Decision<{ review: StoredReview; reached: number }>> {
    if (!isAdministration(unit)) return refuse('notFoundOrNotAllowed');
    const now = this.deps.clock();
    const stepId = this.deps.newId();
    const r = await runStep(
      {
        load: () => this.stores.planReviews.get(unit, reviewId),
        context: async () => undefined,
        decide: (review) => askForDelayReason(review, { stepId, person, now }),
        commit: (review, etag, effects) => this.stores.planReviews.commit(review, etag, stepId, effects, now),
      },
      this.relay,
    );
    if (!r.ok) return r;
    const o = r.value.delivery.outcomes.get(r.value.decision.providerCard);
    return accept({ review: r.value.decision.state, reached: o?.reached?.length ?? 0 });
  }

  /** Use case: the assessor records the deviation report: read → decide (`reportDeviation`) → commit once → the journal by the relay. */
  async deviation(person: StaffMember, unit: string, reviewId: string, note: string): Promise<Decision<StoredReview>> {
    if (!isAdministration(unit)) return refuse('notFoundOrNotAllowed');
    const now = this.deps.clock();
    const stepId = this.deps.newId();
    const r = await runStep(
      {
        load: () => this.stores.planReviews.get(unit, reviewId),
        context: async () => undefined,
        decide: (review) => reportDeviation(review, { stepId, person, note, now }),
        commit: (review, etag, effects) => this.stores.planReviews.commit(review, etag, stepId, effects, now),
      },
      this.relay,
    );
    return r.ok ? accept(r.value.decision.state) : r;
  }

  /** The ids of the delay cards the relay sent, kept on the review (idempotent) so the provider's answer updates every one. */
  async rememberDelay(unit: string, reviewId: string, sent: ReadonlyArray<{ personId: string; activityId: string }>): Promise<void> {
    if (!sent.length) return;
    await this.update(unit, reviewId, (r) => {
      const known = new Set((r.cards ?? []).map((c) => c.activityId));
      const fresh = sent.filter((s) => !known.has(s.activityId)).map((s): CardRef => ({ personId: s.personId, activityId: s.activityId, kind: 'delay' }));
      return fresh.length ? accept({ ...r, cards: [...(r.cards ?? []), ...fresh].slice(-100) }) : refuse('alreadyDone', { by: '', at: '' });
    });
  }

  // --- review --------------------------------------------------------------------------------

  returnedCard(review: StoredReview, round: ReviewRound, c: CaseLabelSource | undefined, t: Texts = sv): CardAttachment {
    const response = round.providerResponse;
    return renderRespondCard({
      title: t.b.returnedTitle(this.providerText(review, c)),
      text: t.b.returnedText(round.byName, unitName(review.owningUnit)),
      facts: failedPoints(round).map((a) => ({
        title: `${1 + REVIEW_QUESTIONS.indexOf(a.question)}. ${t.b.questions[a.question]}`,
        value: [a.comment ?? '', a.question === 'time' && round.hoursMismatch ? t.b.hoursMismatch(t.b.hours(round.allocatedHours), t.b.hours(review.grantedHours)) : ''].filter(Boolean).join(' ') || t.b.noComment,
      })),
      status: response ? t.b.revisedStatus(response.byName, formatInstant(t, response.at)) : '',
      noteLabel: t.b.noteLabel,
      buttons: response || round !== review.rounds.at(-1) || review.state !== 'returned' ? [] : [{ verb: 'b.revised', title: t.b.revised, data: { unit: review.owningUnit, reviewId: review.reviewId, round: round.round } }],
    });
  }

  compensationCard(review: StoredReview, c: CaseFile | undefined, viewer: StaffMember, t: Texts): CardAttachment {
    return renderMessageCard({
      title: t.b.compensationTitle,
      text: t.b.compensationText(review.providerName),
      tone: 'info',
      facts: [
        { title: t.b.facts.case, value: this.staffLabel(review, c, viewer, t) },
        { title: t.b.facts.provider, value: review.providerName },
        { title: t.b.facts.execution, value: review.executionDate },
        { title: t.b.facts.ensured, value: review.completedAt ? formatInstant(t, review.completedAt) : '' },
        { title: t.b.facts.assessor, value: review.rounds.at(-1)?.byName ?? review.assessorName },
        { title: t.b.facts.compensation, value: t.b.compensationValue },
      ],
    });
  }

  /** What is waiting for a provider contact: delay questions and returned plans of its own cases only. */
  async providerCards(person: StaffMember, t: Texts): Promise<CardAttachment[]> {
    const cards: CardAttachment[] = [];
    for (const role of person.roles.filter((r) => r.role === 'providerContact')) {
      for (const review of await this.stores.planReviews.ofProvider(role.unit.slice('provider:'.length))) {
        const c = await this.caseOf(review);
        if (review.state === 'planMissing' && !review.delay?.reason) cards.push(this.delayCard(review, c, t));
        const last = review.rounds.at(-1);
        if (review.state === 'returned' && last) cards.push(this.returnedCard(review, last, c, t));
      }
    }
    return cards;
  }

  // --- what the relay renders (dialogs/b-plan-review/effectCards.ts) -----------------------------

  /** To the assessor: the provider's reason for the delay (from the review, as it was saved). */
  delayNoticeCard(review: StoredReview, c: CaseFile | undefined, assessor: StaffMember, t: Texts): { card: CardAttachment; summary: string } {
    const title = t.b.delayNoticeTitle(this.staffLabel(review, c, assessor, t));
    const reason = review.delay?.reason;
    return { card: renderMessageCard({ title, text: t.b.delayNotice(review.providerName, reason?.byName ?? '', reason?.text ?? ''), tone: 'warning' }), summary: title };
  }

  /** To the assessor: the provider revised the plan after `round` (with its note). */
  revisedNoticeCard(review: StoredReview, round: number, c: CaseFile | undefined, assessor: StaffMember, t: Texts): { card: CardAttachment; summary: string } {
    const title = t.b.revisedNoticeTitle(this.staffLabel(review, c, assessor, t));
    const response = review.rounds.find((r) => r.round === round)?.providerResponse;
    return { card: renderMessageCard({ title, text: t.b.revisedNotice(review.providerName, response?.byName ?? '', response?.note ?? ''), tone: 'info' }), summary: title };
  }

  /** Every delay card the provider's contacts hold (but `except`'s), re-rendered from the review as stored now. */
  async refreshDelayCards(unit: string, reviewId: string, except: string | undefined): Promise<CardUpdate[]> {
    const review = await this.get(unit, reviewId);
    if (!review) return [];
    const c = await this.caseOf(review);
    return this.replaceCards(review, (x) => x.kind === 'delay', except ?? '', (vt) => this.delayCard(review, c, vt));
  }

  /** Every returned card of `round` the provider's contacts hold (but `except`'s), re-rendered from the review as stored now. */
  async refreshReturnedCards(unit: string, reviewId: string, round: number, except: string | undefined): Promise<CardUpdate[]> {
    const review = await this.get(unit, reviewId);
    const r = review?.rounds.find((x) => x.round === round);
    if (!review || !r) return [];
    const c = await this.caseOf(review);
    return this.replaceCards(review, (x) => x.kind === 'returned' && x.round === round, except ?? '', (vt) => this.returnedCard(review, r, c, vt));
  }

  /** Keeps the ids of the returned cards of `round` sent to the provider's contacts (an id kept already is not added again). */
  async rememberReturned(unit: string, reviewId: string, round: number, sent: ReadonlyArray<{ personId: string; activityId: string }>): Promise<void> {
    if (!sent.length) return;
    await this.update(unit, reviewId, (r) => {
      const known = new Set((r.cards ?? []).map((c) => c.activityId));
      const fresh = sent.filter((s) => !known.has(s.activityId)).map((s): CardRef => ({ personId: s.personId, activityId: s.activityId, kind: 'returned', round }));
      return fresh.length ? accept({ ...r, cards: [...(r.cards ?? []), ...fresh].slice(-100) }) : refuse('alreadyDone', { by: '', at: '' });
    });
  }
}

function ignoreConflict(err: unknown): void {
  if (!(err instanceof StorageConflictError)) throw err;
}
