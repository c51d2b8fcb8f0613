import type { CardAttachment } from '../../cards/expand';
import { C_STEP_VERB, NO_INPUT_STEPS, renderCNotice, type CConsentSubmission, type NewReferralSubmission } from '../../cards/c-kompetenscenter/forms';
import { renderMessageCard } from '../../cards/message';
import { formatInstant, type Texts } from '../../locale';
import { sv } from '../../locale/sv';
import { taskPrefix, type OpenTaskRef } from '../../routines/c-kompetenscenter/deadlines';
import { createReferral } from '../../routines/c-kompetenscenter/decisions';
import { formStepId } from '../../storage/outbox';
import { runStep } from '../step';
import type { StepDecision } from '../../routines/shared/effects';
import {
  actionsFor,
  awaitedFromOther,
  currentDecision,
  DEFAULT_C_SETTINGS,
  followUpDue,
  handleOf,
  handOverSteps,
  isPossible,
  planDue,
  referralAccess,
  renewalPromptOn,
  sideOf,
  type CAction,
  type CActionKind,
  type CSettings,
  type Outcome,
  type Referral,
  type ReferralAsk,
} from '../../routines/c-kompetenscenter/rules';
import { caseLabelFor, type CaseFile } from '../../routines/shared/cases';
import { mayTell } from '../../routines/shared/consent';
import { hasRole, isAdministration, unitName, type Administration, type StaffMember, type UnitId } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { withRetries } from '../../storage/contention';
import type { CardRef, StoredReferral } from '../../storage/referrals';
import { OutboxRelay } from '../outboxRelay';
import { settingsOf, type CardUpdate, type DialogDeps } from '../ports';
import { applyAction, type ActionResult, type Delivery } from './applyAction';
import { kompetenscenterCards } from './effectCards';
import { recordReferralConsent } from './recordConsent';

/**
 * Routine C's reads, cards and the steps not yet decided whole. Every step of a referral is one
 * decision (`decideAction`, routines/c-kompetenscenter/decisions.ts) committed once with its effects
 * and carried out by the relay (applyAction.ts and the use cases beside it); `apply` and `consent`
 * here are those use cases for the dialog. Still written directly: a new referral (its case file and
 * the referral, two tables) and a revoked consent (the consent records, then KC's tasks and cards).
 */
export class KompetenscenterService {
  /** Carries out the effects of the steps on referrals (storage/referrals.ts `outbox`). */
  readonly relay: OutboxRelay;
  constructor(private readonly deps: DialogDeps) {
    this.relay = new OutboxRelay(deps, deps.stores.referrals.outbox, kompetenscenterCards(this));
  }

  get settings(): CSettings {
    const s = settingsOf(this.deps);
    return { implementationPlanDays: s.kcImplementationPlanDays ?? DEFAULT_C_SETTINGS.implementationPlanDays, renewalDaysBefore: s.kcRenewalDaysBefore ?? DEFAULT_C_SETTINGS.renewalDaysBefore };
  }

  private get stores() {
    return this.deps.stores;
  }

  async caseOf(r: Pick<Referral, 'caseId'>): Promise<CaseFile | undefined> {
    return (await this.stores.cases.get(r.caseId))?.value;
  }

  /** How a viewer sees the case: reference and initials in the social worker's administration; a handle only for a protected case elsewhere. */
  labelFor(r: Referral, c: CaseFile | undefined, viewer: Pick<StaffMember, 'roles'>, t: Texts = sv): string {
    if (!c) return handleOf(r);
    const l = caseLabelFor(c, { kind: 'staff', units: viewer.roles.map((x) => x.unit) });
    return l.reference ? `${l.reference} (${l.initials ?? ''})` : t.c.protectedLabel(handleOf(r));
  }

  /** The administration where a person may start a referral (a social worker there). */
  ownAdministration(person: StaffMember): Administration | undefined {
    const r = person.roles.find((x) => x.role === 'socialWorker' && isAdministration(x.unit));
    return r ? (r.unit as Administration) : undefined;
  }

  // --- start: criteria ----------------------------------------------------------------------

  /**
   * Every card KC holds about the referral, for its viewer, replaced by one that says the consent is
   * revoked, without case data: the refresh effect of a revoked consent (revokeConsent.ts).
   */
  async showConsentRevoked(referralId: string): Promise<CardUpdate[]> {
    const r = (await this.stores.referrals.get(referralId))?.value;
    if (!r) return [];
    const staff = await this.stores.staff.getMany((r.cards ?? []).map((c) => c.personId));
    const known = new Set(staff.map((p) => p.id));
    return (r.cards ?? []).filter((ref) => known.has(ref.personId)).map((ref) => ({ personId: ref.personId, activityId: ref.activityId, card: (t: Texts) => renderCNotice({ title: t.c.consentRevokedCardTitle(unitName(r.administration)), text: t.c.consentRevokedCard }) }));
  }

  /** Whom a revoked consent affects at KC, for the confirmation card: the consultant who took it, else KC as a whole. */
  revokeConsequences(r: Referral): string {
    return r.consultantName ? `${r.consultantName} (${unitName('kc')})` : unitName('kc');
  }

  /**
   * The referral a person asks for by id (a choice or a card button, either may be forged), if they
   * have that part in it (`referralAccess`); otherwise the same 'notFoundOrNotAllowed' as for none.
   */
  async openFor(person: StaffMember, referralId: string, ask: ReferralAsk = 'see'): Promise<Decision<StoredReferral>> {
    const r = (await this.stores.referrals.get(referralId))?.value;
    if (!r) return refuse('notFoundOrNotAllowed');
    const access = referralAccess(r, person, ask, await this.kcMayKnow(r));
    return access.ok ? accept(r) : access;
  }

  /** KC may know of the referral unless the consent to KC has been revoked (a protected case has none: the coordinator route). */
  async kcMayKnow(r: Referral): Promise<boolean> {
    return !r.consentId || mayTell(await this.stores.consents.forCase(r.caseId), r.caseId, 'kc', this.deps.clock()).ok;
  }

  /** The referral's open tasks in its administration and at KC (one range query each). */
  async openTasksOf(r: Referral): Promise<OpenTaskRef[]> {
    const units: UnitId[] = [r.administration, 'kc'];
    const lists = await Promise.all(units.map((unit) => this.stores.tasks.openByIdPrefix(unit, taskPrefix(r))));
    return lists.flatMap((tasks, i) => tasks.map((task) => ({ unit: units[i]!, taskId: task.taskId })));
  }

  /**
   * Use case: a social worker starts a referral from the criteria form. Decide (`createReferral`,
   * routines/c-kompetenscenter/decisions.ts) → commit once (the new referral, its list rows and its
   * outbox row; the step's id is the form's, so the same form starts one referral) → effects by
   * the relay: the case file and the journal's criteria.
   */
  async create(person: StaffMember, sub: NewReferralSubmission): Promise<Decision<StoredReferral>> {
    const now = this.deps.clock();
    const stepId = sub.formId ? formStepId(sub.formId) : this.deps.newId();
    const ids = { referralId: this.deps.newId(), caseId: this.deps.newId() };
    const r = await runStep<Referral | undefined, undefined, StepDecision<Referral>>(
      {
        // Nothing exists yet: the step creates the referral.
        load: async () => ({ value: undefined, etag: '' }),
        context: async () => undefined,
        decide: () => createReferral({ stepId, person, administration: this.ownAdministration(person), form: sub, ids, now }),
        commit: (referral, _etag, effects) => this.stores.referrals.commitNew(referral!, stepId, effects, now, sub.formId ? { byName: person.name } : undefined),
        committedBefore: () => this.stores.referrals.stepRow(stepId),
      },
      this.relay,
    );
    return r.ok ? accept(r.value.decision.state as StoredReferral) : r;
  }

  /** Step 2 of the seed: the consent to KC and the work plan (recordConsent.ts). */
  consent(person: StaffMember, referralId: string, sub: CConsentSubmission): Promise<Decision<ActionResult>> {
    return recordReferralConsent(this.deps, this, this.relay, person, referralId, sub);
  }

  /** Every other step of a referral, decided whole and committed once with its effects (applyAction.ts). */
  apply(person: StaffMember, referralId: string, action: CAction): Promise<Decision<ActionResult>> {
    return applyAction(this.deps, this, this.relay, person, referralId, action);
  }

  // --- what the relay reads and keeps ---------------------------------------------------------

  /** The referral and its case, for rendering the cards of a step. */
  async viewOf(referralId: string): Promise<{ r: StoredReferral; c: CaseFile | undefined } | undefined> {
    const r = (await this.stores.referrals.get(referralId))?.value;
    return r ? { r, c: await this.caseOf(r) } : undefined;
  }

  async staffMember(personId: string): Promise<StaffMember | undefined> {
    return (await this.stores.staff.get(personId))?.value;
  }

  /**
   * Keeps the ids of cards sent about a referral (so a later step can replace them for every
   * viewer): conditionally on the ETag, retried on a lost race; an id kept already is not added again.
   */
  async rememberCards(referralId: string, kind: CardRef['kind'], sent: ReadonlyArray<{ personId: string; activityId: string }>): Promise<void> {
    await withRetries(async () => {
      const s = await this.stores.referrals.get(referralId);
      if (!s) return;
      const kept = new Set((s.value.cards ?? []).map((c) => c.activityId));
      const added = sent.filter((x) => !kept.has(x.activityId)).map((x) => ({ personId: x.personId, activityId: x.activityId, kind }));
      if (added.length) await this.stores.referrals.save({ ...s.value, cards: [...(s.value.cards ?? []), ...added].slice(-200) }, s.etag);
    });
  }

  /**
   * Every card of one kind sent about the referral shows it as it is now, for every viewer (also
   * the one who pressed: they may have acted from the menu). Nothing once the consent to KC is
   * revoked: those cards were replaced by one without case data, and stay so.
   */
  async refreshCards(referralId: string, kind: 'assignment' | 'coordinator'): Promise<CardUpdate[]> {
    const r = (await this.stores.referrals.get(referralId))?.value;
    if (!r || !(r.cards ?? []).some((x) => x.kind === kind) || !(await this.kcMayKnow(r))) return [];
    const c = await this.caseOf(r);
    return this.replaceCards(r, kind, (viewer, t) => (kind === 'assignment' ? this.assignmentCard(r, c, viewer, t) : this.coordinatorCard(r, c, viewer, t)));
  }

  /** Replaces every card of this kind for every viewer (also the one who pressed: they may have acted from the menu). */
  private async replaceCards(r: StoredReferral, kind: string, render: (viewer: StaffMember, t: Texts) => CardAttachment): Promise<CardUpdate[]> {
    const staff = await this.stores.staff.getMany((r.cards ?? []).filter((x) => x.kind === kind).map((x) => x.personId));
    const byId = new Map(staff.map((p) => [p.id, p]));
    const updates = (r.cards ?? [])
      .filter((x) => x.kind === kind)
      .flatMap((ref) => {
        const viewer = byId.get(ref.personId);
        return viewer ? [{ personId: ref.personId, activityId: ref.activityId, card: (t: Texts) => render(viewer, t) }] : [];
      });
    return updates;
  }

  // --- cards ------------------------------------------------------------------------------------

  /**
   * What one step means for the other party: who did what, the facts of that step, their next step
   * — and, on the card itself, the button that takes it (`handOverSteps`, routines/c-kompetenscenter/rules.ts):
   * a step without input is taken by the button (verb 'c.step', feature.ts); a step with a form opens
   * its form in the chat (the dialog, as from the step list). Either is checked again when pressed.
   * With nothing of theirs due (or after a close is announced), the card says what the other party is expected to do.
   */
  noticeCard(r: Referral, c: CaseFile | undefined, viewer: StaffMember, by: string, step: string, t: Texts): CardAttachment {
    const side = sideOf(r, viewer);
    const next = side ? handOverSteps(r, side, step) : { due: [], ifNeeded: [] };
    const name = (k: CActionKind) => t.c.actions[k] ?? k;
    const waiting = side ? awaitedFromOther(r, side, step, next).map(name) : [];
    const text = [
      t.c.noticeText(by, t.c.done[step] ?? step),
      ...(next.due.length ? [t.c.nextForYou(next.due.map(name).join('; '))] : []),
      ...(next.ifNeeded.length ? [t.c.ifNeeded(next.ifNeeded.map(name).join('; '))] : []),
      ...(waiting.length ? [t.c.nextForOther(waiting.join('; '))] : []),
    ].join('\n\n');
    const steps = [...next.due, ...next.ifNeeded].slice(0, 4);
    return renderCNotice({
      title: t.c.noticeTitle(this.labelFor(r, c, viewer, t)),
      text,
      facts: this.stepFacts(r, step, t),
      buttons: steps.filter((k) => NO_INPUT_STEPS.includes(k)).map((k) => ({ verb: C_STEP_VERB, title: t.c.buttons[k], data: { referralId: r.referralId, step: k } })),
      opens: steps.filter((k) => !NO_INPUT_STEPS.includes(k)).map((k) => ({ title: t.c.buttons[k], data: { menu: 'C' as const, referralId: r.referralId, step: k } })),
      openLabel: t.c.open,
    });
  }

  /** What a step did, for the person who took it: done, who was told (or whom to tell another way), what to document, the status. */
  doneCard(r: StoredReferral, c: CaseFile | undefined, o: Pick<Outcome, 'step' | 'details' | 'warnings'>, viewer: StaffMember, t: Texts, delivery?: Delivery): CardAttachment {
    const label = this.labelFor(r, c, viewer, t);
    const lines = [t.c.doneText(t.c.done[o.step] ?? o.step)];
    // Told only what the connector accepted; otherwise whom to tell another way.
    if (delivery?.told.length) lines.push(t.c.told(delivery.told.join(', ')));
    for (const who of delivery?.notReached ?? []) lines.push(t.c.notReached(who(t)));
    if (delivery?.stoppedByConsent) lines.push(t.c.stoppedByConsent);
    if (r.state === 'notReferred') lines.push(t.c.afMeasure);
    const treserva = t.c.treserva[o.step];
    if (treserva) lines.push(treserva);
    const d = currentDecision(r);
    if ((o.step === 'c.decide' || o.details['answer'] === 'renew') && d) lines.push(t.c.expiresOn(d.expiresOn));
    for (const w of o.warnings) if (w === 'nextFollowUpAfterExpiry' && d) lines.push(t.c.warnings.nextFollowUpAfterExpiry(d.expiresOn));
    const undelivered = Boolean(delivery?.notReached.length || delivery?.stoppedByConsent);
    return renderMessageCard({ title: t.c.doneTitle(label), text: lines.join('\n\n'), tone: o.warnings.length || undelivered || r.state === 'notReferred' ? 'warning' : 'good', facts: this.statusFacts(r, t) });
  }

  /** A disagreement raised (`index` of it on the referral), to an escalation contact: who raised it, the question, the referral's status. */
  escalationCard(r: Referral, c: CaseFile | undefined, viewer: StaffMember, index: number, t: Texts): CardAttachment {
    const d = r.disagreements[index] ?? r.disagreements.at(-1)!;
    const label = this.labelFor(r, c, viewer, t);
    return renderCNotice({ title: t.c.escalationTitle(label), text: t.c.escalationText(`${d.byName} (${d.side === 'sf' ? unitName(r.administration) : unitName('kc')})`, d.question), facts: this.statusFacts(r, t), openLabel: t.c.open });
  }

  /** A card with nothing about the case but its handle: for a recipient the directory no longer knows. */
  bareNotice(r: Pick<Referral, 'referralId'> | undefined, t: Texts): { card: CardAttachment; summary: string } {
    const title = t.c.noticeTitle(t.c.protectedLabel(r ? handleOf(r) : unitName('kc')));
    return { card: renderCNotice({ title, text: '' }), summary: title };
  }

  private stepFacts(r: Referral, step: string, t: Texts): Array<{ title: string; value: string }> {
    const F = t.c.facts;
    const intake = r.intake ? [{ title: F.intake, value: r.intake.at.replace('T', ' ') }, { title: F.place, value: r.intake.place }, { title: F.interpreter, value: r.intake.interpreter || t.c.none }, ...(r.intake.viaCoordinator ? [{ title: F.bookedVia, value: F.viaCoordinator }] : [])] : [];
    switch (step) {
      case 'c.bookIntake':
      case 'c.confirmNewTime':
        return intake;
      case 'c.proposeTime':
        return r.proposedTime ? [{ title: F.intake, value: r.proposedTime.at.replace('T', ' ') }, { title: F.place, value: r.proposedTime.place }] : [];
      case 'c.event':
        return [{ title: F.text, value: r.events.at(-1)?.text ?? '' }];
      case 'c.disagreement':
        return [{ title: F.text, value: r.disagreements.at(-1)?.question ?? '' }];
      case 'c.resolve':
        return [{ title: F.text, value: r.disagreements.at(-1)?.resolution ?? '' }];
      case 'c.intakeMissed':
        return r.withdrawal ? [{ title: F.reason, value: r.withdrawal.reason }] : [];
      case 'c.bookThreePartyMeeting': {
        // The booked meeting reaches the social worker with its time, place, interpreter and who booked it.
        const b = r.closing?.threePartyBooking;
        return b ? [{ title: F.threePartyMeeting, value: b.at.replace('T', ' ') }, { title: F.place, value: b.place }, { title: F.interpreter, value: b.interpreter || t.c.none }, { title: F.bookedBy, value: b.byName }] : [];
      }
      case 'c.announceClose':
        return r.closing ? [{ title: F.reason, value: r.closing.reason }, { title: F.selfSufficiency, value: r.closing.selfSufficiency ? t.c.yes : t.c.no }] : [];
      case 'c.intakeHeld':
      case 'c.bookFollowUp':
        return [{ title: F.followUpDue, value: r.followUps.at(-1)?.date ?? '' }];
      case 'c.followUpSf': {
        const f = [...r.followUps].reverse().find((x) => x.sf);
        return f?.sf ? [{ title: t.c.labels.checkedAgainstPlan, value: f.sf.checkedAgainstPlan }, { title: t.c.labels.clientPerception, value: f.sf.clientPerception }, { title: t.c.labels.complementaryNeeds, value: f.sf.complementaryNeeds }] : [];
      }
      case 'c.followUpKc': {
        const f = [...r.followUps].reverse().find((x) => x.kc);
        return f?.kc ? [{ title: t.c.labels.progress, value: f.kc.progress }, { title: t.c.labels.furtherNeeds, value: f.kc.furtherNeeds }] : [];
      }
      case 'c.renew':
        if (r.renewal?.answer === 'close') return [{ title: t.c.labels.answer, value: t.c.renewAnswers.close ?? 'close' }];
        return this.statusFacts(r, t).filter((x) => x.title === F.decision || x.title === F.expires);
      case 'c.decide':
        return this.statusFacts(r, t).filter((x) => x.title === F.decision || x.title === F.expires);
      default:
        return [];
    }
  }

  /** The assignment as a KC consultant sees it: needs, what it includes, goals; no initials for a protected case. */
  assignmentCard(r: Referral, c: CaseFile | undefined, viewer: StaffMember, t: Texts): CardAttachment {
    const a = r.assignment!;
    const label = this.labelFor(r, c, viewer, t);
    return renderCNotice({
      title: t.c.assignmentTitle(label),
      text: t.c.assignmentText(unitName(r.administration)),
      facts: [
        { title: t.c.facts.needs, value: a.needs },
        { title: t.c.facts.includes, value: a.includes },
        { title: t.c.facts.goals, value: a.goals.map((g) => `• ${g}`).join('\n\n') },
        ...this.statusFacts(r, t).filter((x) => x.title === t.c.facts.expires),
      ],
      status: [r.consultantName ? t.c.takenBy(r.consultantName, formatInstant(t, a.sentAt)) : '', ended(r) ? t.c.endedStatus : ''].filter(Boolean).join('\n\n'),
      buttons: r.consultantId || ended(r) ? [] : [{ verb: 'c.take', title: t.c.actions.take ?? 'take', data: { referralId: r.referralId } }],
      openLabel: r.consultantId ? '' : '',
    });
  }

  /** The protected case's request for a dialogue: nothing that identifies the client. */
  coordinatorCard(r: Referral, c: CaseFile | undefined, viewer: StaffMember, t: Texts): CardAttachment {
    const cc = r.coordinatorContact;
    return renderCNotice({
      title: t.c.coordinatorTitle(this.labelFor(r, c, viewer, t)),
      text: t.c.coordinatorText(unitName(r.administration), r.socialWorkerName),
      status: [cc?.confirmedAt ? t.c.coordinatorConfirmed(cc.confirmedByName ?? '', formatInstant(t, cc.confirmedAt)) : '', ended(r) ? t.c.endedStatus : ''].filter(Boolean).join('\n\n'),
      buttons: cc?.confirmedAt || ended(r) ? [] : [{ verb: 'c.coordinator.confirm', title: t.c.actions.coordinatorConfirm ?? 'confirm', data: { referralId: r.referralId } }],
    });
  }

  statusFacts(r: Referral, t: Texts): Array<{ title: string; value: string }> {
    const F = t.c.facts;
    const d = currentDecision(r);
    const open = r.disagreements.find((x) => !x.resolution);
    const facts = [
      { title: F.state, value: t.c.states[r.state] ?? r.state },
      { title: F.socialWorker, value: `${r.socialWorkerName} (${unitName(r.administration)})` },
      { title: F.consultant, value: r.consultantName ?? t.c.none },
    ];
    if (d) facts.push({ title: F.decision, value: d.decisionDate }, { title: F.expires, value: d.expiresOn });
    if (r.intake && (r.state === 'intakeBooked' || r.state === 'newTimeProposed' || r.state === 'intakeMissed')) facts.push({ title: F.intake, value: `${r.intake.at.replace('T', ' ')}, ${r.intake.place}` });
    if (r.startDate) facts.push({ title: F.start, value: r.startDate });
    const booking = r.closing?.threePartyBooking;
    if (r.state === 'closing' && r.closing && !r.closing.selfSufficiency) {
      if (r.closing.threePartyMeetingOn) facts.push({ title: F.threePartyMeetingHeld, value: r.closing.threePartyMeetingOn });
      else if (booking) facts.push({ title: F.threePartyMeeting, value: t.c.threePartyBooked(booking.at.replace('T', ' '), booking.place, booking.interpreter) });
      else facts.push({ title: F.threePartyMeeting, value: t.c.notBooked });
    }
    if (r.state === 'ongoing') {
      const plan = planDue(r, this.settings);
      const follow = followUpDue(r);
      const renew = renewalPromptOn(r, this.settings);
      if (plan) facts.push({ title: F.planDue, value: plan });
      if (follow) facts.push({ title: F.followUpDue, value: follow });
      if (renew && !r.renewal) facts.push({ title: F.renewal, value: renew });
    }
    if (open) facts.push({ title: F.disagreement, value: open.question });
    return facts;
  }

  statusCard(r: Referral, c: CaseFile | undefined, viewer: StaffMember, t: Texts): CardAttachment {
    return renderCNotice({ title: t.c.statusTitle(this.labelFor(r, c, viewer, t)), text: t.c.actionsTitle, facts: this.statusFacts(r, t) });
  }

  // --- what a person may do now -----------------------------------------------------------------

  /** The choices of the routine's menu for one person (optionally for one referral only). */
  async choicesFor(person: StaffMember, t: Texts, onlyReferral?: string, seen?: (r: StoredReferral) => void): Promise<Array<{ title: string; value: string }>> {
    const out: Array<{ title: string; value: string }> = [];
    if (!onlyReferral && this.ownAdministration(person)) out.push({ title: t.c.newReferral, value: 'new' });
    const referrals = onlyReferral ? [(await this.stores.referrals.get(onlyReferral))?.value].filter((x): x is StoredReferral => Boolean(x)) : await this.stores.referrals.listedFor({
          personId: person.id,
          supervisorOf: person.roles.filter((x) => x.role === 'supervisor').map((x) => x.unit),
          kc: hasRole(person, 'kcCoordinator', 'kc') || hasRole(person, 'employmentConsultant', 'kc'),
        });
    for (const r of referrals) {
      // The menu lists only what the access function lets the person see (nothing at KC after a revoked consent).
      if (!referralAccess(r, person, 'see').ok) continue;
      if (sideOf(r, person) !== 'sf' && !referralAccess(r, person, 'see', await this.kcMayKnow(r)).ok) continue;
      const label = this.labelFor(r, await this.caseOf(r), person, t);
      seen?.(r);
      const side = sideOf(r, person);
      if (side) for (const k of actionsFor(r, side)) out.push({ title: t.c.act(label, t.c.actions[k] ?? k), value: `act:${r.referralId}:${k}` });
      if (isPossible(r, 'take') && hasRole(person, 'employmentConsultant', 'kc')) out.push({ title: t.c.take(label), value: `take:${r.referralId}` });
      if (isPossible(r, 'coordinatorConfirm') && hasRole(person, 'kcCoordinator', 'kc')) out.push({ title: t.c.confirmCoordinator(label), value: `confirm:${r.referralId}` });
      if (side === 'sf' && r.consentId && r.state !== 'closed') out.push({ title: t.c.revokeConsent(label), value: `revoke:${r.referralId}` });
      if (!onlyReferral) out.push({ title: t.c.status(label), value: `status:${r.referralId}` });
    }
    return out.slice(0, 60);
  }
}

/** A referral that has ended: its cards keep no button. */
function ended(r: Pick<Referral, 'state'>): boolean {
  return r.state === 'closed' || r.state === 'withdrawn' || r.state === 'notReferred';
}
