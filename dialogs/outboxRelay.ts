import type { CardAttachment } from '../cards/expand';
import type { Texts } from '../locale';
import type { CardSpec, Effect, JournalEffect } from '../routines/shared/effects';
import type { Stored } from '../storage/entityTable';
import { StorageConflictError } from '../storage/errors';
import type { OutboxRow, OutboxRows } from '../storage/outbox';
import type { DialogDeps } from './ports';

/** How a routine turns the card kinds of its effects into cards (dialogs/<routine>/effectCards.ts). */
export interface CardRenderer {
  /** A card to one person, in their language (notify effects). */
  render?(data: CardSpec['data'], t: Texts, personId: string): Promise<{ card: CardAttachment; summary: string }> | { card: CardAttachment; summary: string };
  /** Re-renders the cards sent earlier about an aggregate for every viewer but `except` (refreshCards effects). */
  refresh?(data: CardSpec['data'], except: string | undefined): Promise<void>;
}
export type CardRenderers = Readonly<Record<string, CardRenderer>>;

/** What a relay reports of one step: the notify effects whose card did not reach the person. */
export interface Delivery {
  undelivered: ReadonlySet<string>;
}

/** How long a sweep may take over a step before another relay may. */
const SWEEP_CLAIM_MS = 120_000;

/**
 * Carries out the effects a step committed in its outbox row (storage/outbox.ts), in their order,
 * each at most once however often the relay runs: tasks are created or closed by their fixed ids,
 * journal rows have keys derived from the effect id, and a card's outcome (sent, with its activity
 * id, or not reached) is recorded in the outbox row before the next effect — so a relay after a
 * crash sends only what had not gone. The journal events come last, in one request per case, so
 * they can say who was not reached. The row is deleted when everything is done.
 *
 * The turn that committed the step runs it at once (the row is claimed for that turn for a
 * minute); the sweep runs what a crashed or failed turn left, on any instance (claimed with the
 * row's ETag, so two instances never work on one step at once).
 */
export class OutboxRelay {
  constructor(
    private readonly deps: Pick<DialogDeps, 'stores' | 'notifier' | 'clock'>,
    private readonly outbox: OutboxRows,
    private readonly cards: CardRenderers,
  ) {}

  async deliver(row: Stored<OutboxRow>, replay = false): Promise<Delivery> {
    let current = row;
    const notDelivered = () => new Set(Object.entries(current.value.outcomes).flatMap(([id, o]) => (o.delivered ? [] : [id])));
    const journal: JournalEffect[] = [];
    for (const effect of row.value.effects) {
      if (effect.type === 'journal') journal.push(effect);
      else current = await this.apply(effect, current, replay);
    }
    const undelivered = notDelivered();
    await this.deps.stores.journal.appendOnce(
      journal.map((j) => ({
        id: j.id,
        event: j.undeliveredFrom && undelivered.has(j.undeliveredFrom.effect) ? { ...j.event, details: { ...j.event.details, notReached: j.undeliveredFrom.notReachedName } } : j.event,
      })),
    );
    await this.outbox.remove(current).catch(ignoreConflict);
    return { undelivered };
  }

  /** The steps a crashed or failed turn left (their claim expired): claimed, then carried out. Returns how many. */
  async relayPending(now: Date): Promise<number> {
    let n = 0;
    for (const row of await this.outbox.pending()) {
      if (Date.parse(row.value.claimedUntil) > now.getTime()) continue;
      const claimed = await this.outbox.claim(row, new Date(now.getTime() + SWEEP_CLAIM_MS));
      if (!claimed) continue;
      await this.deliver(claimed, true);
      n++;
    }
    return n;
  }

  private async apply(effect: Exclude<Effect, JournalEffect>, row: Stored<OutboxRow>, replay: boolean): Promise<Stored<OutboxRow>> {
    const { stores, notifier } = this.deps;
    switch (effect.type) {
      case 'openTask':
        await stores.tasks.open(effect.task, effect.reminders, replay);
        return row;
      case 'closeTask': {
        const open = await stores.tasks.openById(effect.unit, effect.taskId);
        if (open) await stores.tasks.close({ unit: effect.unit, taskId: effect.taskId, dueDate: open.dueDate }, effect.outcome, effect.by, new Date(effect.at)).catch(ignoreConflict);
        return row;
      }
      case 'refreshCards':
        await this.renderer(effect.card.kind).refresh?.(effect.card.data, effect.except);
        return row;
      case 'notify': {
        if (row.value.outcomes[effect.id]) return row;
        const r = this.renderer(effect.card.kind);
        const out = await notifier.sendCard(
          effect.personId,
          async (t) => (await r.render!(effect.card.data, t, effect.personId)).card,
          async (t) => (await r.render!(effect.card.data, t, effect.personId)).summary,
        );
        return this.outbox.record(row, effect.id, out.sent ? { delivered: true, activityId: out.activityId } : { delivered: false, reason: out.reason });
      }
    }
  }

  private renderer(kind: string): CardRenderer {
    const r = this.cards[kind];
    if (!r) throw new Error(`no renderer for the card kind ${kind}`);
    return r;
  }
}

function ignoreConflict(err: unknown): void {
  if (!(err instanceof StorageConflictError)) throw err;
}
