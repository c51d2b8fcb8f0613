import { strict as assert } from 'node:assert';
import { KompetenscenterService } from '../../dialogs/c-kompetenscenter/service';
import type { StaffMember } from '../../routines/shared/organisation';
import { cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { crashAtEveryRequest } from '../helpers/crash';
import { Chat } from '../helpers/flow';
import { report } from './support';

/**
 * Routine C's steps die at every storage request (test/helpers/crash.ts): the consultant takes the
 * assignment and the coordinator confirms the dialogue (card buttons through /api/messages), and the
 * social worker books the intake (the dialog's step, through the service). After each crash a new
 * bot on the same storage presses again and sweeps: the referral, the journal, the tasks exactly
 * once, the other party told once (twice only when it died between the send and its record).
 */
describe('reliability: the bot dies at every storage request of a step and restarts on the same storage (routine C)', function () {
  this.timeout(600_000);
  const t0 = new Date('2026-11-23T09:00:00Z');
  const anna = demoPerson('Anna Andersson');
  const ivar = demoPerson('Ivar Ivarsson');
  const johanna = demoPerson('Johanna Jansson');
  let first: RunningBot;
  /** The referral of each run and its case reference, by its key (the stage in the key: each test has its own). */
  const ids = new Map<string, string>();
  const refs = new Map<string, string>();

  before(async () => {
    first = await startBot({ clock: () => t0 });
    for (const p of [anna, ivar, johanna]) await new Chat(first, p).say('hej');
  });
  after(async () => {
    await first.app.close();
    await first.connector.stop();
  });

  const staff = async (bot: RunningBot, id: string): Promise<StaffMember> => (await bot.app.stores.staff.get(id))!.value;
  const ok = async (d: Promise<{ ok: boolean; code?: string }>) => {
    const r = await d;
    if (!r.ok) throw new Error(`arrange: ${r.code}`);
  };

  /** A referral of Anna's: assigned to KC (the assignment card sent to the consultants), or (protected) its coordinator asked; optionally taken by Ivar. */
  async function referral(bot: RunningBot, key: string, stage: 'assigned' | 'coordinator' | 'taken'): Promise<void> {
    const c = new KompetenscenterService(bot.app.deps);
    const sw = await staff(bot, anna.id);
    const reference = `KC-${stage.slice(0, 4).toUpperCase()}-${key}`;
    const created = await c.create(sw, { formId: `kc-${reference}`, reference, initials: 'CR', protectedIdentity: stage === 'coordinator', unemployed: true, withinThreeYears: true } as never);
    if (!created.ok) throw new Error(`arrange: ${created.code}`);
    const id = created.value.referralId;
    ids.set(key, id);
    refs.set(key, reference);
    await ok(c.apply(sw, id, { kind: 'af', ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' }));
    if (stage === 'coordinator') {
      await ok(c.apply(sw, id, { kind: 'requestCoordinator' }));
      return;
    }
    await ok(c.consent(sw, id, { formId: 'x', information: 'Behov och mål', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: true, workPlanUpdatedOn: '2026-11-23' } as never));
    await ok(c.apply(sw, id, { kind: 'decide', decisionDate: '2026-11-23', communicated: true }));
    await ok(c.apply(sw, id, { kind: 'assign', needs: 'Praktik', includes: 'Stöd', goals: ['Arbete'] }));
    if (stage === 'taken') await ok(c.apply(await staff(bot, ivar.id), id, { kind: 'take' }));
  }

  /** Cards a person got about the referral of run `key` whose texts include `text`. */
  const cardsTo = (bot: RunningBot, p: { id: string; name: string }, key: string, text: string) =>
    bot.connector.to(bot.channel.conversationOf(p)).filter((s) => {
      const texts = cardTexts(s.activity.attachments?.[0]?.content);
      return texts.some((t) => t.includes(refs.get(key)!)) && texts.some((t) => t.includes(text));
    }).length;
  /** The replacements of the cards of one kind kept on the referral (every viewer's card shows the step). */
  const replacedWith = async (bot: RunningBot, key: string, kind: string, text: string) => {
    const refs = ((await bot.app.stores.referrals.get(ids.get(key)!))!.value.cards ?? []).filter((c) => c.kind === kind);
    assert.ok(refs.length > 0, `the ${kind} cards are kept`);
    return refs.every((ref) => bot.connector.updated.some((u) => u.activityId === ref.activityId && cardTexts(u.activity.attachments?.[0]?.content).some((t) => t.includes(text))));
  };
  const journalCount = async (bot: RunningBot, key: string, step: string) => {
    const r = (await bot.app.stores.referrals.get(ids.get(key)!))!.value;
    return (await bot.app.stores.journal.forCase(r.caseId, 200)).filter((e) => e.step === step).length;
  };

  it('a consultant takes the assignment: the referral, the journal exactly once at every crash; every assignment card shows who took it; the social worker told', async () => {
    const r = await crashAtEveryRequest(first, t0, {
      arrange: (bot, key) => referral(bot, key, 'assigned'),
      act: (bot, key) => new Chat(bot, ivar).execute('c.take', { referralId: ids.get(key)! }),
      committed: async (bot, key) => (await bot.app.stores.referrals.get(ids.get(key)!))!.value.consultantId === ivar.id,
      assertAgain: (texts, committed, label) => assert.ok(texts.join(' | ').includes(committed ? 'redan gjort av Ivar Ivarsson' : 'Uppdraget togs av Ivar Ivarsson'), `${label}: ${texts.join(' | ')}`),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const ref = (await stores.referrals.get(ids.get(key)!))!.value;
        assert.equal(ref.consultantId, ivar.id, `${label}: taken by Ivar`);
        assert.equal(await journalCount(bot, key, 'c.take'), 1, `${label}: journaled once`);
        assert.equal((await stores.referrals.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        assert.ok(await replacedWith(bot, key, 'assignment', 'Uppdraget togs av Ivar Ivarsson'), `${label}: every assignment card shows who took it`);
        const cards = cardsTo(bot, anna, key, 'Ivar Ivarsson: har tagit uppdraget');
        assert.ok(cards >= 1 && cards <= 2, `${label}: the social worker is told (${cards} cards)`);
        return { cards };
      },
    });
    assert.ok(r.duplicates <= 1, r.outcomes.join(', '));
    report('crash', `C take: ${r.requests} storage requests; died at each and restarted: referral and journal exactly once, every assignment card replaced; the social worker's card once (twice in ${r.duplicates}: died between the send and its record); ${r.outcomes.join(', ')}`);
  });

  it('the KC coordinator confirms the dialogue (protected case): the referral, the journal exactly once at every crash; the social worker told', async () => {
    const r = await crashAtEveryRequest(first, t0, {
      arrange: (bot, key) => referral(bot, key, 'coordinator'),
      act: (bot, key) => new Chat(bot, johanna).execute('c.coordinator.confirm', { referralId: ids.get(key)! }),
      committed: async (bot, key) => Boolean((await bot.app.stores.referrals.get(ids.get(key)!))!.value.coordinatorContact?.confirmedAt),
      assertAgain: (texts, committed, label) => assert.ok(texts.join(' | ').includes(committed ? 'redan gjort av Johanna Jansson' : 'Dialogen bekräftad av Johanna Jansson'), `${label}: ${texts.join(' | ')}`),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const ref = (await stores.referrals.get(ids.get(key)!))!.value;
        assert.equal(ref.coordinatorContact?.confirmedBy, johanna.id, `${label}: confirmed by Johanna`);
        assert.equal(await journalCount(bot, key, 'c.coordinatorConfirm'), 1, `${label}: journaled once`);
        assert.equal((await stores.referrals.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        assert.ok(await replacedWith(bot, key, 'coordinator', 'Dialogen bekräftad av Johanna Jansson'), `${label}: every coordinator card shows the confirmation`);
        const cards = cardsTo(bot, anna, key, 'Johanna Jansson: samordnaren bekräftar');
        assert.ok(cards >= 1 && cards <= 2, `${label}: the social worker is told (${cards} cards)`);
        return { cards };
      },
    });
    assert.ok(r.duplicates <= 1, r.outcomes.join(', '));
    report('crash', `C coordinator confirms: ${r.requests} storage requests; died at each and restarted: referral and journal exactly once, every coordinator card replaced; the social worker's card once (twice in ${r.duplicates}); ${r.outcomes.join(', ')}`);
  });

  it('the social worker books the intake: the referral, the journal and both deadline tasks exactly once at every crash; the consultant told', async () => {
    const booking = { kind: 'bookIntake' as const, at: '2026-11-30T10:00', place: 'KC Centrum', interpreter: '', clientTold: true, viaCoordinator: false };
    const r = await crashAtEveryRequest(first, t0, {
      arrange: (bot, key) => referral(bot, key, 'taken'),
      act: async (bot, key) => {
        const d = await new KompetenscenterService(bot.app.deps).apply(await staff(bot, anna.id), ids.get(key)!, booking);
        return { texts: [d.ok ? 'booked' : d.code] };
      },
      committed: async (bot, key) => (await bot.app.stores.referrals.get(ids.get(key)!))!.value.state === 'intakeBooked',
      assertAgain: (texts, committed, label) => assert.deepEqual(texts, [committed ? 'outOfOrder' : 'booked'], label),
      assertOnce: async (bot, key, label) => {
        const { stores } = bot.app;
        const id = ids.get(key)!;
        const ref = (await stores.referrals.get(id))!.value;
        assert.equal(ref.intake?.at, '2026-11-30T10:00', `${label}: booked`);
        assert.equal(await journalCount(bot, key, 'c.bookIntake'), 1, `${label}: journaled once`);
        assert.equal((await stores.referrals.outbox.pending()).length, 0, `${label}: nothing left in the outbox`);
        const ofCase = (tasks: Array<{ taskId: string; step: string }>) => tasks.filter((t) => t.taskId.startsWith(`c-${id}-`)).map((t) => t.step);
        assert.deepEqual(ofCase(await stores.tasks.openFor({ kind: 'person', personId: anna.id })), ['c.intakeOutcome'], `${label}: the social worker's task, once`);
        assert.deepEqual(ofCase(await stores.tasks.openFor({ kind: 'person', personId: ivar.id })), ['c.prepareIntake'], `${label}: the consultant's task, once`);
        assert.deepEqual(ofCase(await stores.tasks.openInUnit('sf-centrum')), ['c.intakeOutcome'], `${label}: in the administration's list`);
        assert.deepEqual(ofCase(await stores.tasks.openInUnit('kc')), ['c.prepareIntake'], `${label}: in KC's list`);
        const cards = cardsTo(bot, ivar, key, 'Anna Andersson: inskrivningsmöte bokat');
        assert.ok(cards >= 1 && cards <= 2, `${label}: the consultant is told (${cards} cards)`);
        return { cards };
      },
    });
    assert.ok(r.duplicates <= 1, r.outcomes.join(', '));
    report('crash', `C intake booked: ${r.requests} storage requests; died at each and restarted: referral, journal, both tasks exactly once; the consultant's card once (twice in ${r.duplicates}); ${r.outcomes.join(', ')}`);
  });
});
