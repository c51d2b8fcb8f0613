import { strict as assert } from 'node:assert';
import { cardActions, cardTexts, showsInitials } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';

const ALL_YES = { q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'yes' };

describe('routine B end to end: register, review not complete, provider revises, complete, start compensation', () => {
  let bot: RunningBot;
  let hanna: Chat, rut: Chat, maria: Chat, david: Chat, ulla: Chat;
  const now = new Date('2026-11-23T09:00:00Z');
  const register = { reference: 'ÄVO-2026-114', initials: 'kl', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-10-20', executionDate: '2026-11-02', grantedHours: '12.5', previousPlan: 'never', lastPlanDate: '' };
  let reviewId = '';

  before(async () => {
    bot = await startBot({ clock: () => now });
    hanna = new Chat(bot, demoPerson('Hanna Holm'));
    rut = new Chat(bot, demoPerson('Rut Rask'));
    maria = new Chat(bot, demoPerson('Maria Mattsson'));
    david = new Chat(bot, demoPerson('David Dahl'));
    ulla = new Chat(bot, demoPerson('Ulla Ulf'));
    for (const c of [hanna, rut, maria, david, ulla]) await c.say('hej');
  });
  after(async () => bot.stop());

  const lastCard = (c: Chat) => c.sent().at(-1)!.activity.attachments![0]!.content;
  const latestCard = (c: Chat, verb: string) =>
    [...c.sent()].reverse().map((s) => s.activity.attachments?.[0]?.content).find((card) => cardActions(card).some((a) => a.verb === verb));
  // The clock stands still in this test, so events are compared as a sorted list (one of each).
  const journal = async (caseId: string) => (await bot.app.stores.journal.forCase(caseId)).map((e) => e.step).sort();

  async function registerCase(values: Record<string, string>): Promise<string> {
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: 'new' });
    const r = await hanna.submit(values);
    assert.ok(hanna.textsSince(r.before).some((t) => t.includes('är registrerat')), hanna.textsSince(r.before).join(' | '));
    const reviews = await bot.app.stores.planReviews.inUnit('avo');
    const caseIds = await Promise.all(reviews.map(async (x) => ({ x, c: (await bot.app.stores.cases.get(x.caseId))!.value })));
    const found = caseIds.find((y) => y.c.reference === values.reference)!;
    // The review keeps its case's label from the registration: the provider's cards name the case without reading the case file.
    assert.deepEqual(found.x.label, { reference: found.c.reference, initials: found.c.initials, protectedIdentity: found.c.protectedIdentity, owningUnit: found.c.owningUnit });
    return found.x.reviewId;
  }

  it('refuses an execution date before the decision, keeps what was entered, and names the problem', async () => {
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: 'new' });
    const r = await hanna.submit({ ...register, executionDate: '2026-10-01' });
    const card = lastCard(hanna);
    assert.ok(cardTexts(card).some((t) => t.includes('kan inte ligga före beslutsdatumet')), cardTexts(card).join(' | '));
    assert.ok(JSON.stringify(card).includes('ÄVO-2026-114'), 'the values come back');
    assert.ok(r.texts.includes('Mottaget'));
    const bad = await hanna.submit({ ...register, grantedHours: '170' });
    assert.ok(bad.texts.some((t) => t.includes('beviljade timmar per vecka (0–168)')), bad.texts.join(' | '));
    const future = await hanna.submit({ ...register, decisionDate: '2026-11-20', executionDate: '2026-11-30' });
    assert.ok(hanna.textsSince(future.before).some((t) => t.includes('kan inte ligga i framtiden')));
    assert.equal((await bot.app.stores.planReviews.inUnit('avo')).length, 0, 'nothing stored');
    await hanna.say('avbryt');
  });

  it('registers with the two deadlines from the execution date and lists it with days left', async () => {
    reviewId = await registerCase(register);
    const texts = hanna.textsSince(hanna.sent().length - 1);
    assert.ok(texts.some((t) => t.includes('senast 2026-11-16') && t.includes('senast 2026-12-02')), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('ny brukare')));
    await hanna.pick({ menu: 'B' });
    const before = await hanna.submit({ action: 'list:mine' });
    const list = hanna.textsSince(before.before);
    assert.ok(list.some((t) => t.startsWith('ÄVO-2026-114 (KL)')), list.join(' | '));
    assert.ok(list.some((t) => t.includes('Väntar på plan') && t.includes('9 dagar kvar')), list.join(' | '));
  });

  it('not complete with two failed points: the provider card lists exactly those two, with the comments, and no initials', async () => {
    await hanna.pick({ menu: 'B' });
    const choices = cardActions(lastCard(hanna)).map((a) => a.data?.action);
    assert.ok(choices.includes(`review:avo:${reviewId}`), JSON.stringify(choices));
    await hanna.submit({ action: `review:avo:${reviewId}` });
    const reviewCard = lastCard(hanna);
    const questions = cardTexts(reviewCard).join(' ');
    for (const q of ['Är genomförandeplanen aktuell och daterad?', 'Beskrivs ”hur” insatserna ska utföras?']) assert.ok(JSON.stringify(reviewCard).includes(q), q);
    assert.ok(questions.includes('12,5 tim/vecka'));
    const rBefore = rut.sent().length;
    const r = await hanna.submit({ ...ALL_YES, q3: 'no', c3: 'Det framgår inte vad som är viktigt för den enskilde', q6: 'no', c6: 'Veckodagar saknas', allocatedHours: '12.5' });
    assert.ok(hanna.textsSince(r.before).some((t) => t.includes('inte fullständig (2 punkter)')), hanna.textsSince(r.before).join(' | '));
    await bot.connector.waitFor(() => rut.sent().length > rBefore);
    const card = latestCard(rut, 'b.revised');
    const texts = cardTexts(card);
    assert.ok(texts.some((t) => t.includes('ÄVO-2026-114')), 'an ordinary case shows its reference to the provider');
    assert.ok(!showsInitials(JSON.stringify(card), 'KL'), 'never initials on a provider card');
    const facts = (card as { body: Array<{ type: string; facts?: Array<{ title: string; value: string }> }> }).body.find((b) => b.type === 'FactSet')!.facts!;
    assert.deepEqual(facts.map((f) => f.title), [
      '3. Kan du utläsa hur den enskilde alternativt legal företrädare varit delaktig och vad som är viktigt för den enskilde?',
      '6. Beskrivs ”när” insatserna ska utföras – veckodagar, tidsangivelser, hur tiden är fördelad mellan insatserna?',
    ]);
    assert.deepEqual(facts.map((f) => f.value), ['Det framgår inte vad som är viktigt för den enskilde', 'Veckodagar saknas']);
    assert.equal(latestCard(david, 'b.revised'), undefined, 'another provider is not told');
  });

  it('only the case\'s provider may answer; the provider revises once, and the assessor is told', async () => {
    // Another provider learns nothing, not even that the review exists (was "inte behörighet" before issue 14).
    const wrong = await david.execute('b.revised', { unit: 'avo', reviewId, round: 1, note: 'x' });
    assert.ok(wrong.texts.some((t) => t.includes('Inget ärende hittades som du har behörighet till')), wrong.texts.join(' | '));
    const byAssessor = await hanna.execute('b.revised', { unit: 'avo', reviewId, round: 1 });
    assert.ok(byAssessor.texts.some((t) => t.includes('inte behörighet')));
    const hBefore = hanna.sent().length;
    const done = await rut.execute('b.revised', { unit: 'avo', reviewId, round: 1, note: 'Delaktighet och veckodagar tillagda' });
    assert.ok(done.texts.some((t) => t.startsWith('Markerad som reviderad av Rut Rask')), done.texts.join(' | '));
    assert.equal(cardActions(done.card).length, 0, 'no stale button');
    const again = await rut.execute('b.revised', { unit: 'avo', reviewId, round: 1, note: 'igen' });
    assert.ok(again.texts.some((t) => t.includes('redan gjort av Rut Rask')), again.texts.join(' | '));
    await bot.connector.waitFor(() => hanna.sent().length > hBefore);
    assert.ok(hanna.textsSince(hBefore).some((t) => t.includes('Hemtjänst Väst AB (Rut Rask) har reviderat')));
  });

  it('complete on the second round: journaled as ensured, Treserva reminder, the finance administrator gets one card', async () => {
    await hanna.pick({ menu: 'B' });
    const choices = cardActions(lastCard(hanna)).map((a) => a.title);
    assert.ok(choices.some((t) => t.startsWith('Bedöm den reviderade planen')), choices.join(' | '));
    await hanna.submit({ action: `review:avo:${reviewId}` });
    assert.ok(cardTexts(lastCard(hanna)).some((t) => t.includes('Delaktighet och veckodagar tillagda')), 'the provider\'s note is shown');
    const mBefore = maria.sent().length;
    const r = await hanna.submit({ ...ALL_YES, allocatedHours: '12.5' });
    const texts = hanna.textsSince(r.before);
    assert.ok(texts.some((t) => t.includes('säkerställd och bedömd som fullständig')), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('Treserva')));
    assert.ok(texts.some((t) => t.includes('startersättning')));
    await bot.connector.waitFor(() => maria.sent().length > mBefore);
    const finance = maria.sent().slice(mBefore).map((s) => cardTexts(s.activity.attachments?.[0]?.content));
    assert.equal(finance.length, 1);
    assert.ok(finance[0]!.some((t) => t.includes('Hemtjänst Väst AB ska ersättas motsvarande två timmar')), finance[0]!.join(' | '));
    assert.ok(finance[0]!.includes('ÄVO-2026-114 (KL)'), 'the finance administrator is in the same administration');
    const review = (await bot.app.stores.planReviews.get('avo', reviewId))!.value;
    assert.equal(review.rounds.length, 2);
    assert.deepEqual(review.rounds.map((x) => x.outcome), ['notComplete', 'complete']);
    assert.deepEqual(await journal(review.caseId), ['b.compensationNotified', 'b.planEnsured', 'b.planRevised', 'b.registered', 'b.reviewNotComplete']);
    // The follow-up task is done.
    const open = await bot.app.stores.tasks.openInUnit('avo');
    assert.ok(!open.some((x) => x.taskId === `b-followup-${reviewId}`));
  });

  it('a completed review cannot be changed, and the compensation is never sent twice', async () => {
    const mBefore = maria.sent().length;
    await hanna.pick({ menu: 'B' });
    const choices = cardActions(lastCard(hanna)).map((a) => a.data?.action);
    assert.ok(!choices.includes(`review:avo:${reviewId}`), 'a completed case is not offered for review');
    // A stale or replayed choice is refused by the rule itself.
    await hanna.submit({ action: 'list:mine' });
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${reviewId}` });
    const r = await hanna.submit({ ...ALL_YES, allocatedHours: '12.5' });
    assert.ok(hanna.textsSince(r.before).some((t) => t.includes('redan bedömd som fullständig av Hanna Holm')), hanna.textsSince(r.before).join(' | '));
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(maria.sent().length, mBefore);
    const review = (await bot.app.stores.planReviews.get('avo', reviewId))!.value;
    assert.equal(review.rounds.length, 2);
  });

  it('an old client (a plan with the provider within two years): complete, and no finance card', async () => {
    const oldId = await registerCase({ ...register, reference: 'ÄVO-2026-200', initials: 'AB', previousPlan: 'earlier', lastPlanDate: '2024-11-02' });
    const mBefore = maria.sent().length;
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${oldId}` });
    const r = await hanna.submit({ ...ALL_YES, allocatedHours: '12.5' });
    assert.ok(hanna.textsSince(r.before).some((t) => t.includes('Ingen startersättning')), hanna.textsSince(r.before).join(' | '));
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(maria.sent().length, mBefore, 'no card for an old client');
    assert.equal((await bot.app.stores.planReviews.get('avo', oldId))!.value.compensation, undefined);
  });

  it('hours that do not match the granted hours fail question 2 even when answered yes', async () => {
    const id = await registerCase({ ...register, reference: 'ÄVO-2026-300', initials: 'CD' });
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${id}` });
    const r = await hanna.submit({ ...ALL_YES, allocatedHours: '10' });
    const texts = hanna.textsSince(r.before);
    assert.ok(texts.some((t) => t.includes('stämmer inte med beviljad tid')), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('1 punkt')));
    const card = latestCard(rut, 'b.revised');
    assert.ok(cardTexts(card).some((t) => t.startsWith('2. Stämmer fördelad tid')));
  });

  it('plan missing at the follow-up: the provider gives the reason, the assessor reports a deviation', async () => {
    const id = await registerCase({ ...register, reference: 'ÄVO-2026-400', initials: 'EF', protectedIdentity: 'true' });
    const review = (await bot.app.stores.planReviews.get('avo', id))!.value;
    const rBefore = rut.sent().length;
    await hanna.pick({ menu: 'B' });
    const r = await hanna.submit({ action: `missing:avo:${id}` });
    assert.ok(hanna.textsSince(r.before).some((t) => t.includes('ombeds ange skäl till dröjsmålet')));
    await bot.connector.waitFor(() => rut.sent().length > rBefore);
    const card = latestCard(rut, 'b.delay.answer');
    const json = JSON.stringify(card);
    assert.ok(!json.includes('ÄVO-2026-400') && !showsInitials(json, 'EF'), 'nothing identifying about a protected case on a provider card');
    assert.ok(json.includes(review.code), 'the non-identifying code lets the provider find the plan');
    // The provider's own view shows what waits for it — and only its own cases.
    const listed = await rut.pick({ menu: 'B' });
    assert.ok(rut.textsSince(listed).some((t) => t.includes(review.code)));
    const davids = await david.pick({ menu: 'B' });
    assert.ok(david.textsSince(davids).some((t) => t.includes('Inget väntar på svar från er')), david.textsSince(davids).join(' | '));
    const empty = await rut.execute('b.delay.answer', { unit: 'avo', reviewId: id, note: '' });
    assert.ok(empty.texts.some((t) => t.includes('Skriv en kommentar eller ett skäl')));
    const hBefore = hanna.sent().length;
    const answered = await rut.execute('b.delay.answer', { unit: 'avo', reviewId: id, note: 'Sjukdom i personalgruppen' });
    assert.ok(answered.texts.some((t) => t.includes('Skäl lämnat av Rut Rask')));
    await bot.connector.waitFor(() => hanna.sent().length > hBefore);
    assert.ok(hanna.textsSince(hBefore).some((t) => t.includes('Sjukdom i personalgruppen') && t.includes('avvikelse')));
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `deviation:avo:${id}` });
    const noToggle = await hanna.submit({ reported: 'false' });
    assert.ok(noToggle.texts.some((t) => t.includes('avvikelsen är rapporterad')), noToggle.texts.join(' | '));
    const done = await hanna.submit({ reported: 'true', note: 'AV-2026-77' });
    assert.ok(hanna.textsSince(done.before).some((t) => t.includes('Avvikelsen är registrerad')));
    assert.deepEqual(await journal(review.caseId), ['b.delayReason', 'b.deviationReported', 'b.planMissing', 'b.registered']);
  });

  it('a provider answer the assessor could not be told of says so on the provider\'s card, and the journal agrees (issue 14 §2)', async () => {
    const id = await registerCase({ ...register, reference: 'ÄVO-2026-410', initials: 'GH' });
    const review = (await bot.app.stores.planReviews.get('avo', id))!.value;
    const rBefore = rut.sent().length;
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `missing:avo:${id}` });
    await bot.connector.waitFor(() => rut.sent().length > rBefore);
    const hBefore = hanna.sent().length;
    bot.connector.failNext(500, 500, 500, 500); // the connector refuses the card to the assessor, every retry too
    const answered = await rut.execute('b.delay.answer', { unit: 'avo', reviewId: id, note: 'Personalbrist' });
    assert.ok(answered.texts.some((t) => t.includes('Skäl lämnat av Rut Rask')), 'the provider still sees the saved answer');
    assert.ok(answered.texts.some((t) => t.includes('Hanna Holm kunde inte nås i Teams') && t.includes('på annat sätt')), answered.texts.join(' | '));
    assert.equal(hanna.sent().length, hBefore, 'nothing reached the assessor');
    const event = (await bot.app.stores.journal.forCase(review.caseId)).find((e) => e.step === 'b.delayReason');
    assert.equal(event?.details.notReached, 'Hanna Holm');

    // Delivered: no warning, nothing recorded as not reached.
    const id2 = await registerCase({ ...register, reference: 'ÄVO-2026-411', initials: 'GH' });
    const r2Before = rut.sent().length;
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `missing:avo:${id2}` });
    await bot.connector.waitFor(() => rut.sent().length > r2Before);
    const ok = await rut.execute('b.delay.answer', { unit: 'avo', reviewId: id2, note: 'Personalbrist' });
    assert.ok(!ok.texts.some((t) => t.includes('kunde inte nås')), ok.texts.join(' | '));
    const review2 = (await bot.app.stores.planReviews.get('avo', id2))!.value;
    assert.equal((await bot.app.stores.journal.forCase(review2.caseId)).find((e) => e.step === 'b.delayReason')?.details.notReached, undefined);
  });

  it('a registration cut off between its writes (the process died) is finished when the assessor next opens the routine', async () => {
    // What a SIGKILL right after the review row was written leaves: the case and the review, no journal event, no task.
    const hannaId = demoPerson('Hanna Holm').id;
    const createdAt = new Date(now.getTime() - 5 * 60_000).toISOString();
    const caseId = 'crash-case-1';
    await bot.app.stores.cases.add({ caseId, routine: 'B', reference: 'ÄVO-CRASH-1', initials: 'CR', protectedIdentity: false, owningUnit: 'avo', createdBy: hannaId, createdAt });
    await bot.app.stores.planReviews.add({
      reviewId: 'crash-review-1', caseId, code: 'B-CRASH1', owningUnit: 'avo', assessorId: hannaId, assessorName: 'Hanna Holm', providerId: 'hemtjanst-vast', providerName: 'Hemtjänst Väst AB',
      decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: 10, lastPlanWithProvider: null, newClient: true, dignityDeadline: '2026-11-23', followUpDeadline: '2026-12-09',
      state: 'awaitingPlan', rounds: [], createdAt, setupDone: false,
    });
    for (let i = 0; i < 2; i++) {
      await hanna.say('avbryt');
      await hanna.pick({ menu: 'B' });
    }
    assert.deepEqual(await journal(caseId), ['b.registered'], 'the journal event written once');
    const tasks = (await bot.app.stores.tasks.openInUnit('avo')).filter((x) => x.taskId === 'b-followup-crash-review-1');
    assert.equal(tasks.length, 1, 'the binding follow-up task exists');
    assert.equal(tasks[0]!.dueDate, '2026-12-09');
    assert.equal((await bot.app.stores.planReviews.get('avo', 'crash-review-1'))!.value.setupDone, true);
  });

  it('the supervisor sees the unit\'s reviews; a person of another administration cannot open a case', async () => {
    const before = await ulla.pick({ menu: 'B' });
    const list = ulla.textsSince(before);
    assert.ok(list.some((t) => t.includes('ÄVO-2026-114 (KL)') && t.includes('Hanna Holm')), list.join(' | '));
    const sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
    await sofia.say('hej');
    await sofia.pick({ menu: 'B' });
    const r = await sofia.submit({ action: `review:avo:${reviewId}` });
    // The same answer as for a review that does not exist (was "inte behörighet" before issue 14).
    assert.ok(sofia.textsSince(r.before).some((t) => t.includes('Inget ärende hittades som du har behörighet till')), sofia.textsSince(r.before).join(' | '));
    const first = sofia.textsSince(r.before).filter((t) => t.includes('Inget ärende'));
    await sofia.pick({ menu: 'B' });
    const none = await sofia.submit({ action: 'review:avo:no-such-review' });
    assert.deepEqual(sofia.textsSince(none.before).filter((t) => t.includes('Inget ärende')), first, 'the same words whether or not it exists');
  });
});
