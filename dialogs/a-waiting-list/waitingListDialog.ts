import { mapBounded } from '../../storage/parallel';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from '../botbuilderDialogs';
import type { TurnContext } from 'botbuilder';
import {
  actionsSubmission,
  consentSubmission,
  joinSubmission,
  pickProviderSubmission,
  renderActionsCard,
  renderConsentCard,
  renderJoinCard,
  renderPickProviderCard,
  type AAction,
  type ConsentSubmission,
  type JoinSubmission,
  type PickProviderSubmission,
} from '../../cards/a-waiting-list/forms';
import { renderMessageCard } from '../../cards/message';
import { refusalText, type Texts } from '../../locale';
import { renderRevokeConfirmCard } from '../../cards/a-waiting-list/revoke';
import { actionsFor, isContactOf, isSelectable, mayAccessCase, mayAdministerQueue, mayListProviders, mayRegisterInQueue, mayViewQueue, providerStatus, publicAvailability, referenceScopes, type ACaseStep, type Provider } from '../../routines/a-waiting-list/rules';
import { caseLabelFor, type CaseFile } from '../../routines/shared/cases';
import { logViews } from '../dataProtection/accessLogging';
import { hasRole, unitName, unitsWithRole, type StaffMember } from '../../routines/shared/organisation';
import { checkCaseReference, checkInitials } from '../../routines/shared/privacy';
import { refuse, type Refusal } from '../../routines/shared/refusal';
import { toIsoDate } from '../../routines/shared/workingDays';
import { answerSentAlready, CardFormPrompt } from '../cardFormPrompt';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { actorOf, WaitingListService } from './service';

const FLOW = 'a.flow';
const JOIN = 'a.join';
const PICK = 'a.pick';
const F_ACTIONS = 'a.form.actions';
const F_JOIN = 'a.form.join';
const F_CONSENT = 'a.form.consent';
const F_PICK = 'a.form.pick';
/** The provider form of a step whose id derives from the form's (a place ends, an occupied place, TID's number): it happens once by itself, so nothing is claimed before it. */
const F_PICK_STEP = 'a.form.pickStep';
const ONCE_BY_STEP: ReadonlySet<AAction> = new Set(['release', 'occupied', 'places']);

interface JoinState {
  join?: JoinSubmission;
  providerName?: string;
  /** The case the join form named (found in the person's scopes, or new), kept for the consent card's turn. */
  caseFile?: CaseFile;
  isNew?: boolean;
}

/**
 * Routine A in chat: the person picks what to do (only what their roles allow); joining a queue
 * walks the seed's steps — tell the individual, consent, notify the provider, register, document.
 */
export class WaitingListDialog extends ComponentDialog {
  static readonly ID = 'a.waitingList';
  private readonly service: WaitingListService;

  constructor(private readonly deps: DialogDeps) {
    super(WaitingListDialog.ID);
    this.service = new WaitingListService(deps);
    this.addDialog(new CardFormPrompt(F_ACTIONS, (d, t) => renderActionsCard(t, d as never), actionsSubmission));
    this.addDialog(new CardFormPrompt(F_JOIN, (d, t) => renderJoinCard(t, d as never), joinSubmission));
    // A "yes" registers, once by itself (its step id is the form's): nothing is claimed before it. A "no" is claimed as any form.
    this.addDialog(new CardFormPrompt(F_CONSENT, (d, t) => renderConsentCard(t, d as never), consentSubmission, (s) => (s.consent === 'yes' ? 'step' : 'claim')));
    this.addDialog(new CardFormPrompt(F_PICK, (d, t) => renderPickProviderCard(t, d as never), pickProviderSubmission));
    this.addDialog(new CardFormPrompt(F_PICK_STEP, (d, t) => renderPickProviderCard(t, d as never), pickProviderSubmission, 'step'));
    this.addDialog(new WaterfallDialog(FLOW, [this.chooseAction.bind(this), this.dispatch.bind(this)]));
    this.addDialog(new WaterfallDialog(JOIN, [this.joinForm.bind(this), this.consentForm.bind(this), this.register.bind(this)]));
    this.addDialog(new WaterfallDialog(PICK, [this.pickForm.bind(this), this.applyPick.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async chooseAction(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person } = turnInfo(step.context);
    return step.beginDialog(F_ACTIONS, { data: { actions: actionsFor(person!) } });
  }

  private async dispatch(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { action } = step.result as { action: AAction };
    const { person, t } = turnInfo(step.context);
    if (!actionsFor(person!).includes(action)) return this.refuseAndEnd(step, t, refuse('notAllowed'));
    if (action === 'join') return step.replaceDialog(JOIN);
    if (action === 'list') {
      await this.sendList(step.context, person!);
      return step.endDialog();
    }
    return step.replaceDialog(PICK, { action });
  }

  // --- joining a queue --------------------------------------------------------------------

  private async joinForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { now } = turnInfo(step.context);
    const providers = await this.deps.stores.waitingList.providerChoices();
    return step.beginDialog(F_JOIN, { data: { providers: providers.map((p) => ({ title: p.name, value: p.providerId })), today: toIsoDate(now) } });
  }

  private async consentForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, now, person } = turnInfo(step.context);
    const join = step.result as JoinSubmission;
    if (!mayRegisterInQueue(person!)) return this.refuseAndEnd(step, t, refuse('notAllowed'));
    for (const check of [checkCaseReference(join.reference), checkInitials(join.initials)]) {
      if (!check.ok) {
        await step.context.sendActivity(refusalText(t, check));
        return step.replaceDialog(JOIN);
      }
    }
    if (join.requestDate > toIsoDate(now)) {
      await step.context.sendActivity(refusalText(t, refuse('dateInFuture')));
      return step.replaceDialog(JOIN);
    }
    const provider = (await this.deps.stores.waitingList.provider(join.providerId))?.value;
    if (!provider) return this.refuseAndEnd(step, t, refuse('notFound'));
    if (isSelectable(provider)) {
      await step.context.sendActivity({ attachments: [renderMessageCard({ title: provider.name, text: t.a.selectableNow(provider.name), tone: 'good' })] });
      return step.endDialog();
    }
    // The case is found now (only in the person's own scope), so the consent card's turn reads
    // nothing but the queue; a case that waits there already is told now, before the consent.
    const reference = checkCaseReference(join.reference);
    const initials = checkInitials(join.initials);
    if (!reference.ok || !initials.ok) return step.endDialog();
    const named = await this.service.caseForJoin(person!, { reference: reference.value, initials: initials.value, protectedIdentity: join.protectedIdentity }, provider, await this.findCase(person!, reference.value, 'register'));
    if (!named.ok) return this.refuseAndEnd(step, t, named);
    Object.assign(step.values as JoinState, { join, providerName: provider.name, caseFile: named.value.caseFile, isNew: named.value.isNew });
    return step.beginDialog(F_CONSENT, { data: { step1: t.a.notSelectableInfo(provider.name, t.a.status[providerStatus(provider)] ?? ''), providerName: provider.name, today: toIsoDate(now) } });
  }

  private async register(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, person, now } = turnInfo(step.context);
    const consent = step.result as ConsentSubmission;
    const { join, caseFile, isNew } = step.values as JoinState;
    if (!join || !caseFile) return step.endDialog();
    const actor = actorOf(person!);
    const result = await this.service.joinQueue(actor, {
      caseFile,
      isNew: isNew ?? false,
      providerId: join!.providerId,
      requestDate: join!.requestDate,
      formId: consent.formId,
      consent:
        consent.consent === 'yes'
          ? { recipients: [], information: t.a.providerQueueTitle, givenBy: consent.givenBy, method: consent.method, givenAt: startOfDayOrNow(consent.givenAt, now), toldHowToRevoke: true }
          : null,
    });
    if (!result.ok && result.code === 'alreadyDone' && consent.formId) {
      // A parallel press of this form registered the person: told who and when; that turn goes on.
      answerSentAlready(step.context, String(result.params?.['by'] ?? ''), String(result.params?.['at'] ?? ''));
      return step.endDialog();
    }
    if (!result.ok) {
      // "No" is a valid answer (issue 17): confirmed as such, not as a failure.
      const declined = result.code === 'consentMissing' && consent.consent === 'no';
      const card = declined ? renderMessageCard({ title: t.a.noConsentTitle, text: t.a.noConsent, tone: 'info' }) : renderMessageCard({ title: t.errorTitle, text: refusalText(t, result), tone: 'warning' });
      await step.context.sendActivity({ attachments: [card] });
      return step.endDialog();
    }
    // "Told" only for cards the connector accepted; otherwise whom to inform another way.
    const name = result.value.provider.name;
    // The routine's steps 3–5 in their order (1 and 2 were the cards before): the provider told, the queue, the journal.
    const told = result.value.notified > 0 ? t.a.providerTold(name, caseFile.protectedIdentity) : t.a.providerNotReached(name);
    const lines = [`${t.a.step(3)} ${told}`, `${t.a.step(4)} ${t.a.queued(name, result.value.position)}`, t.a.treservaReminder];
    await step.context.sendActivity({ text: lines.join('\n\n'), textFormat: 'markdown' });
    return step.endDialog({ position: result.value.position });
  }

  /** The case with this reference that the person may take this step on, if any (looked up only in the person's scopes). */
  private async findCase(person: StaffMember, reference: string, step: ACaseStep): Promise<CaseFile | undefined> {
    for (const caseId of await this.deps.stores.waitingList.caseIdsByReference(reference, referenceScopes(person))) {
      const c = (await this.deps.stores.cases.get(caseId))?.value;
      if (c && mayAccessCase(person, c, step)) return c;
    }
    return undefined;
  }

  // --- provider actions ----------------------------------------------------------------------

  private async pickForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, person } = turnInfo(step.context);
    const action = (step.options as { action: AAction }).action;
    (step.values as { action?: AAction }).action = action;
    let providers = await this.deps.stores.waitingList.providerChoices();
    if ((action === 'queue' && !mayAdministerQueue(person!)) || action === 'reportPlaces' || action === 'reportAvailability') providers = providers.filter((p) => isContactOf(person!, p.providerId));
    return step.beginDialog(ONCE_BY_STEP.has(action) ? F_PICK_STEP : F_PICK, {
      data: {
        title: action === 'revoke' ? t.a.revokeTitle : t.a.actions[action] ?? t.a.pickProviderTitle,
        intro: action === 'revoke' ? t.a.revokeIntro : '',
        providers: action === 'revoke' ? [] : providers.map((p) => ({ title: p.name, value: p.providerId })),
        askPlaces: action === 'places' || action === 'reportPlaces',
        askReference: action === 'revoke',
        askAvailability: action === 'reportAvailability',
      },
    });
  }

  private async applyPick(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const ctx = step.context;
    const { t, person } = turnInfo(ctx);
    const action = (step.values as { action: AAction }).action;
    const input = step.result as PickProviderSubmission;
    if (action === 'revoke') {
      // The same answer whether the reference is unknown or another unit's case.
      const found = input.reference ? await this.findCase(person!, input.reference, 'revoke') : undefined;
      const preview = found ? await this.service.revokePreview(person!, found.caseId) : refuse('notFoundOrNotAllowed');
      if (!preview.ok) return this.refuseAndEnd(step, t, preview);
      // Nothing happens yet: the card says what will, and only its button does it.
      const { providers, consents, version } = preview.value;
      logViews(ctx, this.deps.stores, [{ caseId: preview.value.caseFile.caseId, routine: 'A', view: 'a.revokePreview', units: [preview.value.caseFile.owningUnit] }]);
      if (consents === 0 && providers.length === 0) {
        await ctx.sendActivity({ attachments: [renderMessageCard({ title: t.a.revokeTitle, text: t.a.revokeNothing, tone: 'info' })] });
        return step.endDialog();
      }
      await ctx.sendActivity({ attachments: [renderRevokeConfirmCard(t, { caseId: found!.caseId, confirmId: this.deps.newId(), version, consents, providers })] });
      return step.endDialog();
    }
    if (ONCE_BY_STEP.has(action)) return this.providerStep(step, action, input);
    const stored = input.providerId ? await this.deps.stores.waitingList.provider(input.providerId) : undefined;
    if (!stored) return this.refuseAndEnd(step, t, refuse('notFound'));
    const provider = stored.value;
    switch (action) {
      case 'status':
        await ctx.sendActivity({ attachments: [this.statusCard(t, provider)] });
        break;
      case 'queue':
        if (!mayViewQueue(person!, provider.providerId)) return this.refuseAndEnd(step, t, refuse('notAllowed'));
        await this.sendQueue(ctx, person!, provider);
        break;
      case 'reportPlaces':
      case 'reportAvailability': {
        const r =
          action === 'reportPlaces'
            ? input.places === undefined
              ? refuse('outOfRange', { field: 'places', min: 0, max: 500 })
              : await this.service.reportPlaces(person!, provider.providerId, input.places)
            : input.availability === undefined
              ? refuse('notAllowed')
              : await this.service.reportAvailability(person!, provider.providerId, input.availability);
        if (!r.ok) return this.refuseAndEnd(step, t, r);
        // "Sent" only when the connector accepted a card; otherwise the unit to inform another way.
        const sent = r.value.sent > 0;
        await ctx.sendActivity({ attachments: [renderMessageCard({ title: provider.name, text: sent ? t.a.reportedTo(unitName(r.value.unit)) : t.a.notReachedUnit(unitName(r.value.unit)), tone: sent ? 'good' : 'warning' })] });
        break;
      }
      default:
        break;
    }
    return step.endDialog();
  }

  /**
   * A place ends, an occupied place, TID's number of places: the use case reads the provider (the
   * dialog does not), and its step id is the form's, so a parallel press of the same form is told
   * who did it and when.
   */
  private async providerStep(step: WaterfallStepContext, action: AAction, input: PickProviderSubmission): Promise<DialogTurnResult> {
    const ctx = step.context;
    const { t, person } = turnInfo(ctx);
    if (!input.providerId) return this.refuseAndEnd(step, t, refuse('notFound'));
    let r;
    if (action === 'places') {
      if (!hasRole(person!, 'placesRegistrar') || input.places === undefined) return this.refuseAndEnd(step, t, refuse('notAllowed'));
      r = await this.service.changePlaces(actorOf(person!, ['placesRegistrar']), input.providerId, input.places, undefined, input.formId);
    } else {
      const actor = actorOf(person!);
      r = action === 'occupied' ? await this.service.registerOccupied(actor, input.providerId, input.formId) : await this.service.registerRelease(actor, input.providerId, input.formId);
    }
    if (!r.ok && r.code === 'alreadyDone' && input.formId && r.params?.['by']) {
      answerSentAlready(ctx, String(r.params['by']), String(r.params['at'] ?? ''));
      return step.endDialog();
    }
    if (!r.ok) return this.refuseAndEnd(step, t, r);
    const p = r.value;
    const text = action === 'places' ? t.a.placesDone(p.name, p.places) : (action === 'occupied' ? t.a.occupiedDone : t.a.releaseDone)(p.name, p.occupied, p.places);
    await ctx.sendActivity({ attachments: [renderMessageCard({ title: p.name, text, tone: 'good' })] });
    return step.endDialog();
  }

  private statusCard(t: Texts, p: Provider) {
    const f = t.a.statusFacts;
    return renderMessageCard({
      title: t.a.statusTitle(p.name),
      text: t.a.status[providerStatus(p)] ?? '',
      facts: [
        { title: f.selectable, value: isSelectable(p) ? t.a.yes : t.a.no },
        { title: f.places, value: String(p.places) },
        { title: f.occupied, value: String(p.occupied) },
        { title: f.waiting, value: String(p.waiting) },
        { title: f.published, value: t.a.published[publicAvailability(p)] ?? '' },
      ],
    });
  }

  private async sendList(ctx: TurnContext, person: StaffMember): Promise<void> {
    const { t } = turnInfo(ctx);
    if (!mayListProviders(person)) {
      await ctx.sendActivity(refusalText(t, refuse('notAllowed')));
      return;
    }
    const providers = await this.deps.stores.waitingList.allProviders();
    await ctx.sendActivity({
      attachments: [
        renderMessageCard({
          title: t.a.listTitle,
          text: `${t.a.statusFacts.occupied}/${t.a.statusFacts.places} · ${t.a.statusFacts.waiting}`,
          facts: providers.map((p) => ({ title: p.name, value: `${t.a.status[providerStatus(p)]} – ${p.occupied}/${p.places} · ${p.waiting}` })),
        }),
      ],
    });
  }

  private async sendQueue(ctx: TurnContext, person: StaffMember, provider: Provider): Promise<void> {
    const { t } = turnInfo(ctx);
    const entries = await this.deps.stores.waitingList.queue(provider.providerId, 100);
    const asProvider = !mayAdministerQueue(person);
    const facts = [];
    // The cases of the shown entries (at most 100), read in parallel, at most 10 at a time.
    const cases = await mapBounded(entries, 10, async (e) => (await this.deps.stores.cases.get(e.caseId))?.value);
    // Loggkontroll: every queue entry shown is a view of its case (written after the answer).
    logViews(ctx, this.deps.stores, entries.map((e, i) => ({ caseId: e.caseId, routine: 'A' as const, view: asProvider ? 'a.queue.provider' : 'a.queue', units: cases[i] ? [cases[i]!.owningUnit] : [] })));
    for (const [i, e] of entries.entries()) {
      const c = cases[i];
      const label = c ? caseLabelFor(c, asProvider ? { kind: 'provider' } : { kind: 'staff', units: [...unitsWithRole(person, 'workGuidanceOfficer'), ...person.roles.map((r) => r.unit)] }) : null;
      const who = label?.reference ? (label.initials ? `${label.reference} (${label.initials})` : label.reference) : t.a.protectedCase;
      facts.push({ title: t.a.queueRow(i + 1, e.requestDate), value: `${who}${e.state === 'offered' ? ` ${t.a.offered}` : ''}` });
    }
    await ctx.sendActivity({ attachments: [renderMessageCard({ title: t.a.queueTitle(provider.name), text: entries.length ? '' : t.a.queueEmpty, facts })] });
  }

  private async refuseAndEnd(step: WaterfallStepContext, t: Texts, r: Refusal, text?: string): Promise<DialogTurnResult> {
    await step.context.sendActivity({ attachments: [renderMessageCard({ title: t.errorTitle, text: text ?? refusalText(t, r), tone: 'warning' })] });
    return step.endDialog();
  }
}

/** A consent date from a date input, as an instant: noon Stockholm that day, or now when that is earlier. */
function startOfDayOrNow(date: string, now: Date): string {
  const noonUtc = new Date(`${date}T10:00:00.000Z`);
  return (noonUtc.getTime() < now.getTime() ? noonUtc : now).toISOString();
}
