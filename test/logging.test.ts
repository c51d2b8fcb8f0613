import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { createLogger, pseudonym, routineStepOf, activeDialogStep, withLogContext, DEV_PSEUDONYM_KEY, usePseudonymKey } from '../bot/logger';
import { demoPerson, startBot, type RunningBot } from './helpers/app';
import { Chat } from './helpers/flow';

/**
 * Issue 18 (logs) and 19 (keyed pseudonyms), through the real endpoint: every line of a turn and
 * of the proactive cards it sends carries the turn's correlation id, its routine and its step;
 * people appear as an HMAC of their id keyed with LOG_PSEUDONYM_KEY, never as the id nor as a
 * plain hash of it; lines are JSON for a machine and readable for a person on a terminal.
 */
const KEY = 'test-pseudonym-key-0123456789abcdef0123456789';

function records(lines: string[]): Array<Record<string, unknown>> {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('logs: the turn\'s context on every line, keyed pseudonyms, JSON or readable', () => {
  const lines: string[] = [];
  let bot: RunningBot;
  const now = new Date('2026-11-23T09:00:00Z');

  before(async function () {
    this.timeout(30000);
    bot = await startBot({ clock: () => now, logLevel: 'debug', env: { LOG_PSEUDONYM_KEY: KEY }, logDestination: { write: (line) => void lines.push(line) } });
  });
  after(async () => {
    await bot?.stop();
    usePseudonymKey(''); // the other tests' default
  });

  it('every line of a message, a form, a card button and the proactive card they send carries correlation id, routine and step', async function () {
    this.timeout(60000);
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    const david = new Chat(bot, demoPerson('David Dahl'));
    await david.say('hej');
    await bertil.say('hej');
    await bertil.pick({ menu: 'A' });
    const from = lines.length;
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'LOGCTX-1', initials: 'QQX', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    const davidBefore = david.sent().length;
    const consent = await bot.post(bot.channel.execute(bertil.person, 'form.submit', { formId: bertil.lastFormId(), consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' }));
    assert.equal(consent.status, 200);
    await bot.connector.waitFor(() => david.sent().length > davidBefore);
    const button = await bot.post(bot.channel.execute(bertil.person, 'a.offer.take', {}));
    assert.equal(button.status, 200);

    const recs = records(lines.slice(from));
    const turnLines = recs.filter((r) => typeof r.correlationId === 'string');
    assert.ok(turnLines.length >= 8, `the turns were logged (${turnLines.length} lines)`);
    for (const r of recs) {
      assert.ok(typeof r.correlationId === 'string' && r.correlationId, `a correlation id on ${JSON.stringify(r)}`);
      assert.ok(typeof r.routine === 'string' && r.routine, `a routine on ${JSON.stringify(r)}`);
      assert.ok(typeof r.step === 'string' && r.step, `a step on ${JSON.stringify(r)}`);
    }

    // The form turn: routine A, the form the person was in, on the turn's lines and on the proactive card's.
    const consentLines = recs.filter((r) => r.correlationId === consent.correlationId);
    assert.ok(consentLines.some((r) => r.event === 'turn') && consentLines.some((r) => r.event === 'turn.done'), 'the turn\'s own lines');
    const sent = consentLines.find((r) => r.event === 'proactive.sent');
    assert.ok(sent, 'the card to the provider is logged on the turn that sent it');
    for (const r of consentLines) assert.deepEqual([r.routine, r.step], ['A', 'form.consent'], JSON.stringify(r));

    // The card button: the verb's routine and step.
    const buttonLines = recs.filter((r) => r.correlationId === button.correlationId);
    assert.ok(buttonLines.length >= 2);
    for (const r of buttonLines) assert.deepEqual([r.routine, r.step], ['A', 'offer.take'], JSON.stringify(r));
  });

  it('names a person by the keyed pseudonym (LOG_PSEUDONYM_KEY), never by the id nor a plain SHA-256 of it', async () => {
    const sofia = demoPerson('Sofia Sandberg');
    const from = lines.length;
    const res = await bot.post(bot.channel.message(sofia, 'hej'));
    const turn = records(lines.slice(from)).find((r) => r.event === 'turn' && r.correlationId === res.correlationId);
    assert.ok(turn, 'the turn line');
    const keyed = createHmac('sha256', KEY).update(sofia.id).digest('hex').slice(0, 16);
    const plain = createHash('sha256').update(sofia.id).digest('hex').slice(0, 16);
    assert.equal(turn.person, keyed);
    assert.equal(pseudonym(sofia.id), keyed);
    assert.notEqual(turn.person, plain);
    assert.notEqual(keyed, createHmac('sha256', DEV_PSEUDONYM_KEY).update(sofia.id).digest('hex').slice(0, 16), 'not the development key');
    const all = lines.join('\n');
    assert.ok(!all.includes(sofia.id), 'the id itself is in no line');
    assert.ok(!all.includes(plain), 'nor its plain hash');
  });

  it('a turn\'s lines carry no personal data: no name, initials, case reference, free text nor Entra object id in clear — the keyed pseudonym instead', async function () {
    this.timeout(60000);
    const cecilia = new Chat(bot, demoPerson('Cecilia Carlsson'));
    const david = new Chat(bot, demoPerson('David Dahl'));
    await david.say('hej');
    const from = lines.length;
    const davidBefore = david.sent().length;
    await cecilia.say('hej');
    await cecilia.say('Zelmira Qvarnström mår dåligt och bor på Vrångögatan 7');
    await cecilia.pick({ menu: 'A' });
    await cecilia.submit({ action: 'join' });
    await cecilia.submit({ reference: 'LOGPD-7731', initials: 'ZQV', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-21' });
    await cecilia.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    await bot.connector.waitFor(() => david.sent().length > davidBefore);

    const out = lines.slice(from);
    const recs = records(out);
    const turns = recs.filter((r) => r.event === 'turn');
    assert.ok(turns.length >= 5 && recs.some((r) => r.event === 'proactive.sent'), `the turns and the card to the provider were logged (${recs.length} lines)`);
    const keyed = createHmac('sha256', KEY).update(cecilia.person.id).digest('hex').slice(0, 16);
    for (const t of turns) assert.equal(t.person, keyed, JSON.stringify(t));
    const all = out.join('\n');
    const plain = createHash('sha256').update(cecilia.person.id).digest('hex');
    const personal = {
      'her name': 'Cecilia',
      'her surname': 'Carlsson',
      'the provider\'s staff': 'David Dahl',
      'the case reference': 'LOGPD-7731',
      'the initials': 'ZQV',
      'the individual\'s name': 'Zelmira',
      'an address': 'Vrångögatan',
      'her Entra object id': cecilia.person.id,
      'her Teams user id': `29:${cecilia.person.id}`,
      'the provider\'s Entra object id': david.person.id,
      'the plain SHA-256 of her id': plain.slice(0, 16),
    };
    for (const [what, value] of Object.entries(personal)) assert.ok(!all.toLowerCase().includes(value.toLowerCase()), `${what} (${value}) in a log line`);
  });

  it('the pseudonym is keyed: another LOG_PSEUDONYM_KEY gives another pseudonym of the same person, through the endpoint too', async function () {
    this.timeout(30000);
    const sofia = demoPerson('Sofia Sandberg');
    const OTHER = 'another-pseudonym-key-fedcba9876543210fedcba98';
    const hmac = (key: string) => createHmac('sha256', key).update(sofia.id).digest('hex').slice(0, 16);
    const underKey = pseudonym(sofia.id);
    assert.equal(underKey, hmac(KEY));
    const other: string[] = [];
    const second = await startBot({ clock: () => now, logLevel: 'debug', env: { LOG_PSEUDONYM_KEY: OTHER }, logDestination: { write: (line) => void other.push(line) } });
    try {
      const res = await second.post(second.channel.message(sofia, 'hej'));
      const turn = records(other).find((r) => r.event === 'turn' && r.correlationId === res.correlationId);
      assert.ok(turn, 'the turn line under the other key');
      assert.equal(turn.person, hmac(OTHER));
      assert.notEqual(turn.person, underKey, 'another key, another pseudonym: lines of two deployments cannot be joined');
      assert.notEqual(turn.person, createHash('sha256').update(sofia.id).digest('hex').slice(0, 16), 'not a plain hash anyone could compute from a list of ids');
      assert.ok(!other.join('\n').includes(sofia.id));
    } finally {
      await second.stop();
      usePseudonymKey(KEY); // this file's bot
    }
    assert.equal(pseudonym(sofia.id), underKey, 'the same key, the same pseudonym (an operator with the key finds a person\'s lines)');
  });

  it('writes JSON lines to a machine and readable lines (pino-pretty) to a person', () => {
    const json: string[] = [];
    withLogContext({ correlationId: 'c-1', routine: 'B', step: 'form.review' }, () => createLogger('info', { write: (l) => void json.push(l) }).info({ event: 'x' }, 'hello'));
    const r = JSON.parse(json[0]!) as Record<string, unknown>;
    assert.deepEqual([r.msg, r.event, r.correlationId, r.routine, r.step], ['hello', 'x', 'c-1', 'B', 'form.review']);

    const pretty: string[] = [];
    withLogContext({ correlationId: 'c-2', routine: 'D', step: 'plan.decide' }, () => createLogger('info', { write: (l) => void pretty.push(l) }, 'pretty').warn({ event: 'y' }, 'readable'));
    const line = pretty.join('');
    assert.throws(() => JSON.parse(line), 'not JSON');
    assert.match(line, /WARN/);
    assert.match(line, /readable/);
    assert.match(line, /c-2/);
    assert.match(line, /plan\.decide/);
  });

  it('reads routine and step from verbs and from the dialog stack (the bot\'s own ids only)', () => {
    assert.deepEqual(routineStepOf('a.offer.take'), { routine: 'A', step: 'offer.take' });
    assert.deepEqual(routineStepOf('tasks.mine'), { routine: 'tasks', step: 'mine' });
    const stack = { dialogStack: [{ id: 'main', state: { dialogs: { dialogStack: [{ id: 'main.route', state: {} }, { id: 'd.coordinatedPlan', state: { dialogs: { dialogStack: [{ id: 'd.new', state: {} }, { id: 'd.form.triage', state: {} }] } } }] } } }] };
    assert.deepEqual(activeDialogStep(stack), { routine: 'D', step: 'form.triage' });
    assert.equal(activeDialogStep({ dialogStack: [] }), undefined);
    assert.equal(activeDialogStep(undefined), undefined);
  });
});
