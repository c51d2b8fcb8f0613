import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { z } from 'zod';
import type { CardAttachment } from '../cards/expand';
import { FORM_SUBMIT_VERB } from '../cards/expand';
import { renderMessageCard } from '../cards/message';
import { formatInstant, type Texts } from '../locale';
import { executeAction, setInvokeCard, turnInfo } from './turn';

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
      setInvokeCard(dc.context, renderMessageCard({ title: t.staleCardTitle, text: t.staleCard, tone: 'warning' }).content);
      return Dialog.EndOfTurn;
    }
    const parsed = this.schema.safeParse(action.data);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))].map((f) => t.field[f] ?? f).join(', ');
      setInvokeCard(dc.context, this.render({ ...state.data, formId: state.formId, error: t.invalidCard(fields) }, t).content);
      return Dialog.EndOfTurn;
    }
    setInvokeCard(dc.context, renderMessageCard({ title: t.cardReceivedTitle, text: t.cardReceived(personName, formatInstant(t, now.toISOString())), tone: 'good' }).content);
    return dc.endDialog(parsed.data);
  }
}
