import { strict as assert } from 'node:assert';
import { OutboxRelay } from '../../dialogs/outboxRelay';
import { coordinatedPlanCards } from '../../dialogs/d-coordinated-plan/effectCards';
import { CoordinatedPlanService } from '../../dialogs/d-coordinated-plan/service';
import { answer, approvalTaskId, disagree, replyTaskId, start, submit } from '../../routines/d-coordinated-plan/decisions';
import { planCode, type PlanContent } from '../../routines/d-coordinated-plan/rules';
import { D_STATUS_CARDS } from '../../routines/d-coordinated-plan/status';
import type { Effect } from '../../routines/shared/effects';
import type { Consent } from '../../routines/shared/consent';
import type { Administration, StaffMember } from '../../routines/shared/organisation';
import type { Decision } from '../../routines/shared/refusal';
import type { Stores } from '../../storage';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import type { EffectOutcome, OutboxRows } from '../../storage/outbox';
import { IN_TURN_CLAIM_MS, outboxRk } from '../../storage/outbox';
import type { Person } from '../helpers/activities';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardTexts, showsInitials } from '../helpers/connector';
import { Chat } from '../helpers/flow';

/**
 * The outbox relay (dialogs/outboxRelay.ts) carrying out routine D's effects against real Azurite
 * storage, through a real app (restify + CloudAdapter, the connector stand-in for Teams). Each
 * test decides a step with routine D's own decisions, commits it with its outbox row exactly as
 * the use cases do (stores.plans.commitNew / commit), and has the relay deliver it, wired as in
 * dialogs/d-coordinated-plan/feature.ts. What is asserted is what people notice: who got a card in
 * their chat, what the journal says, which tasks are open, and that nothing happens twice.
 */

/**
 * The effects of a step but the initiator's status cards (issue 17; their own test:
 * test/e2e/routineDStatusCard.test.ts): these tests are about the invitations and approvals.
 */
const statusCardIds = (effects: readonly Effect[]): Set<string> => new Set(effects.flatMap((e) => (e.type === 'notify' && e.card.kind === D_STATUS_CARDS.statusCard ? [e.id] : [])));
const undeliveredBut = (undelivered: ReadonlySet<string>, effects: readonly Effect[]): string[] => [...undelivered].filter((id) => !statusCardIds(effects).has(id));
describe('OutboxRelay: routine D\'s effects carried out against real storage, once (ARCHITECTURE "Decide, then commit, then deliver")', function () {
  this.timeout(60_000);
  const now = new Date('2026-11-23T09:00:00Z');
  let bot: RunningBot;
  let stores: Stores;
  let service: CoordinatedPlanService;
  let relay: OutboxRelay;

  const sofia = demoPerson('Sofia Sandberg'); // social worker, SF Nordost (which has no supervisor)
  const tomas = demoPerson('Tomas Tell'); // supervisor, FFS
  const ulla = demoPerson('Ulla Ulf'); // supervisor, ÄVO
  const gunilla = demoPerson('Gunilla Gran'); // supervisor, SF Centrum
  // Two more FFS supervisors: Tina talks to the bot, Tyra never has (no conversation to send to).
  const tina: StaffMember = { id: '11111111-0000-0000-0000-000000000101', name: 'Tina Torn', roles: [{ role: 'supervisor', unit: 'ffs' }] };
  const tyra: StaffMember = { id: '11111111-0000-0000-0000-000000000102', name: 'Tyra Tyst', roles: [{ role: 'supervisor', unit: 'ffs' }] };
  const ffsSupervisorsInIdOrder = [tomas.id, tina.id].sort();

  const content: PlanContent = { participants: 'SF Nordost, FFS, ÄVO', background: 'b', needs: 'n', responsibilities: 'FFS: daglig verksamhet', followUpDate: '2027-01-15', individualParticipation: 'i' };
  const labels = { label: 'SP', caseLabel: 'SP' };
  const policy = { workingDaysBefore: 2 };

  const conversationOf = (p: Person) => bot.channel.conversationOf(p);
  const sentTo = (p: Person) => bot.connector.to(conversationOf(p));
  /** Texts of each card sent to a person since `from`, one string per card. */
  const cardsSince = (p: Person, from: number) => sentTo(p).slice(from).map((s) => cardTexts(s.activity.attachments?.[0]?.content).join(' | '));
  const counts = () => new Map([sofia, tomas, ulla, gunilla, tina, tyra].map((p) => [p.id, sentTo(p).length]));
  const ok = <T>(d: Decision<T>): T => {
    assert.ok(d.ok, `expected an accepted decision, got ${JSON.stringify(d)}`);
    return d.value;
  };

  const newPlan = (spId: string, over: Partial<StoredPlan> = {}): StoredPlan => ({
    spId,
    caseId: null,
    mode: 'consultation',
    initiatorId: sofia.id,
    initiatorName: sofia.name,
    initiatingAdministration: 'sf-nordost',
    others: ['ffs'],
    acuteConcern: false,
    concernReported: false,
    purpose: 'Samordning av boende och sysselsättning',
    needs: 'Stöd i vardagen',
    questions: 'Vem gör vad?',
    proposedTime: '2026-11-30 kl 10',
    meetingForm: 'video',
    individualTakesPart: false,
    invitations: (over.others ?? ['ffs']).map((administration) => ({ administration })),
    versions: [],
    state: 'invited',
    createdAt: now.toISOString(),
    ...over,
  });
  const consent = (caseId: string, consentId: string, recipients: Administration[], over: Partial<Consent> = {}): Consent => ({
    consentId, caseId, routine: 'D', recipients, information: 'Behov och insatser', givenBy: 'individual', method: 'inPerson',
    givenAt: '2026-11-20T09:00:00.000Z', capturedBy: sofia.id, capturedAt: '2026-11-20T09:00:00.000Z', toldHowToRevoke: true, ...over,
  });
  const staffOf = async (p: Person) => (await stores.staff.get(p.id))!.value;

  /** The start step of a new plan, committed with its outbox row as startPlan() does: returns the decision and the row. */
  async function commitStart(plan: StoredPlan, stepId: string, consents: Consent[] = [], at = now) {
    const d = ok(start(plan, { stepId, person: await staffOf({ id: plan.initiatorId, name: plan.initiatorName }), now: at, consents, taskLabels: labels, invitationReplyWorkingDays: 5, policy }));
    const row = await stores.plans.commitNew(plan, stepId, d.effects, at);
    return { d, row };
  }

  before(async () => {
    bot = await startBot({ clock: () => now });
    stores = bot.app.stores;
    for (const p of [tina, tyra]) await stores.staff.save(p, undefined);
    for (const p of [sofia, tomas, ulla, tina]) await new Chat(bot, p).say('hej');
    service = new CoordinatedPlanService(bot.app.deps);
    relay = new OutboxRelay(bot.app.deps, stores.plans.outbox, coordinatedPlanCards(service, stores));
  });
  after(async () => bot?.stop());
  beforeEach(async () => assert.deepEqual(await stores.plans.outbox.pending(), [], 'every test starts with an empty outbox'));

  it('a card to supervisor@ffs reaches every FFS supervisor who has talked to the bot, each in their own chat; the outcome lists them, the row is deleted', async () => {
    const before = counts();
    const { d, row } = await commitStart(newPlan('rel-role'), 'st-role');
    assert.deepEqual((await stores.plans.outbox.pending()).map((r) => r.rowKey), [outboxRk('st-role')], 'committed with the plan, waiting for the relay');

    const delivery = await relay.deliver(row);

    const outcome = delivery.outcomes.get(d.noticeTo.ffs!)!;
    assert.equal(outcome.delivered, true);
    assert.deepEqual(outcome.reached!.map((r) => r.personId), ffsSupervisorsInIdOrder);
    assert.deepEqual(outcome.missed, [tyra.id], 'Tyra holds the role but has no conversation with the bot');
    assert.deepEqual(undeliveredBut(delivery.undelivered, d.effects), []);
    for (const p of [tomas, tina]) {
      const cards = cardsSince(p, before.get(p.id)!);
      assert.equal(cards.length, 1, `${p.name} got one card`);
      assert.ok(cards[0]!.includes('Kallelse till SP-möte från SF Nordost'), cards[0]);
      // The activity id recorded is that of the card in this person's own chat (the stand-in answers `sent-<n>`).
      const { activityId } = outcome.reached!.find((r) => r.personId === p.id)!;
      assert.equal(bot.connector.sent[Number(activityId!.replace('sent-', '')) - 1]!.conversationId, conversationOf(p));
    }
    for (const p of [ulla, gunilla]) assert.equal(sentTo(p).length, before.get(p.id), `${p.name} got nothing`);
    assert.equal(sentTo(sofia).length - before.get(sofia.id)!, 1, 'the initiator gets her status card only (routineDStatusCard.test.ts)');
    // remember: the card ids are kept on the plan, so a later step can replace them for every viewer.
    const plan = (await stores.plans.get('rel-role'))!.value;
    assert.deepEqual(plan.cards!.filter((c) => c.kind !== 'status').map((c) => [c.personId, c.kind, c.activityId]).sort(), outcome.reached!.map((r) => [r.personId, 'invite:ffs', r.activityId]).sort());
    // The journal says where the invitation went; the initiator's reply task is open; the row is gone.
    const journal = await stores.journal.forCase('sp:rel-role');
    assert.deepEqual(journal.map((e) => [e.step, e.details]), [['d.invited', { administrations: 'ffs', notReached: '', noConsent: '', mode: 'consultation' }]]);
    assert.ok(await stores.tasks.openById('sf-nordost', replyTaskId('rel-role')));
    assert.deepEqual(await stores.plans.outbox.pending(), []);
  });

  it('orElse: an administration with no supervisor gets the invitation through its social workers; one with nobody is "not reached"; a card without orElse reaches no social worker', async () => {
    const before = counts();
    const gunillaStaff = await staffOf(gunilla);
    const plan = newPlan('rel-else', { initiatorId: gunilla.id, initiatorName: gunilla.name, initiatingAdministration: 'sf-centrum', others: ['sf-nordost', 'sf-sydvast'] });
    const { d, row } = await commitStart(plan, 'st-else');
    const delivery = await relay.deliver(row);

    assert.deepEqual(delivery.outcomes.get(d.noticeTo['sf-nordost']!)!.reached!.map((r) => r.personId), [sofia.id], 'SF Nordost has no supervisor: its social worker is invited');
    assert.ok(cardsSince(sofia, before.get(sofia.id)!).some((c) => c.includes('Kallelse till SP-möte från SF Centrum')));
    assert.deepEqual(delivery.outcomes.get(d.noticeTo['sf-sydvast']!), { delivered: false, reason: 'noRecipient', reached: [], missed: [] }, 'nobody holds either role in SF Sydväst');
    assert.deepEqual(undeliveredBut(delivery.undelivered, d.effects), [d.noticeTo['sf-sydvast']]);
    const invited = (await stores.journal.forCase('sp:rel-else')).find((e) => e.step === 'd.invited')!;
    assert.deepEqual([invited.details.administrations, invited.details.notReached], ['sf-nordost', 'sf-sydvast']);

    // The approval card goes to supervisors only (no orElse): Sofia, a social worker, gets nothing,
    // and the binding approval task waits in SF Nordost's overview.
    const stored = (await stores.plans.get('rel-else'))!;
    const s = ok(submit(stored.value, { stepId: 'sub-else', person: gunillaStaff, content, now, consents: [], taskLabels: labels, approvalWorkingDays: 5, policy }));
    const sofiaBefore = sentTo(sofia).length;
    const subDelivery = await relay.deliver(await stores.plans.commit(s.state, stored.etag, 'sub-else', s.effects, now));
    assert.deepEqual(subDelivery.outcomes.get(s.cardTo['sf-nordost']!), { delivered: false, reason: 'noRecipient', reached: [], missed: [] });
    assert.equal(sentTo(sofia).length, sofiaBefore, 'a social worker is not sent an approval card');
    const submitted = (await stores.journal.forCase('sp:rel-else')).find((e) => e.step === 'd.planSubmitted')!;
    assert.deepEqual([submitted.details.to, submitted.details.notReached, submitted.details.noConsent], ['', 'sf-nordost,sf-sydvast', '']);
    assert.ok(await stores.tasks.openById('sf-nordost', approvalTaskId('rel-else', 1, 'sf-nordost')));
    assert.deepEqual(await stores.plans.outbox.pending(), []);
  });

  it('a card to one person: the initiator who talks to the bot gets it in her chat; one who never has is "not reached" and the journal names her', async () => {
    const before = counts();
    const answered = async (spId: string, initiator: Person, unit: Administration) => {
      await stores.plans.add(newPlan(spId, { initiatorId: initiator.id, initiatorName: initiator.name, initiatingAdministration: unit }));
      const read = (await stores.plans.get(spId))!;
      const a = ok(answer(read.value, { stepId: `ans-${spId}`, person: await staffOf(tomas), administration: 'ffs', answer: 'accepted', note: '', now }));
      return { a, delivery: await relay.deliver(await stores.plans.commit(a.state, read.etag, `ans-${spId}`, a.effects, now)) };
    };

    const toSofia = await answered('rel-person', sofia, 'sf-nordost');
    const outcome = toSofia.delivery.outcomes.get(toSofia.a.initiatorNotice)!;
    assert.equal(outcome.delivered, true);
    assert.equal(bot.connector.sent[Number(outcome.activityId!.replace('sent-', '')) - 1]!.conversationId, conversationOf(sofia), 'the activity id of the card in her chat');
    const cards = cardsSince(sofia, before.get(sofia.id)!);
    assert.equal(cards.length, 1);
    assert.ok(cards[0]!.includes('Tomas Tell accepterade'), cards[0]);
    assert.deepEqual((await stores.journal.forCase('sp:rel-person')).map((e) => [e.step, e.details]), [['d.invitationAnswered', { administration: 'ffs', answer: 'accepted' }]], 'told: nobody to name');
    assert.equal(await stores.tasks.openById('sf-nordost', replyTaskId('rel-person')), undefined);

    const toGunilla = await answered('rel-person2', gunilla, 'sf-centrum');
    assert.deepEqual(toGunilla.delivery.outcomes.get(toGunilla.a.initiatorNotice), { delivered: false, reason: 'noConversation' });
    assert.deepEqual([...toGunilla.delivery.undelivered], [toGunilla.a.initiatorNotice]);
    assert.equal(sentTo(gunilla).length, 0);
    assert.deepEqual((await stores.journal.forCase('sp:rel-person2')).map((e) => e.details.notReached), [gunilla.name], 'the journal says who was not told');
    for (const p of [tomas, tina, ulla]) assert.equal(sentTo(p).length, before.get(p.id), 'the answer goes to the initiator only');
    assert.deepEqual(await stores.plans.outbox.pending(), []);
  });

  it('consent is checked again when the card is sent: revoked after the step was decided, FFS gets nothing and the journal lists FFS under noConsent', async () => {
    const caseId = 'case-rel-consent';
    await stores.cases.add({ caseId, routine: 'D', reference: 'TR-REL-0001', initials: 'QZ', protectedIdentity: false, owningUnit: 'sf-nordost', createdBy: sofia.id, createdAt: now.toISOString() });
    const consents = [consent(caseId, 'k-ffs', ['ffs']), consent(caseId, 'k-avo', ['avo'])];
    for (const c of consents) await stores.consents.add(c);
    const before = counts();
    // Decided while both consents held: both invitations are in the row, each to be checked at sending.
    const { d, row } = await commitStart(newPlan('rel-consent', { caseId, mode: 'consent', others: ['ffs', 'avo'] }), 'st-consent', consents);
    assert.deepEqual(d.noConsent, []);
    // Then the individual revokes the consent that covers FFS, before the relay runs.
    const k = (await stores.consents.get(caseId, 'k-ffs'))!;
    await stores.consents.update({ ...k.value, revokedAt: now.toISOString(), revokedBy: sofia.id }, k.etag);

    const delivery = await relay.deliver(row);

    assert.deepEqual(delivery.outcomes.get(d.noticeTo.ffs!), { delivered: false, reason: 'consent' });
    for (const p of [tomas, tina]) assert.equal(sentTo(p).length, before.get(p.id), `${p.name} (FFS) got nothing about the person`);
    const toUlla = cardsSince(ulla, before.get(ulla.id)!);
    assert.equal(toUlla.length, 1, 'ÄVO is still covered');
    assert.ok(toUlla[0]!.includes('TR-REL-0001'), 'the consent allows ÄVO the case reference');
    const invited = (await stores.journal.forCase(caseId)).find((e) => e.step === 'd.invited')!;
    assert.deepEqual(invited.details, { administrations: 'avo', notReached: '', noConsent: 'ffs', mode: 'consent' });
    assert.deepEqual((await stores.plans.get('rel-consent'))!.value.cards!.filter((c) => c.kind !== 'status').map((c) => [c.personId, c.kind]), [[ulla.id, 'invite:avo']], 'no FFS card to remember');
    assert.deepEqual(await stores.plans.outbox.pending(), []);
  });

  it('a consent added already revoked (revokedAt before sending) stops the approval card too; the task that needed it is opened with its consentRecipient, so its reminders are checked as well', async () => {
    const caseId = 'case-rel-consent2';
    const stored = newPlan('rel-consent2', { caseId, mode: 'consent', others: ['ffs'], state: 'invited' });
    await stores.plans.add(stored);
    const given = consent(caseId, 'k1', ['ffs']);
    const read = (await stores.plans.get('rel-consent2'))!;
    const s = ok(submit(read.value, { stepId: 'sub-consent2', person: await staffOf(sofia), content, now, consents: [given], taskLabels: labels, approvalWorkingDays: 5, policy }));
    await stores.consents.add({ ...given, revokedAt: '2026-11-23T08:59:00.000Z', revokedBy: sofia.id });
    const before = counts();
    const delivery = await relay.deliver(await stores.plans.commit(s.state, read.etag, 'sub-consent2', s.effects, now));
    assert.deepEqual(delivery.outcomes.get(s.cardTo.ffs!), { delivered: false, reason: 'consent' });
    for (const p of [tomas, tina]) assert.equal(sentTo(p).length, before.get(p.id));
    const submitted = (await stores.journal.forCase(caseId)).find((e) => e.step === 'd.planSubmitted')!;
    assert.deepEqual([submitted.details.to, submitted.details.notReached, submitted.details.noConsent], ['', '', 'ffs']);
    assert.equal((await stores.tasks.openById('ffs', approvalTaskId('rel-consent2', 1, 'ffs')))?.consentRecipient, 'ffs');
  });

  describe('each effect at most once, however often the relay runs', () => {
    it('the bot dies after the cards and the journal, before the row is deleted: carried out again from the stored row, nobody gets a card twice and the journal holds each event once', async () => {
      await stores.plans.add(newPlan('rel-crash', { others: ['ffs', 'avo'] }));
      const read = (await stores.plans.get('rel-crash'))!;
      const s = ok(submit(read.value, { stepId: 'sub-crash', person: await staffOf(sofia), content, now, consents: [], taskLabels: labels, approvalWorkingDays: 5, policy }));
      const row = await stores.plans.commit(s.state, read.etag, 'sub-crash', s.effects, now);
      const before = counts();
      // The same relay, on an outbox whose delete never happens (the process died there).
      const dying = Object.create(stores.plans.outbox, { remove: { value: () => Promise.reject(new Error('the bot died before deleting the row')) } }) as OutboxRows;
      await assert.rejects(new OutboxRelay(bot.app.deps, dying, coordinatedPlanCards(service, stores)).deliver(row), /died/);
      const afterFirst = counts();
      for (const p of [tomas, tina, ulla]) assert.equal(afterFirst.get(p.id)! - before.get(p.id)!, 1, `${p.name} got the approval card`);
      assert.equal((await stores.journal.forCase('sp:rel-crash')).filter((e) => e.step === 'd.planSubmitted').length, 1);

      // What the next relay reads: the row, with the outcome of every card recorded.
      const [left] = await stores.plans.outbox.pending();
      assert.equal(left!.rowKey, outboxRk('sub-crash'));
      assert.deepEqual(Object.keys(left!.value.outcomes).filter((id) => !statusCardIds(s.effects).has(id)).sort(), [s.cardTo.ffs!, s.cardTo.avo!].sort());
      const again = await relay.deliver(left!);

      assert.deepEqual(counts(), afterFirst, 'no card is sent twice');
      assert.deepEqual(again.outcomes.get(s.cardTo.ffs!)!.reached!.map((r) => r.personId), ffsSupervisorsInIdOrder, 'the outcome is the recorded one');
      const journal = await stores.journal.forCase('sp:rel-crash');
      assert.deepEqual(journal.map((e) => [e.step, e.details.to, e.details.notReached]), [['d.planSubmitted', 'ffs,avo', '']], 'one journal event, however often carried out');
      const cards = (await stores.plans.get('rel-crash'))!.value.cards!;
      assert.equal(cards.filter((c) => c.kind !== 'status').length, 3, 'each approval card remembered once');
      assert.deepEqual(cards.filter((c) => c.kind === 'status').map((c) => c.personId), [sofia.id], "the initiator's status card remembered once");
      for (const admin of ['ffs', 'avo'] as const) assert.ok(await stores.tasks.openById(admin, approvalTaskId('rel-crash', 1, admin)));
      assert.equal((await stores.tasks.openFor({ kind: 'role', role: 'supervisor', unit: 'ffs' })).filter((t) => t.taskId === approvalTaskId('rel-crash', 1, 'ffs')).length, 1, 'one approval task');
      assert.deepEqual(await stores.plans.outbox.pending(), [], 'the row is deleted the second time');
    });

    it('an outcome recorded before a crash is trusted: the card is not sent again, the journal reports that recorded outcome — also when the same row is delivered once more after its deletion', async () => {
      await stores.plans.add(newPlan('rel-recorded'));
      const read = (await stores.plans.get('rel-recorded'))!;
      const a = ok(answer(read.value, { stepId: 'ans-recorded', person: await staffOf(tomas), administration: 'ffs', answer: 'accepted', note: '', now }));
      const row = await stores.plans.commit(a.state, read.etag, 'ans-recorded', a.effects, now);
      // The card to the initiator had been tried and found undeliverable, and recorded, when the bot died.
      const notReached: EffectOutcome = { delivered: false, reason: 'noConversation' };
      const recorded = await stores.plans.outbox.record(row, a.initiatorNotice, notReached);
      const before = counts();

      const first = await relay.deliver(recorded);
      const second = await relay.deliver(recorded);

      assert.deepEqual(counts(), before, 'Sofia is not sent the notice (again)');
      assert.deepEqual([...first.undelivered], [a.initiatorNotice]);
      assert.deepEqual([...second.undelivered], [a.initiatorNotice]);
      const journal = await stores.journal.forCase('sp:rel-recorded');
      assert.deepEqual(journal.map((e) => [e.step, e.details]), [['d.invitationAnswered', { administration: 'ffs', answer: 'accepted', notReached: sofia.name }]], 'once, naming the initiator who was not told');
      assert.equal(await stores.tasks.openById('sf-nordost', replyTaskId('rel-recorded')), undefined);
      assert.deepEqual(await stores.plans.outbox.pending(), []);
    });
  });

  it('deliveryCounts: a disagreement counts the people it reached across every administration and names the administrations nobody was reached in — never showing the case reference or initials', async () => {
    const caseId = 'case-rel-dis';
    await stores.cases.add({ caseId, routine: 'D', reference: 'TR-REL-0009', initials: 'QZ', protectedIdentity: false, owningUnit: 'sf-nordost', createdBy: sofia.id, createdAt: now.toISOString() });
    await stores.plans.add(newPlan('rel-dis', { caseId, mode: 'consent', others: ['ffs', 'avo'] }));
    const read = (await stores.plans.get('rel-dis'))!;
    const d = ok(disagree(read.value, { stepId: 'dis-1', person: await staffOf(ulla), administration: 'avo', reason: 'Oklart vem som ansvarar för boendet', now }));
    const before = counts();
    const delivery = await relay.deliver(await stores.plans.commit(d.state, read.etag, 'dis-1', d.effects, now));

    assert.equal(delivery.outcomes.get(d.noticeTo['sf-nordost']!)!.reason, 'noRecipient', 'SF Nordost has no supervisor (and the card has no orElse)');
    const event = (await stores.journal.forCase(caseId)).find((e) => e.step === 'd.disagreement')!;
    assert.deepEqual(event.details, { administration: 'avo', recipients: 3, notReached: 'sf-nordost' }, 'Tomas, Tina and Ulla; Tyra (no chat) is not counted');
    for (const p of [tomas, tina, ulla]) {
      const cards = sentTo(p).slice(before.get(p.id)!);
      assert.equal(cards.length, 1, p.name);
      const json = JSON.stringify(cards[0]!.activity);
      assert.ok(cardTexts(cards[0]!.activity.attachments?.[0]?.content).some((t) => t.includes(`Oenighet om samordnad plan: ${planCode({ spId: 'rel-dis' })}`)));
      assert.ok(!json.includes('TR-REL-0009') && !showsInitials(json, 'QZ'), `${p.name}'s card shows the case: ${json}`);
    }
    assert.equal(sentTo(sofia).length, before.get(sofia.id), 'a social worker is not told of a disagreement between managers');
  });

  describe('relayPending(now): the sweep carries out what a crashed turn left', () => {
    it('skips a row still claimed by its turn, carries out one whose claim has expired, and the skipped one once its claim has expired too', async () => {
      const earlier = new Date(now.getTime() - 5 * 60_000);
      const left = await commitStart(newPlan('rel-old'), 'st-old', [], earlier);
      const busy = await commitStart(newPlan('rel-busy'), 'st-busy');
      assert.ok(Date.parse(left.row.value.claimedUntil) < now.getTime() && Date.parse(busy.row.value.claimedUntil) > now.getTime());
      const before = counts();

      assert.equal(await relay.relayPending(now), 1);

      const pending = await stores.plans.outbox.pending();
      assert.deepEqual(pending.map((r) => [r.rowKey, r.value.claimedUntil, r.value.outcomes]), [[outboxRk('st-busy'), busy.row.value.claimedUntil, {}]], 'the claimed row is untouched');
      const invitedOld = (await stores.journal.forCase('sp:rel-old')).map((e) => e.step);
      assert.deepEqual(invitedOld, ['d.invited']);
      assert.deepEqual(await stores.journal.forCase('sp:rel-busy'), [], 'nothing of the claimed step is done');
      for (const p of [tomas, tina]) assert.equal(sentTo(p).length - before.get(p.id)!, 1, `${p.name} got the left invitation only`);
      assert.ok(await stores.tasks.openById('sf-nordost', replyTaskId('rel-old')));
      assert.equal(await stores.tasks.openById('sf-nordost', replyTaskId('rel-busy')), undefined);

      const afterClaim = new Date(Date.parse(busy.row.value.claimedUntil) + 1);
      assert.equal(IN_TURN_CLAIM_MS, 60_000);
      assert.equal(await relay.relayPending(afterClaim), 1);
      assert.deepEqual(await stores.plans.outbox.pending(), []);
      for (const p of [tomas, tina]) assert.equal(sentTo(p).length - before.get(p.id)!, 2);
      assert.deepEqual((await stores.journal.forCase('sp:rel-busy')).map((e) => e.step), ['d.invited']);
      assert.equal(await relay.relayPending(afterClaim), 0, 'nothing left to do');
    });

    it('two instances sweeping at once: the row is claimed by one of them (its ETag), so the step is carried out and its cards sent once', async () => {
      const earlier = new Date(now.getTime() - 5 * 60_000);
      await commitStart(newPlan('rel-race'), 'st-race', [], earlier);
      const other = new OutboxRelay(bot.app.deps, stores.plans.outbox, coordinatedPlanCards(service, stores));
      const before = counts();
      const done = await Promise.all([relay.relayPending(now), other.relayPending(now)]);
      assert.equal(done[0]! + done[1]!, 1, `one sweep did it: ${done.join(', ')}`);
      for (const p of [tomas, tina]) assert.equal(sentTo(p).length - before.get(p.id)!, 1, `${p.name} got the invitation once`);
      assert.deepEqual((await stores.journal.forCase('sp:rel-race')).map((e) => e.step), ['d.invited']);
      assert.deepEqual(await stores.plans.outbox.pending(), []);
    });

    it('a step that fails again is reported and left for a later sweep (claimed for two minutes); it does not hold up a later step', async () => {
      const earlier = new Date(now.getTime() - 10 * 60_000);
      // The oldest row sends a card no renderer knows: carrying it out fails every time.
      await stores.plans.add(newPlan('rel-poison'));
      const read = (await stores.plans.get('rel-poison'))!;
      const poison = await stores.plans.commit(read.value, read.etag, 'st-poison', [{ type: 'notify', id: 'st-poison:1', personId: sofia.id, card: { kind: 'd.noSuchCard', data: {} } }], earlier);
      await commitStart(newPlan('rel-after'), 'st-after', [], new Date(now.getTime() - 5 * 60_000));
      const errors: Array<[string, string]> = [];
      const before = counts();

      assert.equal(await relay.relayPending(now, (err, stepId) => errors.push([stepId, (err as Error).message])), 1);

      assert.deepEqual(errors, [['st-poison', 'no renderer for the card kind d.noSuchCard']]);
      for (const p of [tomas, tina]) assert.equal(sentTo(p).length - before.get(p.id)!, 1, 'the later step was carried out');
      assert.equal(sentTo(sofia).length - before.get(sofia.id)!, 1, "the poison row's card never reached Sofia: she got only the later step's status card");
      const [left] = await stores.plans.outbox.pending();
      assert.equal(left!.rowKey, poison.rowKey);
      assert.equal(left!.value.claimedUntil, new Date(now.getTime() + 120_000).toISOString(), 'claimed by the sweep that failed: the next sweeps skip it for two minutes');
      assert.equal(await relay.relayPending(new Date(now.getTime() + 60_000), () => assert.fail('tried again while claimed')), 0);
      await stores.plans.outbox.remove(left!);
    });
  });
});
