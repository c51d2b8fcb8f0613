import { strict as assert } from 'node:assert';
import { pseudonym } from '../../bot/logger';
import { cardActions } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';

/**
 * The operator's logs, through the real endpoint: every line is JSON, every turn's lines carry the
 * correlation id the HTTP response names, and nothing a person wrote or that identifies anyone —
 * case references, initials, names of individuals or staff, free text, a personal identity number,
 * a person's raw id — appears in them (nor in anything else the process prints meanwhile).
 */
describe('operator logs: structured JSON, one correlation id per turn, no personal data', () => {
  const lines: string[] = [];
  let bot: RunningBot;
  const now = new Date('2026-11-23T09:00:00Z');

  // Distinctive values, so a hit can only come from what the people in this test typed.
  const secret = {
    referenceA: 'LOGREF-A-4711',
    referenceD: 'LOGREF-D-0815',
    initialsA: 'ZQX',
    initialsD: 'XWQ',
    individual: 'Zacharias Quist',
    freeMessage: 'Zacharias mår dåligt och bor på Ödegatan 12',
    purpose: 'Ödegatans boende behöver samordnas med sysselsättningen',
    needs: 'Kvällsstöd efter kvartsamtalet på torsdagar',
    questions: 'Vilken förvaltning tar kvällsstödet?',
    proposedTime: 'Torsdag vecka 49 kl 13 i Gamlestaden',
    inviteNote: 'Hellre fredag, Zacharias har tandläkare',
    pin: '19121212-1212',
    referenceB: 'LOGREF-B-2222',
    initialsB: 'QZW',
    reviewComment: 'Zacharias vill duscha på kvällen',
    revisedNote: 'Kvällsdusch inlagd för Zacharias',
  };

  before(async function () {
    this.timeout(30000);
    bot = await startBot({ clock: () => now, logLevel: 'trace', logDestination: { write: (line) => void lines.push(line) } });
  });
  after(async () => bot?.stop());

  it('drives routines A, B and D with case data and free text; the logs carry ids, not people', async function () {
    this.timeout(60000);
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    const david = new Chat(bot, demoPerson('David Dahl'));
    const sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
    const tomas = new Chat(bot, demoPerson('Tomas Tell'));
    const ulla = new Chat(bot, demoPerson('Ulla Ulf'));
    const hanna = new Chat(bot, demoPerson('Hanna Holm'));
    const rut = new Chat(bot, demoPerson('Rut Rask'));
    const staff = [bertil, david, sofia, tomas, ulla, hanna, rut];

    // Whatever else the process prints while the conversation runs (libraries, console) is kept too.
    const stray: string[] = [];
    const stdoutWrite = process.stdout.write.bind(process.stdout);
    const stderrWrite = process.stderr.write.bind(process.stderr);
    const capture = (write: typeof process.stdout.write) =>
      ((chunk: unknown, ...rest: unknown[]) => {
        stray.push(String(chunk));
        return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof process.stdout.write;
    process.stdout.write = capture(stdoutWrite);
    process.stderr.write = capture(stderrWrite);

    const correlationIds: string[] = [];
    try {
      for (const c of staff) await c.say('hej');

      // Free text in the chat, and a personal identity number where a case reference belongs.
      const free = await bot.post(bot.channel.message(bertil.person, secret.freeMessage));
      assert.equal(free.status, 200);
      assert.ok(free.correlationId, 'the response names the turn\'s correlation id');
      correlationIds.push(free.correlationId);
      await bertil.pick({ menu: 'A' });
      await bertil.submit({ action: 'join' });
      const refused = await bertil.submit({ reference: secret.pin, initials: secret.initialsA, protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
      assert.ok(bertil.textsSince(refused.before).length + refused.texts.length > 0, 'the bot answered the refused reference');

      // Routine A: a queue registration with consent (the provider gets a card with the reference).
      await bertil.pick({ menu: 'A' });
      await bertil.submit({ action: 'join' });
      await bertil.submit({ reference: secret.referenceA, initials: secret.initialsA, protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
      const davidBefore = david.sent().length;
      const joined = await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
      assert.ok(bertil.textsSince(joined.before).some((t) => t.includes('plats **1**')), 'queued: the conversation really reached storage');
      await bot.connector.waitFor(() => david.sent().length > davidBefore);

      // Routine D: free-text fields, consent with reference, initials and the individual's name.
      await sofia.pick({ menu: 'D' });
      await sofia.submit({ action: 'new' });
      await sofia.submit({ acuteConcern: 'yes', reportMade: 'true' });
      await sofia.submit({ others: 'ffs,avo', purpose: secret.purpose, needs: secret.needs, questions: secret.questions, proposedTime: secret.proposedTime, meetingForm: 'video', individualTakesPart: 'false' });
      const tomasBefore = tomas.sent().length;
      await sofia.submit({ consent: 'yes', reference: secret.referenceD, initials: secret.initialsD, names: secret.individual, protectedIdentity: 'false', information: secret.needs, givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
      await bot.connector.waitFor(() => tomas.sent().length > tomasBefore);
      const invitation = [...tomas.sent()].reverse().map((s) => s.activity.attachments?.[0]?.content).find((card) => cardActions(card).some((a) => a.verb === 'd.invite.answer'));
      const spId = cardActions(invitation).find((a) => a.verb === 'd.invite.answer')!.data!.spId as string;

      // Card actions: an answer with a free-text note, a press without the role, a made-up verb.
      const answer = await bot.post(bot.channel.execute(ulla.person, 'd.invite.answer', { spId, administration: 'avo', answer: 'proposedOtherTime', note: secret.inviteNote }));
      assert.equal(answer.status, 200);
      assert.ok(answer.correlationId);
      correlationIds.push(answer.correlationId);
      await tomas.execute('d.invite.answer', { spId, administration: 'avo', answer: 'declined', note: secret.individual });
      await tomas.execute(secret.individual, { note: secret.freeMessage });
      // Routine B: a registration, a review comment to the provider, the provider's note.
      await hanna.pick({ menu: 'B' });
      await hanna.submit({ action: 'new' });
      await hanna.submit({ reference: secret.referenceB, initials: secret.initialsB, protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: '8', previousPlan: 'never' });
      const review = (await bot.app.stores.planReviews.inUnit('avo'))[0]!;
      await hanna.pick({ menu: 'B' });
      await hanna.submit({ action: `review:avo:${review.reviewId}` });
      const rutBefore = rut.sent().length;
      await hanna.submit({ q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'no', c7: secret.reviewComment, allocatedHours: '8' });
      await bot.connector.waitFor(() => rut.sent().length > rutBefore);
      const revised = await rut.execute('b.revised', { unit: 'avo', reviewId: review.reviewId, round: 1, note: secret.revisedNote });
      assert.ok(revised.texts.some((t) => t.startsWith('Markerad som reviderad')), 'routine B reached storage');
      // A malformed activity is refused before the adapter, and logged without its content.
      const bad = await bot.post({ type: 'message', text: secret.freeMessage, from: { id: secret.individual } });
      assert.equal(bad.status, 400);
      assert.ok(bad.correlationId);
      correlationIds.push(bad.correlationId);
    } finally {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    }

    // Structured: every line is one JSON object with a level, a time and a message.
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(records.length >= 20, `the conversation was logged (${records.length} lines)`);
    for (const r of records) assert.ok(typeof r.level === 'number' && typeof r.time === 'string' && typeof r.msg === 'string', JSON.stringify(r));

    // Correlated: the id in each response is on that turn's lines.
    for (const id of correlationIds) assert.ok(records.some((r) => r.correlationId === id), `correlation id ${id} is in the logs`);
    const turns = records.filter((r) => r.event === 'turn');
    assert.ok(turns.length >= 20 && turns.every((r) => typeof r.correlationId === 'string' && r.correlationId), 'every turn line carries a correlation id');
    assert.equal(new Set(turns.map((r) => r.correlationId)).size, turns.length, 'one correlation id per turn');
    assert.ok(turns.some((r) => r.verb === 'd.invite.answer') && turns.some((r) => r.verb === '(unknown)'), 'card verbs the bot defines are logged, others are not repeated');

    // People appear only as pseudonyms.
    const raw = lines.join('\n').toLowerCase();
    assert.ok(turns.some((r) => r.person === pseudonym(sofia.person.id)), 'a turn names its person by pseudonym');

    const forbidden = [...Object.values(secret), ...staff.map((c) => c.person.name), ...staff.map((c) => c.person.id), 'Berg', 'Sandberg', 'Holm'];
    const printed = stray.join('').toLowerCase();
    for (const value of forbidden) {
      assert.ok(!raw.includes(value.toLowerCase()), `"${value}" must not appear in the logs`);
      assert.ok(!printed.includes(value.toLowerCase()), `"${value}" must not be printed by the process`);
    }
  });
});
