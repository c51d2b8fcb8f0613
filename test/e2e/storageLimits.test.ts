import { strict as assert } from 'node:assert';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { longText } from '../helpers/largeValues';

/** A full-length text as a person would type it: exactly `n` characters, nothing to trim. */
const full = (n: number, seed: number) => longText(n - 1, seed).trim().padEnd(n - 1, 'x') + '.';

/**
 * Routine D through /api/messages with every text at its maximum and the 20 plan versions the
 * schema allows. One aggregate in one property passed Table storage's limit at the third version.
 */
describe('Table storage size limits end to end: a coordinated plan at every maximum (routine D)', () => {
  let bot: RunningBot;
  let sofia: Chat, tomas: Chat, ulla: Chat;
  const now = new Date('2026-11-23T09:00:00Z');

  before(async () => {
    bot = await startBot({ clock: () => now });
    sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
    tomas = new Chat(bot, demoPerson('Tomas Tell'));
    ulla = new Chat(bot, demoPerson('Ulla Ulf'));
    for (const c of [sofia, tomas, ulla]) await c.say('hej');
  });
  after(async () => bot.stop());

  it('20 versions of a plan with full-length texts, each returned with a full-length comment, then approved: every word is kept', async function () {
    this.timeout(120_000);
    const start = { others: 'ffs,avo', purpose: full(2000, 1), needs: full(2000, 2), questions: full(2000, 3), proposedTime: full(200, 4), meetingForm: 'video', individualTakesPart: 'false' };
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no' });
    await sofia.submit(start);
    const invited = await sofia.submit({ consent: 'yes', reference: 'TR-SP-0900', initials: 'KL', names: full(200, 5), protectedIdentity: 'false', information: full(2000, 6), givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    assert.ok(sofia.textsSince(invited.before).some((t) => t.includes('2 förvaltning(ar) har fått kallelsen')), sofia.textsSince(invited.before).join(' | '));
    const [sp] = await bot.app.stores.plans.byInitiator(demoPerson('Sofia Sandberg').id);
    assert.ok(sp);
    const spId = sp.spId;
    for (const [chat, administration] of [[tomas, 'ffs'], [ulla, 'avo']] as const) {
      const a = await chat.execute('d.invite.answer', { spId, administration, answer: 'accepted', note: full(2000, 7) });
      assert.ok(!a.texts.some((t) => t.includes('gick fel') || t.includes('went wrong')), a.texts.join(' | '));
    }

    const planOf = (v: number) => ({ participants: full(2000, 100 + v), background: full(2000, 200 + v), needs: full(2000, 300 + v), responsibilities: full(2000, 400 + v), followUpDate: '2027-01-15', individualParticipation: full(2000, 500 + v) });
    for (let v = 1; v <= 20; v++) {
      await sofia.pick({ menu: 'D' });
      await sofia.submit({ action: `plan:${spId}` });
      const sent = await sofia.submit(planOf(v));
      assert.ok(sent.texts.includes('Mottaget') || sent.texts.some((t) => t.startsWith('Mottaget')), `version ${v}: ${sent.texts.join(' | ')}`);
      const stored = (await bot.app.stores.plans.get(spId))!.value;
      assert.equal(stored.versions.length, v, `version ${v} is stored: ${sofia.textsSince(sent.before).join(' | ')}`);
      if (v < 20) {
        const r = await tomas.execute('d.plan.decide', { spId, administration: 'ffs', version: v, decision: 'returned', note: full(2000, 600 + v) });
        assert.equal((await bot.app.stores.plans.get(spId))!.value.state, 'returned', `version ${v} returned: ${r.texts.join(' | ')}`);
      }
    }
    await tomas.execute('d.plan.decide', { spId, administration: 'ffs', version: 20, decision: 'approved', note: full(2000, 700) });
    await ulla.execute('d.plan.decide', { spId, administration: 'avo', version: 20, decision: 'approved', note: full(2000, 701) });

    const plan = (await bot.app.stores.plans.get(spId))!.value;
    assert.equal(plan.state, 'established');
    assert.equal(plan.versions.length, 20);
    plan.versions.forEach((version, i) => assert.deepEqual(version.content, planOf(i + 1), `version ${i + 1}`));
    plan.versions.slice(0, 19).forEach((version, i) => assert.equal(version.decisions.find((d) => d.decision === 'returned')?.comment, full(2000, 600 + i + 1)));
    assert.equal(plan.purpose, start.purpose);
    assert.ok(plan.invitations.every((i) => i.note === full(2000, 7)));
    assert.ok(JSON.stringify(plan).length > 200_000, 'far more than one property could hold');
  });
});
