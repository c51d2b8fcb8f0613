import { strict as assert } from 'node:assert';
import { cardActions, cardTexts, showsInitials } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat, choose } from '../helpers/flow';

/**
 * Issue 14, items 2 and 3 for routines B, C and D, through /api/messages: a reply says "sent" only
 * for cards the connector accepted and otherwise names whom to inform another way (the journal says
 * the same); closing a plan or revoking a consent is confirmed first and leaves no open task or live
 * button behind; the task list names the case of each task (reference, code for a protected case).
 */

const ALL_YES = { q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'yes' };

describe('issue 14 (B, C, D): honest delivery, cleanup after close or revoked consent, case labels in the task list', () => {
  let bot: RunningBot;
  const now = new Date('2026-11-23T09:00:00Z');
  let hanna: Chat, sofia: Chat, tomas: Chat, anna: Chat, ivar: Chat;

  before(async () => {
    bot = await startBot({ clock: () => now, proactiveSpacingMs: 0 });
    hanna = new Chat(bot, demoPerson('Hanna Holm'));
    sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
    tomas = new Chat(bot, demoPerson('Tomas Tell'));
    anna = new Chat(bot, demoPerson('Anna Andersson'));
    ivar = new Chat(bot, demoPerson('Ivar Ivarsson'));
    // Deliberately not greeted (no conversation, so no card can reach them): Maria (finance ÄVO),
    // Ulla (supervisor ÄVO), Rut (Hemtjänst Väst); Omsorg Nord has no contact at all.
    for (const c of [hanna, sofia, tomas, anna]) await c.say('hej');
  });
  after(async () => bot.stop());

  async function registerB(reference: string, providerId: string, protectedIdentity = false): Promise<string> {
    await hanna.say('avbryt');
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: 'new' });
    await hanna.submit({ reference, initials: 'QW', protectedIdentity: String(protectedIdentity), providerId, decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: '10', previousPlan: 'never', lastPlanDate: '' });
    const reviews = await bot.app.stores.planReviews.inUnit('avo');
    for (const r of reviews) if ((await bot.app.stores.cases.get(r.caseId))!.value.reference === reference) return r.reviewId;
    throw new Error('not registered');
  }

  it('B: a provider nobody of which can be reached is named, never "got a card" — plan missing and a returned review; the journal agrees', async () => {
    const reviewId = await registerB('HEM-NORD-1', 'omsorg-nord');
    await hanna.pick({ menu: 'B' });
    const missing = await hanna.submit({ action: `missing:avo:${reviewId}` });
    const said = hanna.textsSince(missing.before).join(' | ');
    assert.ok(!said.includes('har fått ett kort'), said);
    assert.ok(said.includes('Omsorg Nord (kommunal hemtjänst) kunde inte nås'), said);

    const second = await registerB('HEM-NORD-2', 'omsorg-nord');
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${second}` });
    const r = await hanna.submit({ ...ALL_YES, q7: 'no', allocatedHours: '10' });
    const reviewed = hanna.textsSince(r.before).join(' | ');
    assert.ok(!reviewed.includes('har fått ett kort'), reviewed);
    assert.ok(reviewed.includes('Omsorg Nord (kommunal hemtjänst) kunde inte nås'), reviewed);
    const stored = (await bot.app.stores.planReviews.get('avo', second))!.value;
    const event = (await bot.app.stores.journal.forCase(stored.caseId)).find((e) => e.step === 'b.reviewNotComplete')!;
    assert.equal(event.details?.['providerReached'], 0);
  });

  it('B: the start compensation is "told" only when the finance administrator\'s card was accepted', async () => {
    const reviewId = await registerB('HEM-KOMP-1', 'hemtjanst-vast');
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${reviewId}` });
    const r = await hanna.submit({ ...ALL_YES, allocatedHours: '10' });
    const said = hanna.textsSince(r.before).join(' | ');
    assert.ok(!said.includes('har fått besked om startersättning'), said);
    assert.ok(said.includes('Meddela startersättningen (två timmar) på annat sätt'), said);
    const stored = (await bot.app.stores.planReviews.get('avo', reviewId))!.value;
    const event = (await bot.app.stores.journal.forCase(stored.caseId)).find((e) => e.step === 'b.compensationNotified')!;
    assert.equal(event.details?.['recipients'], 0);
    // Once Maria can be reached, a new client's compensation names her.
    const maria = new Chat(bot, demoPerson('Maria Mattsson'));
    await maria.say('hej');
    const next = await registerB('HEM-KOMP-2', 'hemtjanst-vast');
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${next}` });
    const r2 = await hanna.submit({ ...ALL_YES, allocatedHours: '10' });
    assert.ok(hanna.textsSince(r2.before).some((t) => t.includes('Maria Mattsson (administratör för ekonomistyrning) har fått besked')), hanna.textsSince(r2.before).join(' | '));
  });

  it('task list: two follow-ups with one provider are told apart by the case reference; a protected case shows its code, never reference or initials', async () => {
    await registerB('HEM-LISTA-1', 'hemtjanst-vast');
    await registerB('HEM-LISTA-2', 'hemtjanst-vast');
    const secret = await registerB('HEM-SKYDD-9', 'hemtjanst-vast', true);
    const code = (await bot.app.stores.planReviews.get('avo', secret))!.value.code;
    await hanna.say('avbryt');
    const before = await hanna.say('mina uppgifter');
    const list = hanna.textsSince(before).join(' | ');
    assert.ok(list.includes('HEM-LISTA-1') && list.includes('HEM-LISTA-2'), list);
    assert.ok(list.includes(code), `the protected case by its code: ${list}`);
    assert.ok(!list.includes('HEM-SKYDD-9') && !showsInitials(list, 'QW'), `no reference or initials of the protected case, no initials at all: ${list}`);

    // Routine D: a protected consent plan's reply task shows the plan's code (it said "Konsultation <date>" before issue 14).
    await sofia.say('avbryt');
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no', reportMade: 'false' });
    await sofia.submit({ others: 'ffs', purpose: 'Samordna stöd', needs: 'Boende', questions: 'Vem gör vad?', proposedTime: 'måndag 10:00', meetingForm: 'video', individualTakesPart: 'false' });
    await sofia.submit({ consent: 'yes', reference: 'SP-SKYDD-7', initials: 'ZX', names: '', protectedIdentity: 'true', information: 'Behov', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' });
    const plan = (await bot.app.stores.plans.byInitiator(sofia.person.id)).find((p) => p.caseId)!;
    const task = (await bot.app.stores.tasks.openInUnit('sf-nordost')).find((x) => x.context?.spId === plan.spId)!;
    await sofia.say('avbryt');
    const sBefore = await sofia.say('mina uppgifter');
    const sList = sofia.textsSince(sBefore).join(' | ');
    assert.ok(task.caseLabel && /^SP-[A-Z0-9]{1,6}$/.test(task.caseLabel) && sList.includes(task.caseLabel), sList);
    assert.ok(!sList.includes('SP-SKYDD-7') && !showsInitials(sList, 'ZX') && !sList.includes('Konsultation'), sList);
  });

  async function startPlan(others: string, reference: string): Promise<string> {
    await sofia.say('avbryt');
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no', reportMade: 'false' });
    await sofia.submit({ others, purpose: 'Samordna stöd', needs: 'Boende', questions: 'Vem gör vad?', proposedTime: 'måndag 10:00', meetingForm: 'video', individualTakesPart: 'false' });
    const r = await sofia.submit({ consent: 'yes', reference, initials: 'SP', names: '', protectedIdentity: 'false', information: 'Behov', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' });
    const said = sofia.textsSince(r.before).join(' | ');
    // ÄVO's supervisor cannot be reached: the invitation count and the reply say so.
    assert.ok(said.includes('1 förvaltning(ar) har fått kallelsen') && said.includes('ÄVO'), said);
    const plans = await bot.app.stores.plans.byInitiator(sofia.person.id);
    const plan = [];
    for (const p of plans) if (p.caseId && (await bot.app.stores.cases.get(p.caseId))!.value.reference === reference) plan.push(p);
    return plan[0]!.spId;
  }

  it('D: closing is confirmed first (who is told), then every task ends, every live card loses its buttons, and the reply names who was not reached', async () => {
    const spId = await startPlan('ffs,avo', 'SP-STANG-1');
    assert.ok((await bot.app.stores.tasks.openInUnit('sf-nordost')).some((x) => x.context?.spId === spId), 'the reply task is open');
    const invitation = ((await bot.app.stores.plans.get(spId))!.value.cards ?? []).find((c) => c.personId === tomas.person.id && c.kind === 'invite:ffs')!;
    assert.ok(invitation, 'FFS got the invitation');
    await sofia.pick({ menu: 'D' });
    await choose(sofia, new RegExp(`^close:${spId}$`));
    const ask = await sofia.submit({ reason: 'Behovet har upphört' });
    const asked = sofia.textsSince(ask.before).join(' | ');
    assert.ok(asked.includes('FFS (funktionsstöd)') && asked.includes('ÄVO (äldre samt vård och omsorg)') && asked.includes('får ett meddelande'), asked);
    assert.equal((await bot.app.stores.plans.get(spId))!.value.state, 'invited', 'nothing closed before the confirmation');
    const uBefore = bot.connector.updated.length;
    const tBefore = tomas.sent().length;
    const done = await sofia.submit({ action: 'yes' });
    const said = sofia.textsSince(done.before).join(' | ');
    assert.ok(said.includes('FFS (funktionsstöd) har fått besked'), said);
    assert.ok(said.includes('Ingen på ÄVO (äldre samt vård och omsorg) kunde nås'), said);
    assert.equal((await bot.app.stores.plans.get(spId))!.value.state, 'closed');
    for (const unit of ['sf-nordost', 'ffs', 'avo'] as const) assert.deepEqual((await bot.app.stores.tasks.openInUnit(unit)).filter((x) => x.context?.spId === spId), [], `no open task in ${unit}`);
    const replaced = bot.connector.updated.slice(uBefore).filter((u) => u.conversationId === tomas.conversationId && u.activityId === invitation.activityId);
    assert.equal(replaced.length, 1, 'the invitation card FFS holds is replaced');
    const card = replaced[0]!.activity.attachments![0]!.content;
    assert.equal(cardActions(card).filter((a) => a.verb).length, 0, 'no live button');
    assert.ok(cardTexts(card).some((t) => t.includes('avslutad')), cardTexts(card).join(' | '));
    await bot.connector.waitFor(() => tomas.sent().length > tBefore);
    assert.ok(tomas.textsSince(tBefore).some((t) => t.includes('har avslutat den samordnade planen')));
    // Issue 17: so that an administration that opened a stödkontakt case for the plan can close it.
    assert.ok(tomas.textsSince(tBefore).some((t) => t.includes('”stödkontakt med socialsekreterare” för samordningen kan det nu avslutas')), tomas.textsSince(tBefore).join(' | '));
    const event = (await bot.app.stores.journal.forCase((await bot.app.stores.plans.get(spId))!.value.caseId!)).find((e) => e.step === 'd.closed')!;
    assert.equal(event.details?.['told'], 'ffs');
    assert.equal(event.details?.['notReached'], 'avo');
  });

  it('D: a disagreement and a plan for approval name the administration nobody could be reached at', async () => {
    const spId = await startPlan('ffs,avo', 'SP-OENIG-1');
    await sofia.pick({ menu: 'D' });
    await choose(sofia, new RegExp(`^disagree:${spId}$`));
    const r = await sofia.submit({ reason: 'Oenighet om ansvaret' });
    const said = sofia.textsSince(r.before).join(' | ');
    // SF Nordost has no supervisor in the demo directory, ÄVO's is not reachable: both are named.
    assert.ok(said.includes('ÄVO (äldre samt vård och omsorg) kunde nås') && said.includes('Cheferna på FFS (funktionsstöd) har fått ett kort'), said);
    assert.ok(!said.includes('Cheferna i de berörda förvaltningarna har fått ett kort'), said);
    // From a card button (FFS's invitation, after the outcome): answered before the cards go out,
    // then the pressed card is updated to name the administrations nobody was reached at.
    await sofia.pick({ menu: 'D' });
    await choose(sofia, new RegExp(`^outcome:${spId}$`));
    await sofia.submit({ reason: 'Cheferna enades' });
    const replyToId = 'pressed-disagree-ffs';
    const updatesBefore = bot.connector.updated.length;
    const res = await bot.post({ ...bot.channel.execute(tomas.person, 'd.disagree', { spId, administration: 'ffs', note: 'Ansvaret för boendet' }), replyToId });
    const early = JSON.stringify((res.body as { value?: unknown }).value);
    assert.ok(early.includes('har fått ett kort') && !early.includes('kunde nås'), `the early answer: ${early}`);
    await bot.connector.waitFor(() => bot.connector.updated.slice(updatesBefore).some((u) => u.activityId === replyToId));
    const revised = cardTexts(bot.connector.updated.slice(updatesBefore).find((u) => u.activityId === replyToId)!.activity.attachments![0]!.content).join(' | ');
    assert.ok(revised.includes('Ingen chef på') && revised.includes('ÄVO (äldre samt vård och omsorg)'), revised);
    await sofia.pick({ menu: 'D' });
    await choose(sofia, new RegExp(`^plan:${spId}$`));
    const sub = await sofia.submit({ participants: 'SF Nordost, FFS, ÄVO', background: 'B', needs: 'N', responsibilities: 'R', followUpDate: '2027-01-15', individualParticipation: 'Deltog' });
    const subSaid = sofia.textsSince(sub.before).join(' | ');
    assert.ok(subSaid.includes('skickad för godkännande till 1 förvaltning(ar)'), subSaid);
    assert.ok(subSaid.includes('Ingen 1:e socialsekreterare på ÄVO (äldre samt vård och omsorg) kunde nås'), subSaid);
  });

  /** A referral of Anna's up to the decision; the assignment is the next step. */
  async function referralAt(reference: string): Promise<string> {
    await anna.say('avbryt');
    await anna.pick({ menu: 'C' });
    await choose(anna, /^new$/);
    await anna.submit({ reference, initials: 'KC', protectedIdentity: 'false', unemployed: 'yes', withinThreeYears: 'yes' });
    await anna.submit({ ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' });
    await choose(anna, /:consent$/);
    await anna.submit({ information: 'Behov och mål', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true', workPlanUpdatedOn: '2026-11-23' });
    await choose(anna, /:decide$/);
    await anna.submit({ decisionDate: '2026-11-23', communicated: 'true' });
    const open = await bot.app.stores.referrals.open();
    for (const r of open) if ((await bot.app.stores.cases.get(r.caseId))!.value.reference === reference) return r.referralId;
    throw new Error('no referral');
  }

  it('C: the assignment is "sent" only to consultants who got the card; nobody reached is named, and the journal says so', async () => {
    const id = await referralAt('KC-NAS-1');
    await choose(anna, /:assign$/);
    const r = await anna.submit({ needs: 'Praktik', includes: 'Stöd', goals: 'Arbete' });
    const said = anna.textsSince(r.before).join(' | ');
    assert.ok(said.includes('Kompetenscenter (arbetsmarknadskonsulenterna) kunde inte nås'), said);
    assert.ok(!said.includes('har fått ett kort'), said);
    const event = (await bot.app.stores.journal.forCase((await bot.app.stores.referrals.get(id))!.value.caseId)).find((e) => e.step === 'c.assign')!;
    assert.ok(String(event.details?.['notReached']).includes('Kompetenscenter'), JSON.stringify(event.details));
  });

  it('C: revoking the consent is confirmed first (who is affected); then KC\'s tasks end and the card KC holds shows nothing about the client', async () => {
    await ivar.say('hej');
    const id = await referralAt('KC-ATER-1');
    await choose(anna, /:assign$/);
    const iBefore = ivar.sent().length;
    const assigned = await anna.submit({ needs: 'Praktik', includes: 'Stöd', goals: 'Arbete' });
    assert.ok(anna.textsSince(assigned.before).some((t) => t.includes('Ivar Ivarsson har fått ett kort')), anna.textsSince(assigned.before).join(' | '));
    await bot.connector.waitFor(() => ivar.sent().length > iBefore);
    const take = (await ivar.execute('c.take', { referralId: id })).texts.join(' ');
    assert.ok(take.includes('Uppdraget togs av Ivar Ivarsson'), take);
    // Anna books the intake: KC gets a task to prepare it.
    await anna.pick({ menu: 'C' });
    await choose(anna, new RegExp(`^act:${id}:bookIntake$`));
    await anna.submit({ date: '2026-11-30', time: '10:00', place: 'KC Centrum', interpreter: '', clientTold: 'true' });
    assert.ok((await bot.app.stores.tasks.openInUnit('kc')).some((x) => x.taskId.startsWith(`c-${id}-`)), 'KC has an open task');
    const cardRefs = (await bot.app.stores.referrals.get(id))!.value.cards ?? [];
    assert.ok(cardRefs.length > 0);
    await anna.pick({ menu: 'C' });
    const ask = await choose(anna, new RegExp(`^revoke:${id}$`));
    assert.ok(anna.textsSince(ask.before).some((t) => t.includes('Ivar Ivarsson (Kompetenscenter)')), anna.textsSince(ask.before).join(' | '));
    const uBefore = bot.connector.updated.length;
    await anna.submit({ action: 'yes' });
    assert.ok((await bot.app.stores.consents.forCase((await bot.app.stores.referrals.get(id))!.value.caseId)).every((c) => c.revokedAt));
    assert.deepEqual((await bot.app.stores.tasks.openInUnit('kc')).filter((x) => x.taskId.startsWith(`c-${id}-`)), [], 'no open KC task');
    const replaced = bot.connector.updated.slice(uBefore).filter((u) => u.conversationId === ivar.conversationId);
    assert.ok(replaced.length > 0, 'the card Ivar holds is replaced');
    for (const u of replaced) {
      const json = JSON.stringify(u.activity);
      assert.ok(json.includes('samtycket är återkallat') && !json.includes('KC-ATER-1') && !json.includes('Praktik'), json);
    }
    // KC no longer has a part: a copied button or a forged step of the consultant reveals nothing.
    const forged = (await ivar.execute('c.take', { referralId: id })).texts.join(' ');
    assert.ok(forged.includes('Inget ärende hittades som du har behörighet till'), forged);
    const menu = await ivar.pick({ menu: 'C' });
    assert.ok(!ivar.textsSince(menu).some((t) => t.includes('KC-ATER-1')), 'the referral is no longer in the consultant\'s menu');
    const f2 = await ivar.submit({ action: `act:${id}:prepared` });
    assert.ok(ivar.textsSince(f2.before).some((t) => t.includes('Inget ärende hittades som du har behörighet till')), ivar.textsSince(f2.before).join(' | '));
    // A later step of the social worker does not reopen KC's tasks.
    await anna.pick({ menu: 'C' });
    await choose(anna, new RegExp(`^act:${id}:intakeHeld$`));
    await anna.submit({ attendedInPerson: 'true', requirementsExplained: 'true', firstFollowUp: '2027-01-20' });
    assert.deepEqual((await bot.app.stores.tasks.openInUnit('kc')).filter((x) => x.taskId.startsWith(`c-${id}-`)), [], 'still no KC task');
  });
});
