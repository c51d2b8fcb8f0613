import type { CardAttachment } from '../../cards/expand';
import { renderMessageCard } from '../../cards/message';
import { renderRespondCard } from '../../cards/d-coordinated-plan/forms';
import { mayRaiseDisagreement, renderHistoryCard, renderStatusCard } from '../../cards/d-coordinated-plan/status';
import { formatInstant, type Texts } from '../../locale';
import { sv } from '../../locale/sv';
import { currentVersion, planAccess, planCode, type CoordinatedPlan, type PlanPart } from '../../routines/d-coordinated-plan/rules';
import { caseLabelFor, type CaseFile } from '../../routines/shared/cases';
import type { Consent } from '../../routines/shared/consent';
import type { Actor } from '../../routines/shared/journal';
import { hasRole, unitName, type Administration, type StaffMember } from '../../routines/shared/organisation';
import { accept, refuse, type Decision } from '../../routines/shared/refusal';
import { taskCaseLabel } from '../../routines/shared/tasks';
import { toIsoDate } from '../../routines/shared/workingDays';
import { planActor } from '../../routines/d-coordinated-plan/decisions';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { updateAggregate } from '../aggregateUpdate';
import { updateCards, type DialogDeps } from '../ports';


type CardRef = NonNullable<StoredPlan['cards']>[number];

/**
 * Routine D's use cases. The plan is one aggregate written conditionally; every card about it is
 * recorded so it can be replaced for every viewer after a decision; consent is checked before each
 * card to another administration is sent.
 */
export class CoordinatedPlanService {
  constructor(private readonly deps: DialogDeps) {}

  private get stores() {
    return this.deps.stores;
  }

  actorOf(person: StaffMember, admin: Administration): Actor {
    return planActor(person, admin);
  }

  label(plan: Pick<CoordinatedPlan, 'mode' | 'createdAt' | 'spId'> & { reference?: string | undefined }, t: Texts = sv): string {
    if (plan.mode === 'consultation') return t.d.labelConsultation(toIsoDate(new Date(plan.createdAt)));
    // A consent plan without a reference to show is a protected case: its code, never "consultation".
    return plan.reference ? t.d.labelConsent(plan.reference) : t.d.labelProtected(planCode(plan));
  }

  private async consentsOf(plan: CoordinatedPlan): Promise<Consent[]> {
    return plan.caseId ? this.stores.consents.forCase(plan.caseId) : [];
  }

  private async caseText(plan: CoordinatedPlan, viewer: StaffMember, t: Texts): Promise<string> {
    return caseTextFrom(plan, await this.caseOf(plan), viewer, t);
  }

  /** The plan's case file (none for an unidentified consultation). */
  async caseOf(plan: Pick<CoordinatedPlan, 'caseId'>): Promise<CaseFile | undefined> {
    return plan.caseId ? (await this.stores.cases.get(plan.caseId))?.value : undefined;
  }

  /** Saves with the ETag, retrying the whole read-decide-write when someone else wrote first. */
  private async update(spId: string, change: (plan: StoredPlan) => Decision<StoredPlan>): Promise<Decision<StoredPlan>> {
    const d = await updateAggregate(() => this.stores.plans.get(spId), (p, etag) => this.stores.plans.save(p, etag), change, (p) => p);
    // A plan that does not exist answers as one the person has no part in.
    return !d.ok && d.code === 'notFound' ? refuse('notFoundOrNotAllowed') : d;
  }

  /** The plan a person asks for by id (a choice or a button, either may be forged), if they have that part in it (`planAccess`). */
  async openFor(person: StaffMember, spId: string, as?: PlanPart): Promise<Decision<StoredPlan>> {
    const plan = (await this.stores.plans.get(spId))?.value;
    if (!plan) return refuse('notFoundOrNotAllowed');
    const access = planAccess(plan, person, as);
    return access.ok ? accept(plan) : access;
  }

  /** The texts of a task about the plan (its label in task lists, and its case label), from its case file. */
  taskLabels(plan: CoordinatedPlan, c: CaseFile | undefined): { label: string; caseLabel: string } {
    const reference = c && !c.protectedIdentity ? c.reference : undefined;
    return { label: this.label({ ...plan, reference }), caseLabel: taskCaseLabel(c, planCode(plan)) };
  }

  /** What closing a plan will do, for the confirmation card: the administrations whose cards and tasks end. */
  closeConsequences(plan: StoredPlan): Administration[] {
    return plan.others;
  }

  /** Keeps the ids of cards sent about the plan (the relay's `remember`): an id kept already is not added again. */
  async rememberCardRefs(spId: string, cards: CardRef[]): Promise<void> {
    if (!cards.length) return;
    await this.update(spId, (p) => {
      const known = new Set((p.cards ?? []).map((c) => c.activityId));
      const fresh = cards.filter((c) => !known.has(c.activityId));
      return accept(fresh.length ? { ...p, cards: [...(p.cards ?? []), ...fresh].slice(-200) } : p);
    });
  }

  /** The plan's case consents (none for a consultation). */
  consentsFor(plan: CoordinatedPlan): Promise<Consent[]> {
    return this.consentsOf(plan);
  }

  private async replaceCards(plan: StoredPlan, match: (c: CardRef) => boolean, except: string, render: (viewer: StaffMember, t: Texts, ref: CardRef) => Promise<CardAttachment>): Promise<void> {
    const staff = await this.stores.staff.getMany((plan.cards ?? []).filter((c) => match(c) && c.personId !== except).map((c) => c.personId));
    const byId = new Map(staff.map((p) => [p.id, p]));
    const updates = (plan.cards ?? []).filter(match).flatMap((c) => {
      const viewer = c.personId === except ? undefined : byId.get(c.personId);
      return viewer ? [{ personId: c.personId, activityId: c.activityId, card: (t: Texts) => render(viewer, t, c) }] : [];
    });
    await updateCards(this.deps.notifier, updates);
  }

  // --- invitations ---------------------------------------------------------------------------

  invitationCard(plan: CoordinatedPlan, admin: Administration, caseText: string, t: Texts = sv): CardAttachment {
    const inv = plan.invitations.find((i) => i.administration === admin);
    const answered = inv?.answer ? t.d.answeredBy(t.d.answers[inv.answer] ?? inv.answer, inv.byName ?? '', inv.at ? formatInstant(t, inv.at) : '') + (inv.note ? ` ”${inv.note}”` : '') : '';
    const data = { spId: plan.spId, administration: admin };
    return renderRespondCard({
      title: t.d.invitationTitle(unitName(plan.initiatingAdministration)),
      text: t.d.invitationText,
      facts: [
        { title: t.d.facts.case, value: caseText },
        { title: t.d.facts.needs, value: plan.needs },
        { title: t.d.facts.purpose, value: plan.purpose },
        { title: t.d.facts.questions, value: plan.questions },
        { title: t.d.facts.time, value: plan.proposedTime },
        { title: t.d.facts.form, value: t.d.meetingForms[plan.meetingForm] ?? plan.meetingForm },
        { title: t.d.facts.individual, value: plan.individualTakesPart ? t.a.yes : t.a.no },
      ],
      status: [answered, plan.state === 'closed' ? t.d.closedStatus : ''].filter(Boolean).join('\n\n'),
      noteLabel: t.d.noteLabel,
      buttons: inv?.answer || plan.state === 'closed'
        ? []
        : [
            { verb: 'd.invite.answer', title: t.d.accept, data: { ...data, answer: 'accepted' } },
            { verb: 'd.invite.answer', title: t.d.proposeOther, data: { ...data, answer: 'proposedOtherTime' } },
            { verb: 'd.invite.answer', title: t.d.decline, data: { ...data, answer: 'declined' } },
            { verb: 'd.disagree', title: t.d.raiseDisagreement, data },
          ],
    });
  }

  async referenceOf(plan: Pick<CoordinatedPlan, 'caseId'>): Promise<string | undefined> {
    if (!plan.caseId) return undefined;
    const c = (await this.stores.cases.get(plan.caseId))?.value;
    return c && !c.protectedIdentity ? c.reference : undefined;
  }

  /** Every invitation card of one administration, for every viewer but `except`, shows who answered and when: the refresh effect of an answer. */
  async refreshInvitationCards(spId: string, admin: Administration, except: string | undefined): Promise<void> {
    const plan = (await this.stores.plans.get(spId))?.value;
    if (!plan) return;
    const c = await this.caseOf(plan);
    await this.replaceCards(plan, (ref) => ref.kind === `invite:${admin}`, except ?? '', async (viewer, vt) => this.invitationCard(plan, admin, caseTextFrom(plan, c, viewer, vt), vt));
  }

  // --- plan and approvals -----------------------------------------------------------------------

  approvalCard(plan: StoredPlan, admin: Administration, version: number, caseText: string, t: Texts = sv): CardAttachment {
    const v = plan.versions.find((x) => x.version === version) ?? currentVersion(plan)!;
    const decided = v.decisions.find((x) => x.administration === admin);
    const status = [
      ...v.decisions.map((x) => t.d.decidedBy(unitName(x.administration), t.d.decided[x.decision] ?? x.decision, x.byName, formatInstant(t, x.at)) + (x.comment ? ` ”${x.comment}”` : '')),
      ...(plan.state === 'established' && v === currentVersion(plan) ? [t.d.establishedTitle] : []),
      ...(plan.state === 'closed' ? [t.d.closedStatus] : []),
    ].join('\n\n');
    const open = !decided && plan.state === 'awaitingApproval' && v === currentVersion(plan);
    const data = { spId: plan.spId, administration: admin, version: v.version };
    return renderRespondCard({
      title: t.d.approvalTitle(unitName(plan.initiatingAdministration), v.version),
      // The stödkontakt note applies only where the plan is about an identified person (with consent); a consultation opens no case.
      text: plan.caseId ? `${t.d.approvalText} ${t.d.openCaseReminder(unitName(admin))}` : t.d.approvalText,
      facts: [
        { title: t.d.facts.case, value: caseText },
        { title: t.d.facts.participants, value: v.content.participants },
        { title: t.d.facts.background, value: v.content.background },
        { title: t.d.facts.needs, value: v.content.needs },
        { title: t.d.facts.responsibilities, value: v.content.responsibilities },
        { title: t.d.facts.followUp, value: v.content.followUpDate },
        { title: t.d.facts.participation, value: v.content.individualParticipation },
      ],
      status,
      noteLabel: t.d.noteLabel,
      buttons: open
        ? [
            { verb: 'd.plan.decide', title: t.d.approve, data: { ...data, decision: 'approved' } },
            { verb: 'd.plan.decide', title: t.d.returnPlan, data: { ...data, decision: 'returned' } },
            { verb: 'd.disagree', title: t.d.raiseDisagreement, data: { spId: plan.spId, administration: admin } },
          ]
        : // Decided (by this administration or, returned, by another): a disagreement (oenighet) can still be raised while the plan runs.
          mayRaiseDisagreement(plan)
          ? [{ verb: 'd.disagree', title: t.d.raiseDisagreement, data: { spId: plan.spId, administration: admin } }]
          : [],
    });
  }

  /** The current version's approval card as one viewer sees it. */
  async approvalCardFor(plan: StoredPlan, admin: Administration, viewer: StaffMember, t: Texts): Promise<CardAttachment> {
    return this.approvalCard(plan, admin, currentVersion(plan)!.version, await this.caseText(plan, viewer, t), t);
  }

  /**
   * Every approval card of one version, for every viewer but `except`, shows the plan as it is now
   * (who decided what and when; no buttons once decided): the refresh effect of a decision.
   */
  async refreshApprovalCards(spId: string, version: number, except: string | undefined): Promise<void> {
    const plan = (await this.stores.plans.get(spId))?.value;
    if (!plan) return;
    const c = await this.caseOf(plan);
    await this.replaceCards(plan, (ref) => ref.kind.startsWith('approve:') && ref.version === version, except ?? '', async (viewer, vt) => this.approvalCard(plan, adminOfViewer(plan, viewer), version, caseTextFrom(plan, c, viewer, vt), vt));
  }

  /** Every invitation and approval card of the plan, for every viewer, in the plan's current state (final, once it is closed): the refresh effect of closing. */
  async refreshAllCards(spId: string): Promise<void> {
    const plan = (await this.stores.plans.get(spId))?.value;
    if (!plan) return;
    const c = await this.caseOf(plan);
    await this.replaceCards(plan, (ref) => ref.kind.startsWith('invite:') || ref.kind.startsWith('approve:'), '', async (viewer, vt, ref) => {
      const text = caseTextFrom(plan, c, viewer, vt);
      const admin = (ref.kind.split(':')[1] ?? adminOfViewer(plan, viewer)) as Administration;
      return ref.kind.startsWith('approve:') && plan.versions.length ? this.approvalCard(plan, admin, ref.version ?? currentVersion(plan)!.version, text, vt) : this.invitationCard(plan, admin, text, vt);
    });
  }

  // --- the initiator's status cards (routines/d-coordinated-plan/status.ts) ---------------------

  /** The status card of one version (0: the invitation) as the owners see it: the plan's label, never initials. */
  statusCard(plan: StoredPlan, version: number, reference: string | undefined, t: Texts = sv, userIds: readonly string[] = []): CardAttachment {
    return renderStatusCard(t, plan, version, this.label({ ...plan, reference }, t), userIds);
  }

  /** The version history opened from a status card (a button leads back to the status of `version`). */
  historyCard(plan: StoredPlan, version: number, reference: string | undefined, t: Texts = sv): CardAttachment {
    return renderHistoryCard(t, plan, version, this.label({ ...plan, reference }, t));
  }

  /** Every status card of the plan (or of one version), for every viewer, as the plan is now: the refresh effect of an answer or a decision. */
  async refreshStatusCards(spId: string, version: number | undefined): Promise<void> {
    const plan = (await this.stores.plans.get(spId))?.value;
    if (!plan) return;
    const reference = await this.referenceOf(plan);
    await this.replaceCards(plan, (ref) => ref.kind === 'status' && (version === undefined || ref.version === version), '', async (_viewer, vt, ref) => this.statusCard(plan, ref.version ?? 0, reference, vt));
  }

  /**
   * Every live invitation and approval card of the plan, for every viewer, replaced by one that
   * says the consent is revoked and shows nothing about the person: the refresh effect of a
   * revoked consent (dialogs/d-coordinated-plan/revokeConsent.ts).
   */
  async showConsentRevoked(spId: string): Promise<void> {
    const plan = (await this.stores.plans.get(spId))?.value;
    if (!plan) return;
    await this.replaceCards(plan, (c) => c.kind.startsWith('invite:') || c.kind.startsWith('approve:'), '', async (_viewer, vt) =>
      renderMessageCard({ title: vt.d.consentRevokedCardTitle(unitName(plan.initiatingAdministration)), text: vt.d.consentRevokedCard, tone: 'warning' }),
    );
  }

}

/** How the plan's case reads for one viewer: reference and initials, unless protected outside their units. */
export function caseTextFrom(plan: CoordinatedPlan, c: CaseFile | undefined, viewer: StaffMember, t: Texts): string {
  if (plan.mode === 'consultation' || !plan.caseId || !c) return t.d.consultationCase;
  const l = caseLabelFor(c, { kind: 'staff', units: viewer.roles.map((r) => r.unit) });
  return l.reference ? `${l.reference} (${l.initials ?? ''})` : t.a.protectedCase;
}

/** The administration a viewer decides for on this plan (the one of theirs among the others). */
export function adminOfViewer(plan: CoordinatedPlan, viewer: StaffMember): Administration {
  return plan.others.find((a) => hasRole(viewer, 'supervisor', a)) ?? plan.others[0]!;
}
