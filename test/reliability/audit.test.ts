import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Journal } from '../../storage/journal';
import { startBot, type RunningBot } from '../helpers/app';
import { ClickEnv } from './clickCases';
import { addProvider, journalSteps, report } from './support';

/**
 * Issue 8 §8: every state change has exactly one journal event (scripted flows of A, B, C, D and role
 * management through /api/messages, events counted per case against what each step must write),
 * and no code path can update or delete a journal entry.
 */
const root = path.join(__dirname, '..', '..');
const consent = { consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('reliability: audit journal', () => {
  let bot: RunningBot;
  let env: ClickEnv;
  before(async () => {
    bot = await startBot({ clock: () => new Date('2026-11-23T09:00:00Z'), proactiveSpacingMs: 0 });
    env = new ClickEnv(bot);
    await env.greetAll();
  });
  after(async () => bot.stop());

  it('journals every state change exactly once in scripted flows of routines A, B, C and D and role management', async function () {
    this.timeout(60000);
    const stores = bot.app.stores;
    const steps = async (caseId: string) => Object.fromEntries([...(await journalSteps(stores, caseId))].sort());
    const expectations: Array<[string, Record<string, number>, Record<string, number>]> = [];
    const check = async (what: string, caseId: string, expected: Record<string, number>) => expectations.push([what, await steps(caseId), expected]);

    // Routine A: register with consent, a place frees, the offer is taken and answered.
    await addProvider(stores, { providerId: 'audit', places: 1, occupied: 1 });
    const bertil = env.chat('Bertil Berg');
    const register = async (reference: string) => {
      await bertil.say('avbryt');
      await bertil.pick({ menu: 'A' });
      await bertil.submit({ action: 'join' });
      await bertil.submit({ reference, initials: 'AU', protectedIdentity: 'false', providerId: 'audit', requestDate: '2026-11-20' });
      await bertil.submit(consent);
      return (await stores.waitingList.caseIdsByReference(reference, ['ffs']))[0]!;
    };
    const first = await register('AUDIT-1');
    const second = await register('AUDIT-2');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId: 'audit' });
    const entryId = (await stores.waitingList.provider('audit'))!.value.openOffer!;
    await bertil.execute('a.offer.take', { providerId: 'audit', entryId });
    await bertil.execute('a.offer.answer', { providerId: 'audit', entryId, answer: 'stillWants' });
    // The case is FFS's own: its officer records the revoked consent and confirms it on the card.
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'revoke' });
    await bertil.submit({ reference: 'AUDIT-2' });
    await bertil.execute('a.revoke.confirm', env.button('Bertil Berg', 'a.revoke.confirm', (d) => d.caseId === second));
    // The provider has no contact in the directory, so each card to it is journaled as not reached.
    await check('A: queued, offered, taken, assigned', first, { 'a.assigned': 1, 'a.consentRecorded': 1, 'a.informedNotSelectable': 1, 'a.offerOpened': 1, 'a.offerTaken': 1, 'a.providerNotReached': 2, 'a.queued': 1 });
    // Not reached twice: the queue card, and the notice that the entry left.
    await check('A: queued, consent revoked', second, { 'a.consentRecorded': 1, 'a.consentRevoked': 1, 'a.informedNotSelectable': 1, 'a.leftQueue': 1, 'a.providerNotReached': 2, 'a.queued': 1 });
    await check('A: the provider', 'provider:audit', { 'a.released': 1 });

    // Routine D: a plan with consent, invitation accepted, plan submitted and approved.
    const sofia = env.chat('Sofia Sandberg');
    await sofia.say('avbryt');
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no', reportMade: 'false' });
    await sofia.submit({ others: 'ffs', purpose: 'Samordna stöd', needs: 'Boende', questions: 'Vem gör vad?', proposedTime: 'måndag 10:00', meetingForm: 'video', individualTakesPart: 'false' });
    await sofia.submit({ ...consent, reference: 'AUDIT-SP', initials: 'AS', names: '', protectedIdentity: 'false', information: 'Behov' });
    const plan = (await stores.plans.byInitiator(sofia.person.id)).find((p) => p.caseId)!;
    await env.chat('Tomas Tell').execute('d.invite.answer', { spId: plan.spId, administration: 'ffs', answer: 'accepted', note: '' });
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: `plan:${plan.spId}` });
    await sofia.submit({ participants: 'SF Nordost, FFS', background: 'B', needs: 'N', responsibilities: 'R', followUpDate: '2027-01-15', individualParticipation: 'Deltog' });
    await env.chat('Tomas Tell').execute('d.plan.decide', { spId: plan.spId, administration: 'ffs', version: 1, decision: 'approved', note: '' });
    await check('D: consent, invited, answered, submitted, approved, established', plan.caseId!, { 'd.approved': 1, 'd.consentRecorded': 1, 'd.established': 1, 'd.invitationAnswered': 1, 'd.invited': 1, 'd.planSubmitted': 1 });

    // Routine B: registered, plan missing → reason → deviation; another case returned, revised, ensured, compensation.
    const hanna = env.chat('Hanna Holm');
    const registerB = async (reference: string) => {
      await hanna.say('avbryt');
      await hanna.pick({ menu: 'B' });
      await hanna.submit({ action: 'new' });
      await hanna.submit({ reference, initials: 'AU', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: '10', previousPlan: 'never' });
      for (const x of await stores.planReviews.inUnit('avo')) if ((await stores.cases.get(x.caseId))?.value.reference === reference) return x;
      throw new Error(`${reference} was not registered`);
    };
    const missing = await registerB('AUDIT-B1');
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `missing:avo:${missing.reviewId}` });
    await env.chat('Rut Rask').execute('b.delay.answer', { unit: 'avo', reviewId: missing.reviewId, note: 'Personalbrist' });
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `deviation:avo:${missing.reviewId}` });
    await hanna.submit({ reported: 'true', note: 'AV-1' });
    await check('B: registered, plan missing, reason, deviation', missing.caseId, { 'b.delayReason': 1, 'b.deviationReported': 1, 'b.planMissing': 1, 'b.registered': 1 });
    const reviewed = await registerB('AUDIT-B2');
    const yes = { q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'yes', allocatedHours: '10' };
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${reviewed.reviewId}` });
    await hanna.submit({ ...yes, q7: 'no', c7: 'Hur saknas' });
    await env.chat('Rut Rask').execute('b.revised', { unit: 'avo', reviewId: reviewed.reviewId, round: 1, note: '' });
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${reviewed.reviewId}` });
    await hanna.submit(yes);
    await check('B: returned, revised, ensured, compensation', reviewed.caseId, { 'b.compensationNotified': 1, 'b.planEnsured': 1, 'b.planRevised': 1, 'b.registered': 1, 'b.reviewNotComplete': 1 });

    // Routine C: criteria, AF consultation, consent, decision, assignment, taken.
    const referral = await env.referral(1, 'assigned');
    await env.chat('Ivar Ivarsson').execute('c.take', { referralId: referral.referralId });
    await check('C: criteria, AF, consent, decision, assignment, taken', referral.caseId, { 'c.af': 1, 'c.assign': 1, 'c.consent': 1, 'c.criteria': 1, 'c.decide': 1, 'c.take': 1 });

    // Role management.
    const admin = env.chat('Olle Öberg');
    await admin.say('behörigheter');
    await admin.submit({ action: 'add', personId: '', newPersonId: '55555555-0000-0000-0000-000000000001', newPersonName: 'Åsa Ås', role: 'socialWorker', unit: 'sf-nordost' });
    await check('Roles: a person added', 'staff:55555555-0000-0000-0000-000000000001', { 'shared.roleAdded': 1 });

    for (const [what, actual, expected] of expectations) assert.deepEqual(actual, expected, what);
    const events = expectations.reduce((n, [, a]) => n + Object.values(a).reduce((x, y) => x + y, 0), 0);
    report('audit', `${expectations.length} cases after scripted flows (A, B, C, D, roles): ${events} journal events, each state change exactly once, 0 missing, 0 duplicated`);
  });

  it('offers no way to update or delete a journal entry', () => {
    const methods = Object.getOwnPropertyNames(Journal.prototype).filter((m) => m !== 'constructor').sort();
    // appendOnce: the relay's append of a step's events (creates only; a repeat is skipped, never overwritten).
    assert.deepEqual(methods, ['append', 'appendAll', 'appendOnce', 'forCase'], 'the journal store can only append and read');

    const files = ['bot', 'dialogs', 'storage', 'routines', 'cards', 'scripts', 'manifest', 'bench', 'locale'].flatMap((d) => sources(path.join(root, d)));
    const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
    const mentions = (re: RegExp) => files.filter((f) => re.test(readFileSync(f, 'utf8'))).map(rel).sort();
    // Only the composition of the stores names the journal's table, and only to hand it to Journal.
    assert.deepEqual(mentions(/client\(\s*['"`]Journal['"`]/), ['storage/index.ts']);
    assert.deepEqual(mentions(/new Journal\(/), ['storage/index.ts']);
    assert.deepEqual(mentions(/tables\.journal\b/), ['storage/index.ts']);
    const index = readFileSync(path.join(root, 'storage/index.ts'), 'utf8');
    // Twice: to build the Journal, and for the retention sweep (gallring), which may only take the
    // free texts out of a case's rows once its period has run (docs/data-protection.md): the law's
    // retention rule outranks append-only, and the events themselves stay.
    assert.equal(index.match(/tables\.journal\b/g)?.length, 2, 'the journal table is used twice: to build the Journal and the retention sweep');
    assert.match(index, /new RetentionStore\(\{[^}]*journal: tables\.journal/, 'the second use is the retention sweep');
    const retention = readFileSync(path.join(root, 'storage/retention.ts'), 'utf8');
    assert.doesNotMatch(retention, /journal\.(delete|upsert|create|transact)\(/, 'retention never deletes or adds a journal row');
    assert.deepEqual(retention.match(/journal\.replace\([^;]*;/g), ['journal.replace(row.partitionKey, row.rowKey, redactJournalEvent(row.value), row.etag);'], 'retention rewrites a journal row only without its free texts, conditionally');
    // Nobody talks to table storage except through EntityTable (which Journal wraps without update or delete),
    // and the benchmark's stateful floor, a separate bot that reads and writes only its own table.
    assert.deepEqual(mentions(/\.(createEntity|updateEntity|upsertEntity|deleteEntity|submitTransaction|deleteTable)\(/), ['bench/floorProcess.ts', 'storage/entityTable.ts']);
    assert.doesNotMatch(readFileSync(path.join(root, 'bench/floorProcess.ts'), 'utf8'), /Journal/, 'the floor never touches the journal');
    report('audit', `journal store methods: ${methods.join(', ')}; ${files.length} source files scanned: the Journal table is built once and written only by append`);
  });
});
