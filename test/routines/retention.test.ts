import { strict as assert } from 'node:assert';
import { extractPeriod, mayExtractCase, mayExtractPerson } from '../../routines/shared/accessLog';
import type { CaseFile } from '../../routines/shared/cases';
import { journalEvent } from '../../routines/shared/journal';
import type { StaffMember } from '../../routines/shared/organisation';
import { DEFAULT_RETENTION_DAYS, REDACTED, changedBy, hasEnded, isDueForRetention, isExpired, isPseudonymised, pseudonymiseCase, redactJournalEvent, redactTexts, retentionDueAt } from '../../routines/shared/retention';
import { configSchema } from '../../bot/config';

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
