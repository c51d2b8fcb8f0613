import { revokeReferralConsent } from './revokeConsent';
import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from '../botbuilderDialogs';
import { choiceSubmission, renderChoicesCard } from '../../cards/choices';
import {
  C_STEP_SUBMISSIONS,
  cConsentSubmission,
  cFormFields,
  handOverSubmission,
  type HandOverSubmission,
  newReferralSubmission,
  NO_INPUT_STEPS,
  renderCForm,
  type CConsentSubmission,
  type CFormKind,
  type NewReferralSubmission,
} from '../../cards/c-kompetenscenter/forms';
import { renderMessageCard } from '../../cards/message';
import { refusalText, type Texts } from '../../locale';
import { actionsFor, ALWAYS_OPEN_STEPS, sideOf, type CAction, type CActionKind } from '../../routines/c-kompetenscenter/rules';
import { refuse, type Refusal } from '../../routines/shared/refusal';
import { toIsoDate } from '../../routines/shared/workingDays';
import { CardFormPrompt } from '../cardFormPrompt';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { logViews } from '../dataProtection/accessLogging';
import type { KompetenscenterService } from './service';

const FLOW = 'c.flow';
const NEW = 'c.new';
const ACT = 'c.act';
const REVOKE = 'c.revoke';
const F_CHOICE = 'c.form.choice';
const formId = (kind: CFormKind) => `c.form.${kind}`;

/** Refusals after which showing the same form again would not help. */
const FINAL: readonly Refusal['code'][] = ['outOfOrder', 'notAllowed', 'alreadyDone', 'notFound', 'notFoundOrNotAllowed', 'staleCard'];

interface ActOptions {
  referralId: string;
  kind: CActionKind;
}

/**
 * Routine C in chat. The menu lists each step the person may take now on each referral they are
 * a party to (and "take", "confirm", "status" for the consultant pool, the coordinator and the
 * escalation contacts); a step opens its form, the service applies it, and the person is told
 * what was done, what to document in Treserva/GWA, and what comes next.
 */
export class KompetenscenterDialog extends ComponentDialog {
  static readonly ID = 'c.kompetenscenter';

  constructor(
    private readonly deps: DialogDeps,
    private readonly service: KompetenscenterService,
  ) {
    super(KompetenscenterDialog.ID);
    this.addDialog(new CardFormPrompt(F_CHOICE, (d) => renderChoicesCard(d as never), choiceSubmission));
    this.addDialog(new CardFormPrompt(formId('new'), (d, t) => renderCForm(t, d as never), newReferralSubmission));
    this.addDialog(new CardFormPrompt(formId('consent'), (d, t) => renderCForm(t, d as never), cConsentSubmission));
    for (const [kind, schema] of Object.entries(C_STEP_SUBMISSIONS)) this.addDialog(new CardFormPrompt(formId(kind as CFormKind), (d, t) => renderCForm(t, d as never), schema));
    this.addDialog(new WaterfallDialog(FLOW, [this.chooseAction.bind(this), this.dispatch.bind(this)]));
    this.addDialog(new WaterfallDialog(NEW, [this.criteriaForm.bind(this), this.create.bind(this)]));
    this.addDialog(new WaterfallDialog(ACT, [this.stepForm.bind(this), this.applyStep.bind(this)]));
    this.addDialog(new WaterfallDialog(REVOKE, [this.confirmRevoke.bind(this), this.revoke.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async chooseAction(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const only = (step.options as { referralId?: string } | undefined)?.referralId;
    // A hand-over card's button (Action.Submit through the menu): that step at once, as if chosen from the step list.
    const handOver = only === undefined ? handOverOf(step.context) : undefined;
    if (handOver) return step.replaceDialog(ACT, { referralId: handOver.referralId, kind: handOver.step } satisfies ActOptions);
    const listed: Array<{ caseId: string; routine: 'C'; view: string; units: string[] }> = [];
    const choices = await this.service.choicesFor(person!, t, only, (r) => listed.push({ caseId: r.caseId, routine: 'C', view: 'c.actions', units: [r.administration] }));
    logViews(step.context, this.deps.stores, listed);
    if (choices.length === 0) {
      if (!only) await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.c.actionsTitle, text: t.c.nothing })] });
      return step.endDialog();
    }
    return step.beginDialog(F_CHOICE, { data: { title: t.c.actionsTitle, intro: t.c.actionsIntro, choices } });
  }

  private async dispatch(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { action } = step.result as { action: string };
    const { t, person } = turnInfo(step.context);
    const [what, referralId = '', kind] = action.split(':');
    if (what === 'new') return step.replaceDialog(NEW, {});
    // Each of these steps opens the referral itself (openFor with its own part), so a forged or stale
    // choice about someone else's referral shows nothing of it, not even that it exists.
    if (what === 'revoke') return step.replaceDialog(REVOKE, { referralId });
    if (what === 'take' || what === 'confirm') return step.replaceDialog(ACT, { referralId, kind: what === 'take' ? 'take' : 'coordinatorConfirm' } satisfies ActOptions);
    if (what === 'act' && kind) return step.replaceDialog(ACT, { referralId, kind: kind as CActionKind } satisfies ActOptions);
    const opened = await this.service.openFor(person!, referralId, 'see');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    if (what === 'status') {
      await step.context.sendActivity({ attachments: [this.service.statusCard(opened.value, await this.service.caseOf(opened.value), person!, t)] });
      logViews(step.context, this.deps.stores, [{ caseId: opened.value.caseId, routine: 'C', view: 'c.status', units: [opened.value.administration] }]);
    }
    return step.endDialog();
  }

  // --- a new referral: the criteria -----------------------------------------------------------

  private async criteriaForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t, now } = turnInfo(step.context);
    if (!this.service.ownAdministration(person!)) return this.refuseAndEnd(step, t, refuse('notAllowed'));
    return step.beginDialog(formId('new'), { data: { title: t.c.forms.new, label: '', intro: t.c.intros.new, fields: cFormFields('new', t, undefined, toIsoDate(now)) } });
  }

  private async create(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const d = await this.service.create(person!, step.result as NewReferralSubmission);
    if (!d.ok) {
      await step.context.sendActivity(refusalText(t, d));
      return step.replaceDialog(NEW, {});
    }
    const r = d.value;
    const label = this.service.labelFor(r, await this.service.caseOf(r), person!, t);
    if (r.state === 'notReferred') {
      await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.c.doneTitle(label), text: t.c.criteriaNotMet, tone: 'warning' })] });
      return step.endDialog();
    }
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.c.doneTitle(label), text: t.c.created(label), tone: 'good' })] });
    return step.replaceDialog(ACT, { referralId: r.referralId, kind: 'af' } satisfies ActOptions);
  }

  // --- one step ---------------------------------------------------------------------------------

  private async stepForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t, now } = turnInfo(step.context);
    const { referralId, kind } = step.options as ActOptions;
    const opened = await this.service.openFor(person!, referralId, kind);
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    const r = opened.value;
    if (kind === 'take' || kind === 'coordinatorConfirm' || NO_INPUT_STEPS.includes(kind)) return step.next(undefined);
    const side = sideOf(r, person!);
    if (!side || !actionsFor(r, side).includes(kind)) return this.refuseAndEnd(step, t, refuse('outOfOrder'));
    const form = kind as CFormKind;
    const intro = form === 'bookIntake' && r.protectedIdentity ? t.c.intros.bookIntakeProtected : (t.c.intros[form] ?? '');
    const label = this.service.labelFor(r, await this.service.caseOf(r), person!, t);
    return step.beginDialog(formId(form), { data: { title: t.c.forms[form] ?? form, label, intro, fields: cFormFields(form, t, r, toIsoDate(now)) } });
  }

  private async applyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const options = step.options as ActOptions;
    const { referralId, kind } = options;
    const d =
      kind === 'consent'
        ? await this.service.consent(person!, referralId, step.result as CConsentSubmission)
        : await this.service.apply(person!, referralId, (step.result as CAction | undefined) ?? ({ kind } as CAction));
    if (!d.ok) {
      if (FINAL.includes(d.code) || step.result === undefined) return this.refuseAndEnd(step, t, d);
      await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.errorTitle, text: refusalText(t, d), tone: 'warning' })] });
      return step.replaceDialog(ACT, options);
    }
    const { referral, outcome, delivery, caseFile } = d.value;
    await step.context.sendActivity({ attachments: [this.service.doneCard(referral, caseFile, outcome, person!, t, delivery)] });
    // The routine goes on: offer this person's next steps on the same referral at once.
    const side = sideOf(referral, person!);
    if (side && STATE_CHANGING.includes(kind) && actionsFor(referral, side).some((k) => !ALWAYS_OPEN_STEPS.includes(k))) return step.replaceDialog(FLOW, { referralId });
    return step.endDialog();
  }

  // --- revoked consent (destructive: confirmed first) ---------------------------------------------

  private async confirmRevoke(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { referralId } = step.options as { referralId: string };
    const opened = await this.service.openFor(person!, referralId, 'revokeConsent');
    if (!opened.ok) return this.refuseAndEnd(step, t, opened);
    const r = opened.value;
    const label = this.service.labelFor(r, await this.service.caseOf(r), person!, t);
    return step.beginDialog(F_CHOICE, { data: { title: t.c.confirmRevokeTitle(label), intro: t.c.confirmRevoke(this.service.revokeConsequences(r)), choices: [{ title: t.c.confirmYes, value: 'yes' }, { title: t.c.confirmNo, value: 'no' }] } });
  }

  private async revoke(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    const { referralId } = step.options as { referralId: string };
    const { action, formId } = step.result as { action?: string; formId?: string };
    if (action !== 'yes') {
      await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.c.actionsTitle, text: t.c.nothingChanged })] });
      return step.endDialog();
    }
    const d = await revokeReferralConsent(this.deps, this.service, person!, referralId, formId);
    if (!d.ok) return this.refuseAndEnd(step, t, d);
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.c.actionsTitle, text: t.c.consentRevoked, tone: 'good' })] });
    return step.endDialog();
  }

  private async refuseAndEnd(step: WaterfallStepContext, t: Texts, r: Refusal): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.errorTitle, text: refusalText(t, r), tone: 'warning' })] });
    return step.endDialog();
  }
}

/** Steps after which the routine moves on for the same person (the next form is offered at once). */
const STATE_CHANGING: readonly CActionKind[] = ['af', 'requestCoordinator', 'consent', 'decide', 'assign', 'intakeMissed', 'confirmNewTime', 'intakeHeld', 'announceClose', 'closingDocument', 'threePartyMeeting'];

const HAND_OVER_TAKEN = Symbol('c.handOverTaken');
/**
 * The step a hand-over card's button asks for (routine C's notice, `handOverSubmission`), once per
 * turn: the step's own form may start the routine's list again in the same turn, which must not
 * open the step a second time.
 */
function handOverOf(ctx: TurnContext): HandOverSubmission | undefined {
  if (ctx.activity.type !== 'message' || ctx.turnState.get(HAND_OVER_TAKEN)) return undefined;
  const parsed = handOverSubmission.safeParse(ctx.activity.value);
  if (!parsed.success) return undefined;
  ctx.turnState.set(HAND_OVER_TAKEN, true);
  return parsed.data;
}
