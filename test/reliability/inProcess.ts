import { randomUUID } from 'node:crypto';
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { describeActivityProblems } from '../../bot/activitySchema';
import type { App } from '../../bot/app';
import { createFeatures } from '../../dialogs/features';

/**
 * The app's turn handler without HTTP: the same validation as /api/messages, then the same
 * TeamsBot.run on the same storage, with replies recorded in memory instead of posted to a
 * connector. The fast path for large fuzz runs; the HTTP path is fuzzed too, with fewer cases.
 */
const INVOKE = Symbol('recordedInvokeResponse');

export class InProcessTurns extends BotAdapter {
  sent = 0;
  /** Turns that failed (on the HTTP path these become "something went wrong" messages). */
  readonly failures: Error[] = [];
  constructor(private readonly app: App) {
    super();
    this.onTurnError = async (ctx, err) => {
      this.failures.push(err);
      await app.adapter.onTurnError(ctx, err);
    };
  }

  async sendActivities(ctx: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const a of activities) if (a.type === 'invokeResponse') ctx.turnState.set(INVOKE, a.value);
    this.sent += activities.length;
    return activities.map(() => ({ id: randomUUID() }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(_ref: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    void logic;
  }

  /** 400 for what the server rejects, else runs the turn; returns the invoke response (if any) or 200. */
  async process(body: unknown): Promise<{ status: number; invoke?: { status: number; body?: unknown } }> {
    if (describeActivityProblems(body)) return { status: 400 };
    const ctx = new TurnContext(this, body as Partial<Activity>);
    await this.runMiddleware(ctx, (c) => this.app.bot.run(c));
    const invoke = ctx.turnState.get(INVOKE) as { status: number; body?: unknown } | undefined;
    return invoke ? { status: invoke.status, invoke } : { status: 200 };
  }
}

/** Every state-changing card verb the app registers (routines added later are included by themselves). */
export function cardVerbs(app: App): string[] {
  return createFeatures(app.deps).flatMap((f) => (f.cardActions ?? []).map((a) => a.verb));
}
