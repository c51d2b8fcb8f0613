import { strict as assert } from 'node:assert';
import { cardActions, cardTexts } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { ExportLinks } from '../../dialogs/dataProtection/links';
import { REDACTED } from '../../routines/shared/retention';

const DAY = 86_400_000;
const NOT_FOUND = 'Inget ärende hittades som du har behörighet till';

/** The links (Action.OpenUrl) of the newest card sent to a person. */
function links(c: Chat): Array<{ title: string; url: string }> {
  const card = c.sent().at(-1)!.activity.attachments![0]!.content as { actions?: Array<{ type: string; title: string; url: string }> };
  return (card.actions ?? []).filter((a) => a.type === 'Action.OpenUrl');
}
const lastTexts = (c: Chat) => cardTexts(c.sent().at(-1)!.activity.attachments?.[0]?.content).concat(c.sent().at(-1)!.activity.text ?? '');

describe('issue 19: journal export, access log and retention, through /api/messages', () => {
  let bot: RunningBot;
  let clock = new Date('2026-11-23T09:00:00Z');
  const closedAt = clock;
  let sofia: Chat, tomas: Chat, fredrik: Chat, olle: Chat;
  let spId = '';
  let caseId = '';

  before(async () => {
    bot = await startBot({ clock: () => clock });
    sofia = new Chat(bot, demoPerson('Sofia Sandberg'));
    tomas = new Chat(bot, demoPerson('Tomas Tell'));
    fredrik = new Chat(bot, demoPerson('Fredrik Fors'));
    olle = new Chat(bot, demoPerson('Olle Öberg'));
    for (const c of [sofia, tomas, fredrik, olle]) await c.say('hej');
    // A coordinated plan with consent, closed with a reason that names the person.
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no', reportMade: 'false' });
    await sofia.submit({ others: 'ffs', purpose: 'Kalle behöver samordnat stöd', needs: 'Boende', questions: 'Vem gör vad?', proposedTime: 'måndag 10:00', meetingForm: 'video', individualTakesPart: 'false' });
    await sofia.submit({ consent: 'yes', reference: 'TR-DP-0001', initials: 'KL', names: '', protectedIdentity: 'false', information: 'Kalles behov av boende', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' });
    const plan = (await bot.app.stores.plans.byInitiator(sofia.person.id))[0]!;
    spId = plan.spId;
    caseId = plan.caseId!;
    // The close a minute later: steps at the same instant have no order in the journal.
    clock = new Date(clock.getTime() + 60_000);
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: `close:${spId}` });
    await sofia.submit({ reason: 'Kalle har flyttat till Borås' });
    await sofia.submit({ action: 'yes' });
    assert.equal((await bot.app.stores.plans.get(spId))!.value.state, 'closed');
  });
  after(async () => bot.stop());

  it('exports the journal of a closed case to its initiator: a card with the summary and two short-lived links', async () => {
    await sofia.say('exportera journal tr-dp-0001');
    const texts = lastTexts(sofia);
    assert.ok(texts.some((t) => t.includes('Journalexport: TR-DP-0001 (KL)')), texts.join(' | '));
    assert.ok(texts.some((t) => /\d+ händelser i journalen/.test(t)), texts.join(' | '));
    const [html, json] = links(sofia);
    assert.ok(html && json && html.url.includes('/export/'), JSON.stringify(links(sofia)));
    const page = await fetch(html.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const body = await page.text();
    assert.ok(body.includes('<html lang="sv">') && body.includes('Journal för ärende TR-DP-0001 (KL)') && body.includes('Sofia Sandberg'), body.slice(0, 500));
    assert.ok(body.indexOf('d.invited') > 0 && body.indexOf('d.invited') < body.indexOf('d.closed'), 'oldest first');
    const doc = (await (await fetch(json.url)).json()) as { events: Array<{ at: string; who: string; role: string; step: string }> };
    assert.ok(doc.events.length >= 2);
    assert.deepEqual(doc.events.map((e) => e.at), [...doc.events.map((e) => e.at)].sort(), 'ordered');
    assert.ok(doc.events.every((e) => e.who && e.role && e.step));
  });

  it('an invited administration\'s supervisor may export too (routine D\'s own access rule); an outsider gets the answer of a case that does not exist', async () => {
    await tomas.say('exportera journal TR-DP-0001');
    assert.ok(lastTexts(tomas).some((t) => t.startsWith('Journalexport: TR-DP-0001')), lastTexts(tomas).join(' | '));
    await fredrik.say('exportera journal TR-DP-0001');
    const refused = lastTexts(fredrik).join(' | ');
    assert.ok(refused.includes(NOT_FOUND), refused);
    await fredrik.say('exportera journal TR-FINNS-INTE');
    assert.equal(lastTexts(fredrik).join(' | '), refused, 'the same words as for a case that does not exist');
    assert.equal(links(fredrik).length, 0);
  });

  it('a link that was altered or has expired is refused; a link signed with another key too', async () => {
    await sofia.say('exportera journal TR-DP-0001');
    const [html] = links(sofia);
    const tampered = html!.url.replace(/\/export\/(.)/, (_, c: string) => `/export/${c === 'A' ? 'B' : 'A'}`);
    assert.equal((await fetch(tampered)).status, 404);
    const foreign = new ExportLinks('x'.repeat(40), bot.url).url({ k: 'journal', f: 'html', p: sofia.person.id, c: caseId }, clock);
    assert.equal((await fetch(foreign)).status, 404);
    const saved = clock;
    clock = new Date(clock.getTime() + 16 * 60_000);
    try {
      const expired = await fetch(html!.url);
      assert.equal(expired.status, 404);
      assert.ok((await expired.text()).includes('gått ut'));
    } finally {
      clock = saved;
    }
  });

  it('the admin takes an access extract of the case: every view is there, the extract is logged too; a supervisor outside the unit is refused', async () => {
    await olle.say('loggutdrag ärende TR-DP-0001');
    const texts = lastTexts(olle).join(' | ');
    assert.ok(texts.includes('Loggutdrag: TR-DP-0001') && /\d+ visningar/.test(texts), texts);
    const [csv, json] = links(olle);
    const rows = await (await fetch(csv!.url)).text();
    for (const view of ['d.actions', 'journal.export', 'journal.export.html', 'journal.export.json']) assert.ok(rows.includes(`"${view}"`), `${view} in ${rows}`);
    assert.ok(rows.includes(sofia.person.id) && rows.includes(tomas.person.id), 'who saw it');
    assert.ok(!rows.includes('TR-DP-0001') && !rows.includes('KL'), 'ids and codes only, never the reference or the initials');
    const extract = (await (await fetch(json!.url)).json()) as { entries: Array<{ view: string; personId: string }> };
    assert.ok(extract.entries.some((e) => e.view === 'access.extract' && e.personId === olle.person.id), 'the extract itself is in the log');
    await fredrik.say('loggutdrag ärende TR-DP-0001');
    assert.ok(lastTexts(fredrik).some((t) => t.includes('Ingen person eller inget ärende')), lastTexts(fredrik).join(' | '));
    await sofia.say('loggutdrag ärende TR-DP-0001');
    assert.ok(lastTexts(sofia).some((t) => t.includes(NOT_FOUND)), 'a social worker may not take extracts');
  });

  it('an extract per person: the admin sees Sofia\'s views; her task list and D list views are recorded', async () => {
    await sofia.say('mina uppgifter');
    await olle.say('loggutdrag person Sofia Sandberg');
    assert.ok(lastTexts(olle).some((t) => t.includes('Loggutdrag: Sofia Sandberg')), lastTexts(olle).join(' | '));
    const rows = await (await fetch(links(olle)[0]!.url)).text();
    assert.ok(rows.includes('"d.actions"') && rows.includes('"journal.export"'), rows);
  });

  it('a refused view writes no access row: an outsider\'s refused journal export, access extract, forged link and routine list leave nothing for that case and person', async () => {
    const window = (): [Date, Date] => [new Date(closedAt.getTime() - DAY), new Date(clock.getTime() + DAY)];
    const fredriksRows = async () => (await bot.app.stores.accessLog.forCase(caseId, ...window())).filter((e) => e.personId === fredrik.person.id);
    assert.deepEqual(await fredriksRows(), [], 'none from the refusals above');
    // Each refused, through /api/messages and the export route; the case's log is read after each.
    await fredrik.say('exportera journal TR-DP-0001');
    assert.ok(lastTexts(fredrik).some((t) => t.includes(NOT_FOUND)));
    await fredrik.say('loggutdrag ärende TR-DP-0001');
    assert.ok(lastTexts(fredrik).some((t) => t.includes('Ingen person eller inget ärende')));
    const forged = new ExportLinks('y'.repeat(40), bot.url).url({ k: 'journal', f: 'json', p: fredrik.person.id, c: caseId }, clock);
    assert.equal((await fetch(forged)).status, 404);
    await fredrik.pick({ menu: 'D' });
    const menu = JSON.stringify(fredrik.sent().at(-1)!.activity.attachments?.[0]?.content ?? {});
    assert.ok(!menu.includes('TR-DP-0001') && !menu.includes(spId), 'the plan is not in his list');
    assert.deepEqual(await fredriksRows(), [], 'no access row for the case and Fredrik');
    const his = await bot.app.stores.accessLog.forPerson(fredrik.person.id, ...window());
    assert.ok(his.every((e) => e.caseId !== caseId && !e.view.startsWith('journal.export') && !e.view.startsWith('access.extract')), JSON.stringify(his));
    // While a view that is shown is logged: Sofia's export of the same case, just now.
    const before = (await bot.app.stores.accessLog.forCase(caseId, ...window())).length;
    await sofia.say('exportera journal TR-DP-0001');
    assert.equal((await bot.app.stores.accessLog.forCase(caseId, ...window())).length, before + 1, 'the allowed view is recorded');
  });

  it('retention: kept the day before the period ends; after it, pseudonymised, the forms\' done steps removed — and the person\'s views show no initials', async () => {
    const stores = bot.app.stores;
    await stores.claims.claim('form', 'old-form', { byId: 'x', byName: 'X', at: closedAt.toISOString() });
    await stores.claims.mark('backfill', 'marker-test', { byId: 'x', byName: 'X', at: closedAt.toISOString() });
    const accessBefore = (await stores.accessLog.forCase(caseId, new Date(closedAt.getTime() - DAY), new Date(closedAt.getTime() + DAY))).length;

    // A registration in routine A by forms: a form's step happens once, so its outbox row is kept,
    // done, and the same form sent again is told "already done by …". (The case still waits.)
    const bertil = new Chat(bot, demoPerson('Bertil Berg'));
    await bertil.say('hej');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-DP-A001', initials: 'QA', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    const outboxes = [stores.plans.outbox, stores.referrals.outbox, stores.planReviews.outbox, stores.waitingList.outbox];
    const doneSteps = (await Promise.all(outboxes.map(async (o) => (await o.rows(1000)).filter((r) => r.value.done).map((r) => ({ o, pk: r.partitionKey, stepId: r.value.stepId }))))).flat();
    assert.ok(doneSteps.length > 0, 'the form\'s step is kept, done');
    const stepRow = (d: (typeof doneSteps)[number]) => d.o.get(d.pk, d.stepId);

    const dayBefore = await bot.app.retention(new Date(closedAt.getTime() + 729 * DAY));
    assert.equal(dayBefore.pseudonymised, 0);
    assert.equal(dayBefore.doneStepsRemoved, 0);
    for (const r of doneSteps) assert.ok(await stepRow(r), 'still there the day before');
    assert.equal((await stores.cases.get(caseId))!.value.initials, 'KL', 'still there the day before');
    assert.ok(await stores.claims.get('form', 'old-form'), 'the claim too');

    clock = new Date(closedAt.getTime() + 730 * DAY + 3600_000);
    const after = await bot.app.retention(clock);
    assert.equal(after.pseudonymised, 1, JSON.stringify(after));
    assert.ok(after.doneStepsRemoved >= doneSteps.length, JSON.stringify(after));
    for (const r of doneSteps) assert.equal(await stepRow(r), undefined, 'a form\'s done step, after the period');
    assert.ok(Object.values(after).every((v) => typeof v === 'number'), 'the report is counts only');
    const c = (await stores.cases.get(caseId))!.value;
    assert.ok(c.reference.startsWith('GALLRAD-') && c.initials === '–', JSON.stringify(c));
    const plan = (await stores.plans.get(spId))!.value;
    assert.equal(plan.purpose, REDACTED);
    assert.equal(plan.closedReason, REDACTED);
    assert.equal(plan.state, 'closed', 'the rest of the aggregate stays');
    const journal = await stores.journal.forCase(caseId, 500);
    const closed = journal.find((e) => e.step === 'd.closed')!;
    assert.equal(closed.details.reason, REDACTED, 'the journal keeps the event, not its free text');
    assert.equal(closed.actorName, 'Sofia Sandberg', 'who and when stay');
    assert.ok(journal.every((e) => !JSON.stringify(e).includes('Kalle')));
    assert.ok((await stores.consents.forCase(caseId)).every((x) => x.information === REDACTED));
    assert.equal((await stores.accessLog.forCase(caseId, new Date(closedAt.getTime() - DAY), new Date(closedAt.getTime() + DAY))).length, accessBefore, 'the access log is kept');
    assert.equal(await stores.claims.get('form', 'old-form'), undefined, 'an old form claim is removed');
    assert.ok(await stores.claims.get('backfill', 'marker-test'), 'markers are kept');
    const again = await bot.app.retention(clock);
    assert.equal(again.pseudonymised, 0, 'idempotent');

    // Through /api/messages: the reference finds nothing any more; the pseudonym does, and shows no initials.
    await sofia.say('exportera journal TR-DP-0001');
    assert.ok(lastTexts(sofia).some((t) => t.includes(NOT_FOUND)));
    await sofia.say(`exportera journal ${c.reference}`);
    const texts = lastTexts(sofia).join(' | ');
    assert.ok(texts.includes(`Journalexport: ${c.reference} (–)`) && !texts.includes('(KL)'), texts);
    const body = await (await fetch(links(sofia)[0]!.url)).text();
    assert.ok(body.includes('d.closed') && body.includes(REDACTED), 'events kept, texts gone');
    for (const gone of ['(KL)', 'TR-DP-0001', 'Kalle', 'Borås']) assert.ok(!body.includes(gone), `${gone} in the export after retention`);
    await sofia.pick({ menu: 'D' });
    const menu = JSON.stringify(sofia.sent().at(-1)!.activity.attachments![0]!.content);
    assert.ok(!menu.includes('KL') && !menu.includes('TR-DP-0001'), 'the routine\'s list shows nothing of it');
    assert.ok(cardActions(sofia.sent().at(-1)!.activity.attachments![0]!.content).length > 0);
  });
});
