import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from '../botbuilderDialogs';
import {
  deviationSubmission,
  registerSubmission,
  renderDeviationCard,
  renderRegisterCard,
  renderReviewCard,
  reviewAnswers,
  reviewSubmission,
  type RegisterSubmission,
  type RegisterValues,
  type ReviewSubmission,
} from '../../cards/b-plan-review/forms';
import { choiceSubmission, renderChoicesCard } from '../../cards/choices';
import { renderMessageCard } from '../../cards/message';
import { refusalText, type Texts } from '../../locale';
import { assessorUnits, daysLeft, sortForList, type PlanReview } from '../../routines/b-plan-review/rules';
import { hasRole, isAdministration, type Administration, type StaffMember } from '../../routines/shared/organisation';
import { refuse, type Refusal } from '../../routines/shared/refusal';
import { toIsoDate } from '../../routines/shared/workingDays';
import type { StoredReview } from '../../storage/planReviews';
import { CardFormPrompt } from '../cardFormPrompt';
import type { OutboxRelay } from '../outboxRelay';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { logViews } from '../dataProtection/accessLogging';
import type { PlanReviewService } from './service';
import { submitReview } from './submitReview';

const FLOW = 'b.flow';
const REGISTER = 'b.register';
const REVIEW = 'b.review';
const DEVIATION = 'b.deviation';
const F_CHOICE = 'b.form.choice';
const F_REGISTER = 'b.form.register';
const F_REVIEW = 'b.form.review';
const F_DEVIATION = 'b.form.deviation';
/** At most this many case buttons on the actions card (the list view shows every case). */
const MAX_CASE_ACTIONS = 8;

/** Routine B in chat: register a case, follow up, plan missing → deviation, review rounds; the provider's and finance's views. */
export class PlanReviewDialog extends ComponentDialog {
  static readonly ID = 'b.planReview';

  constructor(
    private readonly deps: DialogDeps,
    private readonly service: PlanReviewService,
    private readonly relay: OutboxRelay,
  ) {
    super(PlanReviewDialog.ID);
    this.addDialog(new CardFormPrompt(F_CHOICE, (d) => renderChoicesCard(d as never), choiceSubmission));
    this.addDialog(new CardFormPrompt(F_REGISTER, (d, t) => renderRegisterCard(t, d as never), registerSubmission));
    this.addDialog(new CardFormPrompt(F_REVIEW, (d, t) => renderReviewCard(t, d as never), reviewSubmission));
    this.addDialog(new CardFormPrompt(F_DEVIATION, (d, t) => renderDeviationCard(t, d as never), deviationSubmission));
    this.addDialog(new WaterfallDialog(FLOW, [this.chooseAction.bind(this), this.dispatch.bind(this)]));
    this.addDialog(new WaterfallDialog(REGISTER, [this.registerForm.bind(this), this.register.bind(this)]));
    this.addDialog(new WaterfallDialog(REVIEW, [this.reviewForm.bind(this), this.review.bind(this)]));
    this.addDialog(new WaterfallDialog(DEVIATION, [this.deviationForm.bind(this), this.deviation.bind(this)]));
    this.initialDialogId = FLOW;
  }

  /** Open reviews in the person's administrations: their own first, then by deadline. */
  private async openReviews(person: StaffMember): Promise<StoredReview[]> {
    const all = (await Promise.all(assessorUnits(person).map((u) => this.deps.stores.planReviews.inUnit(u)))).flat();
    await this.service.finishInterrupted(all);
    const open = sortForList(all.filter((r) => r.state !== 'complete'));
    return [...open.filter((r) => r.assessorId === person.id), ...open.filter((r) => r.assessorId !== person.id)];
  }

  private async chooseAction(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const choices: Array<{ title: string; value: string }> = [];
    if (assessorUnits(person!).length) {
      choices.push({ title: t.b.register, value: 'new' }, { title: t.b.myReviews, value: 'list:mine' });
      const shown = (await this.openReviews(person!)).slice(0, MAX_CASE_ACTIONS);
      logViews(step.context, this.deps.stores, shown.map((r) => ({ caseId: r.caseId, routine: 'B' as const, view: 'b.actions', units: [r.owningUnit] })));
      for (const r of shown) {
        const label = this.service.staffLabel(r, await this.service.caseOf(r), person!, t);
        choices.push({ title: r.state === 'revised' ? t.b.reviewAgain(label) : t.b.reviewPlan(label), value: `review:${r.owningUnit}:${r.reviewId}` });
        if (r.state === 'awaitingPlan') choices.push({ title: t.b.planMissing(label), value: `missing:${r.owningUnit}:${r.reviewId}` });
        if (r.state === 'planMissing' && !r.delay?.deviation) choices.push({ title: t.b.reportDeviation(label), value: `deviation:${r.owningUnit}:${r.reviewId}` });
      }
    }
    if (supervisedUnits(person!).length) choices.push({ title: t.b.unitReviews, value: 'list:unit' });
    if (hasRole(person!, 'providerContact')) choices.push({ title: t.b.providerItems, value: 'provider' });
    if (hasRole(person!, 'financeAdministrator')) choices.push({ title: t.b.compensations, value: 'finance' });
    // One thing to do: do it without asking.
    if (choices.length === 1) return step.next({ action: choices[0]!.value });
    if (!choices.length) return this.refuseAndEnd(step, t, refuse('notAllowed'));
    return step.beginDialog(F_CHOICE, { data: { title: t.b.actionsTitle, intro: t.b.actionsIntro, choices } });
  }

  private async dispatch(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { action } = step.result as { action: string };
    const { t, person } = turnInfo(step.context);
    const [kind, unit, reviewId] = action.split(':');
    if (kind === 'new') return step.replaceDialog(REGISTER, {});
    if (kind === 'list') return this.sendList(step, unit === 'unit' ? 'unit' : 'mine');
    if (kind === 'provider') {
      const cards = await this.service.providerCards(person!, t);
      if (!cards.length) await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.b.actionsTitle, text: t.b.providerEmpty })] });
      for (const card of cards) await step.context.sendActivity({ attachments: [card] });
      return step.endDialog();
    }
    if (kind === 'finance') return this.sendCompensations(step);
    // A forged or stale choice about a review the person has no part in reveals nothing of it.
    const opened = await this.service.openFor(person!, unit ?? '', reviewId ?? '', 'assessor');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    const review = opened.value;
    if (kind === 'review') return step.replaceDialog(REVIEW, { unit, reviewId });
    if (kind === 'deviation') return step.replaceDialog(DEVIATION, { unit, reviewId });
    if (kind === 'missing') {
      const r = await this.service.planMissing(person!, unit!, reviewId!);
      if (!r.ok) return this.refuseAndEnd(step, t, r);
      const lines = [t.b.planMissingRecorded, r.value.reached ? t.b.delaySent(review.providerName) : t.b.providerNotReached(review.providerName)];
      await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.b.actionsTitle, text: lines.join('\n\n'), tone: r.value.reached ? 'good' : 'warning' })] });
      return step.endDialog();
    }
    return step.endDialog();
  }

  // --- registration ---------------------------------------------------------------------------

  private async registerForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { now } = turnInfo(step.context);
    const opts = step.options as { values?: RegisterValues; problem?: string };
    const providers = (await this.deps.stores.planReviews.allProviders()).map((p) => ({ title: p.name, value: p.providerId }));
    return step.beginDialog(F_REGISTER, { data: { providers, today: toIsoDate(now), ...(opts.values ? { values: opts.values } : {}), ...(opts.problem ? { problem: opts.problem } : {}) } });
  }

  private async register(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const input = step.result as RegisterSubmission;
    const r = await this.service.register(person!, input);
    if (!r.ok) {
      // The card comes back with what was entered and the problem named: nothing is lost.
      const values: RegisterValues = { ...input, protectedIdentity: input.protectedIdentity ? 'true' : 'false', grantedHours: String(input.grantedHours), lastPlanDate: input.lastPlanDate };
      return step.replaceDialog(REGISTER, { values, problem: refusalText(t, r) });
    }
    const review = r.value;
    const label = this.service.staffLabel(review, await this.service.caseOf(review), person!, t);
    const text = [t.b.registered(label, review.dignityDeadline, review.followUpDeadline), review.newClient ? t.b.newClient : t.b.oldClient].join('\n\n');
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.b.actionsTitle, text, tone: 'good', facts: this.facts(review, label, t) })] });
    return step.endDialog({ reviewId: review.reviewId });
  }

  // --- review -----------------------------------------------------------------------------------

  private async reviewForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { unit, reviewId } = step.options as { unit: string; reviewId: string };
    const opened = await this.service.openFor(person!, unit, reviewId, 'assessor');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    const review = opened.value;
    const last = review.rounds.at(-1);
    const providerNote = last?.providerResponse ? t.b.providerSaid(review.providerName, last.providerResponse.note) : '';
    const label = this.service.staffLabel(review, await this.service.caseOf(review), person!, t);
    return step.beginDialog(F_REVIEW, { data: { label, round: review.rounds.length + 1, grantedHours: review.grantedHours, providerNote } });
  }

  private async review(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { unit, reviewId } = step.options as { unit: string; reviewId: string };
    const input = step.result as ReviewSubmission;
    const r = await submitReview(this.deps, this.relay, person!, unit, reviewId, { answers: reviewAnswers(input), allocatedHours: input.allocatedHours }, input.formId);
    if (!r.ok) return this.refuseAndEnd(step, t, r);
    const { review, round, providerReached, compensation, financeReached, financeMissed } = r.value;
    const lines: string[] = [];
    if (round.outcome === 'complete') {
      lines.push(t.b.complete, t.b.treserva);
      lines.push(compensation === 'sent' ? t.b.compensationSent(financeReached.join(', ')) : compensation === 'noRecipient' ? t.b.compensationNoRecipient : review.newClient ? '' : t.b.compensationNotDue);
      if (compensation === 'sent' && financeMissed.length) lines.push(t.b.compensationMissed(financeMissed.join(', ')));
    } else {
      if (round.hoursMismatch) lines.push(t.b.hoursMismatch(t.b.hours(round.allocatedHours), t.b.hours(review.grantedHours)));
      lines.push(t.b.notComplete(round.answers.filter((a) => !a.yes).length));
      lines.push(providerReached ? t.b.returnedSent(review.providerName) : t.b.providerNotReached(review.providerName));
    }
    const label = this.service.staffLabel(review, await this.service.caseOf(review), person!, t);
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.b.reviewTitle(label, round.round), text: lines.filter(Boolean).join('\n\n'), tone: round.outcome === 'complete' ? 'good' : 'warning' })] });
    return step.endDialog();
  }

  // --- deviation ----------------------------------------------------------------------------------

  private async deviationForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { unit, reviewId } = step.options as { unit: string; reviewId: string };
    const opened = await this.service.openFor(person!, unit, reviewId, 'assessor');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    const review = opened.value;
    const label = this.service.staffLabel(review, await this.service.caseOf(review), person!, t);
    const facts = this.facts(review, label, t);
    if (review.delay?.reason) facts.push({ title: t.b.reasonLabel, value: review.delay.reason.text });
    return step.beginDialog(F_DEVIATION, { data: { facts } });
  }

  private async deviation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { unit, reviewId } = step.options as { unit: string; reviewId: string };
    const { note } = step.result as { note: string };
    const r = await this.service.deviation(person!, unit, reviewId, note);
    if (!r.ok) return this.refuseAndEnd(step, t, r);
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.b.deviationTitle, text: t.b.deviationRecorded, tone: 'good' })] });
    return step.endDialog();
  }

  // --- lists --------------------------------------------------------------------------------------

  private async sendList(step: WaterfallStepContext, scope: 'mine' | 'unit'): Promise<DialogTurnResult> {
    const { person, t, now } = turnInfo(step.context);
    const today = toIsoDate(now);
    const units = scope === 'unit' ? supervisedUnits(person!) : assessorUnits(person!);
    const all = (await Promise.all(units.map((u) => this.deps.stores.planReviews.inUnit(u)))).flat();
    const reviews = sortForList(scope === 'mine' ? all.filter((r) => r.assessorId === person!.id) : all).slice(0, 50);
    logViews(step.context, this.deps.stores, reviews.map((r) => ({ caseId: r.caseId, routine: 'B' as const, view: `b.list.${scope}`, units: [r.owningUnit] })));
    const facts = [];
    for (const r of reviews) {
      const left = daysLeft(r, today);
      const leftText = left === undefined ? '' : left < 0 ? t.tasks.overdue(-left) : left === 0 ? t.tasks.dueToday : t.tasks.daysLeft(left);
      const label = this.service.staffLabel(r, await this.service.caseOf(r), person!, t);
      facts.push({ title: `${label} – ${r.providerName}${scope === 'unit' ? ` (${r.assessorName})` : ''}`, value: t.b.listLine(t.b.states[r.state] ?? r.state, r.followUpDeadline, leftText) });
    }
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: scope === 'unit' ? t.b.unitReviews : t.b.myReviews, text: facts.length ? '' : t.b.listEmpty, facts })] });
    return step.endDialog();
  }

  private async sendCompensations(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const units = person!.roles.filter((r) => r.role === 'financeAdministrator' && isAdministration(r.unit)).map((r) => r.unit as Administration);
    const all = (await Promise.all(units.map((u) => this.deps.stores.planReviews.inUnit(u)))).flat().filter((r) => r.compensation);
    const facts = [];
    const shown = all.sort((a, b) => (b.compensation!.notifiedAt).localeCompare(a.compensation!.notifiedAt)).slice(0, 50);
    logViews(step.context, this.deps.stores, shown.map((r) => ({ caseId: r.caseId, routine: 'B' as const, view: 'b.compensations', units: [r.owningUnit] })));
    for (const r of shown) {
      facts.push({ title: `${this.service.staffLabel(r, await this.service.caseOf(r), person!, t)} – ${r.providerName}`, value: `${t.b.compensationValue} · ${t.b.facts.ensured} ${r.completedAt ? toIsoDate(new Date(r.completedAt)) : ''}` });
    }
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.b.compensations, text: facts.length ? '' : t.b.compensationsEmpty, facts })] });
    return step.endDialog();
  }

  private facts(review: PlanReview, label: string, t: Texts) {
    return [
      { title: t.b.facts.case, value: label },
      { title: t.b.facts.provider, value: review.providerName },
      { title: t.b.facts.decision, value: review.decisionDate },
      { title: t.b.facts.execution, value: review.executionDate },
      { title: t.b.facts.granted, value: t.b.hours(review.grantedHours) },
      { title: t.b.facts.dignity, value: review.dignityDeadline },
      { title: t.b.facts.followUp, value: review.followUpDeadline },
    ];
  }

  private async refuseAndEnd(step: WaterfallStepContext, t: Texts, r: Refusal): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.errorTitle, text: refusalText(t, r), tone: 'warning' })] });
    return step.endDialog();
  }
}

function supervisedUnits(person: StaffMember): Administration[] {
  return person.roles.filter((r) => r.role === 'supervisor' && isAdministration(r.unit)).map((r) => r.unit as Administration);
}
