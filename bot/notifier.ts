import type { CloudAdapter, ConversationReference } from 'botbuilder';
import type { CardAttachment } from '../cards/expand';
import { localize, type CardUpdate, type Localized, type Notifier, type OutgoingCard, type SendOutcome } from '../dialogs/ports';
import { texts, type Texts } from '../locale';
import type { ConversationReferences, StoredConversation } from '../storage/conversationReferences';
import { Gate, mapBounded } from '../storage/parallel';
import { pseudonym, type Logger } from './logger';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

const RETRYABLE = new Set([412, 429, 502, 503, 504]);

/**
 * Proactive cards through the stored conversation references. Retries throttling and transient
 * answers (429/412/502/503/504) with exponential backoff and jitter (honouring Retry-After); a 403
 * means the person removed or blocked the bot: the reference is marked stale.
 */
export class ProactiveNotifier implements Notifier {
  /**
   * When each conversation may next be written to. Teams allows only a few messages per second per
   * conversation, so sends to one conversation are spaced (per instance; 429s cover the rest).
   */
  private readonly nextSlot = new Map<string, number>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly refs: ConversationReferences,
    private readonly log: Logger,
    private readonly clock: () => Date,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly minSpacingMs = 300,
    /** LOCALE_OVERRIDE: the language of every card whatever the person's client says (empty = follow it). */
    private readonly localeOverride: '' | 'sv' | 'en' = '',
    /** How many cards of one fan-out are on their way at once. */
    private readonly parallel = 8,
    /**
     * How many sends and replacements are on the wire at once from this instance, across all
     * fan-outs and turns. Unbounded, 50 concurrent "a place ends" (each offer to ~50 officers)
     * had 400 connector requests in flight, each its own socket, and the sockets' buffers raised
     * the bot's RSS by ~40 MB that it never gave back (bench/memoryProbe.ts).
     */
    private readonly wire = new Gate(16),
  ) {}

  /** Waits for this conversation's next free slot and books the one after it. */
  private async pace(conversationId: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot.get(conversationId) ?? 0);
    this.nextSlot.set(conversationId, slot + this.minSpacingMs);
    if (this.nextSlot.size > 10_000) for (const [k, v] of this.nextSlot) if (v < now) this.nextSlot.delete(k);
    if (slot > now) await sleep(slot - now);
  }

  async updateCard(personId: string, activityId: string, card: Localized<CardAttachment>): Promise<boolean> {
    const ok = await updateProactive(this.adapter, this.appId, this.refs, personId, activityId, card, this.localeOverride, undefined, this.wire);
    if (!ok) this.log.warn({ person: pseudonym(personId), event: 'proactive.updateFailed' }, 'could not replace a card');
    return ok;
  }

  async sendCard(personId: string, localizedCard: Localized<CardAttachment>, localizedSummary: Localized<string>): Promise<SendOutcome> {
    return this.deliver(personId, await this.refs.get(personId), localizedCard, localizedSummary);
  }

  /**
   * The same card kind to many people: their conversation references in a few batched reads, then
   * the sends `parallel` at a time (each conversation still paced, retried and marked stale on 403
   * exactly as sendCard does). One outcome per item, in the order given.
   */
  async sendCards(items: readonly OutgoingCard[]): Promise<SendOutcome[]> {
    if (items.length === 0) return [];
    if (items.length === 1) return [await this.sendCard(items[0]!.personId, items[0]!.card, items[0]!.summary)];
    const refs = await this.refs.getMany(items.map((i) => i.personId));
    return mapBounded(items, this.parallel, (i) => this.deliver(i.personId, refs.get(i.personId), i.card, i.summary));
  }

  /** Replaces many cards sent earlier; batched reads and bounded concurrency as sendCards. */
  async updateCards(items: readonly CardUpdate[]): Promise<boolean[]> {
    if (items.length === 0) return [];
    const refs = items.length === 1 ? undefined : await this.refs.getMany(items.map((i) => i.personId));
    return mapBounded(items, this.parallel, async (i) => {
      const ok = await updateProactive(this.adapter, this.appId, this.refs, i.personId, i.activityId, i.card, this.localeOverride, refs ? { stored: refs.get(i.personId) } : undefined, this.wire);
      if (!ok) this.log.warn({ person: pseudonym(i.personId), event: 'proactive.updateFailed' }, 'could not replace a card');
      return ok;
    });
  }

  private async deliver(personId: string, stored: StoredConversation | undefined, localizedCard: Localized<CardAttachment>, localizedSummary: Localized<string>): Promise<SendOutcome> {
    if (!stored) {
      this.log.warn({ person: pseudonym(personId), event: 'proactive.noConversation' }, 'person has not installed the bot');
      return { sent: false, reason: 'noConversation' };
    }
    if (stored.staleSince) return { sent: false, reason: 'stale' };
    const reference = stored.reference as Partial<ConversationReference>;
    const t = textsOf(reference, this.localeOverride);
    const card = forRecipient(await localize(localizedCard, t), reference);
    const summary = await localize(localizedSummary, t);
    await this.pace(reference.conversation?.id ?? personId);
    for (let attempt = 1; ; attempt++) {
      try {
        // The error is caught inside the callback: otherwise the adapter's onTurnError swallows it.
        let failure: unknown;
        let activityId: string | undefined;
        await this.wire.run(() =>
          this.adapter.continueConversationAsync(this.appId, reference, async (ctx) => {
            try {
              activityId = (await ctx.sendActivity({ attachments: [card], summary }))?.id;
            } catch (err) {
              failure = err ?? new Error('send failed');
            }
          }),
        );
        if (failure !== undefined) throw failure;
        this.log.info({ person: pseudonym(personId), event: 'proactive.sent', attempt }, 'proactive card sent');
        return { sent: true, activityId };
      } catch (err) {
        const status = statusOf(err);
        if (status === 403 || status === 404) {
          await this.refs.markStale(personId, this.clock());
          this.log.warn({ person: pseudonym(personId), status, event: 'proactive.stale' }, 'conversation reference is stale');
          return { sent: false, reason: 'stale' };
        }
        const retryable = status === undefined || RETRYABLE.has(status);
        if (!retryable || attempt >= this.retry.attempts) {
          this.log.error({ person: pseudonym(personId), status, attempt, event: 'proactive.failed', err: (err as Error).message }, 'proactive card not sent');
          return { sent: false, reason: 'failed' };
        }
        await sleep(backoff(attempt, this.retry, retryAfterMs(err)));
      }
    }
  }
}

/** Replaces a card sent earlier; one attempt plus the same retries as sending. */
export async function updateProactive(adapter: CloudAdapter, appId: string, refs: ConversationReferences, personId: string, activityId: string, localizedCard: Localized<CardAttachment>, localeOverride: '' | 'sv' | 'en' = '', known?: { stored: StoredConversation | undefined }, wire?: Gate): Promise<boolean> {
  const stored = known ? known.stored : await refs.get(personId);
  if (!stored || stored.staleSince) return false;
  const card = forRecipient(await localize(localizedCard, textsOf(stored.reference as Partial<ConversationReference>, localeOverride)), stored.reference as Partial<ConversationReference>);
  let ok = false;
  const update = () =>
    adapter.continueConversationAsync(appId, stored.reference as Partial<ConversationReference>, async (ctx) => {
      try {
        await ctx.updateActivity({ id: activityId, type: 'message', attachments: [card] });
        ok = true;
      } catch {
        ok = false;
      }
    });
  await (wire ? wire.run(update) : update());
  return ok;
}

/**
 * A card with a Universal Actions `refresh` whose `userIds` are left empty (e.g. routine D's status
 * card): the recipient's Teams id from the conversation reference, so Teams refreshes it for them.
 * Any other card is sent as it is.
 */
export function forRecipient(card: CardAttachment, reference: Partial<ConversationReference>): CardAttachment {
  const refresh = card.content['refresh'] as { userIds?: unknown } | undefined;
  const userId = reference.user?.id;
  if (!refresh || !Array.isArray(refresh.userIds) || refresh.userIds.length > 0 || !userId) return card;
  return { ...card, content: { ...card.content, refresh: { ...refresh, userIds: [userId] } } };
}

/** The recipient's language: the locale of their own latest turn with the bot (Swedish when unknown). */
function textsOf(reference: Partial<ConversationReference>, override: '' | 'sv' | 'en'): Texts {
  return texts(override || reference.locale);
}

export function backoff(attempt: number, p: RetryPolicy, retryAfter?: number): number {
  const exp = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exp / 2 + Math.random() * (exp / 2);
  return Math.max(jittered, retryAfter ?? 0);
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; response?: { status?: unknown } } | null;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

function retryAfterMs(err: unknown): number | undefined {
  const h = (err as { response?: { headers?: { get?(n: string): string | undefined } } } | null)?.response?.headers;
  const v = typeof h?.get === 'function' ? h.get('retry-after') : undefined;
  const s = v ? Number(v) : NaN;
  return Number.isFinite(s) ? Math.min(s * 1000, 30_000) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
