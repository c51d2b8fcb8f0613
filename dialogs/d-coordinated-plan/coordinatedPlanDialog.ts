import { revokePlanConsent } from './revokeConsent';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from '../botbuilderDialogs';
import type { OutboxRelay } from '../outboxRelay';
import { submitPlan } from './submitPlan';
import { startPlan } from './startPlan';
import { closePlan, raiseDisagreement, recordOutcome } from './planNotices';
import { choiceSubmission, renderChoicesCard } from '../../cards/choices';
import {
  dConsentSubmission,
  planSubmission,
  reasonSubmission,
  renderDConsentCard,
  renderReasonCard,
  renderPlanCard,
  renderStartCard,
  renderTriageCard,
  startSubmission,
  triageSubmission,
  type DConsentSubmission,
  type PlanSubmission,
  type StartSubmission,
} from '../../cards/d-coordinated-plan/forms';
import { renderMessageCard } from '../../cards/message';
import { refusalText, type Texts } from '../../locale';
import { concernContacts, CONTACTS } from '../../routines/d-coordinated-plan/contacts';
import { checkConsultationText, currentVersion, mayInitiate, otherAdministrations, triage, type CoordinatedPlan } from '../../routines/d-coordinated-plan/rules';
import { recordConsent } from '../../routines/shared/consent';
import { ADMINISTRATIONS, unitName, type Administration } from '../../routines/shared/organisation';
import { checkCaseReference, checkFreeText, checkInitials } from '../../routines/shared/privacy';
import { refuse, type Refusal } from '../../routines/shared/refusal';
import { toIsoDate } from '../../routines/shared/workingDays';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { CardFormPrompt } from '../cardFormPrompt';
import { settingsOf, type DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { CoordinatedPlanService } from './service';
import { logViews } from '../dataProtection/accessLogging';
import { planCaseId } from '../../routines/d-coordinated-plan/decisions';

const FLOW = 'd.flow';
const NEW = 'd.new';
const PLAN = 'd.plan';
const REASON = 'd.reason';
const REVOKE = 'd.revoke';
const F_CHOICE = 'd.form.choice';
const F_TRIAGE = 'd.form.triage';
const F_START = 'd.form.start';
const F_CONSENT = 'd.form.consent';
const F_PLAN = 'd.form.plan';
const F_REASON = 'd.form.reason';

interface NewState {
  triage?: { acuteConcern: boolean; concernReported: boolean };
  start?: StartSubmission;
}

/** Routine D in chat: triage first, then start, consent or consultation, invitations; later the plan and its approval. */
export class CoordinatedPlanDialog extends ComponentDialog {
  static readonly ID = 'd.coordinatedPlan';

  constructor(
    private readonly deps: DialogDeps,
    private readonly service: CoordinatedPlanService,
    private readonly relay: OutboxRelay,
  ) {
    super(CoordinatedPlanDialog.ID);
    this.addDialog(new CardFormPrompt(F_CHOICE, (d) => renderChoicesCard(d as never), choiceSubmission));
    this.addDialog(new CardFormPrompt(F_TRIAGE, (d, t) => renderTriageCard(t, d as never), triageSubmission));
    this.addDialog(new CardFormPrompt(F_START, (d, t) => renderStartCard(t, d as never), startSubmission));
    this.addDialog(new CardFormPrompt(F_CONSENT, (d, t) => renderDConsentCard(t, d as never), dConsentSubmission));
    this.addDialog(new CardFormPrompt(F_PLAN, (d, t) => renderPlanCard(t, d as never), planSubmission));
    this.addDialog(new CardFormPrompt(F_REASON, (d, t) => renderReasonCard(t, d as never), reasonSubmission));
    this.addDialog(new WaterfallDialog(FLOW, [this.chooseAction.bind(this), this.dispatch.bind(this)]));
    this.addDialog(new WaterfallDialog(NEW, [this.triageForm.bind(this), this.startForm.bind(this), this.consentForm.bind(this), this.create.bind(this)]));
    this.addDialog(new WaterfallDialog(PLAN, [this.planForm.bind(this), this.submitPlan.bind(this)]));
    this.addDialog(new WaterfallDialog(REASON, [this.reasonForm.bind(this), this.confirmClose.bind(this), this.applyReason.bind(this)]));
    this.addDialog(new WaterfallDialog(REVOKE, [this.confirmRevoke.bind(this), this.revoke.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async chooseAction(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const plans = await this.deps.stores.plans.byInitiator(person!.id);
    logViews(step.context, this.deps.stores, plans.map((p) => ({ caseId: planCaseId(p), routine: 'D' as const, view: 'd.actions', units: [p.initiatingAdministration] })));
    const choices = [{ title: t.d.newPlan, value: 'new' }];
    for (const p of plans) {
      const label = this.service.label({ ...p, reference: await this.service.referenceOf(p) }, t);
      if (p.state === 'invited') choices.push({ title: t.d.documentPlan(label), value: `plan:${p.spId}` });
      if (p.state === 'returned') choices.push({ title: t.d.revisePlan(label), value: `plan:${p.spId}` });
      if (p.disagreement && !p.disagreement.outcome) choices.push({ title: t.d.disagreementOutcome(label), value: `outcome:${p.spId}` });
      else choices.push({ title: t.d.disagree(label), value: `disagree:${p.spId}` });
      choices.push({ title: t.d.closePlan(label), value: `close:${p.spId}` });
      if (p.mode === 'consent') choices.push({ title: t.d.revokeConsent(label), value: `revoke:${p.spId}` });
    }
    choices.push({ title: t.d.contacts, value: 'contacts' });
    return step.beginDialog(F_CHOICE, { data: { title: t.d.actionsTitle, intro: t.d.actionsIntro, choices } });
  }

  private async dispatch(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { action } = step.result as { action: string };
    const { t, person } = turnInfo(step.context);
    const [kind, spId] = action.split(':');
    if (kind === 'new') return step.replaceDialog(NEW, {});
    if (kind === 'contacts') {
      await step.context.sendActivity({ attachments: [this.contactsCard(t)] });
      return step.endDialog();
    }
    // A forged or stale choice about a plan the person does not own reveals nothing of it.
    const opened = await this.service.openFor(person!, spId ?? '', 'owner');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    if (kind === 'plan') return step.replaceDialog(PLAN, { spId });
    if (kind === 'revoke') return step.replaceDialog(REVOKE, { spId });
    if (kind === 'close' || kind === 'disagree' || kind === 'outcome') return step.replaceDialog(REASON, { spId, kind });
    return step.endDialog();
  }

  // --- a new coordinated plan ---------------------------------------------------------------

  private async triageForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    if (!mayInitiate(person!)) return this.refuseAndEnd(step, t, refuse('notAllowed'));
    const opts = step.options as NewState;
    if (opts.triage) {
      (step.values as NewState).triage = opts.triage;
      return step.next(undefined);
    }
    const contacts = concernContacts().map((c) => ({ title: `${unitName(c.administration)}`, value: [c.email, c.phone].filter(Boolean).join(' · ') }));
    return step.beginDialog(F_TRIAGE, { data: { contacts } });
  }

  private async startForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const state = step.values as NewState;
    if (!state.triage) {
      const r = step.result as { acuteConcern: 'yes' | 'no'; reportMade: boolean };
      const d = triage(r.acuteConcern === 'yes', r.reportMade);
      if (!d.ok) {
        await step.context.sendActivity(refusalText(t, d));
        return step.replaceDialog(NEW, {});
      }
      state.triage = d.value;
    }
    const own = mayInitiate(person!)!;
    return step.beginDialog(F_START, { data: { administrations: ADMINISTRATIONS.filter((a) => a !== own).map((a) => ({ title: unitName(a), value: a })) } });
  }

  private async consentForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t, now } = turnInfo(step.context);
    const start = step.result as StartSubmission;
    const own = mayInitiate(person!)!;
    const others = otherAdministrations(own, start.others);
    if (!others.ok) {
      await step.context.sendActivity(refusalText(t, others));
      return step.replaceDialog(NEW, { triage: (step.values as NewState).triage });
    }
    for (const text of [start.purpose, start.needs, start.questions]) {
      const check = checkFreeText(text, 'text');
      if (!check.ok) {
        await step.context.sendActivity(refusalText(t, check));
        return step.replaceDialog(NEW, { triage: (step.values as NewState).triage });
      }
    }
    (step.values as NewState).start = { ...start, others: others.value };
    return step.beginDialog(F_CONSENT, { data: { administrations: others.value.map((a) => unitName(a)).join(', '), today: toIsoDate(now) } });
  }

  private async create(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t, now } = turnInfo(step.context);
    const consent = step.result as DConsentSubmission;
    const { triage: tri, start } = step.values as Required<NewState>;
    const own = mayInitiate(person!)!;
    const names = consent.names ? consent.names.split(/[,\s]+/).filter((n) => n.length >= 2) : [];
    let caseId: string | null = null;
    const spId = this.deps.newId();
    let consentRecorded: { givenBy: string; method: string } | undefined;
    if (consent.consent === 'no') {
      const check = checkConsultationText([start.purpose, start.needs, start.questions, start.proposedTime], { names, reference: consent.reference || undefined });
      if (!check.ok) {
        await step.context.sendActivity(refusalText(t, check));
        return step.replaceDialog(NEW, { triage: tri });
      }
    } else {
      const reference = checkCaseReference(consent.reference);
      const initials = checkInitials(consent.initials);
      if (!reference.ok || !initials.ok) {
        await step.context.sendActivity(refusalText(t, !reference.ok ? reference : (initials as Refusal)));
        return step.replaceDialog(NEW, { triage: tri });
      }
      caseId = this.deps.newId();
      const recorded = recordConsent(
        { recipients: start.others, information: consent.information, givenBy: consent.givenBy, method: consent.method, givenAt: noonOrNow(consent.givenAt, now), toldHowToRevoke: true },
        { consentId: this.deps.newId(), caseId, routine: 'D', capturedBy: person!.id },
        now,
      );
      if (!recorded.ok) return this.refuseAndEnd(step, t, recorded);
      await this.deps.stores.cases.add({ caseId, routine: 'D', reference: reference.value, initials: initials.value, protectedIdentity: consent.protectedIdentity, owningUnit: own, createdBy: person!.id, createdAt: now.toISOString(), aggregate: { kind: 'plan', id: spId } });
      await this.deps.stores.consents.add(recorded.value);
      consentRecorded = { givenBy: recorded.value.givenBy, method: recorded.value.method };
    }
    const plan: StoredPlan = {
      spId,
      caseId,
      mode: consent.consent === 'yes' ? 'consent' : 'consultation',
      initiatorId: person!.id,
      initiatorName: person!.name,
      initiatingAdministration: own,
      others: start.others,
      acuteConcern: tri.acuteConcern,
      concernReported: tri.concernReported,
      purpose: start.purpose,
      needs: start.needs,
      questions: start.questions,
      proposedTime: start.proposedTime,
      meetingForm: start.meetingForm,
      individualTakesPart: start.individualTakesPart,
      invitations: start.others.map((administration) => ({ administration })),
      versions: [],
      state: 'invited',
      createdAt: now.toISOString(),
    };
    const out = await startPlan(this.deps, this.service, this.relay, person!, plan, consentRecorded);
    const lines = [t.d.invited(out.invited.length, settingsOf(this.deps).invitationReplyWorkingDays)];
    if (out.unreachable.length) lines.push(t.d.notInvited(out.unreachable.map((a) => unitName(a)).join(', ')));
    if (out.noConsent.length) lines.push(t.d.consentStopped(out.noConsent.map((a) => unitName(a)).join(', ')));
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.d.invitedTitle, text: lines.join('\n\n'), tone: out.invited.length ? 'good' : 'warning' })] });
    return step.endDialog({ spId: plan.spId });
  }

  // --- documenting the plan -------------------------------------------------------------------

  private async planForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { now } = turnInfo(step.context);
    const { spId } = step.options as { spId: string };
    const plan = (await this.deps.stores.plans.get(spId))!.value;
    const current = currentVersion(plan);
    const values: Record<string, string> = current ? { ...current.content } : { participants: '', background: '', needs: plan.needs, responsibilities: '', followUpDate: '', individualParticipation: '' };
    return step.beginDialog(F_PLAN, { data: { version: plan.versions.length + 1, today: toIsoDate(now), values } });
  }

  private async submitPlan(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { spId } = step.options as { spId: string };
    const { formId, ...content } = step.result as PlanSubmission;
    const plan = (await this.deps.stores.plans.get(spId))?.value;
    if (plan?.mode === 'consultation') {
      const check = checkConsultationText(Object.values(content), {});
      if (!check.ok) {
        await step.context.sendActivity(refusalText(t, check));
        return step.replaceDialog(PLAN, { spId });
      }
    }
    const r = await submitPlan(this.deps, this.service, this.relay, person!, spId, content, formId);
    if (!r.ok) return this.refuseAndEnd(step, t, r);
    const lines = [t.d.submitted(r.value.sentTo.length)];
    if (r.value.unreachable.length) lines.push(t.d.approvalNotReached(r.value.unreachable.map((a) => unitName(a)).join(', ')));
    if (r.value.noConsent.length) lines.push(t.d.consentStopped(r.value.noConsent.map((a) => unitName(a)).join(', ')));
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.d.planTitle(currentVersion(r.value.plan)!.version), text: lines.join('\n\n'), tone: 'good' })] });
    return step.endDialog();
  }

  // --- closing and disagreement ----------------------------------------------------------------

  private async reasonForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t } = turnInfo(step.context);
    const { kind } = step.options as { kind: 'close' | 'disagree' | 'outcome' };
    return step.beginDialog(F_REASON, { data: { title: kind === 'close' ? t.d.closeReason : kind === 'outcome' ? t.d.outcomeLabel : t.d.disagreementReason } });
  }

  /** Closing is destructive: first a card naming what will happen and who is told. */
  private async confirmClose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { spId, kind } = step.options as { spId: string; kind: 'close' | 'disagree' | 'outcome' };
    (step.values as { reason?: string }).reason = (step.result as { reason: string }).reason;
    if (kind !== 'close') return step.next(undefined);
    const opened = await this.service.openFor(person!, spId, 'owner');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    const plan = opened.value;
    const label = this.service.label({ ...plan, reference: await this.service.referenceOf(plan) }, t);
    const admins = this.service.closeConsequences(plan).map((a) => unitName(a)).join(', ');
    return step.beginDialog(F_CHOICE, { data: { title: t.d.confirmCloseTitle(label), intro: t.d.confirmClose(admins), choices: [{ title: t.d.confirmYes, value: 'yes' }, { title: t.d.confirmNo, value: 'no' }] } });
  }

  private async applyReason(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { spId, kind } = step.options as { spId: string; kind: 'close' | 'disagree' | 'outcome' };
    const reason = (step.values as { reason?: string }).reason ?? '';
    const check = checkFreeText(reason, 'reason');
    if (!check.ok) return this.refuseAndEnd(step, t, check);
    if (kind === 'close') {
      if ((step.result as { action?: string } | undefined)?.action !== 'yes') return this.nothingChanged(step, t);
      const r = await closePlan(this.deps, this.relay, person!, spId, check.value);
      if (!r.ok) return this.refuseAndEnd(step, t, r);
      const lines = [t.d.closed];
      if (r.value.told.length) lines.push(t.d.closedTold(r.value.told.map((a) => unitName(a)).join(', ')));
      if (r.value.notReached.length) lines.push(t.d.closedNotReached(r.value.notReached.map((a) => unitName(a)).join(', ')));
      await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.d.actionsTitle, text: lines.join('\n\n'), tone: r.value.notReached.length ? 'warning' : 'good' })] });
    } else if (kind === 'outcome') {
      const r = await recordOutcome(this.deps, this.relay, person!, spId, check.value);
      if (!r.ok) return this.refuseAndEnd(step, t, r);
      await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.d.actionsTitle, text: t.d.outcomeRecorded, tone: 'good' })] });
    } else {
      const plan = (await this.deps.stores.plans.get(spId))!.value;
      const r = await raiseDisagreement(this.deps, this.relay, person!, spId, plan.initiatingAdministration, check.value);
      if (!r.ok) return this.refuseAndEnd(step, t, r);
      await step.context.sendActivity({ attachments: [disagreementReply(t, r.value)] });
    }
    return step.endDialog();
  }

  // --- revoked consent ---------------------------------------------------------------------------

  /** Revoking consent is destructive: first a card naming what will happen (which administrations stop getting cards). */
  private async confirmRevoke(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { spId } = step.options as { spId: string };
    const opened = await this.service.openFor(person!, spId, 'owner');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    const plan = opened.value;
    const label = this.service.label({ ...plan, reference: await this.service.referenceOf(plan) }, t);
    const admins = plan.others.map((a) => unitName(a)).join(', ');
    return step.beginDialog(F_CHOICE, { data: { title: t.d.confirmRevokeTitle(label), intro: t.d.confirmRevoke(admins), choices: [{ title: t.d.confirmYes, value: 'yes' }, { title: t.d.confirmNo, value: 'no' }] } });
  }

  private async revoke(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { spId } = step.options as { spId: string };
    const { action, formId } = step.result as { action?: string; formId?: string };
    if (action !== 'yes') return this.nothingChanged(step, t);
    const r = await revokePlanConsent(this.deps, this.service, this.relay, person!, spId, formId);
    if (!r.ok) return this.refuseAndEnd(step, t, r);
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.d.actionsTitle, text: t.d.consentRevoked, tone: 'good' })] });
    return step.endDialog();
  }

  private async nothingChanged(step: WaterfallStepContext, t: Texts): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.d.actionsTitle, text: t.d.nothingChanged })] });
    return step.endDialog();
  }

  private contactsCard(t: Texts) {
    const facts = CONTACTS.administrations.flatMap((a) => a.contacts.map((c) => ({ title: `${unitName(a.administration as Administration)} – ${c.district}`, value: [c.email, c.phone].filter(Boolean).join(' · ') })));
    return renderMessageCard({ title: t.d.contactsTitle, text: t.d.contactsNote, facts });
  }

  private async refuseAndEnd(step: WaterfallStepContext, t: Texts, r: Refusal): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.errorTitle, text: refusalText(t, r), tone: 'warning' })] });
    return step.endDialog();
  }
}

/** What the person who raised a disagreement is told: the administrations whose managers got the card, and whom to tell another way. */
export function disagreementReply(t: Texts, r: { told: Administration[]; notReached: Administration[] }) {
  const lines: string[] = [];
  if (r.told.length) lines.push(t.d.disagreementSentTo(r.told.map((a) => unitName(a)).join(', ')));
  if (r.notReached.length) lines.push(t.d.disagreementNotReached(r.notReached.map((a) => unitName(a)).join(', ')));
  return renderMessageCard({ title: t.d.actionsTitle, text: lines.join('\n\n'), tone: r.notReached.length ? 'warning' : 'good' });
}

function noonOrNow(date: string, now: Date): string {
  const noon = new Date(`${date}T10:00:00.000Z`);
  return (noon.getTime() < now.getTime() ? noon : now).toISOString();
}

export type { CoordinatedPlan };
