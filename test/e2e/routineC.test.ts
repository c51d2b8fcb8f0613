import { strict as assert } from 'node:assert';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat, choose, openStep } from '../helpers/flow';
import type { StoredReferral } from '../../storage/referrals';

/** The newest card sent to a person that has a button with this verb. */
const latestCard = (c: Chat, verb: string) =>
  [...c.sent()].reverse().map((s) => s.activity.attachments?.[0]?.content).find((card) => cardActions(card).some((a) => a.verb === verb));


/** Opens routine C from the menu and presses the step matching `re`. */
const step = (c: Chat, re: RegExp) => openStep(c, 'C', re);

describe('routine C end to end: social worker and employment consultant through /api/messages', () => {
  let bot: RunningBot;
  let anna: Chat, ivar: Chat, gunilla: Chat, johanna: Chat, fredrik: Chat, petra: Chat;
  let now = new Date('2026-11-23T09:00:00Z');
  let referral: StoredReferral;

  const stored = async (id: string) => (await bot.app.stores.referrals.get(id))!.value;
  const journalSteps = async (r: StoredReferral) => (await bot.app.stores.journal.forCase(r.caseId, 200)).map((e) => e.step);

  before(async () => {
    bot = await startBot({ clock: () => now });
    anna = new Chat(bot, demoPerson('Anna Andersson'));
    ivar = new Chat(bot, demoPerson('Ivar Ivarsson'));
    gunilla = new Chat(bot, demoPerson('Gunilla Gran'));
    johanna = new Chat(bot, demoPerson('Johanna Jansson'));
    fredrik = new Chat(bot, demoPerson('Fredrik Fors'));
    petra = new Chat(bot, demoPerson('Petra Persson'));
    for (const c of [anna, ivar, gunilla, johanna, fredrik, petra]) await c.say('hej');
  });
  after(async () => bot.stop());

  it('criteria not met: the bot says a referral is not the guided path, and records it', async () => {
    await step(anna, /^new$/);
    const r = await anna.submit({ reference: 'TR-KC-0000', initials: 'NN', protectedIdentity: 'false', unemployed: 'no', withinThreeYears: 'yes' });
    assert.ok(anna.textsSince(r.before).some((t) => t.includes('inte den vägledda vägen')), anna.textsSince(r.before).join(' | '));
  });

  it('from the criteria through the AF consultation, consent, decision and assignment to KC', async () => {
    await step(anna, /^new$/);
    const created = await anna.submit({ reference: 'TR-KC-0001', initials: 'AB', protectedIdentity: 'false', unemployed: 'yes', withinThreeYears: 'yes' });
    assert.ok(anna.textsSince(created.before).some((t) => t.includes('Samråd med Arbetsförmedlingen')), 'the AF checklist follows at once');
    referral = (await bot.app.stores.referrals.open()).find((x) => x.socialWorkerId === anna.person.id)!;
    // Step (3) is required when AF has no measure.
    const missing = await anna.submit({ ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '' });
    assert.ok(anna.textsSince(missing.before).some((t) => t.includes('Skriv en kommentar')), anna.textsSince(missing.before).join(' | '));
    await anna.submit({ ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' });
    await choose(anna, /:consent$/);
    await anna.submit({ information: 'Behov, mål och närvaro', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true', workPlanUpdatedOn: '2026-11-23' });
    await choose(anna, /:decide$/);
    const decided = await anna.submit({ decisionDate: '2026-11-23', communicated: 'true' });
    assert.ok(anna.textsSince(decided.before).some((t) => t.includes('Beslutet gäller till 2027-11-23')), anna.textsSince(decided.before).join(' | '));
    await choose(anna, /:assign$/);
    const iBefore = ivar.sent().length;
    await anna.submit({ needs: 'Arbetslivserfarenhet och svenska', includes: 'Praktik och studiestöd', goals: 'Praktikplats\nSvenska B' });
    await bot.connector.waitFor(() => ivar.sent().length > iBefore);
    const card = latestCard(ivar, 'c.take');
    const texts = cardTexts(card);
    for (const expected of ['Arbetslivserfarenhet och svenska', 'Praktik och studiestöd', '• Praktikplats\n\n• Svenska B']) assert.ok(texts.includes(expected), `${expected} in ${texts.join(' | ')}`);
    assert.ok(texts.some((t) => t.includes('TR-KC-0001')), 'with consent to KC the reference travels');
    const consents = await bot.app.stores.consents.forCase(referral.caseId);
    assert.deepEqual(consents.map((c) => c.recipients), [['kc']], 'the shared consent record, scoped to KC');
  });

  it('a step out of order is refused: no intake booked before a consultant took the assignment', async () => {
    await anna.pick({ menu: 'C' });
    const r = await anna.submit({ action: `act:${referral.referralId}:bookIntake` });
    assert.ok(anna.textsSince(r.before).some((t) => t.includes('rutinens steg görs i ordning')), anna.textsSince(r.before).join(' | '));
  });

  it('the consultant takes the assignment; the social worker books the intake; the consultant prepares', async () => {
    const aBefore = anna.sent().length;
    const taken = await ivar.execute('c.take', { referralId: referral.referralId });
    assert.ok(taken.texts.some((t) => t.startsWith('Uppdraget togs av Ivar Ivarsson')), taken.texts.join(' | '));
    assert.ok(!cardActions(taken.card).length, 'no stale button');
    const again = await ivar.execute('c.take', { referralId: referral.referralId });
    assert.ok(again.texts.some((t) => /redan gjort av Ivar Ivarsson \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(t)), again.texts.join(' | '));
    await bot.connector.waitFor(() => anna.sent().length > aBefore);
    assert.ok(anna.textsSince(aBefore).some((t) => t.includes('Ditt nästa steg: Boka inskrivningsmöte')), anna.textsSince(aBefore).join(' | '));
    await step(anna, /:bookIntake$/);
    const iBefore = ivar.sent().length;
    await anna.submit({ date: '2026-11-30', time: '10:00', place: 'KC Centrum', interpreter: 'arabiska', clientTold: 'true' });
    await bot.connector.waitFor(() => ivar.sent().length > iBefore);
    const notice = ivar.textsSince(iBefore);
    for (const expected of ['2026-11-30 10:00', 'KC Centrum', 'arabiska']) assert.ok(notice.includes(expected), `${expected} in ${notice.join(' | ')}`);
    const tasks = await bot.app.stores.tasks.openFor({ kind: 'person', personId: ivar.person.id });
    assert.ok(tasks.some((t) => t.step === 'c.prepareIntake' && t.dueDate === '2026-11-30'), 'the consultant is reminded before the meeting');
    await step(ivar, /:prepared$/);
    assert.ok((await stored(referral.referralId)).intake!.preparedAt);
  });

  it('a missed intake: the social worker follows up, the consultant gives a new time, the social worker tells the client', async () => {
    now = new Date('2026-11-30T12:00:00Z');
    await step(anna, /:intakeMissed$/);
    const iBefore = ivar.sent().length;
    await anna.submit({ followedUpOn: '2026-11-30', newMeeting: 'yes', reason: '' });
    await bot.connector.waitFor(() => ivar.sent().length > iBefore);
    assert.ok(ivar.textsSince(iBefore).some((t) => t.includes('Ditt nästa steg: Ge ny tid')), ivar.textsSince(iBefore).join(' | '));
    await step(ivar, /:proposeTime$/);
    const aBefore = anna.sent().length;
    await ivar.submit({ date: '2026-12-07', time: '13:00', place: 'KC Centrum' });
    await bot.connector.waitFor(() => anna.sent().length > aBefore);
    assert.ok(anna.textsSince(aBefore).includes('2026-12-07 13:00'));
    await step(anna, /:confirmNewTime$/);
    await anna.submit({ clientTold: 'true' });
    const r = await stored(referral.referralId);
    assert.equal(r.state, 'intakeBooked');
    assert.equal(r.intake!.at, '2026-12-07T13:00');
    assert.deepEqual(r.intakes.map((i) => i.outcome), ['missed']);
  });

  it('the intake is held and the consultant executes the assignment: the effort starts with its deadlines', async () => {
    now = new Date('2026-12-07T15:00:00Z');
    await step(anna, /:intakeHeld$/);
    const notInPerson = await anna.submit({ attendedInPerson: 'false', requirementsExplained: 'true', firstFollowUp: '2027-03-01' });
    assert.ok(notInPerson.texts.some((t) => t.includes('medverkade fysiskt')), notInPerson.texts.join(' | '));
    await anna.submit({ attendedInPerson: 'true', requirementsExplained: 'true', firstFollowUp: '2027-03-01' });
    await step(ivar, /:execute$/);
    await ivar.submit({ startDate: '2026-12-07', executed: 'true' });
    const r = await stored(referral.referralId);
    assert.equal(r.state, 'ongoing');
    const ivarTasks = await bot.app.stores.tasks.openFor({ kind: 'person', personId: ivar.person.id });
    assert.ok(ivarTasks.some((t) => t.step === 'c.plan' && t.dueDate === '2026-12-21'), JSON.stringify(ivarTasks.map((t) => [t.step, t.dueDate])));
    const annaTasks = await bot.app.stores.tasks.openFor({ kind: 'person', personId: anna.person.id });
    assert.ok(annaTasks.some((t) => t.step === 'c.followUp' && t.dueDate === '2027-03-05'), 'three months after the start is Sunday 2027-03-07: the Friday before');
    assert.ok(annaTasks.some((t) => t.step === 'c.renew' && t.dueDate === '2027-09-24'));
    assert.ok(!annaTasks.some((t) => t.step === 'c.intakeOutcome'), 'the intake task closed');
    await step(ivar, /:plan$/);
    await ivar.submit({ date: '2026-12-07' });
    const after = await bot.app.stores.tasks.openFor({ kind: 'person', personId: ivar.person.id });
    assert.ok(after.some((t) => t.step === 'c.planUpdate' && t.dueDate === '2027-06-07'), 'the plan is updated every six months');
  });

  it('a follow-up meeting: each side records its agenda; a follow-up after the expiry is refused, a late one warned about', async () => {
    now = new Date('2027-03-01T14:00:00Z');
    await step(anna, /:followUpSf$/);
    const iBefore = ivar.sent().length;
    await anna.submit({ checkedAgainstPlan: 'Följer planen', clientPerception: 'Nöjd med praktiken', complementaryNeeds: 'Inga' });
    await bot.connector.waitFor(() => ivar.sent().length > iBefore);
    assert.ok(ivar.textsSince(iBefore).includes('Nöjd med praktiken'));
    await step(ivar, /:followUpKc$/);
    await ivar.submit({ progress: 'God progression mot målen', furtherNeeds: 'Inga' });
    const r = await stored(referral.referralId);
    assert.equal(r.followUps[0]!.sf!.clientPerception, 'Nöjd med praktiken');
    assert.equal(r.followUps[0]!.kc!.progress, 'God progression mot målen');
    // A significant event from either side reaches the other.
    const eBefore = ivar.sent().length;
    await step(anna, /:event$/);
    await anna.submit({ text: 'Klienten har fått en ny bostad, restid ändras' });
    await bot.connector.waitFor(() => ivar.sent().length > eBefore);
    assert.ok(ivar.textsSince(eBefore).includes('Klienten har fått en ny bostad, restid ändras'));
    await step(anna, /:bookFollowUp$/);
    const late = await anna.submit({ date: '2027-11-23' });
    assert.ok(anna.textsSince(late.before).some((t) => t.includes('innan beslutet upphör att gälla (2027-11-23)')), anna.textsSince(late.before).join(' | '));
    const warned = await anna.submit({ date: '2027-09-01' });
    assert.ok(anna.textsSince(warned.before).some((t) => t.includes('skulle infalla efter att beslutet upphör')), anna.textsSince(warned.before).join(' | '));
  });

  it('60 days before the expiry the social worker is reminded to reassess, and renews (history kept)', async () => {
    const aBefore = anna.sent().length;
    const report = await bot.app.sweep.run(new Date('2027-09-22T07:00:00Z'));
    assert.ok(report.sent >= 1);
    await bot.connector.waitFor(() => anna.sent().length > aBefore);
    assert.ok(anna.textsSince(aBefore).some((t) => t.includes('Ompröva beslutet (nytt beslut eller avslut)')), anna.textsSince(aBefore).join(' | '));
    now = new Date('2027-09-24T09:00:00Z');
    await step(anna, /:renew$/);
    const iBefore = ivar.sent().length;
    const renewed = await anna.submit({ answer: 'renew', decisionDate: '2027-09-24', communicated: 'true' });
    assert.ok(anna.textsSince(renewed.before).some((t) => t.includes('Beslutet gäller till 2028-09-24')), anna.textsSince(renewed.before).join(' | '));
    await bot.connector.waitFor(() => ivar.sent().length > iBefore);
    const r = await stored(referral.referralId);
    assert.deepEqual(r.decisions.map((d) => d.expiresOn), ['2027-11-23', '2028-09-24']);
  });

  it('a disagreement goes to the 1:e socialsekreterare and the KC coordinator; the resolution is recorded', async () => {
    const before = { g: gunilla.sent().length, j: johanna.sent().length, f: fredrik.sent().length, a: anna.sent().length };
    await step(ivar, /:disagreement$/);
    await ivar.submit({ question: 'Avslut eller fortsatt insats?' });
    await bot.connector.waitFor(() => gunilla.sent().length > before.g && johanna.sent().length > before.j && anna.sent().length > before.a);
    for (const c of [gunilla, johanna]) assert.ok(c.textsSince(c === gunilla ? before.g : before.j).some((t) => t.includes('Avslut eller fortsatt insats?') && t.includes('Ivar Ivarsson')));
    assert.equal(fredrik.sent().length, before.f, 'a supervisor of another administration is not told');
    await step(anna, /:resolve$/);
    await anna.submit({ resolution: 'Cheferna enades om fortsatt insats till nästa uppföljning' });
    assert.equal((await stored(referral.referralId)).disagreements[0]!.resolution, 'Cheferna enades om fortsatt insats till nästa uppföljning');
  });

  it('a close without self-sufficiency needs the three-party meeting before the closing document; both close; then read-only', async () => {
    now = new Date('2027-10-04T09:00:00Z');
    await step(ivar, /:announceClose$/);
    const aBefore = anna.sent().length;
    await ivar.submit({ selfSufficiency: 'no', reason: 'Långvarig sjukskrivning' });
    await bot.connector.waitFor(() => anna.sent().length > aBefore);
    assert.ok(anna.textsSince(aBefore).some((t) => t.includes('Långvarig sjukskrivning')));
    await ivar.pick({ menu: 'C' });
    const early = await ivar.submit({ action: `act:${referral.referralId}:closingDocument` });
    await ivar.submit({ endDate: '2027-10-04', why: 'Sjukskrivning', goal0: 'partlyMet', goal1: 'notMet' });
    assert.ok(ivar.textsSince(early.before).some((t) => t.includes('ett trepartsmöte ska hållas')), ivar.textsSince(early.before).join(' | '));
    await step(anna, /:threePartyMeeting$/);
    await anna.submit({ date: '2027-10-04' });
    await step(ivar, /:closingDocument$/);
    await ivar.submit({ endDate: '2027-10-04', why: 'Sjukskrivning', goal0: 'partlyMet', goal1: 'notMet' });
    await step(ivar, /:gwaClosed$/);
    await step(anna, /:treservaClosed$/);
    const r = await stored(referral.referralId);
    assert.equal(r.state, 'closed');
    assert.deepEqual(r.closing!.document!.goals, [{ goal: 'Praktikplats', assessment: 'partlyMet' }, { goal: 'Svenska B', assessment: 'notMet' }]);
    await anna.pick({ menu: 'C' });
    const choices = cardActions(anna.sent().at(-1)!.activity.attachments![0]!.content).map((a) => String(a.data?.action));
    assert.ok(!choices.some((c) => c.includes(referral.referralId)), 'a closed referral offers nothing');
    const steps = await journalSteps(r);
    for (const s of ['c.criteria', 'c.af', 'c.consent', 'c.decide', 'c.assign', 'c.take', 'c.bookIntake', 'c.intakeMissed', 'c.proposeTime', 'c.confirmNewTime', 'c.intakeHeld', 'c.execute', 'c.followUpSf', 'c.followUpKc', 'c.event', 'c.renew', 'c.disagreement', 'c.resolve', 'c.announceClose', 'c.threePartyMeeting', 'c.closingDocument', 'c.gwaClosed', 'c.treservaClosed']) assert.ok(steps.includes(s), `${s} journaled`);
    const open = [...(await bot.app.stores.tasks.openInUnit('sf-centrum')), ...(await bot.app.stores.tasks.openInUnit('kc'))].filter((t) => t.caseId === r.caseId);
    assert.deepEqual(open, [], 'no deadline runs for a closed referral');
  });

  it('protected identity: coordinator before the decision, booking through the coordinator, no identifying field on any KC card', async () => {
    now = new Date('2027-10-05T09:00:00Z');
    const kcStart = { i: ivar.sent().length, j: johanna.sent().length };
    await step(petra, /^new$/);
    await petra.submit({ reference: 'TR-SKYDD-77', initials: 'QZ', protectedIdentity: 'true', unemployed: 'yes', withinThreeYears: 'yes' });
    const r0 = (await bot.app.stores.referrals.open()).find((x) => x.socialWorkerId === petra.person.id)!;
    await petra.submit({ ssbtekOn: '2027-10-05', askedOn: '2027-10-05', afActivity: 'none', formsSentOn: '2027-10-05' });
    await choose(petra, /:requestCoordinator$/);
    await bot.connector.waitFor(() => johanna.sent().length > kcStart.j);
    const coordinatorCard = latestCard(johanna, 'c.coordinator.confirm');
    assert.ok(coordinatorCard);
    await step(petra, /:consent$/);
    await petra.submit({ information: 'Behov och mål', givenBy: 'individual', method: 'inPerson', givenAt: '2027-10-05', toldHowToRevoke: 'true', workPlanUpdatedOn: '2027-10-05' });
    await choose(petra, /:decide$/);
    const tooEarly = await petra.submit({ decisionDate: '2027-10-05', communicated: 'true' });
    assert.ok(petra.textsSince(tooEarly.before).some((t) => t.includes('kontakta samordnaren på Kompetenscenter före beslutet')), petra.textsSince(tooEarly.before).join(' | '));
    const pBefore = petra.sent().length;
    const confirmed = await johanna.execute('c.coordinator.confirm', { referralId: r0.referralId });
    assert.ok(confirmed.texts.some((t) => t.startsWith('Dialogen bekräftad av Johanna Jansson')), confirmed.texts.join(' | '));
    await bot.connector.waitFor(() => petra.sent().length > pBefore);
    await step(petra, /:decide$/);
    await petra.submit({ decisionDate: '2027-10-05', communicated: 'true' });
    await choose(petra, /:assign$/);
    await petra.submit({ needs: 'Arbetsträning', includes: 'Praktik', goals: 'Praktikplats' });
    await bot.connector.waitFor(() => ivar.sent().length > kcStart.i);
    await ivar.execute('c.take', { referralId: r0.referralId });
    await step(petra, /:bookIntake$/);
    const ordinary = await petra.submit({ date: '2027-10-12', time: '09:00', place: 'Enligt samordnaren', interpreter: '', clientTold: 'true', viaCoordinator: 'false' });
    assert.ok(petra.textsSince(ordinary.before).some((t) => t.includes('boka tiden i direktkontakt med samordnaren')), `${petra.textsSince(ordinary.before).join(' | ')} ${JSON.stringify(ordinary.texts)}`);
    const iBefore = ivar.sent().length;
    await petra.submit({ date: '2027-10-12', time: '09:00', place: 'Enligt samordnaren', interpreter: '', clientTold: 'true', viaCoordinator: 'true' });
    await bot.connector.waitFor(() => ivar.sent().length > iBefore);
    assert.ok(ivar.textsSince(iBefore).includes('Via samordnaren (skyddade personuppgifter)'));
    // Every card that reached KC about this case: the assignment, the notices, the coordinator's card.
    const kcCards = [...ivar.sent().slice(kcStart.i), ...johanna.sent().slice(kcStart.j), ...bot.connector.updated.filter((u) => u.conversationId === ivar.conversationId || u.conversationId === johanna.conversationId)];
    assert.ok(kcCards.length >= 3, `${kcCards.length} KC cards`);
    for (const s of kcCards) {
      const json = JSON.stringify(s.activity);
      for (const banned of ['TR-SKYDD-77', 'QZ']) assert.ok(!json.includes(banned), `${banned} in a KC card: ${json}`);
    }
    // Ivar's menu names the case by its handle only.
    await ivar.pick({ menu: 'C' });
    const menu = JSON.stringify(ivar.sent().at(-1)!.activity);
    assert.ok(!menu.includes('TR-SKYDD-77') && menu.includes('skyddade personuppgifter'));
    // Petra's own administration sees the reference.
    await petra.pick({ menu: 'C' });
    assert.ok(JSON.stringify(petra.sent().at(-1)!.activity).includes('TR-SKYDD-77 (QZ)'));
  });

  it('only the parties and their escalation contacts see a referral', async () => {
    const [r] = (await bot.app.stores.referrals.open()).filter((x) => x.socialWorkerId === petra.person.id);
    await fredrik.pick({ menu: 'C' });
    assert.ok(JSON.stringify(fredrik.sent().at(-1)!.activity).includes(`status:${r!.referralId}`), 'the 1:e socialsekreterare of SF Hisingen sees it');
    await gunilla.pick({ menu: 'C' });
    assert.ok(!JSON.stringify(gunilla.sent().at(-1)!.activity).includes(r!.referralId), 'the 1:e socialsekreterare of SF Centrum does not');
    await anna.pick({ menu: 'C' });
    assert.ok(!JSON.stringify(anna.sent().at(-1)!.activity).includes(r!.referralId), 'another social worker does not');
    const byAnna = await anna.execute('c.take', { referralId: r!.referralId });
    assert.ok(byAnna.texts.some((t) => t.includes('behörighet')));
  });
});
