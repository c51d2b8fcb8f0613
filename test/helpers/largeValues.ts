import { REVIEW_QUESTIONS } from '../../routines/b-plan-review/rules';
import { ADMINISTRATIONS } from '../../routines/shared/organisation';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import type { StoredReview } from '../../storage/planReviews';
import type { StoredReferral } from '../../storage/referrals';

/** Aggregates of routines B, C and D at every maximum their stores' schemas allow. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789';
const SPECIAL = ['"', '\\', '\n', '😀', '–', ',', '.'];

/**
 * Text of exactly `n` UTF-16 units: pseudo-random words of random letters (Swedish ones too), so it
 * compresses about as badly as text can, with quotes, backslashes, new lines and an emoji (a
 * surrogate pair) among them, so cuts and escapes are tried. Never digits in a row long enough to
 * look like a personal identity number or a phone number (a digit is always followed by a letter).
 */
export function longText(n: number, seed = 0): string {
  let x = (seed * 2654435761 + 12345) >>> 0;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8;
  let s = '';
  while (s.length < n) {
    const len = 2 + (next() % 9);
    for (let k = 0; k < len; k++) {
      const c = LETTERS[next() % LETTERS.length]!;
      s += c;
      if (c >= '0' && c <= '9') s += LETTERS[next() % 29]!;
    }
    s += next() % 6 === 0 ? SPECIAL[next() % SPECIAL.length] + ' ' : ' ';
  }
  s = s.slice(0, n);
  // Never end on half a surrogate pair.
  const last = s.charCodeAt(n - 1);
  return last >= 0xd800 && last <= 0xdbff ? s.slice(0, n - 1) + 'x' : s;
}

const T = '2026-11-23T09:00:00.000Z';
const card = (i: number) => ({ personId: `person-${i}`.padEnd(100, 'p'), activityId: `activity-${i}`.padEnd(512, 'a'), kind: 'kind'.padEnd(40, 'k') });

/** A coordinated plan with every text at its maximum and the 20 versions the schema allows, each decided by every administration. */
export function maxPlan(spId: string): StoredPlan {
  const content = (v: number) => ({ participants: longText(2000, 1000 + v), background: longText(2000, 2000 + v), needs: longText(2000, 3000 + v), responsibilities: longText(2000, 4000 + v), followUpDate: '2026-12-01', individualParticipation: longText(2000, 5000 + v) });
  return {
    spId,
    caseId: 'case'.padEnd(100, 'c'),
    mode: 'consent',
    initiatorId: 'i'.repeat(100),
    initiatorName: longText(200, 6),
    initiatingAdministration: 'sf-centrum',
    others: ['sf-hisingen', 'sf-nordost', 'sf-sydvast', 'ffs', 'avo'],
    acuteConcern: false,
    concernReported: false,
    purpose: longText(2000, 7),
    needs: longText(2000, 8),
    questions: longText(2000, 9),
    proposedTime: longText(200, 10),
    meetingForm: longText(200, 11),
    individualTakesPart: true,
    invitations: ADMINISTRATIONS.slice(1).map((administration) => ({ administration, answer: 'accepted' as const, note: longText(2000, 12), by: 'b'.repeat(100), byName: longText(200, 13), at: T })),
    versions: Array.from({ length: 20 }, (_, i) => ({
      version: i + 1,
      content: content(i),
      submittedAt: T,
      decisions: ADMINISTRATIONS.map((administration) => ({ administration, decision: 'returned' as const, comment: longText(2000, 200 + i), by: 'b'.repeat(100), byName: longText(200, 14), at: T })),
    })),
    state: 'awaitingApproval',
    closedReason: longText(2000, 15),
    disagreement: { raisedBy: 'r'.repeat(100), raisedByName: longText(200, 16), administration: 'ffs', reason: longText(2000, 17), at: T, outcome: longText(2000, 18) },
    createdAt: T,
    cards: Array.from({ length: 200 }, (_, i) => ({ ...card(i), version: i })),
  };
}

/** A plan review with every text at its maximum and the 30 rounds the schema allows. */
export function maxReview(reviewId: string): StoredReview {
  const by = { by: 'b'.repeat(100), byName: longText(200, 1), at: T };
  return {
    reviewId,
    caseId: 'c'.repeat(100),
    code: 'B-7K2QXM',
    owningUnit: 'avo',
    assessorId: 'a'.repeat(100),
    assessorName: longText(200, 2),
    providerId: 'hemtjanst-vast',
    providerName: longText(200, 3),
    decisionDate: '2026-10-20',
    executionDate: '2026-11-02',
    grantedHours: 168,
    lastPlanWithProvider: null,
    newClient: true,
    dignityDeadline: '2026-11-16',
    followUpDeadline: '2026-12-02',
    state: 'returned',
    delay: { recordedAt: T, recordedBy: 'r'.repeat(100), recordedByName: longText(200, 4), reason: { text: longText(2000, 5), ...by }, deviation: { note: longText(2000, 6), ...by } },
    rounds: Array.from({ length: 30 }, (_, i) => ({
      round: i + 1,
      answers: REVIEW_QUESTIONS.map((question, q) => ({ question, yes: false, comment: longText(1000, i * 10 + q) })),
      allocatedHours: 168,
      hoursMismatch: false,
      outcome: 'notComplete' as const,
      ...by,
      providerResponse: { note: longText(2000, 300 + i), ...by },
    })),
    setupDone: true,
    createdAt: T,
    cards: Array.from({ length: 100 }, (_, i) => ({ ...card(i), round: i })),
  };
}

/** A referral with every text at its maximum and every history list (decisions, follow-ups, events, disagreements…) at the schema's maximum. */
export function maxReferral(referralId: string): StoredReferral {
  return {
    referralId,
    caseId: 'c'.repeat(100),
    socialWorkerId: 's'.repeat(100),
    socialWorkerName: longText(200, 1),
    administration: 'sf-centrum',
    protectedIdentity: false,
    state: 'ongoing',
    criteria: { unemployed: true, withinThreeYears: true },
    af: { ssbtekOn: '2026-01-01', askedOn: '2026-01-02', afActivity: 'none', formsSentOn: '2026-01-03' },
    coordinatorContact: { requestedAt: T, confirmedBy: 'k'.repeat(100), confirmedByName: longText(200, 2), confirmedAt: T },
    consentId: 'x'.repeat(100),
    workPlanUpdatedOn: '2026-01-04',
    decisions: Array.from({ length: 50 }, () => ({ decisionDate: '2026-01-05', expiresOn: '2026-07-05', at: T })),
    assignment: { needs: longText(2000, 3), includes: longText(2000, 4), goals: Array.from({ length: 10 }, (_, i) => longText(500, 10 + i)), sentAt: T },
    consultantId: 'k'.repeat(100),
    consultantName: longText(200, 5),
    consultantTakenAt: T,
    intake: { at: '2026-02-01T10:00', place: longText(200, 6), interpreter: longText(100, 7), clientTold: true, viaCoordinator: false, preparedAt: T },
    intakes: Array.from({ length: 50 }, () => ({ at: '2026-02-01T10:00', outcome: 'missed' as const })),
    missed: { followedUpOn: '2026-02-02', newMeeting: true },
    proposedTime: { at: '2026-02-03T10:00', place: longText(200, 8) },
    intakeHeld: { attendedInPerson: true, requirementsExplained: true, firstFollowUp: '2026-03-01' },
    startDate: '2026-02-10',
    plans: Array.from({ length: 100 }, () => '2026-02-11'),
    followUps: Array.from({ length: 100 }, (_, i) => ({
      date: '2026-03-01',
      bookedAt: T,
      sf: { checkedAgainstPlan: longText(2000, 400 + i), clientPerception: longText(2000, 500 + i), complementaryNeeds: longText(2000, 600 + i), at: T },
      kc: { progress: longText(2000, 700 + i), furtherNeeds: longText(2000, 800 + i), at: T },
    })),
    events: Array.from({ length: 200 }, (_, i) => ({ side: 'kc' as const, by: 'e'.repeat(100), byName: longText(200, 9), text: longText(2000, 900 + i), at: T })),
    disagreements: Array.from({ length: 50 }, (_, i) => ({ side: 'sf' as const, by: 'd'.repeat(100), byName: longText(200, 10), question: longText(2000, 1100 + i), at: T, resolution: longText(2000, 1200 + i), resolvedByName: longText(200, 11), resolvedAt: T })),
    renewal: { answer: 'renew', at: T },
    withdrawal: { reason: longText(2000, 12), at: T, documentedAt: T },
    closing: {
      announcedAt: T,
      selfSufficiency: true,
      reason: longText(2000, 13),
      threePartyMeetingOn: '2026-06-01',
      document: { endDate: '2026-06-02', why: longText(2000, 14), goals: Array.from({ length: 10 }, (_, i) => ({ goal: longText(500, 20 + i), assessment: 'met' as const })), at: T },
      gwaClosedAt: T,
      treservaClosedAt: T,
    },
    createdAt: T,
    cards: Array.from({ length: 200 }, (_, i) => card(i)),
  };
}

