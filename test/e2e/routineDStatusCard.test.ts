import { strict as assert } from 'node:assert';
import { cardActions, cardTexts, showsInitials } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';

/**
 * Issue 17 (routine D), through /api/messages: the initiator — and the supervisors of her
 * administration — get one status card per plan version (the invitation's, then each version's),
 * updated in place (the same activity id) at every answer to the invitation and every approval
 * or return, so an approval that does not settle the plan reaches her too.
 */
describe('routine D status card: one per version, updated in place at every answer and decision (issue 17)', () => {
  let bot: RunningBot;
  let sofia: Chat, tomas: Chat, ulla: Chat, nina: Chat;
  const now = new Date('2026-11-23T09:00:00Z');
  let spId = '';
  const status: Record<number, string> = {};
  let tomasDecided: Record<string, unknown> = {};

  const start = { others: 'ffs,avo', purpose: 'Behov av boende och sysselsättning', needs: 'Stöd i vardagen', questions: 'Vem ansvarar för vad?', proposedTime: '2026-11-30 kl 10', meetingForm: 'video', individualTakesPart: 'false' };
  const plan = { participants: 'SF Nordost, FFS, ÄVO', background: 'Behov från flera förvaltningar', needs: 'Boende och sysselsättning', responsibilities: 'FFS: daglig verksamhet. ÄVO: hemtjänst.', followUpDate: '2027-01-15', individualParticipation: 'Via företrädare' };

  /** The status cards sent to a person (the card carries the refresh verb d.status.refresh), with their version. */
  const statusCards = (c: Chat) =>
    c.sent().flatMap((s, i) => {
      const card = s.activity.attachments?.[0]?.content;
      const refresh = cardActions(card).find((a) => a.verb === 'd.status.refresh');
      return refresh ? [{ index: i, id: `sent-${bot.connector.sent.indexOf(s) + 1}`, version: Number(refresh.data!.version), card }] : [];
    });
  /** The newest update of one activity in one conversation since `from`. */
  const updateOf = (c: Chat, activityId: string, from: number) =>
    bot.connector.updated.slice(from).filter((u) => u.conversationId === c.conversationId && u.activityId === activityId).at(-1);
  const waitForUpdate = async (c: Chat, activityId: string, from: number) => {
    await bot.connector.waitFor(() => Boolean(updateOf(c, activityId, from)));
    return updateOf(c, activityId, from)!.activity.attachments![0]!.content as Record<string, unknown>;
  };

  before(async () => {
    bot = await startBot({ clock: () => now });
    // SF Nordost has no supervisor in the demo directory: one for this test, to see the owners' copy.
    await bot.app.stores.staff.save({ id: 'ninanordostsupervisor', name: 'Nina Nord', roles: [{ role: 'supervisor', unit: 'sf-nordost' }] }, undefined);
    sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
    tomas = new Chat(bot, demoPerson('Tomas Tell'));
    ulla = new Chat(bot, demoPerson('Ulla Ulf'));
    nina = new Chat(bot, { id: 'ninanordostsupervisor', name: 'Nina Nord' });
    for (const c of [sofia, tomas, ulla, nina]) await c.say('hej');
  });
  after(async () => bot.stop());

  it('when the invitations go out, the initiator and her administration\'s supervisor get one status card each: nobody has answered yet', async () => {
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no' });
    await sofia.submit(start);
    await sofia.submit({ consent: 'yes', reference: 'TR-STATUS-1', initials: 'KL', names: 'Kalle Larsson', protectedIdentity: 'false', information: 'Behov och insatser', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    await bot.connector.waitFor(() => statusCards(sofia).length === 1 && statusCards(nina).length === 1);
    const [card] = statusCards(sofia);
    assert.equal(card!.version, 0);
    status[0] = card!.id;
    spId = String(cardActions(card!.card).find((a) => a.verb === 'd.status.refresh')!.data!.spId);
    const texts = cardTexts(card!.card);
    assert.ok(texts.includes('Status för samordnad plan: SP TR-STATUS-1'), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('FFS (funktionsstöd): inget svar än')), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('Saknas: svar på kallelsen från FFS (funktionsstöd), ÄVO')), texts.join(' | '));
    const json = JSON.stringify(card!.card);
    // ("Kallelse" — invitation — is not the name Kalle.)
    assert.ok(!showsInitials(json, 'KL') && !/\bKalle\b|Larsson/.test(json), `no initials, no name: ${json}`);
    // Universal Actions: the refresh is an Action.Execute for the recipient's own Teams id.
    const refresh = (card!.card as { refresh?: { action: { type: string }; userIds: string[] } }).refresh!;
    assert.equal(refresh.action.type, 'Action.Execute');
    assert.deepEqual(refresh.userIds, [`29:${sofia.person.id}`], "the recipient's Teams id (MRI), filled in where the card is sent");
    assert.equal(statusCards(tomas).length + statusCards(ulla).length, 0, 'the other administrations get no status card');
    const stored = (await bot.app.stores.plans.get(spId))!.value;
    assert.deepEqual(stored.cards!.filter((c) => c.kind === 'status').map((c) => [c.personId, c.version]).sort(), [[nina.person.id, 0], [sofia.person.id, 0]].sort(), 'the ids are kept on the plan');
    // The card names the case: both recipients are in the access log (issue 19), as for every card the relay delivers.
    const seen = async () => (await bot.app.stores.accessLog.forCase(stored.caseId!, new Date('2026-11-22T00:00:00Z'), new Date('2026-11-24T00:00:00Z'))).filter((e) => e.view === 'card.d.statusCard').map((e) => e.personId).sort();
    for (let i = 0; i < 100 && (await seen()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await seen(), [nina.person.id, sofia.person.id].sort());
  });

  it('an answer to the invitation updates the same card (op update), for the initiator and her supervisor: who answered, when, what is missing', async () => {
    const from = bot.connector.updated.length;
    const sentBefore = statusCards(sofia).length;
    await tomas.execute('d.invite.answer', { spId, administration: 'ffs', answer: 'accepted' });
    const card = await waitForUpdate(sofia, status[0]!, from);
    const texts = cardTexts(card);
    assert.ok(texts.some((t) => t.startsWith('FFS (funktionsstöd): Tomas Tell accepterade')), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('Saknas: svar på kallelsen från ÄVO')), texts.join(' | '));
    assert.ok(!texts.some((t) => t.includes('från FFS')), 'FFS is no longer missing');
    const ninaCard = await waitForUpdate(nina, statusCards(nina)[0]!.id, from);
    assert.ok(cardTexts(ninaCard).some((t) => t.startsWith('FFS (funktionsstöd): Tomas Tell accepterade')));
    assert.equal(statusCards(sofia).length, sentBefore, 'no new status card');
    await ulla.execute('d.invite.answer', { spId, administration: 'avo', answer: 'accepted' });
  });

  it('the version goes for approval: a new status card for version 1; the invitation\'s card says it is replaced', async () => {
    const from = bot.connector.updated.length;
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: `plan:${spId}` });
    await sofia.submit(plan);
    await bot.connector.waitFor(() => statusCards(sofia).length === 2);
    const v1 = statusCards(sofia).at(-1)!;
    assert.equal(v1.version, 1);
    status[1] = v1.id;
    const texts = cardTexts(v1.card);
    assert.ok(texts.includes('Beslut om version 1') && texts.some((t) => t.includes('ÄVO (äldre samt vård och omsorg): inget beslut än')), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('Saknas: godkännande från FFS (funktionsstöd), ÄVO')), texts.join(' | '));
    const old = await waitForUpdate(sofia, status[0]!, from);
    assert.ok(cardTexts(old).some((t) => t.includes('Ersatt av version 1')), cardTexts(old).join(' | '));
  });

  it('an approval that does not settle the plan reaches the initiator: the same card is updated with who approved and who is still missing', async () => {
    const from = bot.connector.updated.length;
    const sentBefore = sofia.sent().length;
    tomasDecided = (await tomas.execute('d.plan.decide', { spId, administration: 'ffs', version: 1, decision: 'approved' })).card;
    assert.equal((await bot.app.stores.plans.get(spId))!.value.state, 'awaitingApproval');
    const card = await waitForUpdate(sofia, status[1]!, from);
    const texts = cardTexts(card);
    assert.ok(texts.some((t) => t.startsWith('FFS (funktionsstöd): Tomas Tell godkände')), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('Saknas: godkännande från ÄVO')), texts.join(' | '));
    assert.ok(texts.includes('Läge: Väntar på godkännande'), texts.join(' | '));
    assert.equal(sofia.sent().length, sentBefore, 'told by the update, not by a new message');
  });

  it('the final approval updates the same card: established, nothing missing', async () => {
    const from = bot.connector.updated.length;
    await ulla.execute('d.plan.decide', { spId, administration: 'avo', version: 1, decision: 'approved' });
    assert.equal((await bot.app.stores.plans.get(spId))!.value.state, 'established');
    const card = await waitForUpdate(sofia, status[1]!, from);
    const texts = cardTexts(card);
    assert.ok(texts.includes('Läge: Fastställd') && texts.includes('Inget saknas.'), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('ÄVO (äldre samt vård och omsorg): Ulla Ulf godkände')), texts.join(' | '));
    assert.equal(statusCards(sofia).length, 2, 'one status card per version, no more');
  });

  it('the status card opens the version history: the invitation, each answer, the version and each decision, who and when; a button leads back; nobody else may open it', async () => {
    const card = statusCards(sofia).find((c) => c.version === 1)!.card;
    const history = cardActions(card).find((a) => a.verb === 'd.status.history')!;
    assert.equal(history.title, 'Visa versionshistorik');
    const opened = await sofia.execute('d.status.history', history.data!);
    const texts = opened.texts;
    assert.ok(texts.includes('Versionshistorik: SP TR-STATUS-1'), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith('Kallelse från SF Nordost av Sofia Sandberg')), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('Tomas Tell accepterade')) && texts.some((t) => t.includes('Ulla Ulf accepterade')), texts.join(' | '));
    const v1 = texts.findIndex((t) => t.startsWith('Version 1 skickad för godkännande'));
    const decided = texts.findIndex((t) => t.includes('Ulla Ulf godkände'));
    assert.ok(v1 >= 0 && decided > v1, `the version, then its decisions: ${texts.join(' | ')}`);
    assert.ok(cardActions(opened.card).some((a) => a.verb === 'd.status.refresh' && a.title === 'Tillbaka till läget'), 'back to the status');
    const json = JSON.stringify(opened.card);
    assert.ok(!showsInitials(json, 'KL') && !/\bKalle\b|Larsson/.test(json), `no initials, no name: ${json}`);
    const theirs = await tomas.execute('d.status.history', history.data!);
    assert.ok(!theirs.texts.some((t) => t.includes('Versionshistorik')), theirs.texts.join(' | '));
  });

  it('a supervisor who has decided can still raise a disagreement: from the approval card that keeps the button, and the owners from the status card', async () => {
    // Tomas (FFS) approved version 1: the card his press left keeps "Lyft oenighet", and only that.
    assert.deepEqual(cardActions(tomasDecided).map((a) => a.verb), ['d.disagree']);
    const fromStatus = cardActions(statusCards(nina)[1]!.card).find((a) => a.verb === 'd.disagree');
    assert.ok(fromStatus, "the supervisor's status card carries Lyft oenighet");
    const from = bot.connector.updated.length;
    const raised = await nina.execute('d.disagree', { ...fromStatus.data!, note: 'Ansvaret för boendet är oklart' });
    assert.ok(raised.texts.some((t) => t.includes('Stödet till den enskilde fortsätter')), raised.texts.join(' | '));
    assert.equal((await bot.app.stores.plans.get(spId))!.value.disagreement?.raisedByName, 'Nina Nord');
    // Sofia's status card is updated in place: the open disagreement, and no second "Lyft oenighet".
    const updated = await waitForUpdate(sofia, status[1]!, from);
    assert.ok(cardTexts(updated).some((t) => t.startsWith('Oenighet lyft av Nina Nord (SF Nordost)')), cardTexts(updated).join(' | '));
    assert.ok(!cardActions(updated).some((a) => a.verb === 'd.disagree'));
    const now = await sofia.execute('d.status.refresh', { spId, version: 1 });
    assert.ok(now.texts.some((t) => t.startsWith('Oenighet lyft av Nina Nord (SF Nordost)')), now.texts.join(' | '));
    assert.ok(!cardActions(now.card).some((a) => a.verb === 'd.disagree'), 'one open disagreement at a time');
  });

  it('the refresh (Universal Actions) answers an owner with the card as it stands, and anyone else as for a plan that does not exist', async () => {
    const mine = await sofia.execute('d.status.refresh', { spId, version: 1 });
    assert.ok(mine.texts.includes('Läge: Fastställd'), mine.texts.join(' | '));
    const theirs = await tomas.execute('d.status.refresh', { spId, version: 1 });
    assert.ok(!theirs.texts.some((t) => t.includes('Status för samordnad plan')), theirs.texts.join(' | '));
  });
});
