import { sv } from '../locale/sv';
import { TeamsChannel, type Person } from '../test/helpers/activities';
import type { BenchConnector, SentActivity } from './connector';
import type { TurnResult } from './driver';
import { postActivity } from './http';

export interface Answer {
  /** The invoke response's card (Action.Execute), if any. */
  card?: Record<string, unknown>;
  /** What the bot sent into the conversation in answer to this activity. */
  replies: SentActivity[];
}

type Check = (a: Answer) => string | undefined;
type Activity = { id: string } & Record<string, unknown>;

const ERROR_MARKERS: Array<[string, string]> = [
  [sv.errorTitle, 'error card'],
  [sv.unknownActionTitle, 'unknown action card'],
  [sv.invalidCardTitle, 'invalid card'],
];

/** A refusal or failure card in the answer, if any (by the Swedish texts staff would read). */
export function failureIn(a: Answer): string | undefined {
  const all = JSON.stringify([a.card ?? null, a.replies]);
  // A card's title TextBlock says it (matched as a whole text, not as a part of another one).
  for (const [marker, what] of ERROR_MARKERS) if (all.includes(`"text":${JSON.stringify(marker)}`)) return what;
  return undefined;
}

/**
 * Turns through one bot's real /api/messages, as Teams sends them, each checked: the answer
 * (the invoke's card, the replies that reached the connector) must say the step happened.
 */
export class BotTurns {
  readonly channel: TeamsChannel;

  constructor(
    readonly url: string,
    readonly connector: BenchConnector,
    /**
     * The bot's report that a turn ended (bench/world.ts Child.turnEnded): a step answers before
     * its effects are carried out, so the turn is checked — and the worker goes on — only then.
     * Its time stays the time to the answer.
     */
    private readonly turnEnded?: (id: string) => Promise<void>,
  ) {
    this.channel = new TeamsChannel(connector.url);
  }

  /** One turn, timed; `check` names what is wrong with the answer, if anything. */
  async timed(activity: Activity, check: Check): Promise<TurnResult> {
    const c = this.connector;
    c.expect(activity.id);
    const calls0 = c.calls;
    const t0 = performance.now();
    let res;
    try {
      res = await postActivity(this.url, activity);
    } catch (err) {
      c.takeReplies(activity.id);
      return { ms: performance.now() - t0, error: `http: ${(err as Error).message}` };
    }
    const replyAt = performance.now();
    const out: TurnResult = { ms: replyAt - t0, replyAt };
    const turnId = res.headers['x-correlation-id'];
    if (typeof turnId === 'string') out.turnId = turnId;
    if (this.turnEnded && typeof turnId === 'string') {
      const ended = await Promise.race([this.turnEnded(turnId).then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 60_000).unref())]);
      if (!ended) {
        c.takeReplies(activity.id);
        return { ...out, error: 'the turn did not end within 60 s of its answer' };
      }
    }
    out.connectorCalls = c.calls - calls0;
    const replies = c.takeReplies(activity.id);
    if (res.status !== 200) {
      out.error = `HTTP ${res.status}`;
      return out;
    }
    let card: Record<string, unknown> | undefined;
    if (res.body) {
      try {
        card = (JSON.parse(res.body) as { value?: Record<string, unknown> }).value;
      } catch {
        out.error = 'invoke answer is not JSON';
        return out;
      }
    }
    const answer: Answer = { replies, ...(card ? { card } : {}) };
    const problem = failureIn(answer) ?? check(answer);
    if (problem) out.error = problem;
    return out;
  }

  /** A preparing turn (not measured): throws when it did not do what it must. */
  async step(activity: Activity, check: Check, what: string): Promise<void> {
    const r = await this.timed(activity, check);
    if (r.error) throw new Error(`prepare ${what}: ${r.error}`);
  }

  formIdFor(p: Person, prefix: string): string {
    const id = this.connector.formId(this.channel.conversationOf(p));
    if (!id || !id.startsWith(prefix)) throw new Error(`no ${prefix} form waiting for ${p.id} (last: ${id ?? 'none'})`);
    return id;
  }

  // --- checks -----------------------------------------------------------------------------

  static sent(text: string, what: string): Check {
    return (a) => (JSON.stringify(a.replies).includes(JSON.stringify(text).slice(1, -1)) ? undefined : `no ${what} in the replies`);
  }

  static form(prefix: string): Check {
    return (a) => (JSON.stringify(a.replies).includes(`"formId":"${prefix}`) ? undefined : `no ${prefix} form in the replies`);
  }

  static cardReceived: Check = (a) => (a.card && JSON.stringify(a.card).includes(JSON.stringify(sv.cardReceivedTitle).slice(1, -1)) ? undefined : 'invoke answer is not "card received"');

  static both(...checks: Check[]): Check {
    return (a) => {
      for (const c of checks) {
        const p = c(a);
        if (p) return p;
      }
      return undefined;
    };
  }

  // --- the turns --------------------------------------------------------------------------

  menu(p: Person): Promise<TurnResult> {
    return this.timed(this.channel.message(p, 'meny'), BotTurns.sent(sv.menuIntro, 'menu card'));
  }

  hello(p: Person): Promise<void> {
    return this.step(this.channel.message(p, 'hej'), (a) => (a.replies.length ? undefined : 'no reply'), 'first message');
  }

  openA(p: Person): Promise<TurnResult> {
    return this.timed(this.channel.submit(p, { menu: 'A' }), BotTurns.form('a.form.actions:'));
  }

  /** Routine A's actions form answered with `action` (the next form must come). */
  chooseA(p: Person, action: string, nextForm: string): Promise<TurnResult> {
    return this.timed(this.channel.execute(p, 'form.submit', { formId: this.formIdFor(p, 'a.form.actions:'), action }), BotTurns.both(BotTurns.cardReceived, BotTurns.form(nextForm)));
  }

  /** Opens routine A, chooses to join a queue and fills in the case: the consent form then waits. */
  async prepareAtConsent(p: Person, reference: string, providerId: string): Promise<void> {
    await this.step(this.channel.submit(p, { menu: 'A' }), BotTurns.form('a.form.actions:'), 'open A');
    await this.step(this.channel.execute(p, 'form.submit', { formId: this.formIdFor(p, 'a.form.actions:'), action: 'join' }), BotTurns.form('a.form.join:'), 'join');
    await this.step(
      this.channel.execute(p, 'form.submit', { formId: this.formIdFor(p, 'a.form.join:'), reference, initials: 'AB', protectedIdentity: 'false', providerId, requestDate: '2026-11-20' }),
      BotTurns.form('a.form.consent:'),
      'case form',
    );
  }

  /** The consent form submitted: the person must be queued and the provider told. */
  register(p: Person, providerName: string): Promise<TurnResult> {
    const today = new Date().toISOString().slice(0, 10);
    const queued = sv.a.queued(providerName, 0).split('**')[0]!;
    return this.timed(
      this.channel.execute(p, 'form.submit', { formId: this.formIdFor(p, 'a.form.consent:'), consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: today, toldHowToRevoke: 'true' }),
      BotTurns.both(BotTurns.cardReceived, BotTurns.sent(queued, '"queued"'), (a) => (JSON.stringify(a.replies).includes(JSON.stringify(sv.a.providerTold(providerName, false)).slice(1, -1)) ? undefined : 'provider not told')),
    );
  }

  /** Opens routine A and picks "a place ends": the provider pick form then waits (one step per form: a.form.pickStep). */
  async prepareRelease(p: Person): Promise<void> {
    await this.step(this.channel.submit(p, { menu: 'A' }), BotTurns.form('a.form.actions:'), 'open A');
    await this.step(this.channel.execute(p, 'form.submit', { formId: this.formIdFor(p, 'a.form.actions:'), action: 'release' }), BotTurns.form('a.form.pickStep:'), 'release');
  }

  release(p: Person, providerId: string, providerName: string): Promise<TurnResult> {
    return this.timed(this.channel.execute(p, 'form.submit', { formId: this.formIdFor(p, 'a.form.pickStep:'), providerId }), BotTurns.both(BotTurns.cardReceived, BotTurns.sent(sv.a.releaseDone(providerName, 0, 1), '"place released"')));
  }

  approve(p: Person, spId: string): Promise<TurnResult> {
    return this.timed(this.channel.execute(p, 'd.plan.decide', { spId, administration: 'ffs', version: 1, decision: 'approved' }), (a) => {
      if (!a.card) return 'no card in the invoke answer';
      if (JSON.stringify(a.card).includes(JSON.stringify(sv.personNotReached('Sofia Sandberg')).slice(1, -1))) return 'initiator not reached';
      return undefined;
    });
  }
}
