import type { CardAttachment } from '../cards/expand';
import type { Texts } from '../locale';
import type { Stores } from '../storage';
import type { ExportLinks } from './dataProtection/links';

/** Outcome of a proactive send, so the caller can journal it or show the task elsewhere. */
export type SendOutcome = { sent: true; activityId?: string | undefined } | { sent: false; reason: 'noConversation' | 'stale' | 'failed' };

/**
 * A card (or text) for someone outside the current turn: given as is, or rendered in the
 * recipient's language — the notifier knows it from the person's own conversation with the bot.
 */
export type Localized<T> = T | ((t: Texts) => T | Promise<T>);

export async function localize<T>(value: Localized<T>, t: Texts): Promise<T> {
  return typeof value === 'function' ? (value as (t: Texts) => T | Promise<T>)(t) : value;
}

/** Sends cards to people outside the current conversation (implemented in bot/ with stored references). */
export interface Notifier {
  sendCard(personId: string, card: Localized<CardAttachment>, summary: Localized<string>): Promise<SendOutcome>;
  /** Replaces a card sent earlier (e.g. "taken by … at …" for every officer). False when it could not. */
  updateCard(personId: string, activityId: string, card: Localized<CardAttachment>): Promise<boolean>;
  /** Many cards at once (batched reads, bounded concurrency); one outcome per item, in order. */
  sendCards?(items: readonly OutgoingCard[]): Promise<SendOutcome[]>;
  /** Many card replacements at once; one result per item, in order. */
  updateCards?(items: readonly CardUpdate[]): Promise<boolean[]>;
}

export interface OutgoingCard {
  personId: string;
  card: Localized<CardAttachment>;
  summary: Localized<string>;
}
export interface CardUpdate {
  personId: string;
  activityId: string;
  card: Localized<CardAttachment>;
}

/** A fan-out: through the notifier's own when it has one, else one card after another. */
export async function sendCards(notifier: Notifier, items: readonly OutgoingCard[]): Promise<SendOutcome[]> {
  if (notifier.sendCards) return notifier.sendCards(items);
  const out: SendOutcome[] = [];
  for (const i of items) out.push(await notifier.sendCard(i.personId, i.card, i.summary));
  return out;
}

export async function updateCards(notifier: Notifier, items: readonly CardUpdate[]): Promise<boolean[]> {
  if (notifier.updateCards) return notifier.updateCards(items);
  const out: boolean[] = [];
  for (const i of items) out.push(await notifier.updateCard(i.personId, i.activityId, i.card));
  return out;
}

/** Deadlines the city may tune (from the environment, see bot/config.ts). */
export interface RoutineSettings {
  reminderWorkingDaysBefore: number;
  offerFollowUpWorkingDays: number;
  invitationReplyWorkingDays: number;
  approvalWorkingDays: number;
  /** Routine C: days after the start for the implementation plan; days before expiry for the renewal prompt. */
  kcImplementationPlanDays?: number;
  kcRenewalDaysBefore?: number;
}
/** The defaults of bot/config.ts (a test holds them equal): every window is longer than the reminder's lead. */
export const DEFAULT_SETTINGS: RoutineSettings = { reminderWorkingDaysBefore: 2, offerFollowUpWorkingDays: 5, invitationReplyWorkingDays: 5, approvalWorkingDays: 5 };

/** What every dialog and card action receives from the composition root. */
export interface DialogDeps {
  stores: Stores;
  notifier: Notifier;
  clock: () => Date;
  newId: () => string;
  settings?: RoutineSettings;
  /** Signs the short-lived links of journal exports and access extracts (absent in bare dialog tests: no links offered). */
  exportLinks?: ExportLinks;
  /**
   * Runs `fn` with these fields on every log line it writes (the composition root's logger: the
   * routine and step of a step's effects carried out by the sweep, not only "outbox.relay").
   */
  logScope?: <T>(fields: { routine?: string; step?: string }, fn: () => Promise<T>) => Promise<T>;
}

export function settingsOf(deps: Pick<DialogDeps, 'settings'>): RoutineSettings {
  return deps.settings ?? DEFAULT_SETTINGS;
}
