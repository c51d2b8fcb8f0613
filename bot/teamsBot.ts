import { INVOKE_RESPONSE_KEY, TeamsActivityHandler, TurnContext, type Activity, type ConversationState, type InvokeResponse, type StatePropertyAccessor } from 'botbuilder';
import type { DialogState } from '../dialogs/botbuilderDialogs';
import { FORM_SUBMIT_VERB } from '../cards/expand';
import { renderMessageCard, withLink } from '../cards/message';
import { texts, type Texts } from '../locale';
import type { CardAction } from '../dialogs/cardActions';
import { invalidSubmissionText, personalIdentityNumberText, staleFormCard } from '../dialogs/cardFormPrompt';
import type { MainDialog } from '../dialogs/mainDialog';
import type { DialogDeps } from '../dialogs/ports';
import { dialogStateKeptAsRead, executeAction, invokeCard, setTurnInfo, turnInfo } from '../dialogs/turn';
import { StorageConflictError, StorageUnavailableError } from '../storage/errors';
import { withTurnScope } from '../storage/turnScope';
import { afterAnswered, withEarlyReply } from '../dialogs/earlyReply';
import { EffectsPendingError } from '../dialogs/step';
import { cardInvokeBody, replacePressedCard, responseWindowOf, type ResponseWindow } from './responseWindow';
import { activeDialogStep, correlationIdOf, newCorrelationId, pseudonym, setCorrelationId, setLogContext, turnRoutineStep, type Logger } from './logger';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const TURN_LOG = Symbol('turnLog');

/**
 * The Teams activity handler: resolves who is talking, remembers their conversation for
 * proactive cards, runs the main dialog for messages, and routes Action.Execute invokes by verb.
 */
export class TeamsBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly actions: Map<string, CardAction>;
  /**
   * Conversations this instance stored recently, to skip a write on every turn. Bounded, and
   * entries expire so a reference marked stale elsewhere is refreshed when the person writes.
   */
  private readonly knownConversations = new Map<string, { fingerprint: string; at: number }>();

  constructor(
    private readonly deps: DialogDeps,
    private readonly conversationState: ConversationState,
    private readonly mainDialog: MainDialog,
    cardActions: readonly CardAction[],
    private readonly log: Logger,
    /** A fixed language instead of the activity's locale (local Playground only). */
    private readonly localeOverride = '',
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.actions = new Map(cardActions.map((a) => [a.verb, a]));
    if (this.actions.size !== cardActions.length) throw new Error('two card actions share a verb');

    this.onMessage(async (ctx, next) => {
      await this.mainDialog.run(ctx, this.dialogState);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const botAdded = (ctx.activity.membersAdded ?? []).some((m) => m.id === ctx.activity.recipient?.id);
      if (botAdded && ctx.activity.conversation?.conversationType !== 'channel') await this.mainDialog.run(ctx, this.dialogState);
      await next();
    });
  }

  /**
   * One turn, in its own storage scope: a turn that fails on storage gives up the claims it took
   * for an effect it never wrote, so the same card works again once storage is back (dialog state
   * is written only at the end of a turn, so a failed turn leaves it as it was).
   */
  override async run(ctx: TurnContext): Promise<void> {
    const window = responseWindowOf(ctx);
    return withTurnScope(
      () =>
        withEarlyReply(
          (card) => this.answerEarly(ctx, window, card),
          async () => {
            try {
              await this.runTurn(ctx);
            } catch (err) {
              if (err instanceof StorageUnavailableError) this.deps.stores.claims.abandonUnfollowed();
              throw err;
            }
            await this.reviseEarlyAnswer(ctx, window);
          },
        ),
      correlationIdOf(ctx),
    );
  }

  /**
   * A step committed (dialogs/step.ts): the person gets the turn's answer now, its effects follow.
   * A button's answer is the card the step rendered (or the form's "received" the turn set); a
   * message's is the empty 200. Not for a client that wants the replies in the answer.
   */
  private answerEarly(ctx: TurnContext, window: ResponseWindow | undefined, card: object | undefined): void {
    if (!window || window.answered || ctx.activity.deliveryMode === 'expectReplies') return;
    if (executeAction(ctx)) {
      const c = card ?? invokeCard(ctx);
      if (!c) return;
      window.answeredWith = c;
      window.answer(200, cardInvokeBody(c));
    } else if (ctx.activity.type === 'message') window.answer(200);
  }

  /**
   * The card that answered a button early, when the turn ended with another (a card that could not
   * be delivered, a parallel turn that won): the pressed card is updated in place (the invoke's
   * replyToId), or the last word is sent as a message where there is no card to update.
   */
  private async reviseEarlyAnswer(ctx: TurnContext, window: ResponseWindow | undefined): Promise<void> {
    const early = window?.answeredWith;
    if (!early) return;
    const last = (ctx.turnState.get(INVOKE_RESPONSE_KEY) as Activity | undefined)?.value as InvokeResponse<{ value?: object }> | undefined;
    const card = last?.body?.value;
    if (!card || JSON.stringify(card) === JSON.stringify(early)) return;
    await replacePressedCard(ctx, card, (err) => this.turnLog(ctx).warn({ event: 'card.updateFailed', err: (err as Error).message }, 'the pressed card could not be updated; sent as a message'));
  }

  private async runTurn(ctx: TurnContext): Promise<void> {
    const started = Date.now();
    const correlationId = correlationIdOf(ctx) ?? newCorrelationId(ctx.activity.id);
    setCorrelationId(ctx, correlationId);
    const log = this.log; // every line carries the turn's log context (bot/logger.ts): correlation id, routine, step
    setLogContext({ correlationId, ...turnRoutineStep(ctx.activity, this.verbForLog(executeAction(ctx)?.verb)) });
    ctx.turnState.set(TURN_LOG, log);
    const from = ctx.activity.from;
    const personId = from?.aadObjectId ?? from?.id ?? '';
    const stored = personId ? await this.deps.stores.staff.get(personId) : undefined;
    setTurnInfo(ctx, {
      personId,
      personName: stored?.value.name ?? from?.name ?? '',
      person: stored?.value,
      t: texts(this.localeOverride || ctx.activity.locale),
      now: this.deps.clock(),
      correlationId,
      claims: this.deps.stores.claims,
    });
    // Personal scope only: in a group chat or a channel the bot says where it works, once per activity, and nothing else.
    const scope = ctx.activity.conversation?.conversationType;
    if (scope === 'groupChat' || scope === 'channel') {
      log.info({ event: 'turn.notPersonal', type: ctx.activity.type, scope }, 'turn outside the personal chat');
      await this.answerOutsidePersonalChat(ctx);
      return;
    }
    await this.rememberConversation(ctx, personId);
    // A message or a form: the routine and step of the dialog the person is in (the state the main dialog reads next).
    if (ctx.activity.type === 'message' || executeAction(ctx)?.verb === FORM_SUBMIT_VERB) setLogContext(activeDialogStep(await this.dialogState.get(ctx)) ?? {});
    // Ids, kinds and timings only: never the text, the card data, a name or a case.
    log.info({ event: 'turn', type: ctx.activity.type, invoke: ctx.activity.name, verb: this.verbForLog(executeAction(ctx)?.verb), person: pseudonym(personId), known: Boolean(stored) }, 'turn');
    await super.run(ctx);
    await afterAnswered(); // what waited for an answer the turn gave only at its end (a form's receipt)
    if (!dialogStateKeptAsRead(ctx)) await this.saveDialogState(ctx, log);
    log.info({ event: 'turn.done', ms: Date.now() - started }, 'turn done');
  }

  /**
   * The dialog state, written on the ETag it was read with (bot/tableBotStorage.ts). Another turn
   * of the same conversation wrote it first (two presses at once): that turn's step stands, this
   * one's place in the dialog was not kept, and the person is told to try again — in the card that
   * answers a button, or in the conversation. What the turn's step committed stays committed.
   */
  private async saveDialogState(ctx: TurnContext, log: Logger): Promise<void> {
    try {
      await this.conversationState.saveChanges(ctx, false);
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
      log.warn({ event: 'turn.stateConflict', status: err.statusCode }, 'dialog state changed by a parallel turn');
      const { t } = turnInfo(ctx);
      const card = message(t.errorTitle, t.conflict, 'warning');
      if (ctx.activity.type === 'invoke') await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: cardInvokeBody(card) } });
      else if (ctx.activity.type === 'message') await ctx.sendActivity({ attachments: [{ contentType: ADAPTIVE, content: card }] });
    }
  }

  /**
   * A message, a card button or the install in a group chat or channel: one card saying the bot
   * works in the personal chat, with a deep link to it (Teams: /l/chat/0/0?users=<bot id>). No menu,
   * no case, no dialog state, no conversation reference is kept for it.
   */
  private async answerOutsidePersonalChat(ctx: TurnContext): Promise<void> {
    const { t } = turnInfo(ctx);
    const a = ctx.activity;
    const botId = a.recipient?.id ?? '';
    const card = withLink(renderMessageCard({ title: t.personalOnlyTitle, text: t.personalOnly, tone: 'info' }), t.openPersonalChat, `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(botId)}`);
    if (executeAction(ctx)) await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: cardInvokeBody(card.content) } });
    else if (a.type === 'message' || (a.type === 'conversationUpdate' && (a.membersAdded ?? []).some((m) => m.id === botId))) await ctx.sendActivity({ attachments: [card] });
  }

  /** A verb this bot defines is logged as it is; anything else a client sent is not repeated. */
  private verbForLog(verb: string | undefined): string | undefined {
    if (verb === undefined) return undefined;
    return verb === FORM_SUBMIT_VERB || this.actions.has(verb) ? verb : '(unknown)';
  }

  /** The turn's child logger: every line carries the turn's correlation id. */
  private turnLog(ctx: TurnContext): Logger {
    return (ctx.turnState.get(TURN_LOG) as Logger | undefined) ?? this.log;
  }

  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    if (ctx.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(ctx);
    const card = await this.answerCardAction(ctx);
    return { status: 200, body: cardInvokeBody(card) };
  }

  /** Every outcome of a card button is a card: the next one, or a clear explanation. */
  private async answerCardAction(ctx: TurnContext): Promise<object> {
    const { t } = turnInfo(ctx);
    const action = executeAction(ctx);
    if (!action) return message(t.unknownActionTitle, t.unknownAction, 'warning');
    try {
      if (action.verb === FORM_SUBMIT_VERB) {
        await this.mainDialog.run(ctx, this.dialogState);
        return invokeCard(ctx) ?? (await staleFormCard(ctx, action.data['formId']));
      }
      const handler = this.actions.get(action.verb);
      if (!handler) {
        this.turnLog(ctx).warn({ event: 'card.unknownVerb', length: action.verb.length }, 'unknown card verb');
        return message(t.unknownActionTitle, t.unknownAction, 'warning');
      }
      const pin = personalIdentityNumberText(t, handler.schema, action.data);
      if (pin) return message(t.invalidCardTitle, pin, 'warning');
      const parsed = handler.schema.safeParse(action.data);
      if (!parsed.success) return message(t.invalidCardTitle, invalidSubmissionText(t, parsed.error.issues), 'warning');
      return (await handler.handle(ctx, parsed.data)).content;
    } catch (err) {
      return this.failureCard(ctx, t, err);
    }
  }

  private failureCard(ctx: TurnContext, t: Texts, err: unknown): object {
    const { correlationId } = turnInfo(ctx);
    const log = this.turnLog(ctx);
    if (err instanceof EffectsPendingError) {
      // The step is committed: its claim stands, the sweep finishes the effects.
      log.warn({ event: 'card.effectsPending', err: (err.cause as Error | undefined)?.message }, 'step committed, effects left to the sweep');
      return message(t.effectsPendingTitle, t.effectsPending, 'warning');
    }
    if (err instanceof StorageUnavailableError) {
      this.deps.stores.claims.abandonUnfollowed();
      log.error({ event: 'card.storageUnavailable', err: err.message }, 'storage unavailable during card action');
      return message(t.errorTitle, t.storageUnavailable, 'error');
    }
    if (err instanceof StorageConflictError) {
      log.warn({ event: 'card.conflict', table: err.table, status: err.statusCode }, 'conflict during card action');
      return message(t.errorTitle, t.conflict, 'warning');
    }
    log.error({ event: 'card.failed', err: errorInfo(err) }, 'card action failed');
    return message(t.errorTitle, t.turnError(correlationId), 'error');
  }

  private async rememberConversation(ctx: TurnContext, personId: string): Promise<void> {
    const a = ctx.activity;
    const personal = !a.conversation?.conversationType || a.conversation.conversationType === 'personal';
    if (!personId || !personal || !a.conversation?.id || !a.serviceUrl) return;
    const fingerprint = `${a.conversation.id}|${a.serviceUrl}`;
    const now = this.deps.clock().getTime();
    const known = this.knownConversations.get(personId);
    if (known && known.fingerprint === fingerprint && now - known.at < 5 * 60_000) return;
    const reference = TurnContext.getConversationReference(a) as unknown as Record<string, unknown>;
    await this.deps.stores.conversations.save({ personId, reference, updatedAt: this.deps.clock().toISOString() });
    if (this.knownConversations.size >= 10_000) this.knownConversations.delete(this.knownConversations.keys().next().value as string);
    this.knownConversations.delete(personId);
    this.knownConversations.set(personId, { fingerprint, at: now });
  }
}

function message(title: string, text: string, tone: 'info' | 'good' | 'warning' | 'error'): object {
  return renderMessageCard({ title, text, tone }).content;
}

export function errorInfo(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack?.split('\n').slice(0, 6).join('\n') };
  return { value: String(err) };
}
