import { strict as assert } from 'node:assert';
import { ADMINISTRATIONS, type StaffMember } from '../../routines/shared/organisation';
import { RequestCounter } from '../../storage/tableClients';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';

/** Storage requests of one routine A registration's consent step (reply and the provider's card). */
async function consentStepRequests(extraStaff: number): Promise<number> {
  const counter = new RequestCounter();
  const now = new Date('2026-11-23T09:00:00Z');
  const bot: RunningBot = await startBot({ clock: () => now, requestCounter: counter });
  try {
    if (extraStaff) {
      const others = ADMINISTRATIONS.filter((u) => u !== 'ffs');
      const extra: StaffMember[] = Array.from({ length: extraStaff }, (_, i) => ({
        id: `33333333-0000-0000-0000-${String(i).padStart(12, '0')}`,
        name: `Extra ${i}`,
        roles: [{ role: 'socialWorker', unit: others[i % others.length]! }, ...(i % 3 ? [] : [{ role: 'providerContact' as const, unit: `provider:other-${i % 50}` as const }])],
      }));
      await bot.app.stores.staff.createMany(extra);
    }
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    const david = new Chat(bot, demoPerson('David Dahl'));
    for (const c of [bertil, david]) await c.say('hej');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-2026-0001', initials: 'QX', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    const davidBefore = david.sent().length;
    const start = counter.count;
    const r = await bertil.submit({ consent: 'yes', givenBy: 'legalRepresentative', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    await bot.connector.waitFor(() => david.sent().length > davidBefore);
    const texts = bertil.textsSince(r.before);
    assert.ok(texts.some((t) => t.includes('plats **1**')), texts.join(' | '));
    return counter.count - start;
  } finally {
    await bot.stop();
  }
}

describe('no read that grows with the city: staff directory', () => {
  it('a routine A registration at the consent step makes as many storage requests with 2,000 more staff elsewhere', async function () {
    this.timeout(60_000);
    const demo = await consentStepRequests(0);
    const big = await consentStepRequests(2000);
    assert.equal(big, demo, `demo directory: ${demo} requests; with 2,000 more staff: ${big}`);
  });
});
