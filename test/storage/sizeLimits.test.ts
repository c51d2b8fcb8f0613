import { strict as assert } from 'node:assert';
import { REVIEW_QUESTIONS } from '../../routines/b-plan-review/rules';
import { ADMINISTRATIONS } from '../../routines/shared/organisation';
import { TableBotStorage } from '../../bot/tableBotStorage';
import { EntityTable, PIECE } from '../../storage/entityTable';
import { StorageConflictError } from '../../storage/errors';
import { coordinatedPlanSchema, type StoredPlan } from '../../storage/coordinatedPlans';
import { planReviewSchema, type StoredReview } from '../../storage/planReviews';
import { referralSchema, type StoredReferral } from '../../storage/referrals';
import { freshStores } from '../helpers/storage';

const WORDS = ['planen', 'Åsa', 'behöver', 'stöd', 'i', 'vardagen', '"delaktighet"', 'och', 'veckodagar', 'ska', 'framgå', 'tydligt', '–', 'genomförande', 'uppföljning', 'rad\n', 'C:\\mapp', 'ansvar', 'för', 'insatsen', '😀', 'Östra', 'Göteborg', 'brukaren', 'önskar', 'kväll', 'morgon', 'ändrad', 'tid'];

/** Text of exactly `n` UTF-16 units: pseudo-random Swedish words (so it compresses like real text), quotes, backslashes, new lines and an emoji (a surrogate pair), so cuts and escapes are tried. */
export function longText(n: number, seed = 0): string {
  let x = (seed * 2654435761 + 12345) >>> 0;
  let s = '';
  while (s.length < n) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += WORDS[(x >>> 8) % WORDS.length] + ' ';
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
  const content = { participants: longText(2000, 1), background: longText(2000, 2), needs: longText(2000, 3), responsibilities: longText(2000, 4), followUpDate: '2026-12-01', individualParticipation: longText(2000, 5) };
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
      content: { ...content, participants: longText(2000, 100 + i) },
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

describe('storage: no aggregate outgrows a Table storage entity (Azurite)', () => {
  it('the maximal values are valid by the stores\' own schemas, and far larger than one property', () => {
    for (const [schema, value] of [
      [coordinatedPlanSchema, maxPlan('sp1')],
      [planReviewSchema, maxReview('r1')],
      [referralSchema, maxReferral('c1')],
    ] as const) {
      const r = (schema as { safeParse(v: unknown): { success: boolean; error?: unknown } }).safeParse(value);
      assert.ok(r.success, JSON.stringify(r.error));
      assert.ok(JSON.stringify(value).length > 10 * PIECE, `${JSON.stringify(value).length}`);
    }
  });

  it('D: a plan with every text at its maximum and 20 versions is written, replaced and read back equal', async () => {
    const stores = await freshStores();
    const plan = maxPlan('sp-max');
    await stores.plans.add({ ...plan, versions: plan.versions.slice(0, 1) });
    const first = (await stores.plans.get('sp-max'))!;
    assert.equal(first.value.versions.length, 1);
    await stores.plans.save(plan, first.etag);
    const back = (await stores.plans.get('sp-max'))!;
    assert.deepEqual(back.value, plan);
    assert.deepEqual(await stores.plans.byInitiator(plan.initiatorId), [plan], 'a partition query joins the rows too');
  });

  it('B: a review with every text at its maximum and 30 rounds is written and read back equal (also by unit and by provider)', async () => {
    const stores = await freshStores();
    const review = maxReview('r-max');
    await stores.planReviews.add(review);
    assert.deepEqual((await stores.planReviews.get('avo', 'r-max'))!.value, review);
    assert.deepEqual(await stores.planReviews.inUnit('avo'), [review]);
    assert.deepEqual(await stores.planReviews.ofProvider('hemtjanst-vast'), [review]);
  });

  it('C: a referral with every text and every history list at its maximum is written and read back equal', async () => {
    const stores = await freshStores();
    const r = maxReferral('c-max');
    await stores.referrals.add({ ...r, followUps: [], events: [] });
    const s = (await stores.referrals.get('c-max'))!;
    await stores.referrals.save(r, s.etag);
    assert.deepEqual((await stores.referrals.get('c-max'))!.value, r);
    assert.deepEqual(await stores.referrals.open(), [r]);
    const rows: Array<Record<string, unknown>> = [];
    for await (const e of stores.factory.client('Referrals').listEntities()) rows.push(e);
    assert.ok(rows.length >= 2, `split over ${rows.length} rows of one partition`);
    for (const row of rows) for (const [k, v] of Object.entries(row)) if (typeof v === 'string') assert.ok(v.length <= PIECE, `${k}: ${v.length}`);
  });

  it('a split value keeps the ETag rule: of two writers with the same ETag exactly one wins, the other gets 412', async () => {
    const stores = await freshStores();
    const plan = maxPlan('sp-race');
    await stores.plans.add(plan);
    const s = (await stores.plans.get('sp-race'))!;
    const a = { ...plan, state: 'returned' as const, closedReason: longText(2000, 77) };
    const b = { ...plan, state: 'established' as const, versions: plan.versions.slice(0, 2) };
    const results = await Promise.allSettled([stores.plans.save(a, s.etag), stores.plans.save(b, s.etag)]);
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1, 'one winner');
    const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof StorageConflictError && lost.reason.statusCode === 412, String(lost.reason));
    const now = (await stores.plans.get('sp-race'))!.value;
    assert.deepEqual(now, results[0]!.status === 'fulfilled' ? a : b, 'the winner is stored whole, nothing of the loser');
    // A stale ETag after the write is refused as well, also when the new value is small again.
    await assert.rejects(stores.plans.save({ ...plan, versions: [] }, s.etag), (e: unknown) => e instanceof StorageConflictError && e.statusCode === 412);
  });

  it('shrinking, growing and deleting: only the current rows count, a delete leaves no piece behind', async () => {
    const stores = await freshStores();
    const plan = maxPlan('sp-shrink');
    await stores.plans.add(plan);
    let s = (await stores.plans.get('sp-shrink'))!;
    const small = { ...plan, versions: [], invitations: [], cards: [] };
    await stores.plans.save(small, s.etag);
    s = (await stores.plans.get('sp-shrink'))!;
    assert.deepEqual(s.value, small);
    await stores.plans.save(plan, s.etag);
    assert.deepEqual((await stores.plans.get('sp-shrink'))!.value, plan);
    const table = new EntityTable(stores.factory.client('Plans'), coordinatedPlanSchema);
    await table.delete('sp', 'sp-shrink');
    assert.equal(await table.get('sp', 'sp-shrink'), undefined);
    const left: unknown[] = [];
    for await (const e of stores.factory.client('Plans').listEntities()) left.push(e.rowKey);
    assert.deepEqual(left, [], 'no continuation row is left');
  });

  it('reads a value stored in the old shape (one `data` property) as it is', async () => {
    const stores = await freshStores();
    const old = { ...maxPlan('sp-old'), versions: [], invitations: [], cards: [] };
    await stores.factory.client('Plans').createEntity({ partitionKey: 'sp', rowKey: 'sp-old', data: JSON.stringify(old) });
    const s = (await stores.plans.get('sp-old'))!;
    assert.deepEqual(s.value, old);
    await stores.plans.save({ ...old, versions: maxPlan('x').versions }, s.etag);
    assert.equal((await stores.plans.get('sp-old'))!.value.versions.length, 20);
  });

  it('bot dialog state of a long form (every field full) is stored and read back through botbuilder Storage', async () => {
    const stores = await freshStores();
    const s = new TableBotStorage(stores.botState);
    const state = { dialogState: { dialogStack: Array.from({ length: 6 }, (_, i) => ({ id: `form${i}`, state: { data: Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`f${j}`, longText(2000, i * 20 + j)])) } })) } };
    await s.write({ 'msteams/conversations/a:big/': { ...state, eTag: '*' } });
    const read = (await s.read(['msteams/conversations/a:big/']))['msteams/conversations/a:big/'] as Record<string, unknown>;
    const { eTag, ...value } = read;
    assert.deepEqual(value, state);
    await s.write({ 'msteams/conversations/a:big/': { ...state, dialogState: { dialogStack: [] }, eTag: eTag as string } });
    await assert.rejects(s.write({ 'msteams/conversations/a:big/': { ...state, eTag: eTag as string } }), StorageConflictError);
  });
});
