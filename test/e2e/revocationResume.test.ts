import { strict as assert } from 'node:assert';
import { cardActions } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';

/**
 * Routine A's confirmed revocation of consent, when the turn that claimed it died part-way (issue 16:
 * "a crash can show 'already done' while the effect is lost"): a second press of the same
 * confirmation finishes what was confirmed, through /api/messages. The state a dead turn leaves is
 * made here with the stores the bot uses (its claim row, its revoked consents), as the process
 * would have left it.
 */
describe('routine A: a revocation whose turn died part-way is finished by the next press of its confirmation', () => {
  let bot: RunningBot;
  let bertil: Chat, david: Chat;
  let now = new Date('2026-11-23T09:00:00Z');

  before(async () => {
    bot = await startBot({ clock: () => now });
    bertil = new Chat(bot, demoPerson('Bertil Berg'));
    david = new Chat(bot, demoPerson('David Dahl'));
    for (const c of [bertil, david]) await c.say('hej');
  });
  after(async () => bot.stop());

  /** Queues a case at Solrosen and opens its revocation: the confirmation button's data. */
  async function queuedAndConfirmCard(reference: string): Promise<{ caseId: string; button: Record<string, unknown> }> {
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference, initials: 'RV', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    const entry = (await bot.app.stores.waitingList.queue('solrosen')).at(-1)!;
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'revoke' });
    const r = await bertil.submit({ reference });
    const confirm = bertil.sent().slice(r.before).map((s) => s.activity.attachments?.[0]?.content).find((card) => cardActions(card).some((a) => a.verb === 'a.revoke.confirm'));
    assert.ok(confirm, 'a confirmation card');
    return { caseId: entry.caseId, button: cardActions(confirm).find((a) => a.verb === 'a.revoke.confirm')!.data! };
  }
  const waits = async (caseId: string) => (await bot.app.stores.waitingList.queue('solrosen')).some((e) => e.caseId === caseId);

  it('died after the consents were revoked, before the queue was left: a press a minute later removes the person from the queue and tells the provider', async () => {
    const { caseId, button } = await queuedAndConfirmCard('TR-RESUME-1');
    // What the dying turn had done: its claim, then every consent of the case revoked.
    await bot.app.stores.claims.claim('a.revoke', String(button['confirmId']), { byId: bertil.person.id, byName: 'Bertil Berg', at: now.toISOString() });
    await bot.app.stores.consents.revokeAll(caseId, bertil.person.id, now);
    assert.ok(await waits(caseId), 'still in the queue: the effect the press claimed is missing');
    // Within a minute the first press may still be running (parallel presses): told who did it.
    const meanwhile = await bertil.execute('a.revoke.confirm', button);
    assert.ok(meanwhile.texts.some((t) => t.includes('redan gjort')), meanwhile.texts.join(' | '));
    now = new Date(now.getTime() + 2 * 60_000);
    const dBefore = david.sent().length;
    const again = await bertil.execute('a.revoke.confirm', button);
    assert.ok(again.texts.some((t) => t.includes('togs bort ur 1 kö(er): Solrosen Daglig Verksamhet AB')), again.texts.join(' | '));
    assert.ok(!again.texts.some((t) => t.includes('redan gjort')), 'not "already done" while the effect is missing');
    assert.equal(await waits(caseId), false, 'the person has left the queue');
    await bot.connector.waitFor(() => david.sent().length > dBefore);
    // Pressed once more: now it is done.
    const third = await bertil.execute('a.revoke.confirm', button);
    assert.ok(third.texts.some((t) => t.includes('redan gjort')), third.texts.join(' | '));
  });

  it('died right after its claim: nothing done, so after a minute the next press does the whole revocation; within that minute it is taken to be in progress', async () => {
    const { caseId, button } = await queuedAndConfirmCard('TR-RESUME-2');
    await bot.app.stores.claims.claim('a.revoke', String(button['confirmId']), { byId: bertil.person.id, byName: 'Bertil Berg', at: now.toISOString() });
    const meanwhile = await bertil.execute('a.revoke.confirm', button);
    assert.ok(meanwhile.texts.some((t) => t.includes('redan gjort')), `a press while the first may still run: ${meanwhile.texts.join(' | ')}`);
    assert.ok(await waits(caseId));
    now = new Date(now.getTime() + 2 * 60_000);
    const later = await bertil.execute('a.revoke.confirm', button);
    assert.ok(later.texts.some((t) => t.includes('togs bort ur 1 kö(er)')), later.texts.join(' | '));
    assert.equal(await waits(caseId), false);
    assert.ok((await bot.app.stores.consents.forCase(caseId)).every((c) => c.revokedAt), 'every consent of the case is revoked');
    const journal = (await bot.app.stores.journal.forCase(caseId, 200)).map((e) => e.step);
    // Newest first: the revocation and the leaving are journaled once each, after the registration.
    assert.deepEqual(journal.slice(0, 3), ['a.providerNotified', 'a.leftQueue', 'a.consentRevoked'], journal.join(', '));
    assert.equal(journal.filter((x) => x === 'a.consentRevoked').length, 1, journal.join(', '));
  });
});
