import { accept, refuse, type Decision } from './refusal';

/**
 * Personal identity numbers (personnummer / samordningsnummer) must never be stored.
 * Matches YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDDNNNN and YYYYMMDD-NNNN where the date part is a
 * plausible date (day 61–91 for samordningsnummer). Errs on the side of refusing.
 */
const PIN = /(?<!\d)(?:(?:19|20)?\d{2})(0[1-9]|1[0-2])(\d{2})[-+\s]?\d{4}(?!\d)/g;

export function containsPersonalIdentityNumber(text: string): boolean {
  for (const m of text.matchAll(PIN)) {
    const day = Number(m[2]);
    if ((day >= 1 && day <= 31) || (day >= 61 && day <= 91)) return true;
  }
  return false;
}

/** Longest free text a person may enter in one field (far below Table storage's 64 KiB). */
export const MAX_TEXT_LENGTH = 2000;

export function checkFreeText(text: string, field: string, max = MAX_TEXT_LENGTH): Decision<string> {
  const t = text.trim();
  if (t.length > max) return refuse('textTooLong', { field, max });
  if (containsPersonalIdentityNumber(t)) return refuse('personalIdentityNumber', { field });
  return accept(t);
}

/** A case reference: the Treserva case number or another pseudonymous reference. */
export function checkCaseReference(reference: string): Decision<string> {
  const r = reference.trim();
  if (containsPersonalIdentityNumber(r)) return refuse('personalIdentityNumber', { field: 'reference' });
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._:-]{1,39}$/u.test(r)) return refuse('invalidReference', { max: 40 });
  return accept(r);
}

/** Initials: 1–4 letters (å, ä, ö welcome), stored upper case. */
export function checkInitials(initials: string): Decision<string> {
  const i = initials.replace(/[\s.]/g, '').toUpperCase();
  if (!/^\p{L}{1,4}$/u.test(i)) return refuse('invalidInitials');
  return accept(i);
}
