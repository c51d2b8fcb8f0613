import { strict as assert } from 'node:assert';
import { extractPeriod, mayExtractCase, mayExtractPerson } from '../../routines/shared/accessLog';
import type { CaseFile } from '../../routines/shared/cases';
import { journalEvent } from '../../routines/shared/journal';
import type { StaffMember } from '../../routines/shared/organisation';
import { DEFAULT_RETENTION_DAYS, FREE_TEXT_FIELDS, REDACTED, changedBy, hasEnded, isDueForRetention, isExpired, isExpiredDoneStep, isPseudonymised, latestInstant, pseudonymiseCase, redactJournalEvent, redactTexts, retentionDueAt } from '../../routines/shared/retention';
import { configSchema } from '../../bot/config';
import type { Provider, QueueEntry } from '../../routines/a-waiting-list/rules';
import type { Actor } from '../../routines/shared/journal';
import type { Stores } from '../../storage';
import { EntityTable } from '../../storage/entityTable';
import { planRowSchema } from '../../storage/coordinatedPlans';
import { referralRowSchema } from '../../storage/referrals';
import { planReviewRowSchema } from '../../storage/planReviews';
import type { OutboxRow } from '../../storage/outbox';
import { entryIdFor, waitingListRowSchema } from '../../storage/waitingList';
import { RetentionStore } from '../../storage/retention';
import { caseFileSchema } from '../../storage/cases';
import { journalEventSchema } from '../../storage/journal';
import { consentSchema } from '../../storage/consents';
import { claimSchema } from '../../storage/claims';
import { taskSchema } from '../../storage/tasks';
import { freshStores } from '../helpers/storage';

const closedAt = '2026-11-23T09:00:00.000Z';
const day = 86_400_000;

describe('retention (gallring): what is due when, with the clock passed in', () => {
  it('the default period is the configuration\'s (730 days: routine B looks two years back)', () => {
    assert.equal(DEFAULT_RETENTION_DAYS, 730);
    assert.equal(configSchema.parse({}).RETENTION_DAYS, DEFAULT_RETENTION_DAYS);
    assert.throws(() => configSchema.parse({ RETENTION_DAYS: '7' }), 'a period shorter than 30 days is refused');
  });

  it('a case is still kept the day before its period ends, and due from the moment it ends', () => {
    const end = retentionDueAt(closedAt, 730).getTime();
    assert.equal(end, Date.parse(closedAt) + 730 * day);
    assert.equal(isDueForRetention(closedAt, new Date(end - day), 730), false, 'the day before');
    assert.equal(isDueForRetention(closedAt, new Date(end - 1), 730), false, 'a millisecond before');
    assert.equal(isDueForRetention(closedAt, new Date(end), 730), true);
    assert.equal(isDueForRetention(closedAt, new Date(end + day), 730), true, 'the day after');
    assert.equal(isDueForRetention(undefined, new Date(end + day), 730), false, 'a case that has not ended is never due');
    assert.equal(isDueForRetention('not a date', new Date(end + day), 730), false);
  });

  it('knows which states end each routine', () => {
    assert.ok(hasEnded('D', 'closed') && !hasEnded('D', 'established'));
    assert.ok(hasEnded('C', 'closed') && hasEnded('C', 'notReferred') && !hasEnded('C', 'withdrawn') && !hasEnded('C', 'ongoing'));
    assert.ok(hasEnded('B', 'complete') && !hasEnded('B', 'returned'));
  });

  it('claims and closed tasks expire after the period, not before', () => {
    const now = new Date(Date.parse(closedAt) + 730 * day);
    assert.equal(isExpired(closedAt, now, 730), true);
    assert.equal(isExpired(new Date(Date.parse(closedAt) + 1).toISOString(), now, 730), false);
    assert.equal(isExpired(undefined, now, 730), false);
  });

  it('a pseudonym replaces reference and initials, from the random case id (never from the person)', () => {
    const c: CaseFile = { caseId: 'abcdefghijkl', routine: 'D', reference: 'TR-1234', initials: 'KL', protectedIdentity: false, owningUnit: 'sf-nordost', createdBy: 'x', createdAt: closedAt };
    const p = pseudonymiseCase(c);
    assert.equal(p.reference, 'GALLRAD-ABCDEFGHIJ');
    assert.equal(p.initials, '–');
    assert.ok(isPseudonymised(p) && !isPseudonymised(c));
    assert.deepEqual({ ...p, reference: c.reference, initials: c.initials }, c, 'nothing else changes');
  });

  it('free texts are redacted at any depth, codes and dates kept; redaction is idempotent', () => {
    const plan = { purpose: 'Kalle behöver stöd', state: 'closed', meetingForm: 'video', versions: [{ version: 1, content: { needs: 'Boende', followUpDate: '2027-01-15' }, decisions: [{ comment: 'ok', decision: 'approved', byName: 'Tomas Tell' }] }], closedReason: '', goals: ['A', 'B'] };
    const r = redactTexts(plan, ['purpose', 'needs', 'comment', 'closedReason', 'goals']);
    assert.equal(r.purpose, REDACTED);
    assert.equal(r.versions[0]!.content.needs, REDACTED);
    assert.equal(r.versions[0]!.content.followUpDate, '2027-01-15');
    assert.equal(r.versions[0]!.decisions[0]!.comment, REDACTED);
    assert.equal(r.versions[0]!.decisions[0]!.byName, 'Tomas Tell', 'who decided stays');
    assert.equal(r.meetingForm, 'video');
    assert.equal(r.closedReason, '', 'an empty text stays empty');
    assert.deepEqual(r.goals, [REDACTED, REDACTED]);
    assert.equal(changedBy(plan, (v) => redactTexts(v, ['purpose'])), true);
    assert.equal(changedBy(r, (v) => redactTexts(v, ['purpose', 'needs', 'comment', 'closedReason', 'goals'])), false);
  });

  it("a B review's kept case label (reference, initials) is among the texts its retention redacts; whether it was protected stays", () => {
    const review = { state: 'completed', label: { reference: 'TR-2026-0042', initials: 'KL', protectedIdentity: false, owningUnit: 'avo' }, providerName: 'Hemtjänst Väst AB' };
    const r = redactTexts(review, FREE_TEXT_FIELDS.B);
    assert.deepEqual(r.label, { reference: REDACTED, initials: REDACTED, protectedIdentity: false, owningUnit: REDACTED });
    assert.equal(r.providerName, 'Hemtjänst Väst AB');
  });

  it('a case\'s last activity is the latest of its instants (a registration after its last event counts)', () => {
    assert.equal(latestInstant(['2026-01-01T00:00:00.000Z', undefined, '2026-03-01T00:00:00.000Z', 'x']), '2026-03-01T00:00:00.000Z');
    assert.equal(latestInstant([undefined, 'not a date']), undefined);
  });

  it('a done step\'s outbox row expires after the period; a pending one never does', () => {
    const now = new Date(Date.parse(closedAt) + 730 * day);
    assert.equal(isExpiredDoneStep({ done: true, createdAt: closedAt }, now, 730), true);
    assert.equal(isExpiredDoneStep({ done: true, createdAt: new Date(Date.parse(closedAt) + day).toISOString() }, now, 730), false, 'a day too young');
    assert.equal(isExpiredDoneStep({ createdAt: closedAt }, new Date(Date.parse(closedAt) + 3650 * day), 730), false, 'pending: its effects would be lost');
    assert.equal(isExpiredDoneStep({ done: false, createdAt: closedAt }, new Date(Date.parse(closedAt) + 3650 * day), 730), false);
  });

  it('a journal event keeps who, role, when and step; only its free texts go', () => {
    const e = journalEvent('case1', { id: 'p1', name: 'Sofia Sandberg', role: 'socialWorker', unit: 'sf-nordost' }, 'D', 'd.closed', new Date(closedAt), { reason: 'Kalle flyttade', told: 'FFS', version: 2 });
    const r = redactJournalEvent(e);
    assert.deepEqual(r, { ...e, details: { reason: REDACTED, told: 'FFS', version: 2 } });
  });
});

describe('access extracts: who may ask, for which period', () => {
  const admin: StaffMember = { id: 'a', name: 'Olle', roles: [{ role: 'admin', unit: 'city' }] };
  const sup: StaffMember = { id: 's', name: 'Gunilla', roles: [{ role: 'supervisor', unit: 'sf-centrum' }] };
  const worker: StaffMember = { id: 'w', name: 'Anna', roles: [{ role: 'socialWorker', unit: 'sf-centrum' }] };
  const other: StaffMember = { id: 'o', name: 'Petra', roles: [{ role: 'socialWorker', unit: 'sf-hisingen' }] };

  it('the admin any case and person; a supervisor their unit only; a social worker nothing', () => {
    assert.ok(mayExtractCase(admin, 'sf-hisingen') && mayExtractPerson(admin, other));
    assert.ok(mayExtractCase(sup, 'sf-centrum') && !mayExtractCase(sup, 'sf-hisingen'));
    assert.ok(mayExtractPerson(sup, worker) && !mayExtractPerson(sup, other));
    assert.ok(!mayExtractCase(worker, 'sf-centrum') && !mayExtractPerson(worker, worker));
  });

  it('a period is whole days, by default the last 30, at most a year', () => {
    const now = new Date('2026-11-23T09:00:00Z');
    const d = extractPeriod(undefined, undefined, now)!;
    assert.equal(d.to.getTime(), now.getTime());
    assert.equal(now.getTime() - d.from.getTime(), 30 * day);
    const p = extractPeriod('2026-11-01', '2026-11-23', now)!;
    assert.ok(p.from.getTime() <= Date.parse('2026-11-01T00:00:00+01:00') && p.to.getTime() >= Date.parse('2026-11-23T23:59:59+01:00'));
    assert.equal(extractPeriod('2024-01-01', '2026-11-23', now), undefined, 'more than a year');
    assert.equal(extractPeriod('2026-11-23', '2026-11-01', now), undefined, 'backwards');
    assert.equal(extractPeriod('igår', undefined, now), undefined);
  });
});

/**
 * The retention sweep on Azurite, for what a data protection officer asks of routine A and of the
 * outboxes: a case that left its queue is kept identifiable for the period from its last activity
 * and then pseudonymised; a case that still waits never is; the record of how an offer ended and
 * the "already done" rows of forms go after the period, in every table that has them; a step whose
 * effects are still pending stays however old it is. The report counts, never names.
 */
describe('retention sweep (Azurite): routine A\'s ended queue data and the outboxes\' done rows', () => {
  const t0 = new Date('2026-11-23T09:00:00.000Z');
  const at = (days: number) => new Date(t0.getTime() + days * day);
  const officer: Actor = { id: 'officer-1', name: 'Bertil Berg', role: 'workGuidanceOfficer', unit: 'ffs' };
  const provider: Provider = { providerId: 'solrosen', name: 'Solrosen', kind: 'private', places: 5, occupied: 0, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'ffs' };
  let stores: Stores;
  const ENDED = 'case-ended-0001';
  const WAITING = 'case-waits-0002';
  const RECENT = 'case-recent-003';
  let endedEntry = '';
  let formStep = '';

  const doneRow = (stepId: string, createdAt: Date): OutboxRow => ({ kind: 'outbox', stepId, createdAt: createdAt.toISOString(), claimedUntil: createdAt.toISOString(), effects: [], outcomes: {}, keep: { byName: 'Sofia Sandberg' }, done: true });
  const pendingRow = (stepId: string, createdAt: Date): OutboxRow => ({ ...doneRow(stepId, createdAt), done: undefined, keep: undefined });

  async function addCase(caseId: string, reference: string, initials: string, lastEventAt: Date, text: string): Promise<void> {
    await stores.cases.add({ caseId, routine: 'A', reference, initials, protectedIdentity: false, owningUnit: 'ffs', createdBy: officer.id, createdAt: t0.toISOString() });
    await stores.waitingList.indexCaseReference(reference, caseId, 'ffs');
    await stores.consents.add({ consentId: `consent-${caseId}`, caseId, routine: 'A', recipients: ['provider:solrosen'], information: text, givenBy: 'individual', method: 'inPerson', givenAt: t0.toISOString(), capturedBy: officer.id, capturedAt: t0.toISOString(), toldHowToRevoke: true });
    await stores.journal.append(journalEvent(caseId, officer, 'A', 'a.queued', t0, {}));
    if (lastEventAt.getTime() !== t0.getTime()) await stores.journal.append(journalEvent(caseId, officer, 'A', 'a.left', lastEventAt, { reason: text }));
  }

  /** Registers a case in the queue (its index row, then the step: entry, k| row and a pending outbox row). */
  async function register(caseId: string, seq: number): Promise<QueueEntry> {
    const p = (await stores.waitingList.provider('solrosen'))!;
    const entry: QueueEntry = { entryId: entryIdFor('2026-11-20', seq), providerId: 'solrosen', caseId, requestDate: '2026-11-20', seq, state: 'waiting', consentId: `consent-${caseId}`, registeredBy: officer.id, registeredAt: t0.toISOString() };
    await stores.waitingList.indexCase(caseId, 'solrosen', entry.entryId, t0);
    // Its outbox row stays pending (as if the relay had not run yet).
    await stores.waitingList.commitStep({ ...p.value, waiting: p.value.waiting + 1, nextSeq: seq + 1 }, p.etag, [{ op: 'create', entry }], { stepId: `register-${caseId}`, effects: [], now: t0 });
    return entry;
  }

  before(async function () {
    this.timeout(60000);
    stores = await freshStores();
    await stores.waitingList.addProvider(provider);
    await addCase(ENDED, 'TR-GA-0001', 'EK', at(1), 'Eva Karlsson flyttar till Borås');
    await addCase(WAITING, 'TR-GA-0002', 'WL', t0, 'Walter väntar');
    await addCase(RECENT, 'TR-GA-0003', 'RN', at(700), 'Rut slutade nyss');
    const ended = await register(ENDED, 1);
    endedEntry = ended.entryId;
    await register(WAITING, 2);
    await register(RECENT, 3);
    // ENDED leaves the queue a day later, by a form (its step is kept, done, for "already done"); the
    // bot stops before it releases the case's index row (that row now names a queue it is not in).
    formStep = 'f-leave-form-1';
    const p = (await stores.waitingList.provider('solrosen'))!;
    const e = (await stores.waitingList.entry('solrosen', endedEntry))!;
    const step = await stores.waitingList.commitStep({ ...p.value, waiting: p.value.waiting - 1 }, p.etag, [{ op: 'delete', entry: e.value, etag: e.etag }], { stepId: formStep, effects: [], now: at(1), keep: { byName: 'Bertil Berg' } }, { entryId: endedEntry, caseId: ENDED, answer: 'leftQueue', by: officer.id, byName: 'Bertil Berg', at: at(1).toISOString() });
    await stores.waitingList.outbox.remove(step);
    assert.equal((await stores.waitingList.stepRow('solrosen', formStep))?.value.done, true, 'the form\'s step is kept, done');
    assert.ok(await stores.waitingList.openEntryOfCase(ENDED, 'solrosen'), 'the stale index row the crash left');
    // RECENT left too, 700 days later; its index row was released.
    const p2 = (await stores.waitingList.provider('solrosen'))!;
    const r = (await stores.waitingList.entryOfCase('solrosen', RECENT))!;
    await stores.waitingList.commit({ ...p2.value, waiting: p2.value.waiting - 1 }, p2.etag, [{ op: 'delete', entry: r.value, etag: r.etag }], { entryId: r.value.entryId, caseId: RECENT, answer: 'assigned', by: officer.id, byName: 'Bertil Berg', at: at(700).toISOString() });
    await stores.waitingList.releaseCaseIndex(RECENT, 'solrosen');

    // Done rows of forms in every other table a step commits in — more than one page in D's — a pending one as old, and a young done one.
    const plans = new EntityTable(stores.factory.client('Plans'), planRowSchema as never) as EntityTable<OutboxRow>;
    for (let b = 0; b < 3; b++) await plans.transact('sp', Array.from({ length: 90 }, (_, i) => ({ op: 'create' as const, rowKey: `o|f-plan-${b}-${i}`, value: doneRow(`f-plan-${b}-${i}`, at(1)) })));
    await plans.create('sp', 'o|pending-plan', pendingRow('pending-plan', t0));
    await plans.create('sp', 'o|f-young', doneRow('f-young', at(400)));
    await (new EntityTable(stores.factory.client('Referrals'), referralRowSchema as never) as EntityTable<OutboxRow>).create('c', 'o|f-referral', doneRow('f-referral', at(1)));
    await (new EntityTable(stores.factory.client('PlanReviews'), planReviewRowSchema as never) as EntityTable<OutboxRow>).create('u|sf-nordost', 'o|f-review', doneRow('f-review', at(1)));
    await stores.waitingList.table.create('q|solrosen', 'o|pending-queue', pendingRow('pending-queue', t0) as never);
  });

  it('the day before the period ends (from the last activity) nothing is removed or pseudonymised', async () => {
    const report = await stores.retention.run(at(1 + 729), 730);
    assert.equal(report.queueCasesPseudonymised, 0, JSON.stringify(report));
    assert.equal(report.offerEndingsRemoved, 0);
    assert.equal(report.doneStepsRemoved, 0, 'the forms\' done rows, written on day 1, too');
    assert.equal((await stores.cases.get(ENDED))!.value.reference, 'TR-GA-0001');
    assert.ok(await stores.waitingList.answered('solrosen', endedEntry));
    assert.ok(await stores.plans.outbox.get('sp', 'f-plan-0-0'));
  });

  it('after the period: the ended case is pseudonymised, its texts redacted, its index and reference rows gone; the offer ending and every done form row removed', async () => {
    const now = at(1 + 730);
    const report = await stores.retention.run(now, 730);
    assert.equal(report.queueCasesPseudonymised, 1, JSON.stringify(report));
    assert.equal(report.queueIndexRowsRemoved, 1, 'the index row the crash left');
    assert.equal(report.offerEndingsRemoved, 1, 'ENDED\'s; RECENT\'s ended 700 days in');
    assert.equal(report.doneStepsRemoved, 270 + 1 + 1 + 1, 'D\'s 270 (over two pages), C\'s, B\'s and A\'s form');
    assert.equal(report.conflicts, 0);
    // Counts only: nothing in the report names a case, a person or a text.
    assert.ok(Object.values(report).every((v) => typeof v === 'number'), JSON.stringify(report));
    for (const s of [ENDED, 'TR-GA-0001', 'EK', 'Eva', 'Bertil', officer.id]) assert.ok(!JSON.stringify(report).includes(s));

    const c = (await stores.cases.get(ENDED))!.value;
    assert.ok(isPseudonymised(c) && c.reference === pseudonymiseCase({ ...c }).reference, JSON.stringify(c));
    assert.deepEqual(await stores.cases.byReference('TR-GA-0001'), [], 'the reference finds nothing');
    assert.deepEqual((await stores.cases.byReference(c.reference)).map((x) => x.caseId), [ENDED], 'the pseudonym finds it');
    assert.deepEqual(await stores.waitingList.caseIdsByReference('TR-GA-0001', ['ffs']), [], 'nor in routine A');
    assert.equal(await stores.waitingList.openEntryOfCase(ENDED, 'solrosen'), undefined, 'its stale index row');
    const journal = await stores.journal.forCase(ENDED);
    assert.equal(journal.length, 2, 'the events stay');
    assert.equal(journal.find((e) => e.step === 'a.left')!.details.reason, REDACTED);
    assert.equal(journal.find((e) => e.step === 'a.left')!.actorName, 'Bertil Berg', 'who did it stays');
    assert.equal((await stores.consents.forCase(ENDED))[0]!.information, REDACTED);
    assert.equal(await stores.waitingList.answered('solrosen', endedEntry), undefined, 'how the offer ended');
    assert.equal(await stores.waitingList.stepRow('solrosen', formStep), undefined, 'A\'s form row');

    // The waiting case: untouched, still in the queue; the one that ended recently: kept.
    assert.equal((await stores.cases.get(WAITING))!.value.reference, 'TR-GA-0002');
    assert.deepEqual((await stores.waitingList.queue('solrosen')).map((e) => e.caseId), [WAITING]);
    assert.equal((await stores.consents.forCase(WAITING))[0]!.information, 'Walter väntar');
    assert.equal((await stores.cases.get(RECENT))!.value.initials, 'RN');
    assert.equal((await stores.journal.forCase(RECENT)).find((e) => e.step === 'a.left')!.details.reason, 'Rut slutade nyss');
    assert.deepEqual(await stores.waitingList.caseIdsByReference('TR-GA-0003', ['ffs']), [RECENT]);

    // Done rows gone, young and pending rows stay.
    for (const [pk, id] of [['sp', 'f-plan-0-0'], ['sp', 'f-plan-2-89']] as const) assert.equal(await stores.plans.outbox.get(pk, id), undefined, id);
    assert.equal(await stores.referrals.outbox.get('c', 'f-referral'), undefined);
    assert.equal(await stores.planReviews.outbox.get('u|sf-nordost', 'f-review'), undefined);
    assert.ok(await stores.plans.outbox.get('sp', 'f-young'), 'a done row younger than the period');
    assert.ok(await stores.plans.outbox.get('sp', 'pending-plan'), 'a pending row, however old');
    assert.ok(await stores.waitingList.stepRow('solrosen', 'pending-queue'), 'a pending row of a queue');
    assert.ok(await stores.waitingList.stepRow('solrosen', `register-${WAITING}`), 'the waiting case\'s registration step');
  });

  it('a second run changes nothing; years later a pending row is still there, the waiting case still identifiable', async () => {
    const again = await stores.retention.run(at(1 + 731), 730);
    assert.deepEqual([again.queueCasesPseudonymised, again.queueIndexRowsRemoved, again.offerEndingsRemoved, again.doneStepsRemoved, again.journalRows], [0, 0, 0, 0, 0], JSON.stringify(again));
    const later = await stores.retention.run(at(3650), 730);
    assert.equal(later.queueCasesPseudonymised, 1, 'RECENT, now past its period');
    assert.ok(await stores.plans.outbox.get('sp', 'pending-plan'));
    assert.ok(await stores.waitingList.stepRow('solrosen', 'pending-queue'));
    assert.equal((await stores.cases.get(WAITING))!.value.reference, 'TR-GA-0002', 'a case that waits is never pseudonymised');
  });
});

describe('retention sweep (Azurite): a case registered again while the sweep works on it', () => {
  it('keeps its reference and initials: the sweep\'s write on the index row fails on its ETag, and the next run sees the new registration', async function () {
    this.timeout(30000);
    const stores = await freshStores();
    const t0 = new Date('2026-11-23T09:00:00.000Z');
    const officer: Actor = { id: 'officer-1', name: 'Bertil Berg', role: 'workGuidanceOfficer', unit: 'ffs' };
    await stores.waitingList.addProvider({ providerId: 'solrosen', name: 'Solrosen', kind: 'private', places: 5, occupied: 0, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'ffs' });
    await stores.cases.add({ caseId: 'case-again', routine: 'A', reference: 'TR-GA-0009', initials: 'AG', protectedIdentity: false, owningUnit: 'ffs', createdBy: officer.id, createdAt: t0.toISOString() });
    await stores.waitingList.indexCaseReference('TR-GA-0009', 'case-again', 'ffs');
    await stores.journal.append(journalEvent('case-again', officer, 'A', 'a.left', t0, { reason: 'Agnes flyttar hem igen' }));
    // An index row a registration that never committed left, long ago.
    await stores.waitingList.indexCase('case-again', 'solrosen', 'gone-entry', t0);
    const now = new Date(t0.getTime() + 800 * day);

    // The same table, but the case is registered again at the moment the sweep removes its index row.
    const f = stores.factory;
    const waitingList = new EntityTable(f.client('WaitingList'), waitingListRowSchema) as EntityTable<unknown>;
    const racing = Object.create(waitingList, {
      delete: {
        value: async (pk: string, rk: string, etag?: string) => {
          if (pk === 'c|case-again') await stores.waitingList.indexCase('case-again', 'solrosen', 'new-entry', now);
          return waitingList.delete(pk, rk, etag);
        },
      },
    }) as EntityTable<unknown>;
    const retention = new RetentionStore({
      cases: new EntityTable(f.client('Cases'), caseFileSchema),
      journal: new EntityTable(f.client('Journal'), journalEventSchema),
      consents: new EntityTable(f.client('Consents'), consentSchema),
      plans: new EntityTable(f.client('Plans'), planRowSchema as never),
      referrals: new EntityTable(f.client('Referrals'), referralRowSchema as never),
      planReviews: new EntityTable(f.client('PlanReviews'), planReviewRowSchema as never),
      claims: new EntityTable(f.client('Claims'), claimSchema, { split: false }),
      tasks: new EntityTable(f.client('Tasks'), taskSchema, { split: false }),
      waitingList: racing,
    });
    const report = await retention.run(now, 730);
    assert.equal(report.queueCasesPseudonymised, 0, JSON.stringify(report));
    assert.equal(report.conflicts, 1, 'counted, left for the next run');
    assert.equal((await stores.cases.get('case-again'))!.value.reference, 'TR-GA-0009');
    assert.equal((await stores.journal.forCase('case-again'))[0]!.details.reason, 'Agnes flyttar hem igen', 'nothing of it is redacted');
    assert.deepEqual(await stores.waitingList.caseIdsByReference('TR-GA-0009', ['ffs']), ['case-again'], 'routine A still finds it by its reference');
    // The next run: the registration is recent activity, so the case is not due.
    const next = await stores.retention.run(new Date(now.getTime() + day), 730);
    assert.equal(next.queueCasesPseudonymised, 0, JSON.stringify(next));
    assert.equal((await stores.cases.get('case-again'))!.value.initials, 'AG');
  });
});
