import type { CardAttachment } from '../../cards/expand';
import { renderCNotice, type CConsentSubmission, type NewReferralSubmission } from '../../cards/c-kompetenscenter/forms';
import { formatInstant, type Texts } from '../../locale';
import { sv } from '../../locale/sv';
import {
  act,
  actionsFor,
  criteriaMet,
  currentDecision,
  DEFAULT_C_SETTINGS,
  dueSteps,
  followUpDue,
  handleOf,
  isEscalationContact,
  isPossible,
  planDue,
  referralAccess,
  renewalPromptOn,
  sideOf,
  type CAction,
  type CActionKind,
  type CSettings,
  type DueStep,
  type Outcome,
  type Referral,
  type ReferralAsk,
  type ReferralPart,
  type Side,
} from '../../routines/c-kompetenscenter/rules';
import { caseLabelFor, type CaseFile } from '../../routines/shared/cases';
import { mayTell, recordConsent } from '../../routines/shared/consent';
import { journalEvent, type Actor as JournalActor } from '../../routines/shared/journal';
import { hasRole, isAdministration, unitName, type Administration, type StaffMember, type UnitId } from '../../routines/shared/organisation';
import { checkCaseReference, checkFreeText, checkInitials } from '../../routines/shared/privacy';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { taskCaseLabel } from '../../routines/shared/tasks';
import { toIsoDate } from '../../routines/shared/workingDays';
import { StorageConflictError } from '../../storage/errors';
import type { CardRef, StoredReferral } from '../../storage/referrals';
import { updateAggregate } from '../aggregateUpdate';
import { sendCards, settingsOf, updateCards, type DialogDeps, type OutgoingCard } from '../ports';
import { openTask } from '../tasks/taskActions';

/** Free-text fields of each step, checked for personal identity numbers and length before they are stored. */
const FREE_TEXT: Partial<Record<CActionKind, string[]>> = {
  assign: ['needs', 'includes'],
  bookIntake: ['place', 'interpreter'],
  intakeMissed: ['reason'],
  proposeTime: ['place'],
  followUpSf: ['checkedAgainstPlan', 'clientPerception', 'complementaryNeeds'],
  followUpKc: ['progress', 'furtherNeeds'],
  event: ['text'],
  disagreement: ['question'],
  resolve: ['resolution'],
  announceClose: ['reason'],
  closingDocument: ['why'],
};

/**
 * Routine C's use cases. The referral is one aggregate written conditionally; the rule decides
 * every step; this service journals it, tells the other party by card (consent to KC checked when
 * the card is sent), escalates disagreements, and keeps the referral's deadlines as tasks.
 */
export class KompetenscenterService {
  constructor(private readonly deps: DialogDeps) {}

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

  private journalActor(person: StaffMember, side: Side | 'coordinator', r: Referral): JournalActor {
    if (side === 'sf') return { id: person.id, name: person.name, role: 'socialWorker', unit: r.administration };
    return { id: person.id, name: person.name, role: side === 'coordinator' ? 'kcCoordinator' : 'employmentConsultant', unit: 'kc' };
  }

  /** The administration where a person may start a referral (a social worker there). */
  ownAdministration(person: StaffMember): Administration | undefined {
    const r = person.roles.find((x) => x.role === 'socialWorker' && isAdministration(x.unit));
    return r ? (r.unit as Administration) : undefined;
  }

  // --- start: criteria ----------------------------------------------------------------------

  /**
   * The individual revokes the consent to KC: every consent of the case ends (journaled), so no card
   * or reminder about them reaches KC any more — consent is checked at each send, not only when given.
   */
  async revokeConsent(person: StaffMember, referralId: string): Promise<Decision<number>> {
    const now = this.deps.clock();
    const opened = await this.openFor(person, referralId, 'revokeConsent');
    if (!opened.ok) return opened;
    const r = opened.value;
    let revoked = 0;
    for (const c of await this.stores.consents.forCase(r.caseId)) {
      const s = await this.stores.consents.get(r.caseId, c.consentId);
      if (!s || s.value.revokedAt) continue;
      await this.stores.consents.update({ ...s.value, revokedAt: now.toISOString(), revokedBy: person.id }, s.etag);
      revoked++;
    }
    if (!revoked) return refuse('alreadyDone', { by: '', at: '' });
    // Nothing about the person stays live at KC: KC's open tasks end, and every card KC holds is replaced by one without case data.
    const tasks = await this.closeKcTasks(r, person.id, now);
    const staff = await this.stores.staff.getMany((r.cards ?? []).map((c) => c.personId));
    const known = new Set(staff.map((p) => p.id));
    await updateCards(
      this.deps.notifier,
      (r.cards ?? []).filter((ref) => known.has(ref.personId)).map((ref) => ({ personId: ref.personId, activityId: ref.activityId, card: (t: Texts) => renderCNotice({ title: t.c.consentRevokedCardTitle(unitName(r.administration)), text: t.c.consentRevokedCard }) })),
    );
    await this.stores.journal.append(journalEvent(r.caseId, this.journalActor(person, 'sf', r), 'C', 'c.consentRevoked', now, { consents: revoked, kcTasksClosed: tasks, kcCardsReplaced: (r.cards ?? []).length }));
    return accept(revoked);
  }

  /** Whom a revoked consent affects at KC, for the confirmation card: the consultant who took it, else KC as a whole. */
  revokeConsequences(r: Referral): string {
    return r.consultantName ? `${r.consultantName} (${unitName('kc')})` : unitName('kc');
  }

  private async closeKcTasks(r: Referral, by: string, now: Date): Promise<number> {
    let n = 0;
    for (const task of await this.stores.tasks.openByIdPrefix('kc', `c-${r.referralId}-`)) {
      await this.stores.tasks.close({ unit: 'kc', taskId: task.taskId, dueDate: task.dueDate }, 'cancelled', by, now).catch(ignoreConflict);
      n++;
    }
    return n;
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
  private async kcMayKnow(r: Referral): Promise<boolean> {
    return !r.consentId || mayTell(await this.stores.consents.forCase(r.caseId), r.caseId, 'kc', this.deps.clock()).ok;
  }

  async create(person: StaffMember, sub: NewReferralSubmission): Promise<Decision<StoredReferral>> {
    const now = this.deps.clock();
    const admin = this.ownAdministration(person);
    if (!admin) return refuse('notAllowed');
    const reference = checkCaseReference(sub.reference);
    if (!reference.ok) return reference;
    const initials = checkInitials(sub.initials);
    if (!initials.ok) return initials;
    const caseId = this.deps.newId();
    const criteria = { unemployed: sub.unemployed, withinThreeYears: sub.withinThreeYears };
    const met = criteriaMet(criteria);
    const referral: StoredReferral = {
      referralId: this.deps.newId(),
      caseId,
      socialWorkerId: person.id,
      socialWorkerName: person.name,
      administration: admin,
      protectedIdentity: sub.protectedIdentity,
      state: met ? 'afConsultation' : 'notReferred',
      ...(met ? {} : { notReferredReason: 'criteria' as const }),
      criteria,
      decisions: [],
      intakes: [],
      plans: [],
      followUps: [],
      events: [],
      disagreements: [],
      createdAt: now.toISOString(),
    };
    await this.stores.cases.add({ caseId, routine: 'C', reference: reference.value, initials: initials.value, protectedIdentity: sub.protectedIdentity, owningUnit: admin, createdBy: person.id, createdAt: now.toISOString() });
    await this.stores.referrals.add(referral);
    await this.stores.journal.append(journalEvent(caseId, this.journalActor(person, 'sf', referral), 'C', 'c.criteria', now, { ...criteria, met }));
    return accept(referral);
  }

  /** Step 2 of the seed: the consent to KC (the shared consent record) and the work plan updated with the client. */
  async consent(person: StaffMember, referralId: string, sub: CConsentSubmission): Promise<Decision<{ referral: StoredReferral; outcome: Outcome; delivery?: Delivery }>> {
    const now = this.deps.clock();
    const opened = await this.openFor(person, referralId, 'consent');
    if (!opened.ok) return opened;
    const r = opened.value;
    if (!isPossible(r, 'consent')) return refuse('outOfOrder');
    const info = checkFreeText(sub.information, 'information');
    if (!info.ok) return info;
    const givenAt = new Date(`${sub.givenAt}T10:00:00.000Z`);
    const recorded = recordConsent(
      { recipients: ['kc'], information: info.value, givenBy: sub.givenBy, method: sub.method, givenAt: (givenAt < now ? givenAt : now).toISOString(), toldHowToRevoke: true },
      { consentId: this.deps.newId(), caseId: r.caseId, routine: 'C', capturedBy: person.id },
      now,
    );
    if (!recorded.ok) return recorded;
    const d = await this.apply(person, referralId, { kind: 'consent', consentId: recorded.value.consentId, workPlanUpdatedOn: sub.workPlanUpdatedOn });
    if (d.ok) await this.stores.consents.add(recorded.value);
    return d;
  }

  // --- every other step -----------------------------------------------------------------------

  /** Saves with the ETag, retrying the whole read-decide-write when the other party wrote first. */
  private async update(referralId: string, change: (r: StoredReferral) => Decision<{ referral: StoredReferral; outcome: Outcome }>): Promise<Decision<{ referral: StoredReferral; outcome: Outcome }>> {
    const d = await updateAggregate(() => this.stores.referrals.get(referralId), (r, etag) => this.stores.referrals.save(r, etag), change, (d) => d.referral);
    // A referral that does not exist answers as one the person has no part in.
    return !d.ok && d.code === 'notFound' ? refuse('notFoundOrNotAllowed') : d;
  }

  async apply(person: StaffMember, referralId: string, action: CAction): Promise<Decision<{ referral: StoredReferral; outcome: Outcome; delivery?: Delivery }>> {
    const now = this.deps.clock();
    const today = toIsoDate(now);
    for (const field of FREE_TEXT[action.kind] ?? []) {
      const value = (action as unknown as Record<string, unknown>)[field];
      if (typeof value === 'string' && value) {
        const check = checkFreeText(value, field);
        if (!check.ok) return check;
      }
    }
    if (action.kind === 'assign') {
      for (const g of action.goals) {
        const check = checkFreeText(g, 'goals', 500);
        if (!check.ok) return check;
      }
    }
    let journalSide: Side | 'coordinator' = 'sf';
    const current = (await this.stores.referrals.get(referralId))?.value;
    const kcMayKnow = current ? await this.kcMayKnow(current) : true;
    const d = await this.update(referralId, (stored) => {
      const access = referralAccess(stored, person, action.kind, kcMayKnow);
      if (!access.ok) return access;
      const side = access.value as Exclude<ReferralPart, 'supervisor'>;
      journalSide = side;
      const o = act(stored, { id: person.id, name: person.name, side: side === 'coordinator' ? 'kc' : side }, action, now, today);
      if (!o.ok) return o;
      return accept({ referral: { ...o.value.referral, cards: stored.cards }, outcome: o.value });
    });
    if (!d.ok) return d;
    const { referral, outcome } = d.value;
    const delivery = await this.afterStep(person, referral, outcome, now);
    // The journal says what the person is told: who got a card, who could not be reached, what consent stopped.
    await this.stores.journal.append(
      journalEvent(referral.caseId, this.journalActor(person, journalSide, referral), 'C', outcome.step, now, {
        ...outcome.details,
        ...(delivery.told.length ? { told: delivery.told.length } : {}),
        ...(delivery.notReached.length ? { notReached: delivery.notReached.map((w) => w(sv)).join(', ') } : {}),
        ...(delivery.stoppedByConsent ? { stoppedByConsent: true } : {}),
      }),
    );
    await this.syncTasks(referral, person.id, now);
    return accept({ referral, outcome, delivery });
  }

  /** The cards a step sends: to the other party, to the consultant pool, to the coordinators, to the escalation contacts. */
  private async afterStep(person: StaffMember, r: StoredReferral, o: Outcome, now: Date): Promise<Delivery> {
    const c = await this.caseOf(r);
    const cards: CardRef[] = [];
    const delivery: Delivery = { told: [], notReached: [], stoppedByConsent: false };
    const kcMayBeTold = async () => !r.consentId || mayTell(await this.stores.consents.forCase(r.caseId), r.caseId, 'kc', now).ok;
    /** Sends to a group; only accepted cards count as told, and an unreached group is named. */
    const toGroup = async (people: StaffMember[], groupName: (t: Texts) => string, send: (p: StaffMember) => Omit<OutgoingCard, 'personId'>, kind?: string) => {
      let any = false;
      const outcomes = await sendCards(this.deps.notifier, people.map((p) => ({ personId: p.id, ...send(p) })));
      for (const [i, p] of people.entries()) {
        const s = outcomes[i]!;
        if (!s.sent) continue;
        any = true;
        delivery.told.push(p.name);
        if (kind && s.activityId) cards.push({ personId: p.id, activityId: s.activityId, kind });
      }
      if (!any) delivery.notReached.push(groupName);
    };
    switch (o.step) {
      case 'c.assign': {
        if (!(await kcMayBeTold())) {
          delivery.stoppedByConsent = true;
          break;
        }
        const pool = await this.stores.staff.holders('employmentConsultant', 'kc');
        await toGroup(pool, (t) => t.c.groupKc, (p) => ({ card: (t: Texts) => this.assignmentCard(r, c, p, t), summary: (t: Texts) => t.c.assignmentTitle(this.labelFor(r, c, p, t)) }), 'assignment');
        break;
      }
      case 'c.requestCoordinator': {
        const coordinators = await this.stores.staff.holders('kcCoordinator', 'kc');
        await toGroup(coordinators, (t) => t.c.groupCoordinators, (p) => ({ card: (t: Texts) => this.coordinatorCard(r, c, p, t), summary: (t: Texts) => t.c.coordinatorTitle(this.labelFor(r, c, p, t)) }), 'coordinator');
        break;
      }
      case 'c.take':
        await this.replaceCards(r, 'assignment', (viewer, t) => this.assignmentCard(r, c, viewer, t));
        break;
      case 'c.coordinatorConfirm':
        await this.replaceCards(r, 'coordinator', (viewer, t) => this.coordinatorCard(r, c, viewer, t));
        break;
      case 'c.disagreement': {
        // The seed: the question goes to the 1:e socialsekreterare (SF) and the KC coordinator.
        const d = r.disagreements.at(-1)!;
        const send = (p: StaffMember) => {
          const label = (t: Texts) => this.labelFor(r, c, p, t);
          const card = (t: Texts) => renderCNotice({ title: t.c.escalationTitle(label(t)), text: t.c.escalationText(`${d.byName} (${d.side === 'sf' ? unitName(r.administration) : unitName('kc')})`, d.question), facts: this.statusFacts(r, t), openLabel: t.c.open });
          return { card, summary: (t: Texts) => t.c.escalationTitle(label(t)) };
        };
        // isEscalationContact: the administration's supervisors and the KC coordinators.
        await toGroup(await this.stores.staff.holders('supervisor', r.administration), (t) => t.c.groupSupervisors(unitName(r.administration)), send);
        await toGroup((await this.stores.staff.holders('kcCoordinator', 'kc')).filter((x) => isEscalationContact(r, x) && !hasRole(x, 'supervisor', r.administration)), (t) => t.c.groupCoordinators, send);
        break;
      }
    }
    // A referral that ends (closed, withdrawn) leaves no live button behind: every card KC holds shows its final state.
    if (r.state === 'closed' || r.state === 'withdrawn') {
      await this.replaceCards(r, 'assignment', (viewer, t) => this.assignmentCard(r, c, viewer, t));
      await this.replaceCards(r, 'coordinator', (viewer, t) => this.coordinatorCard(r, c, viewer, t));
    }
    if (cards.length) {
      await this.update(r.referralId, (x) => accept({ referral: { ...x, cards: [...(x.cards ?? []), ...cards].slice(-200) }, outcome: o })).catch(ignoreConflict);
    }
    // The other party is told that the step is done and which step is now theirs.
    if (o.notify) {
      const to = o.notify === 'sf' ? r.socialWorkerId : r.consultantId;
      if (to && to !== person.id) {
        const viewer = (await this.stores.staff.get(to))?.value;
        const name = viewer?.name ?? (o.notify === 'sf' ? r.socialWorkerName : (r.consultantName ?? unitName('kc')));
        if (o.notify === 'kc' && !(await kcMayBeTold())) delivery.stoppedByConsent = true;
        else if (!viewer) delivery.notReached.push(() => name);
        else {
          const s = await this.deps.notifier.sendCard(to, (t) => this.noticeCard(r, c, viewer, person.name, o, t), (t) => t.c.noticeTitle(this.labelFor(r, c, viewer, t)));
          if (s.sent) delivery.told.push(name);
          else delivery.notReached.push(() => name);
        }
      }
    }
    return delivery;
  }

  /** Replaces every card of this kind for every viewer (also the one who pressed: they may have acted from the menu). */
  private async replaceCards(r: StoredReferral, kind: string, render: (viewer: StaffMember, t: Texts) => CardAttachment): Promise<void> {
    const staff = await this.stores.staff.getMany((r.cards ?? []).filter((x) => x.kind === kind).map((x) => x.personId));
    const byId = new Map(staff.map((p) => [p.id, p]));
    const updates = (r.cards ?? [])
      .filter((x) => x.kind === kind)
      .flatMap((ref) => {
        const viewer = byId.get(ref.personId);
        return viewer ? [{ personId: ref.personId, activityId: ref.activityId, card: (t: Texts) => render(viewer, t) }] : [];
      });
    await updateCards(this.deps.notifier, updates);
  }

  // --- cards ------------------------------------------------------------------------------------

  /** What one step means for the other party: who did what, the facts of that step, and their next step. */
  noticeCard(r: Referral, c: CaseFile | undefined, viewer: StaffMember, by: string, o: Outcome, t: Texts): CardAttachment {
    const side = sideOf(r, viewer);
    const next = side ? actionsFor(r, side).filter((k) => !OPTIONAL.includes(k)).map((k) => t.c.actions[k] ?? k) : [];
    const text = [t.c.noticeText(by, t.c.done[o.step] ?? o.step), ...(next.length ? [t.c.nextForYou(next.join('; '))] : [])].join('\n\n');
    return renderCNotice({ title: t.c.noticeTitle(this.labelFor(r, c, viewer, t)), text, facts: this.stepFacts(r, o.step, t), openLabel: t.c.open });
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
  async choicesFor(person: StaffMember, t: Texts, onlyReferral?: string): Promise<Array<{ title: string; value: string }>> {
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
      const side = sideOf(r, person);
      if (side) for (const k of actionsFor(r, side)) out.push({ title: t.c.act(label, t.c.actions[k] ?? k), value: `act:${r.referralId}:${k}` });
      if (isPossible(r, 'take') && hasRole(person, 'employmentConsultant', 'kc')) out.push({ title: t.c.take(label), value: `take:${r.referralId}` });
      if (isPossible(r, 'coordinatorConfirm') && hasRole(person, 'kcCoordinator', 'kc')) out.push({ title: t.c.confirmCoordinator(label), value: `confirm:${r.referralId}` });
      if (side === 'sf' && r.consentId && r.state !== 'closed') out.push({ title: t.c.revokeConsent(label), value: `revoke:${r.referralId}` });
      if (!onlyReferral) out.push({ title: t.c.status(label), value: `status:${r.referralId}` });
    }
    return out.slice(0, 60);
  }

  // --- deadlines as tasks -----------------------------------------------------------------------

  private unitOf(r: Referral, side: Side): UnitId {
    return side === 'sf' ? r.administration : 'kc';
  }
  private taskIdOf(r: Referral, d: DueStep): string {
    return `c-${r.referralId}-${d.key}-${d.dueDate}`;
  }

  /** Opens the tasks of the deadlines that run now and closes those that no longer do. */
  private async syncTasks(r: StoredReferral, by: string, now: Date): Promise<void> {
    // KC's tasks need KC to know of the case: none after a revoked consent.
    const kcAllowed = !r.consentId || mayTell(await this.stores.consents.forCase(r.caseId), r.caseId, 'kc', now).ok;
    const desired = dueSteps(r, this.settings).filter((d) => d.side === 'sf' || (r.consultantId && kcAllowed));
    const wanted = new Set(desired.map((d) => this.taskIdOf(r, d)));
    const prefix = `c-${r.referralId}-`;
    const existing = new Set<string>();
    for (const unit of [r.administration, 'kc'] as UnitId[]) {
      for (const task of await this.stores.tasks.openByIdPrefix(unit, prefix)) {
        if (wanted.has(task.taskId)) existing.add(task.taskId);
        else await this.stores.tasks.close({ unit, taskId: task.taskId, dueDate: task.dueDate }, r.state === 'closed' ? 'cancelled' : 'done', by, now).catch(ignoreConflict);
      }
    }
    const c = await this.caseOf(r);
    for (const d of desired) {
      const taskId = this.taskIdOf(r, d);
      if (existing.has(taskId)) continue;
      const personId = d.side === 'sf' ? r.socialWorkerId : r.consultantId!;
      // The label names the case in every list: the reference, never initials; the handle for a protected case.
      const label = taskCaseLabel(c, handleOf(r));
      await openTask(
        this.stores,
        { taskId, caseId: r.caseId, routine: 'C', step: d.step, unit: this.unitOf(r, d.side), assignee: { kind: 'person', personId }, dueDate: d.dueDate, binding: false, label, caseLabel: label, context: { referralId: r.referralId }, ...(d.side === 'kc' && r.consentId ? { consentRecipient: 'kc' } : {}) },
        now,
        { workingDaysBefore: settingsOf(this.deps).reminderWorkingDaysBefore },
      ).catch(ignoreConflict);
    }
  }
}

/** What a step's cards reached: the names told, the groups or people no card reached, and whether a revoked consent stopped a card to KC. */
export interface Delivery {
  told: string[];
  notReached: Array<(t: Texts) => string>;
  stoppedByConsent: boolean;
}

/** Steps that are always possible while the effort runs; "your next step" lists only the routine's due steps. */
const OPTIONAL: readonly CActionKind[] = ['event', 'disagreement', 'resolve', 'renew', 'announceClose', 'plan', 'bookFollowUp'];

/** A referral that has ended: its cards keep no button. */
function ended(r: Pick<Referral, 'state'>): boolean {
  return r.state === 'closed' || r.state === 'withdrawn' || r.state === 'notReferred';
}

function ignoreConflict(err: unknown): void {
  if (!(err instanceof StorageConflictError)) throw err;
}
