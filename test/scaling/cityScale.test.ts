import { strict as assert } from 'node:assert';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { EntityTable } from '../../storage/entityTable';
import { RequestCounter } from '../../storage/tableClients';
import { waitingListRowSchema } from '../../storage/waitingList';
import { coordinatedPlanSchema } from '../../storage/coordinatedPlans';
import { referralSchema } from '../../storage/referrals';

/**
 * Turns whose storage requests must not grow with the city: the same turn, with few and with many
 * rows of other people (queue entries at another provider, others' plans and referrals), makes the
 * same number of table requests (counted at the HTTP level). Bulk rows are written directly, in
 * transactions of 100, in the stored shape of the aggregates only.
 */
const now = new Date('2026-11-23T09:00:00Z');

async function bulk(bot: RunningBot, table: string, schema: never, pk: string, rows: Array<{ rowKey: string; value: unknown }>): Promise<void> {
  const t = new EntityTable(bot.app.stores.factory.client(table), schema);
  for (let i = 0; i < rows.length; i += 100) await t.transact(pk, rows.slice(i, i + 100).map((r) => ({ op: 'create' as const, rowKey: r.rowKey, value: r.value as never })));
}

function entries(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const entryId = `2026-01-01-${String(i + 1).padStart(9, '0')}`;
    return { rowKey: `e|${entryId}`, value: { kind: 'entry', entryId, providerId: 'bulk', caseId: `bulk-case-${i}`, requestDate: '2026-01-01', seq: i + 1, state: 'waiting', consentId: `c-${i}`, registeredBy: 'x', registeredAt: now.toISOString() } };
  });
}

function plans(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    rowKey: `sp-bulk-${String(i).padStart(6, '0')}`,
    value: {
      spId: `sp-bulk-${String(i).padStart(6, '0')}`, caseId: null, mode: 'consultation', initiatorId: `other-${i % 50}`, initiatorName: 'Någon Annan', initiatingAdministration: 'sf-hisingen', others: ['ffs'], acuteConcern: false, concernReported: false,
      purpose: 'p', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false, invitations: [{ administration: 'ffs' }], versions: [], state: 'invited', createdAt: now.toISOString(),
    },
  }));
}

function referrals(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    rowKey: `ref-bulk-${String(i).padStart(6, '0')}`,
    value: {
      referralId: `ref-bulk-${String(i).padStart(6, '0')}`, caseId: `case-bulk-${i}`, socialWorkerId: `other-${i % 50}`, socialWorkerName: 'Någon Annan', administration: 'sf-nordost', protectedIdentity: false, state: 'afConsultation',
      criteria: { unemployed: true, withinThreeYears: true }, decisions: [], intakes: [], plans: [], followUps: [], events: [], disagreements: [], createdAt: now.toISOString(),
    },
  }));
}

/** Starts a bot, seeds `n` rows of others, runs `turn` once to warm up (dialog state rows exist), then counts the requests of `turn` again. */
async function requestsOf(seed: (bot: RunningBot) => Promise<void>, turn: (bot: RunningBot) => Promise<void>): Promise<number> {
  const counter = new RequestCounter();
  const bot = await startBot({ clock: () => now, requestCounter: counter });
  try {
    await seed(bot);
    await turn(bot);
    const before = counter.count;
    await turn(bot);
    return counter.count - before;
  } finally {
    await bot.stop();
  }
}

/** `SCALE_REPORT=1` prints the counts (the report's before/after figures). */
function report(what: string, few: number, many: number): void {
  if (process.env.SCALE_REPORT) console.log(`      ${what}: ${few} / ${many} requests`);
}

describe('no read that grows with the city: storage requests per turn', function () {
  this.timeout(180_000);
  const withEntries = (n: number) => async (bot: RunningBot) => {
    await bot.app.stores.waitingList.addProvider({ providerId: 'bulk', name: 'Bulk AB', kind: 'private', places: 1, occupied: 1, waiting: n, openOffer: null, nextSeq: n + 1, responsibleUnit: 'eku' });
    await bulk(bot, 'WaitingList', waitingListRowSchema as never, 'q|bulk', entries(n));
  };

  it('routine A join form: the same with 10 and 10,000 queue entries at another provider', async () => {
    const join = async (bot: RunningBot) => {
      const bertil = new Chat(bot, demoPerson('Bertil Berg'));
      await bertil.pick({ menu: 'A' });
      await bertil.submit({ action: 'join' });
      await bertil.say('avbryt');
    };
    const few = await requestsOf(withEntries(10), join);
    const many = await requestsOf(withEntries(10_000), join);
    report('join form', few, many);
    assert.equal(many, few, `join form: ${few} requests with 10 entries, ${many} with 10,000`);
  });

  it('routine A join form: one directory query, the same with 4 and 200 providers', async () => {
    const withProviders = (n: number) => async (bot: RunningBot) => {
      for (let i = 0; i < n; i++) await bot.app.stores.waitingList.addProvider({ providerId: `extra-${i}`, name: `Extra ${String(i).padStart(3, '0')} AB`, kind: 'private', places: 1, occupied: 0, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'eku' });
    };
    let listed = 0;
    const join = async (bot: RunningBot) => {
      const bertil = new Chat(bot, demoPerson('Bertil Berg'));
      await bertil.pick({ menu: 'A' });
      const { before } = await bertil.submit({ action: 'join' });
      listed = (JSON.stringify(bertil.sent().slice(before)).match(/Extra \d{3} AB/g) ?? []).length;
      await bertil.say('avbryt');
    };
    const few = await requestsOf(withProviders(0), join);
    const many = await requestsOf(withProviders(200), join);
    assert.equal(listed, 200, 'the form lists every provider');
    report('join form, 200 more providers', few, many);
    assert.equal(many, few, `join form: ${few} requests with the demo providers, ${many} with 200 more`);
  });

  it('GET /api/availability (cache off): the same with 10 and 10,000 queue entries at another provider', async () => {
    const page = async (bot: RunningBot) => {
      const res = await fetch(`${bot.url}/api/availability`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { providers: unknown[] }).providers.length, 4);
    };
    const few = await requestsOf(withEntries(10), page);
    const many = await requestsOf(withEntries(10_000), page);
    report('availability', few, many);
    assert.equal(many, few, `availability: ${few} requests with 10 entries, ${many} with 10,000`);
  });

  it('GET /api/availability with the cache on: a burst of requests costs one read of the providers', async () => {
    const counter = new RequestCounter();
    const bot = await startBot({ clock: () => now, requestCounter: counter, env: { AVAILABILITY_CACHE_SECONDS: '60' } });
    try {
      const before = counter.count;
      await Promise.all(Array.from({ length: 50 }, () => fetch(`${bot.url}/api/availability`).then((r) => r.json())));
      const one = counter.count - before;
      await fetch(`${bot.url}/api/availability`).then((r) => r.json());
      assert.equal(counter.count - before, one, 'served from the cache');
      assert.ok(one <= 1 + 3, `one directory query and a point read per provider: ${one}`);
    } finally {
      await bot.stop();
    }
  });

  it('routine D menu: the same with 5 and 2,000 plans of other people', async () => {
    const menu = async (bot: RunningBot) => {
      const sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
      await sofia.pick({ menu: 'D' });
      await sofia.say('avbryt');
    };
    const few = await requestsOf((bot) => bulk(bot, 'Plans', coordinatedPlanSchema as never, 'sp', plans(5)), menu);
    const many = await requestsOf((bot) => bulk(bot, 'Plans', coordinatedPlanSchema as never, 'sp', plans(2000)), menu);
    report('D menu', few, many);
    assert.equal(many, few, `D menu: ${few} requests with 5 plans of others, ${many} with 2,000`);
  });

  it('routine C menu: the same with 5 and 2,000 referrals of other people', async () => {
    const menu = async (bot: RunningBot) => {
      const anna = new Chat(bot, demoPerson('Anna Andersson'));
      await anna.pick({ menu: 'C' });
      await anna.say('avbryt');
    };
    const few = await requestsOf((bot) => bulk(bot, 'Referrals', referralSchema as never, 'c', referrals(5)), menu);
    const many = await requestsOf((bot) => bulk(bot, 'Referrals', referralSchema as never, 'c', referrals(2000)), menu);
    report('C menu', few, many);
    assert.equal(many, few, `C menu: ${few} requests with 5 referrals of others, ${many} with 2,000`);
  });
});
