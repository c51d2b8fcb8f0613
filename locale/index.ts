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

export function refusalText(t: Texts, r: Refusal): string {
  return t.refusals[r.code](r.params);
}

/** A date-time as staff read it: Stockholm time, short. */
export function formatInstant(t: Texts, iso: string): string {
  return new Intl.DateTimeFormat(t.lang === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone: 'Europe/Stockholm',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}
