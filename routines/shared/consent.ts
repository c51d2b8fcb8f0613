import type { RoutineId } from './cases';
import { accept, refuse, type Decision } from './refusal';

export const CONSENT_GIVERS = ['individual', 'legalRepresentative'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];
export const CONSENT_METHODS = ['inPerson', 'phone', 'written', 'digital'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** A consent record, shared by every routine. Times are ISO instants. */
export interface Consent {
  consentId: string;
  caseId: string;
  routine: RoutineId;
  /** Units (administrations, Kompetenscenter, `provider:<id>`) that may be told. */
  recipients: string[];
  /** What may be shared, in the words of the person who captured it. */
  information: string;
  givenBy: ConsentGiver;
  method: ConsentMethod;
  givenAt: string;
  capturedBy: string;
  capturedAt: string;
  /** The individual was told that consent is voluntary and how to revoke it. */
  toldHowToRevoke: boolean;
  revokedAt?: string | undefined;
  revokedBy?: string | undefined;
}

/**
 * "May `recipient` be told about this case now?" — checked when a notification is sent,
 * not only when consent was given. Picks the newest consent that covers the recipient.
 */
export function mayTell(consents: readonly Consent[], caseId: string, recipient: string, now: Date): Decision<Consent> {
  const covering = consents
    .filter((c) => c.caseId === caseId && c.recipients.includes(recipient) && Date.parse(c.givenAt) <= now.getTime())
    .sort((a, b) => Date.parse(b.givenAt) - Date.parse(a.givenAt));
  const active = covering.find((c) => !c.revokedAt || Date.parse(c.revokedAt) > now.getTime());
  if (active) return accept(active);
  if (covering.length > 0) return refuse('consentRevoked', { recipient });
  return refuse('consentMissing', { recipient });
}

export interface NewConsentInput {
  recipients: string[];
  information: string;
  givenBy: ConsentGiver;
  method: ConsentMethod;
  givenAt: string;
  toldHowToRevoke: boolean;
}

/** Rules for recording a consent: it must be voluntary and explained, and not dated in the future. */
export function recordConsent(input: NewConsentInput, ids: { consentId: string; caseId: string; routine: RoutineId; capturedBy: string }, now: Date): Decision<Consent> {
  if (!input.toldHowToRevoke) return refuse('consentMissing', { recipient: input.recipients.join(', ') });
  if (Date.parse(input.givenAt) > now.getTime()) return refuse('notAllowed', { reason: 'givenAtInFuture' });
  if (input.recipients.length === 0) return refuse('consentMissing', { recipient: '' });
  return accept({ ...ids, ...input, capturedAt: now.toISOString() });
}

export function revokeConsent(consent: Consent, by: string, now: Date): Decision<Consent> {
  if (consent.revokedAt) return refuse('alreadyDone', { by: consent.revokedBy ?? '', at: consent.revokedAt });
  return accept({ ...consent, revokedAt: now.toISOString(), revokedBy: by });
}
