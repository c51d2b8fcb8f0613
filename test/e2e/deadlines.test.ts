import { strict as assert } from 'node:assert';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { cardActions } from '../helpers/connector';
import { Chat, choose } from '../helpers/flow';


/**
 * Deadlines and dates through /api/messages, with the clock at 00:30 Stockholm time (23:30 UTC the
 * day before): due dates on Swedish working days, reminders never dropped nor sent before a task
 * can be acted on, and every date shown in the Stockholm calendar.
 */
describe('deadlines and dates end to end (clock at 00:30 Stockholm)', () => {
  let bot: RunningBot;
  let hanna: Chat, maria: Chat, sofia: Chat, anna: Chat, ivar: Chat;
  // Thursday 2026-11-26 00:30 in Stockholm; still Wednesday 2026-11-25 in UTC.
  const midnight = new Date('2026-11-25T23:30:00Z');
  let now = midnight;
  const ALL_YES = { q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'yes' };
  const register = { reference: 'ÄVO-2026-901', initials: 'JU', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-11-20', executionDate: '2026-11-25', grantedHours: '10', previousPlan: 'never', lastPlanDate: '' };

  before(async () => {
    bot = await startBot({ clock: () => now });
    hanna = new Chat(bot, demoPerson('Hanna Holm'));
    maria = new Chat(bot, demoPerson('Maria Mattsson'));
    sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
    anna = new Chat(bot, demoPerson('Anna Andersson'));
    ivar = new Chat(bot, demoPerson('Ivar Ivarsson'));
    for (const c of [hanna, maria, sofia, anna, ivar]) await c.say('hej');
  });
  after(async () => bot.stop());
  beforeEach(() => {
    now = midnight;
  });

  async function registerB(values: Record<string, string>): Promise<{ reviewId: string; texts: string[] }> {
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: 'new' });
    const r = await hanna.submit(values);
    const texts = hanna.textsSince(r.before);
    assert.ok(texts.some((t) => t.includes('är registrerat')), texts.join(' | '));
    const reviews = await bot.app.stores.planReviews.inUnit('avo');
    for (const x of reviews) if ((await bot.app.stores.cases.get(x.caseId))?.value.reference === values.reference) return { reviewId: x.reviewId, texts };
    throw new Error('not registered');
  }
  const remindersTo = (c: Chat, from: number) => c.textsSince(from);

  it('B: a follow-up "senast inom en månad" of an execution on 2026-11-25 is due on 23 December, not on juldagen', async () => {
    const { reviewId, texts } = await registerB(register);
    assert.ok(texts.some((t) => t.includes('senast 2026-12-09') && t.includes('senast 2026-12-23')), texts.join(' | '));
    const task = (await bot.app.stores.tasks.openInUnit('avo')).find((x) => x.taskId === `b-followup-${reviewId}`);
    assert.equal(task?.dueDate, '2026-12-23');
  });

  it('B: an already overdue follow-up (execution 2026-09-01, registered late) is reminded at the next sweep, worded as overdue', async () => {
    await registerB({ ...register, reference: 'ÄVO-2026-902', initials: 'SE', executionDate: '2026-09-01', decisionDate: '2026-08-25' });
    const from = hanna.sent().length;
    const report = await bot.app.sweep.run(now);
    assert.ok(report.sent >= 1, JSON.stringify(report));
    const texts = remindersTo(hanna, from);
    assert.ok(texts.includes('Försenad uppgift'), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('ÄVO-2026-902')), texts.join(' | '));
    assert.ok(!texts.some((t) => t.includes('ÄVO-2026-901')), 'the task due in December is not reminded now');
  });

  it('B: the start-compensation list shows the Stockholm date a plan was ensured (00:30, not the UTC day before)', async () => {
    const { reviewId } = await registerB({ ...register, reference: 'ÄVO-2026-903', initials: 'KO' });
    await hanna.pick({ menu: 'B' });
    await hanna.submit({ action: `review:avo:${reviewId}` });
    const done = await hanna.submit({ ...ALL_YES, allocatedHours: '10' });
    assert.ok(hanna.textsSince(done.before).some((t) => t.includes('startersättning')), hanna.textsSince(done.before).join(' | '));
    const list = await maria.pick({ menu: 'B' }); // her one choice: the list, without asking
    const texts = maria.textsSince(list);
    const line = texts.find((t) => t.includes('Säkerställd'));
    assert.ok(line?.includes('Säkerställd 2026-11-26'), texts.join(' | '));
  });

  it('D: with the default settings no reminder follows the invitations at once; the "before" reminder comes on a later working day, with the Stockholm date of a consultation', async () => {
    const start = { others: 'avo', purpose: 'Behov av stöd behöver samordnas', needs: 'Stöd i vardagen', questions: 'Vem ansvarar för vad?', proposedTime: '2026-12-02 kl 10', meetingForm: 'video', individualTakesPart: 'false' };
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no' });
    await sofia.submit(start);
    const invited = await sofia.submit({ consent: 'no' });
    assert.ok(sofia.textsSince(invited.before).some((t) => t.includes('har fått kallelsen')), sofia.textsSince(invited.before).join(' | '));
    // The message names the deadline that really runs (INVITATION_REPLY_WORKING_DAYS, 5 by default), not a fixed "two working days".
    assert.ok(sofia.textsSince(invited.before).some((t) => t.includes('Svar väntas inom 5 arbetsdagar; du påminns före dess')), sofia.textsSince(invited.before).join(' | '));
    const reply = (await bot.app.stores.tasks.openInUnit('sf-nordost')).find((x) => x.step === 'd.invitationReply');
    assert.ok(reply, 'the reply task is open');
    assert.equal(reply.dueDate, '2026-12-03', 'five working days from Thursday 26 November');
    assert.equal(reply.label, 'Konsultation 2026-11-26', 'the Stockholm date the consultation was started');
    const from = sofia.sent().length;
    await bot.app.sweep.run(now);
    now = new Date('2026-11-30T07:00:00Z');
    await bot.app.sweep.run(now);
    assert.ok(!remindersTo(sofia, from).some((t) => t.startsWith('Påminnelse')), remindersTo(sofia, from).join(' | '));
    now = new Date('2026-12-01T07:00:00Z'); // two working days before Thursday 3 December
    await bot.app.sweep.run(now);
    const texts = remindersTo(sofia, from);
    assert.ok(texts.includes('Påminnelse: snart dags'), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('Konsultation 2026-11-26')), texts.join(' | '));
  });

  it('C: a referral registered late (decision 2026-01-26, effort started in December) gets its renewal reminder at the next sweep, overdue', async () => {
    now = new Date('2026-12-07T08:00:00Z');
    const step = async (c: Chat, re: RegExp) => {
      await c.pick({ menu: 'C' });
      return choose(c, re);
    };
    await step(anna, /^new$/);
    await anna.submit({ reference: 'TR-KC-0901', initials: 'SR', protectedIdentity: 'false', unemployed: 'yes', withinThreeYears: 'yes' });
    await anna.submit({ ssbtekOn: '2026-01-20', askedOn: '2026-01-20', afActivity: 'none', formsSentOn: '2026-01-21' });
    await choose(anna, /:consent$/);
    await anna.submit({ information: 'Behov, mål och närvaro', givenBy: 'individual', method: 'inPerson', givenAt: '2026-01-22', toldHowToRevoke: 'true', workPlanUpdatedOn: '2026-01-22' });
    await choose(anna, /:decide$/);
    const decided = await anna.submit({ decisionDate: '2026-01-26', communicated: 'true' });
    assert.ok(anna.textsSince(decided.before).some((t) => t.includes('Beslutet gäller till 2027-01-26')), anna.textsSince(decided.before).join(' | '));
    await choose(anna, /:assign$/);
    await anna.submit({ needs: 'Praktik', includes: 'Praktik', goals: 'Praktikplats' });
    const referral = (await bot.app.stores.referrals.open()).find((x) => x.socialWorkerId === anna.person.id && x.state === 'assigned')!;
    await ivar.execute('c.take', { referralId: referral.referralId });
    await step(anna, /:bookIntake$/);
    await anna.submit({ date: '2026-12-07', time: '10:00', place: 'KC Centrum', interpreter: '', clientTold: 'true' });
    now = new Date('2026-12-07T15:00:00Z');
    await step(anna, /:intakeHeld$/);
    await anna.submit({ attendedInPerson: 'true', requirementsExplained: 'true', firstFollowUp: '2027-01-11' });
    await step(ivar, /:execute$/);
    await ivar.submit({ startDate: '2026-12-07', executed: 'true' });
    const renew = (await bot.app.stores.tasks.openFor({ kind: 'person', personId: anna.person.id })).find((t) => t.step === 'c.renew' && t.context?.referralId === referral.referralId);
    assert.equal(renew?.dueDate, '2026-11-27', '60 days before the expiry, already passed when the effort started');
    const from = anna.sent().length;
    await bot.app.sweep.run(now);
    const texts = anna.textsSince(from);
    assert.ok(texts.includes('Försenad uppgift'), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('TR-KC-0901')), texts.join(' | '));
  });
});
