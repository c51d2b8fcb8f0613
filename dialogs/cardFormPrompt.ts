import { Dialog, type DialogContext, type DialogTurnResult } from './botbuilderDialogs';
import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { CardAttachment } from '../cards/expand';
import { FORM_SUBMIT_VERB } from '../cards/expand';
import { renderFormSummary } from '../cards/formSummary';
import { renderMessageCard } from '../cards/message';
import { typedFieldWithPersonalIdentityNumber } from '../cards/typed';
import { keptValues, withValues } from '../cards/formValues';
import { formatInstant, refusalText, type Texts } from '../locale';
import { refuse } from '../routines/shared/refusal';
import { executeAction, keepDialogStateAsRead, setInvokeCard, turnInfo } from './turn';
import { answersEarly, onceAnswered } from './earlyReply';

/**
 * How a form is sent once. `claim` (the default): a claim row before the form goes on, so of two
 * presses at once only the first does; the other reads who sent it. `step`: the step the form
 * leads to happens once by itself (its id derives from the form's, its outbox row records who did
 * it), so nothing is written before it: the dialog that runs it answers a parallel press with
 * `answerSentAlready`, and the claim is written after the answer only as the receipt a later press
 * of the same form reads ("already sent by … at …").
 */
export type SentOnce = 'claim' | 'step';

export interface CardFormOptions {
  /** Serializable data for the card's render function (kept in dialog state to re-render). */
  data: Record<string, unknown>;
}

interface FormState {
  formId: string;
  data: Record<string, unknown>;
}

/**
 * Sends a form card and waits for its Action.Execute submission (verb `form.submit`). The
 * submission is parsed with the card's zod schema; an invalid one re-renders the card in place
 * with the problem named. A submission of another (older) form is answered as a stale card.
 * Typing while the form waits gets a hint; interruptions (cancel, help, menu) are handled above.
 */
export class CardFormPrompt<T> extends Dialog<CardFormOptions> {
  constructor(
    id: string,
    private readonly render: (data: Record<string, unknown> & { formId: string; error: string }, t: Texts) => CardAttachment,
    private readonly schema: z.ZodType<T>,
    private readonly sentOnce: SentOnce | ((submission: T) => SentOnce) = 'claim',
  ) {
    super(id);
  }

  override async beginDialog(dc: DialogContext, options?: CardFormOptions): Promise<DialogTurnResult> {
    const state: FormState = { formId: `${this.id}:${turnInfo(dc.context).now.getTime().toString(36)}:${Math.random().toString(36).slice(2, 10)}`, data: options?.data ?? {} };
    dc.activeDialog!.state = state;
    await dc.context.sendActivity({ attachments: [this.render({ ...state.data, formId: state.formId, error: '' }, turnInfo(dc.context).t)] });
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as FormState;
    const { t, now, personName } = turnInfo(dc.context);
    const action = executeAction(dc.context);
    if (!action) {
      if (dc.context.activity.type === 'message') await dc.context.sendActivity(t.fillInCard);
      return Dialog.EndOfTurn;
    }
    if (action.verb !== FORM_SUBMIT_VERB || action.data['formId'] !== state.formId) {
      setInvokeCard(dc.context, await staleFormCard(dc.context, action.data['formId']));
      return Dialog.EndOfTurn;
    }
    // A refused form comes back with every valid value the person entered, the refused field named
    // and left empty (never echoing a personal identity number back).
    const pin = personalIdentityNumberText(t, this.schema, action.data);
    if (pin) {
      const field = typedFieldWithPersonalIdentityNumber(this.schema, action.data) ?? '';
      setInvokeCard(dc.context, withValues(this.render({ ...state.data, formId: state.formId, error: pin }, t), keptValues(action.data, [field])).content);
      return Dialog.EndOfTurn;
    }
    const parsed = this.schema.safeParse(action.data);
    if (!parsed.success) {
      const refused = parsed.error.issues.map((i) => String(i.path[0] ?? ''));
      setInvokeCard(dc.context, withValues(this.render({ ...state.data, formId: state.formId, error: invalidSubmissionText(t, parsed.error.issues) }, t), keptValues(action.data, refused)).content);
      return Dialog.EndOfTurn;
    }
    // A form is sent once: of two presses at the same moment only the first goes on; the other
    // reads who sent it and when. A claim whose turn died (the form still waits long after) is
    // taken over, so a crash never leaves the person stuck; so is one whose turn failed on
    // storage before the form's effect was written (effectFollows), at once.
    const { claims, personId } = turnInfo(dc.context);
    const once = typeof this.sentOnce === 'function' ? this.sentOnce(parsed.data) : this.sentOnce;
    if (claims && once === 'step' && answersEarly()) {
      const formId = state.formId;
      onceAnswered(() => claims.claim(FORM_CLAIMS, formId, { byId: personId, byName: personName, at: now.toISOString() }));
    } else if (claims) {
      const c = await claims.claim(FORM_CLAIMS, state.formId, { byId: personId, byName: personName, at: now.toISOString() }, { takeOverAfterMs: FORM_CLAIM_TAKEOVER_MS, effectFollows: true });
      if (!c.ok) {
        setInvokeCard(dc.context, alreadySentCard(t, c.claim.byName, c.claim.at));
        return Dialog.EndOfTurn;
      }
    }
    // The form is replaced by what was sent, read back: its title, each field filled in by its label
    // and the value as the person saw it (cards/formSummary.ts), then who sent it and when.
    const form = this.render({ ...state.data, formId: state.formId, error: '' }, t);
    setInvokeCard(dc.context, renderFormSummary(t, form, action.data, { by: personName, at: now.toISOString() }).content);
    return dc.endDialog(parsed.data);
  }
}

const FORM_CLAIMS = 'form';
/** After this long a claimed form that still waits is taken to belong to a turn that died. */
const FORM_CLAIM_TAKEOVER_MS = 60_000;

function alreadySentCard(t: Texts, byName: string, at: string): object {
  return renderMessageCard({ title: t.staleCardTitle, text: refusalText(t, refuse('alreadyDone', { by: byName, at: formatInstant(t, at) })), tone: 'warning' }).content;
}

/**
 * A form whose step (`sentOnce: 'step'`) was done by a parallel press of the same form: the person
 * is told who sent it and when, and this turn leaves the dialog where it was (the other turn moves it on).
 */
export function answerSentAlready(ctx: TurnContext, by: string, at: string): void {
  setInvokeCard(ctx, alreadySentCard(turnInfo(ctx).t, by, at));
  keepDialogStateAsRead(ctx);
}

/** A press of a form that no longer waits: "already sent by … at …" when it was sent, else "no longer valid". */
export async function staleFormCard(ctx: TurnContext, formId: unknown): Promise<object> {
  const { t, claims } = turnInfo(ctx);
  const claim = claims && typeof formId === 'string' && formId.length > 0 && formId.length <= 200 ? await claims.get(FORM_CLAIMS, formId) : undefined;
  if (claim) return alreadySentCard(t, claim.byName, claim.at);
  return renderMessageCard({ title: t.staleCardTitle, text: t.staleCard, tone: 'warning' }).content;
}

/**
 * What is wrong with a submission, naming each field — and the limit, for a text that is too long
 * (so a person who pasted too much knows how much fits).
 */
export function invalidSubmissionText(t: Texts, issues: readonly z.core.$ZodIssue[]): string {
  const fields = [...new Set(issues.map((i) => String(i.path[0] ?? '')))].map((f) => t.field[f] ?? f).join(', ');
  const tooLong = issues.find((i) => i.code === 'too_big' && i.origin === 'string');
  const limit = tooLong && tooLong.code === 'too_big' ? ` ${refusalText(t, refuse('textTooLong', { max: Number(tooLong.maximum) }))}` : '';
  return t.invalidCard(fields) + limit;
}

/**
 * "Check: <field>. No personal identity numbers…" when a field a person typed (marked so in the
 * card's schema) holds one; checked before the schema parses. Ids and choice values are not looked at.
 */
export function personalIdentityNumberText(t: Texts, schema: z.ZodType, data: Record<string, unknown>): string | undefined {
  const field = typedFieldWithPersonalIdentityNumber(schema, data);
  return field ? `${t.invalidCard(t.field[field] ?? field)} ${refusalText(t, refuse('personalIdentityNumber', { field }))}` : undefined;
}
