import { randomBytes } from 'node:crypto';

/** Lower-case letters only: an id has no digit, so it can never look like a personal identity number. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** 27 letters of 26 ≈ 126.9 random bits, as many as a UUID v4 carries (122). */
const LENGTH = 27;
/** Bytes at or above this are dropped so every letter is equally likely (26 × 9 = 234). */
const LIMIT = 234;

/**
 * A new id for a case, consent, review, referral, plan or report. Letters only, never a digit: a
 * UUID could read "19850101-1234-…" (a date and four digits, the shape of a personnummer), which
 * the privacy checks would rightly refuse wherever such an id was shown or typed back.
 */
export function newId(): string {
  let id = '';
  while (id.length < LENGTH) {
    for (const b of randomBytes(LENGTH)) {
      if (b < LIMIT) id += ALPHABET[b % ALPHABET.length];
      if (id.length === LENGTH) break;
    }
  }
  return id;
}
