import { strict as assert } from 'node:assert';
import { cardActions, cardTexts, showsInitials } from '../helpers/connector';
import { demoPerson, startBot, type RunningBot } from '../helpers/app';
import { Chat } from '../helpers/flow';

type Availability = { providers: Array<{ providerId: string; availability: 'free' | 'notFree' }> };

describe('routine A end to end: queue, consent, provider card, offer, assignment, availability', () => {
  let bot: RunningBot;
  let bertil: Chat, cecilia: Chat, david: Chat;
  const now = new Date('2026-11-23T09:00:00Z');

  async function availability(providerId: string): Promise<string | undefined> {
    const res = await fetch(`${bot.url}/api/availability`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Availability;
    assert.ok(!JSON.stringify(body).includes('TR-'), 'no personal data in the public list');
    return body.providers.find((p) => p.providerId === providerId)?.availability;
  }

  async function joinQueue(chat: Chat, reference: string, consent: Record<string, unknown>): Promise<string[]> {
    await chat.pick({ menu: 'A' });
    await chat.submit({ action: 'join' });
    // From the join form on: a case that waits there already is told so when the form names it, before the consent.
    const join = await chat.submit({ reference, initials: 'QX', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    await chat.submit(consent);
    return chat.textsSince(join.before);
  }

  before(async () => {
    bot = await startBot({ clock: () => now });
    bertil = new Chat(bot, demoPerson('Bertil Berg'));
    cecilia = new Chat(bot, demoPerson('Cecilia Carlsson'));
    david = new Chat(bot, demoPerson('David Dahl'));
    // Everyone has talked to the bot once, so proactive cards can reach them.
    for (const c of [bertil, cecilia, david]) await c.say('hej');
  });
  after(async () => bot.stop());

  it('without consent: no provider card and no queue entry, and the dialog says why', async () => {
    const davidBefore = david.sent().length;
    const texts = await joinQueue(bertil, 'TR-2026-0001', { consent: 'no' });
    assert.ok(texts.some((t) => t.includes('Utan samtycke skickas inget')), texts.join(' | '));
    assert.ok(texts.includes('Svaret är registrerat: inget samtycke') && !texts.includes('Det gick inte'), 'a "no" is a valid answer, not a failure');
    assert.equal(david.sent().length, davidBefore);
    assert.equal((await bot.app.stores.waitingList.queue('solrosen')).length, 0);
  });

  it('refuses consent when the individual was not told how to revoke it, naming the field', async () => {
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-2026-0009', initials: 'CD', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    const r = await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'false' });
    assert.ok(r.texts.some((t) => t.includes('information om återkallelse')), r.texts.join(' | '));
    await bertil.say('avbryt');
  });

  it('a refused form comes back with every valid value kept, the refused field named and emptied (issue 17)', async () => {
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    const inputs = (card: unknown) => {
      const out = new Map<string, unknown>();
      const walk = (n: unknown): void => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object') {
          const o = n as Record<string, unknown>;
          if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') out.set(o.id, o.value);
          Object.values(o).forEach(walk);
        }
      };
      walk(card);
      return out;
    };
    // A personal identity number typed as the reference: refused, and not echoed back.
    const pin = await bertil.submit({ reference: '19121212-1212', initials: 'CD', protectedIdentity: 'true', providerId: 'solrosen', requestDate: '2026-11-19' });
    assert.ok(pin.texts.some((t) => t.includes('personnummer')), pin.texts.join(' | '));
    const shown = inputs(pin.card);
    assert.deepEqual([shown.get('initials'), shown.get('protectedIdentity'), shown.get('providerId'), shown.get('requestDate')], ['CD', 'true', 'solrosen', '2026-11-19'], 'the valid values are kept');
    assert.ok(!JSON.stringify(pin.card).includes('19121212'), 'the number is not sent back');
    // A field the schema refuses (initials too long): named, emptied; the rest kept.
    const long = await bertil.submit({ reference: 'TR-2026-0010', initials: 'ABCDEFGHIJ', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-18' });
    const again = inputs(long.card);
    assert.equal(again.get('reference'), 'TR-2026-0010');
    assert.equal(again.get('requestDate'), '2026-11-18');
    assert.notEqual(again.get('initials'), 'ABCDEFGHIJ', 'the refused value is not put back');
    assert.ok(long.texts.some((t) => t.startsWith('Kontrollera: initialer')), long.texts.join(' | '));
    await bertil.say('avbryt');
  });

  it('with consent: the provider is told (reference only), the person is queued and the position shown', async () => {
    assert.equal(await availability('solrosen'), 'notFree');
    const davidBefore = david.sent().length;
    const texts = await joinQueue(bertil, 'TR-2026-0001', { consent: 'yes', givenBy: 'legalRepresentative', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    assert.ok(texts.some((t) => t.includes('plats **1**')), texts.join(' | '));
    assert.ok(texts.some((t) => t.includes('Treserva')));
    assert.ok(texts.some((t) => t.includes('Solrosen Daglig Verksamhet AB har fått ett meddelande med ärendereferensen')), texts.join(' | '));
    // The routine's steps in the answer are numbered in order, after Steg 1 and Steg 2 on the cards before (issue 17).
    const said = texts.join('\n');
    const stepAt = (n: number) => said.indexOf(`**Steg ${n}.**`);
    assert.ok(stepAt(3) >= 0 && stepAt(3) < stepAt(4) && stepAt(4) < stepAt(5), said);
    assert.ok(said.slice(stepAt(3), stepAt(4)).includes('har fått ett meddelande') && said.slice(stepAt(4), stepAt(5)).includes('står i kö'), said);
    await bot.connector.waitFor(() => david.sent().length > davidBefore);
    const providerCard = david.sent().at(-1)!.activity.attachments?.[0]?.content;
    const seen = cardTexts(providerCard).join(' ') + JSON.stringify(providerCard);
    assert.ok(seen.includes('TR-2026-0001'));
    assert.ok(!showsInitials(seen, 'QX'), 'no initials on a provider card');
    const queue = await bot.app.stores.waitingList.queue('solrosen');
    assert.equal(queue.length, 1);
    const journal = await bot.app.stores.journal.forCase(queue[0]!.caseId);
    for (const step of ['a.informedNotSelectable', 'a.consentRecorded', 'a.queued', 'a.providerNotified']) assert.ok(journal.some((e) => e.step === step), `journal has ${step}`);
    // One step, one time: the journal (newest first) keeps the order the step decided its events in.
    // (The refused registration of the first test is journaled at the same time, as another step.)
    const steps = journal.map((e) => e.step).reverse();
    const at = steps.indexOf('a.consentRecorded');
    assert.deepEqual(steps.slice(at - 1, at + 3), ['a.informedNotSelectable', 'a.consentRecorded', 'a.queued', 'a.providerNotified'], steps.join(', '));
  });

  it('says so when the same case tries to join the same queue again', async () => {
    const texts = await joinQueue(bertil, 'TR-2026-0001', { consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    assert.ok(texts.some((t) => t.includes('står redan i kö')), texts.join(' | '));
    assert.equal((await bot.app.stores.waitingList.queue('solrosen')).length, 1);
  });

  it('a freed place is offered to the first in line; one officer takes it, the other is told who', async () => {
    const second = await joinQueue(cecilia, 'TR-2026-0002', { consent: 'yes', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    assert.ok(second.some((t) => t.includes('plats **2**')), second.join(' | '));
    const bBefore = bertil.sent().length;
    const cBefore = cecilia.sent().length;
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId: 'solrosen' });
    // Both officers get the offer card naming the first in line.
    await bot.connector.waitFor(() => cecilia.sent().slice(cBefore).some((s) => cardActions(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'a.offer.take')));
    const offer = cecilia.sent().slice(cBefore).map((s) => s.activity.attachments?.[0]?.content).find((c) => cardActions(c).some((a) => a.verb === 'a.offer.take'));
    assert.ok(cardTexts(offer).some((t) => t.includes('Ledig plats hos Solrosen')));
    assert.ok(JSON.stringify(offer).includes('TR-2026-0001'), 'the first in line, by date then position');
    assert.ok(bertil.sent().slice(bBefore).some((s) => cardActions(s.activity.attachments?.[0]?.content).some((a) => a.verb === 'a.offer.take')));
    assert.equal(await availability('solrosen'), 'notFree', 'a free place with a queue is published as not free');
    const take = cardActions(offer).find((a) => a.verb === 'a.offer.take')!.data!;
    const [byCecilia, byBertil] = await Promise.all([cecilia.execute('a.offer.take', take), bertil.execute('a.offer.take', take)]);
    const winners = [byCecilia, byBertil].filter((r) => cardActions(r.card).some((a) => a.verb === 'a.offer.answer'));
    const losers = [byCecilia, byBertil].filter((r) => r.texts.some((t) => t.includes('redan gjort')));
    assert.equal(winners.length, 1, 'exactly one officer takes the offer');
    // The taker's card names the case as the offer did (reference and initials, from the label the entry keeps).
    const label = cardTexts(offer).find((t) => t.includes('TR-2026-0001'))!;
    assert.ok(cardTexts(winners[0]!.card).includes(label), `${label} in ${cardTexts(winners[0]!.card).join(' | ')}`);
    assert.equal(losers.length, 1);
    assert.ok(losers[0]!.texts.some((t) => /av (Cecilia Carlsson|Bertil Berg)/.test(t)), losers[0]!.texts.join(' | '));
    // Every other officer's offer card is replaced to show who took it.
    const winnerName = winners[0] === byCecilia ? 'Cecilia Carlsson' : 'Bertil Berg';
    const other = winners[0] === byCecilia ? bertil : cecilia;
    await bot.connector.waitFor(() => bot.connector.updated.some((u) => u.conversationId === other.conversationId));
    const replaced = bot.connector.updated.filter((u) => u.conversationId === other.conversationId).at(-1)!;
    const replacedCard = replaced.activity.attachments?.[0]?.content;
    assert.ok(cardTexts(replacedCard).includes(`${winnerName} kontaktar personen.`), cardTexts(replacedCard).join(' | '));
    assert.ok(!cardActions(replacedCard).some((a) => a.verb === 'a.offer.take'), 'no take button left');
  });

  it('"still wants": the assignment card goes to the provider, the place is taken, the entry closes', async () => {
    const entry = (await bot.app.stores.waitingList.queue('solrosen'))[0]!;
    assert.equal(entry.state, 'offered');
    const taker = entry.offer?.takenBy === bertil.person.id ? bertil : cecilia;
    const other = taker === bertil ? cecilia : bertil;
    const refused = await other.execute('a.offer.answer', { providerId: 'solrosen', entryId: entry.entryId, answer: 'stillWants' });
    assert.ok(refused.texts.some((t) => t.includes('redan gjort')), 'only the taker records the answer');
    const davidBefore = david.sent().length;
    const r = await taker.execute('a.offer.answer', { providerId: 'solrosen', entryId: entry.entryId, answer: 'stillWants' });
    assert.ok(r.texts.some((t) => t.includes('Uppdraget är skickat')), r.texts.join(' | '));
    await bot.connector.waitFor(() => david.sent().slice(davidBefore).some((s) => cardTexts(s.activity.attachments?.[0]?.content).includes('Uppdrag: ny brukare')));
    await bot.connector.waitFor(() => bot.connector.updated.some((u) => u.conversationId === other.conversationId && cardTexts(u.activity.attachments?.[0]?.content).some((t) => t.startsWith('Avslutat av'))));
    const provider = (await bot.app.stores.waitingList.provider('solrosen'))!.value;
    assert.equal(provider.occupied, 3);
    assert.equal(provider.waiting, 1);
    assert.equal(provider.openOffer, null);
    const queue = await bot.app.stores.waitingList.queue('solrosen');
    assert.deepEqual(queue.map((e) => e.state), ['waiting']);
    // The same button pressed again changes nothing.
    const again = await taker.execute('a.offer.answer', { providerId: 'solrosen', entryId: entry.entryId, answer: 'stillWants' });
    assert.ok(again.texts.some((t) => t.includes('redan gjort')));
    assert.equal((await bot.app.stores.waitingList.provider('solrosen'))!.value.occupied, 3);
  });

  it('publishes a provider with a free place and nobody waiting as free, in JSON and HTML', async () => {
    assert.equal(await availability('majorna'), 'free');
    const html = await (await fetch(`${bot.url}/availability`)).text();
    assert.match(html, /Majornas dagliga verksamhet<\/td><td>Ledig plats/);
    assert.match(html, /Solrosen Daglig Verksamhet AB<\/td><td>Inte ledig plats/);
  });

  it('refuses a release beyond the occupied places with a clear message', async () => {
    const eva = new Chat(bot, demoPerson('Eva Ek'));
    await eva.pick({ menu: 'A' });
    const card = eva.sent().at(-1)!.activity.attachments?.[0]?.content;
    assert.ok(!cardActions(card).some((a) => a.data?.action === 'release'), 'a provider contact cannot register releases');
  });
});

describe('routine A: places chain, protected identity, not reached, revoked consent', () => {
  let bot: RunningBot;
  const now = new Date('2026-11-23T09:00:00Z');
  const chats: Record<string, Chat> = {};
  before(async () => {
    bot = await startBot({ clock: () => now });
    for (const name of ['Bertil Berg', 'Cecilia Carlsson', 'David Dahl', 'Eva Ek', 'Karin Kvist', 'Lars Lund', 'Nils Nord', 'Anna Andersson']) {
      chats[name] = new Chat(bot, demoPerson(name));
      await chats[name]!.say('hej');
    }
  });
  after(async () => bot.stop());
  const c = (name: string) => chats[name]!;

  it('a private provider\'s new ceiling goes provider → EKU → TID, and TID registers it with one button', async () => {
    const karin = c('Karin Kvist');
    const lars = c('Lars Lund');
    const kBefore = karin.sent().length;
    await c('David Dahl').pick({ menu: 'A' });
    await c('David Dahl').submit({ action: 'reportPlaces' });
    await c('David Dahl').submit({ providerId: 'solrosen', places: '5' });
    await bot.connector.waitFor(() => karin.sent().length > kBefore);
    const report = karin.sent().at(-1)!.activity.attachments![0]!.content;
    const forward = cardActions(report).find((a) => a.verb === 'a.places.forward')!;
    const { reportId, ...rest } = forward.data!;
    assert.deepEqual(rest, { providerId: 'solrosen', places: 5 });
    assert.equal(typeof reportId, 'string', 'the button carries its report, so it acts once');
    assert.equal(c('Nils Nord').sent().length, 1, 'the municipal responsible is not involved for a private provider');
    const lBefore = lars.sent().length;
    const fwd = await karin.execute('a.places.forward', forward.data!);
    assert.ok(fwd.texts.some((t) => t.includes('Vidarebefordrat till TID av Karin Kvist')));
    await bot.connector.waitFor(() => lars.sent().length > lBefore);
    const register = cardActions(lars.sent().at(-1)!.activity.attachments![0]!.content).find((a) => a.verb === 'a.places.register')!;
    // Somebody without the TID role cannot press it.
    const refused = await karin.execute('a.places.register', register.data!);
    assert.ok(refused.texts.some((t) => t.includes('inte behörighet')));
    const done = await lars.execute('a.places.register', register.data!);
    assert.ok(done.texts.some((t) => t.includes('5 platser registrerade av Lars Lund')));
    assert.equal((await bot.app.stores.waitingList.provider('solrosen'))!.value.places, 5);
    const twice = await lars.execute('a.places.register', register.data!);
    assert.ok(twice.texts.some((t) => t.includes('redan gjort')), 'a second press changes nothing');
    // Back to a full provider for the next tests.
    await lars.execute('a.places.register', { providerId: 'solrosen', places: 3 });
  });

  it('a municipal provider\'s change goes to the designated responsible', async () => {
    const nils = c('Nils Nord');
    const before = nils.sent().length;
    await c('Eva Ek').pick({ menu: 'A' });
    await c('Eva Ek').submit({ action: 'reportPlaces' });
    await c('Eva Ek').submit({ providerId: 'majorna', places: '12' });
    await bot.connector.waitFor(() => nils.sent().length > before);
    assert.ok(cardActions(nils.sent().at(-1)!.activity.attachments![0]!.content).some((a) => a.verb === 'a.places.forward'));
  });

  it('a protected-identity case shows nothing identifying on the provider\'s card, nor to officers outside its administration', async () => {
    const anna = c('Anna Andersson');
    const david = c('David Dahl');
    const dBefore = david.sent().length;
    await anna.pick({ menu: 'A' });
    await anna.submit({ action: 'join' });
    await anna.submit({ reference: 'TR-SKYDD-1', initials: 'ZZ', protectedIdentity: 'true', providerId: 'solrosen', requestDate: '2026-11-21' });
    await anna.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    await bot.connector.waitFor(() => david.sent().length > dBefore);
    const card = JSON.stringify(david.sent().at(-1)!.activity.attachments![0]!.content);
    assert.ok(!card.includes('TR-SKYDD-1') && !showsInitials(card, 'ZZ'), card);
    assert.ok(card.includes('Skyddade personuppgifter'));
    // Bertil (FFS) lists the queue: Anna's case belongs to SF Centrum.
    const bertil = c('Bertil Berg');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'queue' });
    const before = bertil.sent().length;
    await bertil.submit({ providerId: 'solrosen' });
    const queueCard = JSON.stringify(bertil.sent().slice(before).map((s) => s.activity.attachments?.[0]?.content));
    assert.ok(!queueCard.includes('TR-SKYDD-1') && queueCard.includes('Skyddade personuppgifter'), queueCard);
  });

  it('"not reached" keeps the offer open and sets a follow-up task for the officer', async () => {
    const bertil = c('Bertil Berg');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId: 'solrosen' });
    const entry = (await bot.app.stores.waitingList.queue('solrosen'))[0]!;
    assert.equal(entry.state, 'offered');
    await bertil.execute('a.offer.take', { providerId: 'solrosen', entryId: entry.entryId });
    const r = await bertil.execute('a.offer.answer', { providerId: 'solrosen', entryId: entry.entryId, answer: 'notReached' });
    assert.ok(r.texts.some((t) => t.includes('Erbjudandet står kvar')));
    // Issue 17: the follow-up is the unit's (every work guidance officer sees it), in Bertil's hands.
    const tasks = await bot.app.stores.tasks.openFor({ kind: 'role', role: 'workGuidanceOfficer', unit: 'ffs' });
    assert.ok(tasks.some((t) => t.step === 'a.contactFirstInLine' && t.dueDate === '2026-11-30' && t.holder === bertil.person.id), JSON.stringify(tasks));
    assert.equal((await bot.app.stores.waitingList.queue('solrosen'))[0]!.state, 'offered');
    // "Mina uppgifter" lists it; its button brings back the offer card with the answers.
    const before = await bertil.say('mina uppgifter');
    await bot.connector.waitFor(() => bertil.sent().length > before);
    const list = bertil.sent().slice(before)[0]!.activity.attachments![0]!.content;
    assert.ok(cardTexts(list).some((t) => t.includes('Kontakta den som står först i kön')), cardTexts(list).join(' | '));
    const open = cardActions(list).find((a) => a.data?.taskId)!;
    const beforeOpen = await bertil.pick(open.data!);
    await bot.connector.waitFor(() => bertil.sent().length > beforeOpen);
    const resumed = bertil.sent().slice(beforeOpen)[0]!.activity.attachments![0]!.content;
    assert.ok(cardActions(resumed).some((a) => a.verb === 'a.offer.answer' && a.data?.answer === 'stillWants'), JSON.stringify(resumed).slice(0, 300));
    // Another officer of the unit sees the same follow-up in "Mina uppgifter": an absent officer does not stall the queue.
    const cecilia = c('Cecilia Carlsson');
    const cBefore = await cecilia.say('mina uppgifter');
    await bot.connector.waitFor(() => cecilia.sent().length > cBefore);
    const followUp = tasks.find((t) => t.step === 'a.contactFirstInLine' && t.holder === bertil.person.id)!;
    assert.ok(cardActions(cecilia.sent().slice(cBefore)[0]!.activity.attachments![0]!.content).some((a) => a.data?.taskId === followUp.taskId), 'visible to every work guidance officer');
  });

  it('revoking consent: a confirmation card first; its button removes the person from the queue, the provider learns only that an entry left, and the ended offer leaves no task or live card', async () => {
    const anna = c('Anna Andersson');
    const david = c('David Dahl');
    const bertil = c('Bertil Berg');
    const cecilia = c('Cecilia Carlsson');
    const entry = (await bot.app.stores.waitingList.queue('solrosen'))[0]!;
    assert.equal(entry.state, 'offered', 'the offer taken by Bertil (not reached) is open');
    const openOfferTasks = async () => (await bot.app.stores.tasks.openInUnit('ffs')).filter((t) => t.step === 'a.contactFirstInLine' && t.caseId === entry.caseId);
    assert.ok((await openOfferTasks()).length > 0, 'the follow-up task is open before');
    const dBefore = david.sent().length;
    await anna.pick({ menu: 'A' });
    await anna.submit({ action: 'revoke' });
    const r = await anna.submit({ reference: 'TR-SKYDD-1' });
    const confirm = anna.sent().slice(r.before).map((s) => s.activity.attachments?.[0]?.content).find((card) => cardActions(card).some((a) => a.verb === 'a.revoke.confirm'));
    assert.ok(confirm, 'a confirmation card');
    const confirmText = cardTexts(confirm).join(' ');
    assert.ok(confirmText.includes('1 kö(er): Solrosen Daglig Verksamhet AB') && confirmText.includes('får veta att en person har lämnat kön'), confirmText);
    // Nothing has happened yet.
    assert.equal((await bot.app.stores.waitingList.queue('solrosen')).length, 1, 'still queued until confirmed');
    assert.ok((await bot.app.stores.consents.forCase(entry.caseId)).some((x) => !x.revokedAt), 'consent not yet revoked');
    const button = cardActions(confirm).find((a) => a.verb === 'a.revoke.confirm')!.data!;
    const done = await anna.execute('a.revoke.confirm', button);
    assert.ok(done.texts.some((t) => t.includes('togs bort ur 1 kö(er): Solrosen Daglig Verksamhet AB')), done.texts.join(' | '));
    assert.ok(done.texts.some((t) => t.includes('Solrosen Daglig Verksamhet AB har fått ett meddelande om att en person har lämnat kön')), done.texts.join(' | '));
    await bot.connector.waitFor(() => david.sent().length > dBefore);
    const card = david.sent().at(-1)!.activity.attachments![0]!.content;
    assert.ok(cardTexts(card).includes('En person har lämnat er kö'));
    assert.ok(!JSON.stringify(card).includes('TR-SKYDD-1'));
    assert.equal((await bot.app.stores.waitingList.queue('solrosen')).length, 0, 'the entry (which held the open offer) is gone');
    const provider = (await bot.app.stores.waitingList.provider('solrosen'))!.value;
    assert.equal(provider.openOffer, null);
    assert.equal(provider.waiting, 0);
    // Nothing of the ended offer stays behind: no open follow-up task, every officer's offer card replaced.
    assert.deepEqual(await openOfferTasks(), [], 'the follow-up task is closed');
    for (const officer of [bertil, cecilia]) {
      const last = bot.connector.updated.filter((u) => u.conversationId === officer.conversationId).at(-1);
      assert.ok(last && cardTexts(last.activity.attachments?.[0]?.content).some((t) => t.startsWith('Personen har lämnat kön')), `${officer.person.name}'s offer card: ${JSON.stringify(last?.activity).slice(0, 300)}`);
      assert.ok(!cardActions(last!.activity.attachments?.[0]?.content).some((a) => a.verb?.startsWith('a.offer.')), 'no offer button left');
    }
    // The same confirmation pressed again does nothing more.
    const again = await anna.execute('a.revoke.confirm', button);
    assert.ok(again.texts.some((t) => t.includes('redan gjort')), again.texts.join(' | '));
  });
});

describe('routine A: a reply says "sent" only for cards the connector accepted', () => {
  let bot: RunningBot;
  const now = new Date('2026-11-23T09:00:00Z');
  const chats: Record<string, Chat> = {};
  before(async () => {
    bot = await startBot({ clock: () => now });
    for (const name of ['Bertil Berg', 'Cecilia Carlsson', 'David Dahl', 'Anna Andersson']) {
      chats[name] = new Chat(bot, demoPerson(name));
      await chats[name]!.say('hej');
    }
  });
  after(async () => bot.stop());
  const c = (name: string) => chats[name]!;
  const steps = async (caseId: string) => (await bot.app.stores.journal.forCase(caseId, 1000)).map((e) => e.step);

  it('a provider without a reachable contact (Kvarnbyn): the queue, the assignment and the revocation each name it as not told, and the journal agrees', async () => {
    const bertil = c('Bertil Berg');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-KVARN-1', initials: 'KV', protectedIdentity: 'false', providerId: 'kvarnbyn', requestDate: '2026-11-20' });
    const joined = await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    const said = bertil.textsSince(joined.before).join(' ');
    assert.ok(said.includes('plats **1**'), said);
    assert.ok(!said.includes('har fått ett meddelande'), `no claim that Kvarnbyn was told: ${said}`);
    assert.ok(said.includes('ingen kontaktperson hos Kvarnbyns ateljé kunde nås') && said.includes('Meddela Kvarnbyns ateljé på annat sätt'), said);
    const [entry] = await bot.app.stores.waitingList.queue('kvarnbyn');
    assert.ok((await steps(entry!.caseId)).includes('a.providerNotReached'));
    assert.ok(!(await steps(entry!.caseId)).includes('a.providerNotified'));

    // A second person waits; a place frees; "still wants" takes it, but the assignment reaches nobody.
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-KVARN-2', initials: 'KW', protectedIdentity: 'false', providerId: 'kvarnbyn', requestDate: '2026-11-21' });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId: 'kvarnbyn' });
    await bertil.execute('a.offer.take', { providerId: 'kvarnbyn', entryId: entry!.entryId });
    const r = await bertil.execute('a.offer.answer', { providerId: 'kvarnbyn', entryId: entry!.entryId, answer: 'stillWants' });
    const answer = r.texts.join(' ');
    assert.ok(!answer.includes('Uppdraget är skickat'), `no claim that the assignment was sent: ${answer}`);
    assert.ok(answer.includes('ingen kontaktperson hos Kvarnbyns ateljé kunde nås') && answer.includes('Skicka uppdraget till Kvarnbyns ateljé på annat sätt'), answer);
    const after = await steps(entry!.caseId);
    assert.ok(after.includes('a.assigned') && !after.includes('a.assignmentSent'), after.join(', '));
    const offered = (await bot.app.stores.journal.forCase(entry!.caseId, 1000)).find((e) => e.step === 'a.offerOpened');
    assert.equal(offered?.details.notReached, undefined, 'the officers got the offer card');
    assert.equal(after.filter((s) => s === 'a.providerNotReached').length, 2, 'the queue card and the assignment: both journaled as not reached');

    // The second person's consent is revoked: Kvarnbyn is named as the one to inform another way.
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'revoke' });
    const confirm = await bertil.submit({ reference: 'TR-KVARN-2' });
    const card = bertil.sent().slice(confirm.before).map((s) => s.activity.attachments?.[0]?.content).find((x) => cardActions(x).some((a) => a.verb === 'a.revoke.confirm'));
    const done = await bertil.execute('a.revoke.confirm', cardActions(card).find((a) => a.verb === 'a.revoke.confirm')!.data!);
    const revoked = done.texts.join(' ');
    assert.ok(revoked.includes('togs bort ur 1 kö(er): Kvarnbyns ateljé'), revoked);
    assert.ok(!revoked.includes('har fått ett meddelande'), revoked);
    assert.ok(revoked.includes('Ingen kontaktperson hos Kvarnbyns ateljé kunde nås') && revoked.includes('meddela Kvarnbyns ateljé på annat sätt'), revoked);
    const second = (await bot.app.stores.journal.forCase((await bot.app.stores.waitingList.caseIdsByReference('TR-KVARN-2', ['ffs']))[0]!, 1000)).filter((e) => e.step === 'a.providerNotReached');
    assert.ok(second.some((e) => e.details.about === 'leftQueue' && e.details.provider === 'Kvarnbyns ateljé'), JSON.stringify(second));
  });

  it('an offer that reached no work guidance officer is journaled as not reached (the unit\'s task still holds it)', async () => {
    const bertil = c('Bertil Berg');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'TR-SOL-OFF', initials: 'SO', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-01' });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    const caseId = (await bot.app.stores.waitingList.caseIdsByReference('TR-SOL-OFF', ['ffs']))[0]!;
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    // Both officers' offer cards are refused by the connector, every retry (4 attempts each).
    bot.connector.failNext(...Array<number>(8).fill(500));
    await bertil.submit({ providerId: 'solrosen' });
    const opened = (await bot.app.stores.journal.forCase(caseId, 1000)).filter((e) => e.step === 'a.offerOpened');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.details.notReached, 'FFS (funktionsstöd)', JSON.stringify(opened));
    assert.ok((await bot.app.stores.tasks.openInUnit('ffs')).some((t) => t.caseId === caseId), 'the offer task is open in the unit');
  });

  it('a provider\'s notice to EKU says "sent" only when a card reached EKU, and otherwise names EKU to inform another way', async () => {
    const david = c('David Dahl');
    const report = async (action: string, data: Record<string, unknown>) => {
      await david.pick({ menu: 'A' });
      await david.submit({ action });
      const r = await david.submit({ providerId: 'solrosen', ...data });
      return david.textsSince(r.before).join(' ');
    };
    // Nobody at EKU has talked to the bot yet: no card can reach them.
    for (const [action, data] of [['reportPlaces', { places: '4' }], ['reportAvailability', { availability: 'noFreePlace' }]] as const) {
      const said = await report(action, data);
      assert.ok(!said.includes('Meddelandet är skickat'), `${action}: ${said}`);
      assert.ok(said.includes('Ingen på EKU (kontrakt och uppföljning) kunde nås i Teams') && said.includes('Meddela EKU (kontrakt och uppföljning) på annat sätt'), `${action}: ${said}`);
    }
    const journal = await bot.app.stores.journal.forCase('provider:solrosen', 100);
    assert.ok(journal.some((e) => e.step === 'a.placesReported' && e.details.recipients === 0 && e.details.notReached === 'eku'), JSON.stringify(journal));
    // Once EKU has a conversation with the bot, the same notice is "sent to EKU".
    await new Chat(bot, demoPerson('Karin Kvist')).say('hej');
    const said = await report('reportAvailability', { availability: 'noFreePlace' });
    assert.ok(said.includes('Meddelandet är skickat till EKU (kontrakt och uppföljning).'), said);
  });

  it('a protected-identity case: the reply says the provider was told without any identifier, and never "the case reference"', async () => {
    const anna = c('Anna Andersson');
    await anna.pick({ menu: 'A' });
    await anna.submit({ action: 'join' });
    await anna.submit({ reference: 'TR-SKYDD-9', initials: 'ZY', protectedIdentity: 'true', providerId: 'solrosen', requestDate: '2026-11-21' });
    const r = await anna.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
    const said = anna.textsSince(r.before).join(' ');
    assert.ok(!said.includes('ärendereferensen'), `no mention of an identifier that was not sent: ${said}`);
    assert.ok(said.includes('Solrosen Daglig Verksamhet AB har fått ett meddelande') && said.includes('utan ärendereferens, initialer eller andra personuppgifter'), said);
  });
});

describe('routine A: answers that take a person out of a queue are confirmed first, and leave nothing behind', () => {
  let bot: RunningBot;
  const now = new Date('2026-11-23T09:00:00Z');
  let bertil: Chat, cecilia: Chat, david: Chat;
  before(async () => {
    bot = await startBot({ clock: () => now });
    bertil = new Chat(bot, demoPerson('Bertil Berg'));
    cecilia = new Chat(bot, demoPerson('Cecilia Carlsson'));
    david = new Chat(bot, demoPerson('David Dahl'));
    for (const x of [bertil, cecilia, david]) await x.say('hej');
  });
  after(async () => bot.stop());

  const join = async (reference: string, providerId: string, requestDate: string) => {
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference, initials: 'MU', protectedIdentity: 'false', providerId, requestDate });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: 'true' });
  };
  const release = async (providerId: string) => {
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'release' });
    await bertil.submit({ providerId });
  };

  it('"has revoked consent": a confirmation names every queue and who is told; confirmed, the person leaves every queue and every task and offer card of theirs is closed', async () => {
    const stores = bot.app.stores;
    await join('TR-MULTI-1', 'solrosen', '2026-11-18');
    await join('TR-MULTI-1', 'kvarnbyn', '2026-11-18');
    await join('TR-MULTI-2', 'solrosen', '2026-11-19');
    const [caseId] = await stores.waitingList.caseIdsByReference('TR-MULTI-1', ['ffs']);
    // A place frees at both: the same person is offered both.
    await release('kvarnbyn');
    await release('solrosen');
    const sol = (await stores.waitingList.provider('solrosen'))!.value.openOffer!;
    const kvarn = (await stores.waitingList.provider('kvarnbyn'))!.value.openOffer!;
    const offerTasks = async () => (await stores.tasks.openInUnit('ffs')).filter((t) => t.step === 'a.contactFirstInLine' && t.caseId === caseId);
    assert.equal((await offerTasks()).length, 2, 'one follow-up task per offer');
    const taken = await bertil.execute('a.offer.take', { providerId: 'solrosen', entryId: sol });
    const answer = cardActions(taken.card).find((a) => a.verb === 'a.offer.answer' && a.data?.answer === 'consentRevoked')!.data!;

    const confirm = await bertil.execute('a.offer.answer', answer);
    const text = confirm.texts.join(' ');
    assert.ok(text.includes('Bekräfta') && text.includes('kön hos Solrosen Daglig Verksamhet AB och ur 1 kö(er) till: Kvarnbyns ateljé'), text);
    assert.ok(text.includes('Solrosen Daglig Verksamhet AB och Kvarnbyns ateljé får veta att en person har lämnat kön'), text);
    assert.equal((await stores.waitingList.queue('solrosen')).length, 2, 'nothing happens before the confirmation');
    assert.ok((await stores.consents.forCase(caseId!)).every((c) => !c.revokedAt));

    const dBefore = david.sent().length;
    const button = cardActions(confirm.card).find((a) => a.verb === 'a.offer.answer' && a.data?.confirm === 'yes')!.data!;
    const done = await bertil.execute('a.offer.answer', button);
    const said = done.texts.join(' ');
    assert.ok(said.includes('Nästa i kön har erbjudits platsen') && said.includes('Personen togs också bort ur 1 kö(er) till: Kvarnbyns ateljé'), said);
    assert.ok(said.includes('Solrosen Daglig Verksamhet AB har fått ett meddelande om att en person har lämnat kön'), said);
    assert.ok(said.includes('Ingen kontaktperson hos Kvarnbyns ateljé kunde nås'), said);
    assert.ok((await stores.consents.forCase(caseId!)).every((c) => c.revokedAt), 'every consent of the case is revoked');
    assert.deepEqual(await stores.waitingList.casesOpenEntries(caseId!), [], 'in no queue any more');
    assert.equal((await stores.waitingList.provider('kvarnbyn'))!.value.openOffer, null, "Kvarnbyn's offer to the person ended");
    assert.deepEqual(await offerTasks(), [], 'no follow-up task of either offer stays open');
    await bot.connector.waitFor(() => david.sent().slice(dBefore).some((s) => cardTexts(s.activity.attachments?.[0]?.content).includes('En person har lämnat er kö')));
    // Both officers' Kvarnbyn offer cards now say the person left; the Solrosen card of the other officer says how it ended.
    for (const officer of [bertil, cecilia]) {
      const cards = bot.connector.updated.filter((u) => u.conversationId === officer.conversationId).map((u) => cardTexts(u.activity.attachments?.[0]?.content).join(' '));
      assert.ok(cards.some((x) => x.includes('Ledig plats hos Kvarnbyns ateljé') && x.includes('Personen har lämnat kön')), `${officer.person.name}: ${cards.join(' || ')}`);
    }
    const solOther = bot.connector.updated.filter((u) => u.conversationId === cecilia.conversationId).map((u) => cardTexts(u.activity.attachments?.[0]?.content).join(' '));
    assert.ok(solOther.some((x) => x.includes('Ledig plats hos Solrosen') && x.includes('Avslutat av Bertil Berg')), solOther.join(' || '));
    // The next in line at Solrosen has the one open task there.
    const next = (await stores.waitingList.provider('solrosen'))!.value.openOffer;
    assert.ok(next && next !== sol);
    // Pressed again, the confirmation does nothing more.
    const again = await bertil.execute('a.offer.answer', button);
    assert.ok(again.texts.some((t) => t.includes('redan gjort')), again.texts.join(' | '));
  });

  it('"no longer wants": a confirmation first, then only that queue is left', async () => {
    const stores = bot.app.stores;
    const entryId = (await stores.waitingList.provider('solrosen'))!.value.openOffer!;
    const caseId = (await stores.waitingList.entry('solrosen', entryId))!.value.caseId;
    const taken = await cecilia.execute('a.offer.take', { providerId: 'solrosen', entryId });
    const answer = cardActions(taken.card).find((a) => a.verb === 'a.offer.answer' && a.data?.answer === 'noLongerWants')!.data!;
    const confirm = await cecilia.execute('a.offer.answer', answer);
    assert.ok(confirm.texts.join(' ').includes('Om du bekräftar tas personen bort ur kön hos Solrosen Daglig Verksamhet AB'), confirm.texts.join(' '));
    assert.ok(await stores.waitingList.entry('solrosen', entryId), 'still queued before the confirmation');
    const done = await cecilia.execute('a.offer.answer', cardActions(confirm.card).find((a) => a.data?.confirm === 'yes')!.data!);
    assert.ok(done.texts.some((t) => t.includes('Köplatsen är avslutad')), done.texts.join(' | '));
    assert.equal(await stores.waitingList.entry('solrosen', entryId), undefined);
    assert.ok((await stores.consents.forCase(caseId)).every((c) => !c.revokedAt), 'consent stays: only the wish changed');
  });
});
