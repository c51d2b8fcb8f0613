import type { CardAttachment } from '../cards/expand';
import type { Texts } from '../locale';
import { accessEntry } from '../routines/shared/accessLog';
import { mayTell } from '../routines/shared/consent';
import type { CardSpec, Effect, JournalEffect, NotifyEffect } from '../routines/shared/effects';
import type { JournalEvent } from '../routines/shared/journal';
import type { StaffMember } from '../routines/shared/organisation';
import type { Stored } from '../storage/entityTable';
import { StorageConflictError } from '../storage/errors';
import { DONE_KEPT_MS, type EffectOutcome, type OutboxRow, type OutboxRows } from '../storage/outbox';
import { sendCards, updateCards, type CardUpdate, type DialogDeps } from './ports';

/** How a routine turns the card kinds of its effects into cards (dialogs/<routine>/effectCards.ts). */
export interface CardRenderer {
  /** Reads what every card of one notify effect is rendered from, once (e.g. the aggregate and its case). */
  prepare?(data: CardSpec['data']): Promise<unknown>;
  /**
   * A card to one person, in their language (notify effects). `viewer`: the recipient, when the
   * relay knows them (a card to a role); `prepared`: what `prepare` returned.
   */
  render?(data: CardSpec['data'], t: Texts, personId: string, viewer: StaffMember | undefined, prepared: unknown): Promise<{ card: CardAttachment; summary: string }> | { card: CardAttachment; summary: string };
  /** Re-renders the cards sent earlier about an aggregate for every viewer but `except` (refreshCards effects): the updates, which the relay makes. */
  refresh?(data: CardSpec['data'], except: string | undefined): Promise<readonly CardUpdate[] | void>;
  /** Keeps the ids of the cards a notify effect with `remember` sent on the aggregate (idempotent: an id kept already is not added again). */
  remember?(data: CardSpec['data'], sent: ReadonlyArray<{ personId: string; activityId: string }>): Promise<void>;
}
export type CardRenderers = Readonly<Record<string, CardRenderer>>;

/** How a routine writes the rows of its record effects, by kind (idempotent: writing one twice changes nothing). */
export type RecordWriters = Readonly<Record<string, (data: Record<string, string | number | boolean>) => Promise<void>>>;

/** What a relay reports of one step: per notify effect, who got the card and who did not. */
export interface Delivery {
  /** The notify effects whose card reached nobody. */
  undelivered: ReadonlySet<string>;
  outcomes: ReadonlyMap<string, EffectOutcome>;
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
    private readonly deps: Pick<DialogDeps, 'stores' | 'notifier' | 'clock' | 'logScope'>,
    private readonly outbox: OutboxRows,
    private readonly cards: CardRenderers,
    private readonly records: RecordWriters = {},
  ) {}

  async deliver(row: Stored<OutboxRow>, replay = false): Promise<Delivery> {
    let current = row;
    const journal: JournalEffect[] = [];
    for (const effect of row.value.effects) {
      if (effect.type === 'journal') journal.push(effect);
      else current = await this.apply(effect, current, replay);
    }
    const outcomes = new Map(Object.entries(current.value.outcomes));
    await this.deps.stores.journal.appendOnce(journal.map((j) => ({ id: j.id, event: withDelivery(j, outcomes) })));
    await this.outbox.remove(current).catch(ignoreConflict);
    return { undelivered: new Set([...outcomes].flatMap(([id, o]) => (o.delivered ? [] : [id]))), outcomes };
  }

  /**
   * The steps a crashed or failed turn left (their claim expired): claimed, then carried out.
   * Returns how many. A step that fails again is reported to `onError` and left for the next
   * sweep (its claim expires); it never holds up the others.
   */
  async relayPending(now: Date, onError: (err: unknown, stepId: string) => void = () => undefined): Promise<number> {
    let n = 0;
    for (const row of await this.outbox.rows()) {
      if (row.value.done) {
        // A form's step, done a day ago: nobody submits that form again now.
        if (now.getTime() - Date.parse(row.value.createdAt) > DONE_KEPT_MS) await this.outbox.remove(row).catch(ignoreConflict);
        continue;
      }
      if (Date.parse(row.value.claimedUntil) > now.getTime()) continue;
      // Its log lines (a failure too) name the step whose effects these are, from its first journal event.
      const first = row.value.effects.find((e): e is JournalEffect => e.type === 'journal')?.event;
      const scope = this.deps.logScope ?? ((_fields, fn) => fn());
      await scope(first ? { routine: first.routine, step: `${first.step.replace(/^[a-d]\./, '')}.relay` } : { step: 'outbox.relay' }, async () => {
        try {
          const claimed = await this.outbox.claim(row, new Date(now.getTime() + SWEEP_CLAIM_MS));
          if (!claimed) return;
          await this.deliver(claimed, true);
          n++;
        } catch (err) {
          onError(err, row.value.stepId);
        }
      });
    }
    return n;
  }

  private async apply(effect: Exclude<Effect, JournalEffect>, row: Stored<OutboxRow>, replay: boolean): Promise<Stored<OutboxRow>> {
    const { stores } = this.deps;
    switch (effect.type) {
      case 'openTask':
        await stores.tasks.open(effect.task, effect.reminders, replay);
        return row;
      case 'closeTask': {
        const open = await stores.tasks.openById(effect.unit, effect.taskId);
        if (open) await stores.tasks.close({ unit: effect.unit, taskId: effect.taskId, dueDate: open.dueDate }, effect.outcome, effect.by, new Date(effect.at)).catch(ignoreConflict);
        return row;
      }
      case 'closeTasks':
        for (const open of await stores.tasks.openByIdPrefix(effect.unit, effect.prefix)) {
          await stores.tasks.close({ unit: effect.unit, taskId: open.taskId, dueDate: open.dueDate }, effect.outcome, effect.by, new Date(effect.at)).catch(ignoreConflict);
        }
        return row;
      case 'recordConsent':
        await stores.consents.add(effect.consent).catch(ignoreConflict);
        return row;
      case 'createCase':
        await stores.cases.add(effect.caseFile).catch(ignoreConflict);
        return row;
      case 'record': {
        const write = this.records[effect.kind];
        if (!write) throw new Error(`no writer for the record kind ${effect.kind}`);
        await write(effect.data);
        return row;
      }
      case 'refreshCards':
      {
        const updates = await this.renderer(effect.card.kind).refresh?.(effect.card.data, effect.except);
        if (updates?.length) await updateCards(this.deps.notifier, updates);
        return row;
      }
      case 'notify': {
        let current = row;
        let outcome = row.value.outcomes[effect.id];
        if (!outcome) {
          const sentTo: StaffMember[] = [];
          outcome = await this.notify(effect, sentTo);
          current = await this.outbox.record(row, effect.id, outcome);
          // After the record, so no crash point lies between a card and its record (a card sent twice); a crash right here loses the rows.
          await this.logDelivered(effect, outcome, row, sentTo);
        }
        // Also on a replay (the step may have died between the record and this): remembering is idempotent.
        const sent = effect.personId !== undefined ? (outcome.activityId ? [{ personId: effect.personId, activityId: outcome.activityId }] : []) : (outcome.reached ?? []).flatMap((r) => (r.activityId ? [{ personId: r.personId, activityId: r.activityId }] : []));
        if (effect.remember && sent.length) await this.renderer(effect.card.kind).remember?.(effect.card.data, sent);
        return current;
      }
    }
  }

  /** Sends one notify effect's card: consent checked now; to the person, or to every holder of the role (put in `holders`, for the access log). */
  private async notify(effect: NotifyEffect, holders: StaffMember[] = []): Promise<EffectOutcome> {
    const { stores, notifier, clock } = this.deps;
    if (effect.consent) {
      const consents = await stores.consents.forCase(effect.consent.caseId);
      if (!mayTell(consents, effect.consent.caseId, effect.consent.recipient, clock()).ok) return { delivered: false, reason: 'consent' };
    }
    const r = this.renderer(effect.card.kind);
    const prepared = r.prepare ? await r.prepare(effect.card.data) : undefined;
    const card = (personId: string, viewer?: StaffMember) => {
      // The card and its summary from one rendering per language (a renderer may read storage).
      const rendered = new Map<Texts, Promise<{ card: CardAttachment; summary: string }>>();
      const once = (t: Texts) => rendered.get(t) ?? rendered.set(t, Promise.resolve(r.render!(effect.card.data, t, personId, viewer, prepared))).get(t)!;
      return { personId, card: async (t: Texts) => (await once(t)).card, summary: async (t: Texts) => (await once(t)).summary };
    };
    if (effect.personId !== undefined) {
      const one = card(effect.personId);
      const out = await notifier.sendCard(effect.personId, one.card, one.summary);
      return out.sent ? { delivered: true, activityId: out.activityId } : { delivered: false, reason: out.reason };
    }
    const { role, unit, orElse } = effect.role!;
    let people = await stores.staff.holders(role, unit);
    if (!people.length && orElse) people = await stores.staff.holders(orElse, unit);
    if (!people.length) return { delivered: false, reason: 'noRecipient', reached: [], missed: [] };
    holders.push(...people);
    const results = await sendCards(notifier, people.map((p) => card(p.id, p)));
    const reached = people.flatMap((p, i) => (results[i]!.sent ? [{ personId: p.id, activityId: (results[i] as { activityId?: string }).activityId }] : []));
    const missed = people.flatMap((p, i) => (results[i]!.sent ? [] : [p.id]));
    return { delivered: reached.length > 0, ...(reached.length ? {} : { reason: 'failed' }), reached, missed };
  }

  /**
   * Loggkontroll for cards: everyone a card about a case reached is recorded as having seen it
   * (view `card.<kind>`, the routine of the step's journal). A failed write does not fail the
   * delivery (the card was sent).
   */
  private async logDelivered(effect: NotifyEffect, outcome: EffectOutcome, row: Stored<OutboxRow>, holders: readonly StaffMember[]): Promise<void> {
    const caseId = effect.about ?? effect.consent?.caseId;
    if (!caseId || !outcome.delivered) return;
    const ids = effect.personId !== undefined ? [effect.personId] : (outcome.reached ?? []).map((r) => r.personId);
    if (!ids.length) return;
    const { stores, clock } = this.deps;
    const journal = row.value.effects.find((e): e is JournalEffect => e.type === 'journal');
    const routine = journal?.event.routine ?? 'shared';
    const now = clock();
    try {
      // The role's holders were read to send the card; one person is read now (their role on the row).
      const people = effect.personId !== undefined ? await stores.staff.getMany(ids) : holders;
      const byId = new Map(people.map((p) => [p.id, p]));
      await stores.accessLog.append(ids.map((id) => accessEntry(byId.get(id) ?? { id, name: '', roles: [] }, caseId, routine, `card.${effect.card.kind}`, now)));
    } catch {
      // As for a turn's views (dialogs/dataProtection/accessLogging.ts): the card went and its outcome is recorded; the row is lost, not the step.
    }
  }

  private renderer(kind: string): CardRenderer {
    const r = this.cards[kind];
    if (!r) throw new Error(`no renderer for the card kind ${kind}`);
    return r;
  }
}

/** A journal event with what the step's cards reached: who was not told, how many were. */
function withDelivery(j: JournalEffect, outcomes: ReadonlyMap<string, EffectOutcome>): JournalEvent {
  const details = { ...j.event.details };
  if (j.undeliveredFrom && outcomes.get(j.undeliveredFrom.effect)?.delivered === false) details['notReached'] = j.undeliveredFrom.notReachedName;
  const counts = j.deliveryCounts;
  const counted = counts ? [counts.effect, ...(counts.also ?? [])].flatMap((e) => outcomes.get(e) ?? []) : [];
  let step = j.event.step;
  if (counts && counted.length) {
    const put = (key: string | undefined, n: number) => key && (n > 0 || !counts.omitZero) && (details[key] = n);
    const reached = counted.reduce((n, o) => n + (o.reached?.length ?? (o.delivered ? 1 : 0)), 0);
    put(counts.reached, reached);
    put(counts.notReached, counted.reduce((n, o) => n + (o.missed?.length ?? (o.delivered ? 0 : 1)), 0));
    if (reached === 0 && counts.stepIfNone) step = counts.stepIfNone;
  }
  const lists = j.deliveryLists;
  if (lists) {
    const sep = lists.separator ?? ',';
    const add = (key: string | undefined, name: string) => key && (details[key] = [...String(details[key] ?? '').split(sep).filter(Boolean), name].join(sep));
    for (const [effect, name] of Object.entries(lists.byEffect)) {
      const o = outcomes.get(effect);
      if (!o) continue;
      if (o.reason === 'consent' && lists.consentFlag) details[lists.consentFlag] = true;
      if (o.reason === 'consent' && !lists.noConsent) continue;
      add(o.delivered ? lists.reached : o.reason === 'consent' ? lists.noConsent : lists.notReached, name);
    }
  }
  return { ...j.event, step, details };
}

function ignoreConflict(err: unknown): void {
  if (!(err instanceof StorageConflictError)) throw err;
}
