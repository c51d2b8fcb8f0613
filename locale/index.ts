import type { Refusal } from '../routines/shared/refusal';
import { en } from './en';
import { sv, type Texts } from './sv';

export type { Texts };
export type Lang = 'sv' | 'en';

/** Swedish unless the activity's locale is English (`en`, `en-US`, `en-GB`, …). */
export function langOf(locale: string | undefined | null): Lang {
  return locale && /^en\b/i.test(locale) ? 'en' : 'sv';
}

export function texts(locale: string | undefined | null): Texts {
  return langOf(locale) === 'en' ? en : sv;
}

/** A refusal as a sentence; an instant among its parameters (`at`) is shown as staff read time. */
export function refusalText(t: Texts, r: Refusal): string {
  const at = r.params['at'];
  const params = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(at) ? { ...r.params, at: formatInstant(t, at) } : r.params;
  return t.refusals[r.code](params);
}

/** A date-time as staff read it: Stockholm time, short. */
export function formatInstant(t: Texts, iso: string): string {
  return new Intl.DateTimeFormat(t.lang === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone: 'Europe/Stockholm',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}
