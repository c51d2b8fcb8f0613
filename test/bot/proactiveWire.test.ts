import { strict as assert } from 'node:assert';
import type { CloudAdapter } from 'botbuilder';
import { ProactiveNotifier } from '../../bot/notifier';
import { createLogger } from '../../bot/logger';
import { Gate } from '../../storage/parallel';
import { freshStores } from '../helpers/storage';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('cards on the wire at once', () => {
  it('a gate lets at most its limit run, passes each freed slot on, and frees it when a job fails', async () => {
    const gate = new Gate(3);
    let running = 0;
    let most = 0;
    const job = (fail: boolean) => async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      if (fail) throw new Error('boom');
      return 'ok';
    };
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => gate.run(job(i % 4 === 0))));
    assert.equal(most, 3);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 15);
    assert.deepEqual(gate.load, { active: 0, waiting: 0 });
    assert.throws(() => new Gate(0), RangeError);
  });

  it('three fan-outs at once keep at most the instance’s limit of sends in flight, and every card arrives', async () => {
    const stores = await freshStores();
    const people = Array.from({ length: 60 }, (_, i) => `person-${i}`);
    const now = new Date('2026-12-02T10:00:00Z');
    for (const id of people) await stores.conversations.save({ personId: id, reference: { conversation: { id: `conv-${id}` }, serviceUrl: 'http://localhost', locale: 'sv-SE' }, updatedAt: now.toISOString() });
    let inFlight = 0;
    let most = 0;
    const delivered: string[] = [];
    // Stands in for Bot Framework's connector: only the wire is replaced, storage is Azurite.
    const adapter = {
      async continueConversationAsync(_appId: string, ref: { conversation: { id: string } }, logic: (ctx: unknown) => Promise<void>) {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        await logic({ sendActivity: async () => ({ id: `act-${ref.conversation.id}` }) });
        delivered.push(ref.conversation.id);
        inFlight--;
      },
    } as unknown as CloudAdapter;
    const notifier = new ProactiveNotifier(adapter, 'app', stores.conversations, createLogger('silent'), () => now, undefined, 0, '', 8);
    const card = { contentType: 'application/vnd.microsoft.card.adaptive' as const, content: { type: 'AdaptiveCard', version: '1.5', body: [] } };
    const fanOut = (ids: string[]) => notifier.sendCards(ids.map((personId) => ({ personId, card, summary: 'Erbjudande' })));
    const outcomes = (await Promise.all([fanOut(people.slice(0, 20)), fanOut(people.slice(20, 40)), fanOut(people.slice(40))])).flat();
    assert.ok(outcomes.every((o) => o.sent), 'every card sent');
    assert.equal(new Set(delivered).size, 60);
    assert.ok(most <= 16, `${most} sends in flight at once`);
    assert.ok(most > 8, `the limit is the instance's, not one fan-out's: ${most} in flight`);
  });
});
