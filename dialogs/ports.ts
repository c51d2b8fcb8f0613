import type { CardAttachment } from '../cards/expand';
import type { Texts } from '../locale';
import type { Stores } from '../storage';

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
}

export function settingsOf(deps: Pick<DialogDeps, 'settings'>): RoutineSettings {
  return deps.settings ?? DEFAULT_SETTINGS;
}
