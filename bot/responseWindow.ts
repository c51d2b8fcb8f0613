import type { Response, TurnContext } from 'botbuilder';

const WINDOW = Symbol('responseWindow');

/**
 * The HTTP answer of one turn, which the turn may give before it ends: a step commits, the person
 * gets their answer, and the step's effects (cards to others, tasks, journal) are carried out in
 * the rest of the turn. The adapter (CloudAdapter.process) writes the answer at the end of the turn
 * through `response`; once answered early, that late write is dropped.
 */
export class ResponseWindow {
  private code = 200;
  private body: unknown;
  /** The card the early answer carried (an invoke's), to compare with the turn's last word. */
  answeredWith: object | undefined;
  answered = false;

  constructor(private readonly res: Response) {}

  /** Answers now: status and body as CloudAdapter would write them. */
  answer(status: number, body?: unknown): void {
    if (this.answered) return;
    this.answered = true;
    this.res.status(status);
    if (body !== undefined) this.res.send(body);
    this.res.end();
  }

  /** What the adapter writes to: passed on unless the turn answered already. */
  readonly response: Response = {
    socket: undefined,
    status: (code: number) => {
      this.code = code;
      return this.response;
    },
    header: (name: string, value: unknown) => {
      if (!this.answered) this.res.header(name, value);
      return this.response;
    },
    send: (body: unknown) => {
      this.body = body;
      return this.response;
    },
    end: () => {
      if (!this.answered) this.answer(this.code, this.body);
      return this.response;
    },
  } as unknown as Response;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** The body of the invoke response that answers a card button with a card (Universal Actions). */
export function cardInvokeBody(card: object): { statusCode: 200; type: string; value: object } {
  return { statusCode: 200, type: ADAPTIVE, value: card };
}

/**
 * Shows `card` where the person pressed, after the turn has answered already: the pressed card is
 * updated in place (the invoke's replyToId), or the card is sent as a message where there is no
 * card to update (or the update fails: `onUpdateFailed` is told why).
 */
export async function replacePressedCard(ctx: TurnContext, card: object, onUpdateFailed?: (err: unknown) => void): Promise<void> {
  const attachments = [{ contentType: ADAPTIVE, content: card }];
  const id = ctx.activity.replyToId;
  if (id) {
    try {
      await ctx.updateActivity({ id, type: 'message', attachments });
      return;
    } catch (err) {
      onUpdateFailed?.(err);
    }
  }
  await ctx.sendActivity({ attachments });
}

export function setResponseWindow(ctx: TurnContext, window: ResponseWindow): void {
  ctx.turnState.set(WINDOW, window);
}
export function responseWindowOf(ctx: TurnContext): ResponseWindow | undefined {
  return ctx.turnState.get(WINDOW) as ResponseWindow | undefined;
}

/** Turns still running (some after their answer): waited for on close, and by tests. */
export class TurnsInFlight {
  private readonly running = new Set<Promise<unknown>>();
  /** Told the correlation id of each turn that ended (the benchmark waits for a step's effects by it). */
  onEnded: ((correlationId: string) => void) | undefined;
  track(p: Promise<unknown>, correlationId: string): void {
    const done = p.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(done);
    void done.then(() => {
      this.running.delete(done);
      this.onEnded?.(correlationId);
    });
  }
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all(this.running);
  }
}
