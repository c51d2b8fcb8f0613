import { strict as assert } from 'node:assert';
import { submitPlan } from '../../dialogs/d-coordinated-plan/submitPlan';
import { revokePlanConsent } from '../../dialogs/d-coordinated-plan/revokeConsent';
import { A_ACTIONS } from '../../cards/a-waiting-list/forms';
import { actionsFor, mayAccessCase, mayViewQueue, referenceScopes } from '../../routines/a-waiting-list/rules';
import { actorOf } from '../../dialogs/a-waiting-list/service';
import { mayReview, reviewAccess } from '../../routines/b-plan-review/rules';
import { maySee, referralAccess } from '../../routines/c-kompetenscenter/rules';
import { planAccess } from '../../routines/d-coordinated-plan/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { DEMO_STAFF } from '../../storage/demoData';
import { startBot, type RunningBot } from '../helpers/app';
import { cardTexts, showsInitials } from '../helpers/connector';
import { Chat } from '../helpers/flow';
import { CLICK_CASES, ClickEnv } from './clickCases';
import { diffSnapshots, journalSteps, report, snapshotTables } from './support';

type InvokeBody = { statusCode: number; value: Record<string, unknown> };

/** What a refused press or step reads (no permission, not theirs, no longer valid, taken by someone else). */
const REFUSED = /inte behörighet|Inget ärende hittades som du har behörighet till|finns inte \(längre\)|Kortet gäller inte längre|ingen roll|redan gjort av/;
/** The one answer for a case someone may not see, whether or not it exists. */
const NOT_FOUND_OR_NOT_ALLOWED = 'Inget ärende hittades som du har behörighet till';
/** The one answer for a case, referral or plan someone has no part in, whether or not it exists (issue 14). */
const NO_PART_ANSWER = /Inget ärende hittades som du har behörighet till/;
/** Has no part at all: the access function answers 'notFoundOrNotAllowed'. */
const noPart = (d: { ok: boolean; code?: string }) => !d.ok && d.code === 'notFoundOrNotAllowed';
/** Conversation plumbing (references, dialog stacks) may change on any turn; case data may not. */
// AccessLog: the lists a person is shown before a forged choice (their own cases) are views the
// access log must record (issue 19); a refused step itself writes none (test/e2e/dataProtection.test.ts).
const PLUMBING = ['Conversations', 'BotState', 'AccessLog'];
/** Case data that changed between two snapshots (a form's one-time claim is dialog plumbing too). */
const changed = (a: Map<string, string>, b: Map<string, string>) => diffSnapshots(a, b).filter((k) => !k.startsWith('Claims/form/'));

describe('reliability: authorization matrix of routines A–D, protected identity, revoked consent', () => {
  let bot: RunningBot;
  let env: ClickEnv;
  const chats = new Map<string, Chat>();
  const chat = (p: StaffMember) => chats.get(p.id) ?? chats.set(p.id, new Chat(bot, { id: p.id, name: p.name })).get(p.id)!;

  before(async () => {
    bot = await startBot({ clock: () => new Date('2026-11-23T09:00:00Z'), proactiveSpacingMs: 0 });
    env = new ClickEnv(bot);
    for (const p of DEMO_STAFF) await chat(p).say('hej');
    await env.greetAll();
  });
  after(async () => bot.stop());

  it('refuses every card button to every demo role that must not press it, and nothing changes', async function () {
    this.timeout(120000);
    let tried = 0;
    let round = 9000;
    for (const c of CLICK_CASES) {
      const armed = await c.arm(env, round++);
      const others = DEMO_STAFF.filter((p) => !c.allowed(p, armed));
      const before = await snapshotTables(bot.prefix, { except: PLUMBING });
      for (const p of others) {
        const res = await bot.post(bot.channel.execute({ id: p.id, name: p.name }, armed.verb, armed.data));
        const texts = cardTexts((res.body as InvokeBody).value).join(' ');
        assert.equal(res.status, 200);
        assert.match(texts, REFUSED, `${c.name} pressed by ${p.name}: ${texts}`);
        tried++;
      }
      assert.deepEqual(changed(before, await snapshotTables(bot.prefix, { except: PLUMBING })), [], `${c.name}: refused presses changed nothing`);
      // The target was live all along: the one who may press it still can, once.
      const ok = await bot.post(bot.channel.execute(armed.presser, armed.verb, armed.data));
      assert.doesNotMatch(cardTexts((ok.body as InvokeBody).value).join(' '), REFUSED, `${c.name}: allowed press`);
      assert.equal(await armed.effects(), 1, `${c.name}: done once by the allowed person`);
    }
    report('authorization (card buttons)', `${CLICK_CASES.length} buttons × ${DEMO_STAFF.length} demo people: ${tried} refused presses, 0 changes; each button then worked for its own role`);
  });

  it('answers a forged or copied B, C or D button of another unit exactly as for one that does not exist, for every demo person without a part', async function () {
    this.timeout(120000);
    let tried = 0;
    let parties = 0;
    let round = 9300;
    const stores = bot.app.stores;
    /** The aggregate the button is about, and whether a person has any part in it (the routine's own access function). */
    const hasPart = async (routine: string, data: Record<string, unknown>, p: StaffMember): Promise<boolean> => {
      if (routine === 'B') return !noPart(reviewAccess(p, (await stores.planReviews.get(data.unit as 'avo', data.reviewId as string))!.value));
      if (routine === 'C') return !noPart(referralAccess((await stores.referrals.get(data.referralId as string))!.value, p));
      return !noPart(planAccess((await stores.plans.get(data.spId as string))!.value, p));
    };
    const idKey = (routine: string) => (routine === 'B' ? 'reviewId' : routine === 'C' ? 'referralId' : 'spId');
    for (const c of CLICK_CASES.filter((x) => x.routine !== 'A')) {
      const armed = await c.arm(env, round++);
      const before = await snapshotTables(bot.prefix, { except: PLUMBING });
      for (const p of DEMO_STAFF.filter((x) => !c.allowed(x, armed))) {
        const press = async (data: Record<string, unknown>) => cardTexts(((await bot.post(bot.channel.execute({ id: p.id, name: p.name }, armed.verb, data))).body as InvokeBody).value).join(' ');
        const real = await press(armed.data);
        if (await hasPart(c.routine, armed.data, p)) {
          // A party asking for another party's step may know the case exists; it is still refused.
          assert.match(real, REFUSED, `${c.name} pressed by party ${p.name}: ${real}`);
          parties++;
          continue;
        }
        const none = await press({ ...armed.data, [idKey(c.routine)]: `no-such-${round}` });
        assert.match(real, NO_PART_ANSWER, `${c.name} pressed by ${p.name}: ${real}`);
        assert.equal(real, none, `${c.name} pressed by ${p.name}: the same words whether or not it exists`);
        tried++;
      }
      assert.deepEqual(changed(before, await snapshotTables(bot.prefix, { except: PLUMBING })), [], `${c.name}: refused presses changed nothing`);
    }
    report('authorization (B–D buttons, existence)', `${tried} presses by people without a part answered exactly as for a nonexistent id; ${parties} presses by parties of another part refused`);
  });

  it('refuses every menu step of routine A to every role without it (forged choices), and nothing changes', async function () {
    this.timeout(120000);
    let tried = 0;
    let hidden = 0;
    const before = await snapshotTables(bot.prefix, { except: PLUMBING });
    for (const p of DEMO_STAFF) {
      const forbidden = A_ACTIONS.filter((a) => !actionsFor(p).includes(a));
      if (forbidden.length === 0) continue;
      const c = chat(p);
      for (const action of forbidden) {
        await c.say('avbryt');
        const mark = c.sent().length;
        await c.pick({ menu: 'A' });
        const formCard = c.sent().slice(mark).some((s) => JSON.stringify(s.activity).includes('a.form.actions'));
        if (!formCard) {
          // Routine A is not in this person's menu at all: the menu comes back instead.
          hidden++;
          tried++;
          continue;
        }
        const r = await c.submit({ action });
        const texts = [...r.texts, ...c.textsSince(r.before)].join(' ');
        assert.match(texts, REFUSED, `${p.name} forging "${action}": ${texts}`);
        tried++;
      }
    }
    assert.deepEqual(changed(before, await snapshotTables(bot.prefix, { except: PLUMBING })), [], 'refused steps changed nothing');
    report('authorization (routine A menu)', `${tried} forbidden (person, step) pairs tried over ${DEMO_STAFF.length} people × ${A_ACTIONS.length} steps (${hidden} where routine A is not offered at all): all refused, 0 changes`);
  });

  it("refuses routine A's typed case references and forged case buttons to every demo person outside the case: the same answer as for no case, nothing revealed, nothing changes", async function () {
    this.timeout(180000);
    const stores = bot.app.stores;
    // An FFS case (queued by a work guidance officer, its offer open) and an SF Centrum case (queued by Anna).
    const ffs = await env.openOffer(9950);
    const ffsCase = (await stores.cases.get(ffs.caseId))!.value;
    const anna = await env.staff('Anna Andersson');
    const now = bot.app.deps.clock();
    const sfcCase = { caseId: 'authz-sfc-9951', routine: 'A' as const, reference: 'SFC-9951', initials: 'SC', protectedIdentity: false, owningUnit: 'sf-centrum' as const, createdBy: anna.id, createdAt: now.toISOString() };
    const joined = await env.a.joinQueue(actorOf(anna), { caseFile: sfcCase, providerId: ffs.providerId, requestDate: '2026-11-21', consent: { recipients: [], information: 'kö', givenBy: 'individual', method: 'inPerson', givenAt: now.toISOString(), toldHowToRevoke: true } });
    assert.ok(joined.ok, JSON.stringify(joined));
    await stores.waitingList.indexCaseReference('SFC-9951', sfcCase.caseId, 'sf-centrum');
    const preview = await env.a.revokePreview(await env.staff('Bertil Berg'), ffs.caseId);
    assert.ok(preview.ok);
    const { entryId } = ffs;
    const secrets = ['KLICK-9950', 'SFC-9951', ffs.providerId, 'står redan i kö'];
    const before = await snapshotTables(bot.prefix, { except: PLUMBING });
    let typed = 0;
    let buttons = 0;
    let hidden = 0;
    for (const p of DEMO_STAFF) {
      const c = chat(p);
      const press = async (verb: string, data: Record<string, unknown>) => cardTexts(((await bot.post(bot.channel.execute({ id: p.id, name: p.name }, verb, data))).body as InvokeBody).value).join(' ');
      for (const target of [ffsCase, sfcCase]) {
        if (mayAccessCase(p, target, 'revoke')) continue;
        // Typed reference: "register revoked consent" with another unit's reference, and with a reference nobody has.
        if (actionsFor(p).includes('revoke')) {
          const answers: string[] = [];
          for (const reference of [target.reference, 'OKAND-9952']) {
            await c.say('avbryt');
            await c.pick({ menu: 'A' });
            await c.submit({ action: 'revoke' });
            const r = await c.submit({ reference });
            // The sent form is read back (cards/formSummary.ts): the reference the person typed, and nothing else of it.
            assert.ok(r.texts.includes(reference), `${p.name}: the form read back shows what was typed`);
            const seen = [...r.texts.filter((x) => x !== reference), ...c.textsSince(r.before)].join(' ');
            assert.ok(seen.includes(NOT_FOUND_OR_NOT_ALLOWED), `${p.name} typing ${reference}: ${seen}`);
            assert.ok(!c.sent().slice(r.before).some((x) => JSON.stringify(x.activity).includes('a.revoke.confirm')), `${p.name}: no confirmation for ${reference}`);
            for (const secret of secrets) assert.ok(!seen.includes(secret), `${p.name} learns nothing (${secret}): ${seen}`);
            answers.push(seen);
            typed++;
          }
          assert.equal(answers[0], answers[1], `${p.name}: another unit's case and no case get the same answer`);
        } else hidden++;
        // A copied or forged confirmation button, for the real case and for no case: the same answer.
        const real = await press('a.revoke.confirm', { caseId: target.caseId, confirmId: `forged-${p.id}`, version: preview.value.version });
        const none = await press('a.revoke.confirm', { caseId: 'no-such-case', confirmId: `forged-${p.id}-2`, version: preview.value.version });
        assert.ok(real.includes(NOT_FOUND_OR_NOT_ALLOWED), `${p.name} pressing a forged confirmation: ${real}`);
        assert.equal(real, none, `${p.name}: a forged confirmation reveals nothing`);
        buttons += 2;
      }
      // Offer buttons copied from an officer's card, against the open offer and against no entry: the same answer.
      if (!mayAccessCase(p, ffsCase, 'offer')) {
        for (const [verb, extra] of [['a.offer.take', {}], ['a.offer.answer', { answer: 'consentRevoked' }]] as const) {
          const real = await press(verb, { providerId: ffs.providerId, entryId, ...extra });
          const none = await press(verb, { providerId: ffs.providerId, entryId: 'no-such-entry', ...extra });
          assert.ok(real.includes(NOT_FOUND_OR_NOT_ALLOWED), `${p.name} pressing ${verb}: ${real}`);
          assert.equal(real, none, `${p.name}: ${verb} reveals nothing`);
          buttons += 2;
        }
      }
      // A forged queue view of a provider that is not theirs shows none of its entries.
      if (actionsFor(p).includes('queue') && !mayViewQueue(p, ffs.providerId)) {
        await c.say('avbryt');
        await c.pick({ menu: 'A' });
        await c.submit({ action: 'queue' });
        const r = await c.submit({ providerId: ffs.providerId });
        const seen = [...r.texts, ...c.textsSince(r.before)].join(' ');
        assert.match(seen, REFUSED, `${p.name} forging the queue view`);
        for (const secret of secrets) assert.ok(!seen.includes(secret), `${p.name} sees nothing of the queue (${secret})`);
        typed++;
      }
    }
    assert.deepEqual(changed(before, await snapshotTables(bot.prefix, { except: PLUMBING })), [], 'refused steps changed nothing');
    assert.ok((await stores.consents.forCase(ffs.caseId)).every((x) => !x.revokedAt), 'the FFS case keeps its consent');
    assert.equal((await stores.waitingList.queue(ffs.providerId)).length, 2, 'both still queued');

    // Joining the queue with another unit's reference finds nothing of that case: no "already in the queue"; the social worker's own new case is queued.
    let joins = 0;
    for (const p of DEMO_STAFF.filter((x) => actionsFor(x).includes('join'))) {
      for (const target of [ffsCase, sfcCase]) {
        if (mayAccessCase(p, target, 'register')) continue;
        const c = chat(p);
        await c.say('avbryt');
        await c.pick({ menu: 'A' });
        await c.submit({ action: 'join' });
        await c.submit({ reference: target.reference, initials: 'OT', protectedIdentity: 'false', providerId: ffs.providerId, requestDate: '2026-11-22' });
        const r = await c.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-22', toldHowToRevoke: 'true' });
        const seen = c.textsSince(r.before).join(' ');
        assert.ok(!seen.includes('står redan i kö') && seen.includes('står i kö hos'), `${p.name} joining with ${target.reference}: ${seen}`);
        const own = await stores.waitingList.caseIdsByReference(target.reference, referenceScopes(p));
        const mine = (await Promise.all(own.map(async (id) => (await stores.cases.get(id))!.value))).filter((x) => mayAccessCase(p, x, 'register'));
        assert.equal(mine.length, 1, `${p.name} has a case of their own`);
        assert.notEqual(mine[0]!.caseId, target.caseId);
        joins++;
      }
    }
    assert.ok((await stores.consents.forCase(ffs.caseId)).every((x) => !x.revokedAt) && (await stores.consents.forCase(sfcCase.caseId)).every((x) => !x.revokedAt), 'the cases of others are untouched');
    report('authorization (routine A case steps)', `${typed} typed references and forged queue views, ${buttons} forged case buttons (confirmation, take, answer) by every demo person outside the case (${hidden} without the step in their menu): all "${NOT_FOUND_OR_NOT_ALLOWED}", the same as for no case, 0 changes; ${joins} joins with another unit's reference found nothing of it`);
  });

  it("refuses routine D's steps on someone else's plan (forged choices), and nothing changes", async function () {
    this.timeout(120000);
    const spId = await env.plan(9500, 'invited');
    const plan = (await bot.app.stores.plans.get(spId))!.value;
    const before = await snapshotTables(bot.prefix, { except: PLUMBING });
    let tried = 0;
    let hidden = 0;
    for (const p of DEMO_STAFF.filter((x) => x.name !== 'Sofia Sandberg')) {
      const c = chat(p);
      for (const kind of ['plan', 'close', 'disagree', 'outcome', 'revoke']) {
        await c.say('avbryt');
        const mark = c.sent().length;
        await c.pick({ menu: 'D' });
        if (!c.sent().slice(mark).some((s) => JSON.stringify(s.activity).includes('d.form.choice'))) {
          // Routine D is not in this person's menu at all.
          hidden++;
          tried++;
          continue;
        }
        const r = await c.submit({ action: `${kind}:${spId}` });
        const seen = [...r.texts, ...c.textsSince(r.before)].join(' ');
        assert.match(seen, REFUSED, `${p.name} forging ${kind}`);
        // Someone with no part in the plan learns nothing of it (issue 14).
        if (noPart(planAccess(plan, p))) assert.match(seen, NO_PART_ANSWER, `${p.name} forging ${kind}: ${seen}`);
        tried++;
      }
    }
    assert.deepEqual(changed(before, await snapshotTables(bot.prefix, { except: PLUMBING })), [], 'refused steps changed nothing');
    report('authorization (routine D steps)', `${tried} forbidden (person, step) pairs on another's plan over ${DEMO_STAFF.length - 1} people × 5 steps (${hidden} where routine D is not offered at all): all refused, 0 changes`);
  });

  it("refuses routine B's steps on a case of another administration or by a role that does not review (forged choices), and nothing changes", async function () {
    this.timeout(120000);
    const { reviewId } = await env.review(9600, 'returned');
    const missing = await env.review(9601, 'planMissing');
    const review = (await bot.app.stores.planReviews.get('avo', reviewId))!.value;
    const before = await snapshotTables(bot.prefix, { except: PLUMBING });
    let tried = 0;
    let hidden = 0;
    for (const p of DEMO_STAFF.filter((x) => !mayReview(x, review))) {
      const c = chat(p);
      for (const action of [`review:avo:${reviewId}`, `missing:avo:${reviewId}`, `deviation:avo:${missing.reviewId}`, `review:avo:${missing.reviewId}`]) {
        await c.say('avbryt');
        const mark = c.sent().length;
        await c.pick({ menu: 'B' });
        if (!c.sent().slice(mark).some((s) => JSON.stringify(s.activity).includes('b.form.choice'))) {
          // No choice card: routine B is not in this person's menu, or it has a single view (provider, finance).
          hidden++;
          tried++;
          continue;
        }
        const r = await c.submit({ action });
        const seen = [...r.texts, ...c.textsSince(r.before)].join(' ');
        assert.match(seen, REFUSED, `${p.name} forging ${action}`);
        if (noPart(reviewAccess(p, review))) assert.match(seen, NO_PART_ANSWER, `${p.name} forging ${action}: ${seen}`);
        tried++;
      }
    }
    assert.deepEqual(changed(before, await snapshotTables(bot.prefix, { except: PLUMBING })), [], 'refused steps changed nothing');
    report('authorization (routine B steps)', `${tried} forbidden (person, step) pairs on ÄVO's cases over the people who may not review them × 4 steps (${hidden} without a choice card): all refused, 0 changes`);
  });

  it("refuses routine C's steps and status on someone else's referral (forged choices), and nothing changes", async function () {
    this.timeout(120000);
    const r = await env.referral(9700, 'assigned');
    const before = await snapshotTables(bot.prefix, { except: PLUMBING });
    const kinds = ['status', 'act:bookIntake', 'act:event', 'act:disagreement', 'act:announceClose', 'act:renew'];
    let tried = 0;
    let hidden = 0;
    for (const p of DEMO_STAFF.filter((x) => !maySee(r, x))) {
      const c = chat(p);
      for (const kind of kinds) {
        await c.say('avbryt');
        const mark = c.sent().length;
        await c.pick({ menu: 'C' });
        if (!c.sent().slice(mark).some((s) => JSON.stringify(s.activity).includes('c.form.choice'))) {
          hidden++;
          tried++;
          continue;
        }
        const [what, step] = kind.split(':');
        const res = await c.submit({ action: step ? `${what}:${r.referralId}:${step}` : `${what}:${r.referralId}` });
        const seen = [...res.texts, ...c.textsSince(res.before)].join(' ');
        assert.match(seen, REFUSED, `${p.name} forging ${kind}`);
        assert.ok(!seen.includes('KC-9700'), `${p.name} sees nothing of the referral`);
        if (noPart(referralAccess(r, p))) assert.match(seen, NO_PART_ANSWER, `${p.name} forging ${kind}: ${seen}`);
        tried++;
      }
    }
    assert.deepEqual(changed(before, await snapshotTables(bot.prefix, { except: PLUMBING })), [], 'refused steps changed nothing');
    report('authorization (routine C steps)', `${tried} forbidden (person, step) pairs on SF Centrum's referral over the people who may not see it × ${kinds.length} steps (${hidden} where routine C is not offered): all refused, 0 changes`);
  });

  it('shows no initials or reference of a protected-identity case on a provider card or another administration\'s card', async function () {
    this.timeout(60000);
    const bertil = env.chat('Bertil Berg');
    const david = chat(DEMO_STAFF.find((p) => p.name === 'David Dahl')!);
    const davidBefore = david.sent().length;
    await bertil.say('avbryt');
    await bertil.pick({ menu: 'A' });
    await bertil.submit({ action: 'join' });
    await bertil.submit({ reference: 'SKYDD-0001', initials: 'QZ', protectedIdentity: 'true', providerId: 'solrosen', requestDate: '2026-11-20' });
    await bertil.submit({ consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' });
    const providerCards = david.sent().slice(davidBefore).map((s) => JSON.stringify(s.activity));
    assert.ok(providerCards.length > 0, 'the provider was told');
    for (const c of providerCards) assert.ok(!c.includes('SKYDD-0001') && !showsInitials(c, 'QZ'), `provider card: ${c}`);

    const sofia = env.chat('Sofia Sandberg');
    const tomas = env.chat('Tomas Tell');
    const tomasBefore = tomas.sent().length;
    await sofia.say('avbryt');
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no', reportMade: 'false' });
    await sofia.submit({ others: 'ffs', purpose: 'Samordna stöd', needs: 'Boende', questions: 'Vem gör vad?', proposedTime: 'måndag 10:00', meetingForm: 'video', individualTakesPart: 'false' });
    await sofia.submit({ consent: 'yes', reference: 'SKYDD-0002', initials: 'XY', names: '', protectedIdentity: 'true', information: 'Behov', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' });
    const invitations = tomas.sent().slice(tomasBefore).map((s) => JSON.stringify(s.activity));
    assert.ok(invitations.length > 0, 'FFS was invited');
    for (const c of invitations) assert.ok(!c.includes('SKYDD-0002') && !c.includes('"XY') && !c.includes('(XY)'), `invitation to another administration: ${c}`);
    report('protected identity', `${providerCards.length} provider card(s) and ${invitations.length} card(s) to another administration checked: no reference, no initials`);
  });

  it('stops every notification that needed consent once it is revoked', async function () {
    this.timeout(60000);
    // Routine A: queued with consent, then revoked: the person leaves the queue, the provider learns only that an entry left, and no offer or assignment card follows.
    const stores = bot.app.stores;
    const { providerId, entryId, caseId } = await env.openOffer(9900);
    // The case is FFS's own: its work guidance officer records the revocation and confirms it.
    const officer = env.chat('Bertil Berg');
    await officer.say('avbryt');
    await officer.pick({ menu: 'A' });
    await officer.submit({ action: 'revoke' });
    await officer.submit({ reference: 'KLICK-9900' });
    await officer.execute('a.revoke.confirm', env.button('Bertil Berg', 'a.revoke.confirm', (d) => d.caseId === caseId));
    const anna = env.chat('Anna Andersson');
    const consents = await stores.consents.forCase(caseId);
    assert.ok(consents.length > 0 && consents.every((c) => c.revokedAt), 'consent revoked');
    assert.equal((await stores.waitingList.queue(providerId)).length, 0, 'left the queue');
    const bertil = await env.staff('Bertil Berg');
    await env.takeOffer(bertil, providerId, entryId);
    const answer = await env.a.answerOffer(bertil, providerId, entryId, 'stillWants');
    assert.equal(answer.ok, false, 'no assignment can be sent');
    assert.equal((await stores.waitingList.provider(providerId))!.value.openOffer, null, 'the offer closed with the entry');
    // Routine D: a consent-mode plan, consent revoked before the plan is submitted: no approval card reaches the other administration.
    const sofia = env.chat('Sofia Sandberg');
    const tomas = env.chat('Tomas Tell');
    await sofia.say('avbryt');
    await sofia.pick({ menu: 'D' });
    await sofia.submit({ action: 'new' });
    await sofia.submit({ acuteConcern: 'no', reportMade: 'false' });
    await sofia.submit({ others: 'ffs', purpose: 'Samordna stöd', needs: 'Boende', questions: 'Vem gör vad?', proposedTime: 'måndag 10:00', meetingForm: 'video', individualTakesPart: 'false' });
    await sofia.submit({ consent: 'yes', reference: 'SAMTYCKE-1', initials: 'SA', names: '', protectedIdentity: 'false', information: 'Behov', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' });
    const plan = (await stores.plans.byInitiator(env.chat('Sofia Sandberg').person.id)).find((p) => p.caseId && p.state === 'invited' && p.mode === 'consent')!;
    const revoked = await revokePlanConsent(env.bot.app.deps, env.d, env.dRelay, await env.staff('Sofia Sandberg'), plan.spId);
    assert.ok(revoked.ok && revoked.value > 0);
    const tomasBefore = tomas.sent().length;
    const submitted = await submitPlan(env.bot.app.deps, env.d, env.dRelay, await env.staff('Sofia Sandberg'), plan.spId, { participants: 'SF Nordost, FFS', background: 'B', needs: 'N', responsibilities: 'R', followUpDate: '2027-01-15', individualParticipation: 'Deltog' });
    assert.ok(submitted.ok);
    assert.deepEqual(submitted.value.noConsent, ['ffs'], 'the approval card was stopped for FFS');
    assert.equal(tomas.sent().length, tomasBefore, 'nothing reached FFS');
    // Routine C: consent to KC revoked from the routine's menu after the consultant took the assignment: a step of the social worker tells KC nothing.
    const referral = await env.referral(9800, 'assigned');
    const ivar = env.chat('Ivar Ivarsson');
    const taken = await env.c.apply(await env.staff('Ivar Ivarsson'), referral.referralId, { kind: 'take' });
    assert.ok(taken.ok);
    await anna.say('avbryt');
    await anna.pick({ menu: 'C' });
    const askC = await anna.submit({ action: `revoke:${referral.referralId}` });
    // Destructive: a confirmation card first, naming whom it affects.
    assert.ok(anna.textsSince(askC.before).some((x) => x.includes('Ivar Ivarsson (Kompetenscenter)')), anna.textsSince(askC.before).join(' | '));
    const revokedC = await anna.submit({ action: 'yes' });
    assert.ok(anna.textsSince(revokedC.before).some((x) => x.includes('Samtycket till Kompetenscenter är återkallat')), anna.textsSince(revokedC.before).join(' | '));
    assert.ok((await stores.consents.forCase(referral.caseId)).every((c) => c.revokedAt), 'every consent of the case revoked');
    const ivarBefore = ivar.sent().length;
    // Booking the intake would tell the consultant the time and place.
    const booked = await env.c.apply(await env.staff('Anna Andersson'), referral.referralId, { kind: 'bookIntake', at: '2026-11-30T10:00', place: 'KC Centrum', interpreter: '', clientTold: true, viaCoordinator: false });
    assert.ok(booked.ok, JSON.stringify(booked));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ivar.sent().length, ivarBefore, 'nothing reached KC after the revocation');
    assert.equal((await journalSteps(stores, referral.caseId)).get('c.consentRevoked'), 1, 'the revocation is journaled');
    // The reminder sweep, too, checks consent at sending: nothing about this case goes out.
    const sweepBefore = bot.connector.sent.length;
    await bot.app.sweep.run(new Date('2027-06-01T08:00:00Z'));
    // Reminders to the case's own social worker need no consent; nothing may reach anyone else.
    const own = sofia.conversationId;
    const swept = bot.connector.sent.slice(sweepBefore);
    const leaked = swept.filter((s) => s.conversationId !== own && /SAMTYCKE-1|KLICK-9900/.test(JSON.stringify(s.activity)));
    const toKc = swept.filter((s) => s.conversationId === ivar.conversationId && JSON.stringify(s.activity).includes('KC-9800'));
    assert.deepEqual(toKc, [], 'no reminder about the revoked C case reaches the consultant');
    assert.deepEqual(leaked.map((s) => s.conversationId), [], 'no reminder about the revoked cases outside the owning social worker');
    report('revoked consent', `routine A: queue left, no offer or assignment possible; routine D: approval card to the other administration stopped; routine C: revoked from the menu, KC told nothing more; reminder sweep sent ${swept.length} cards, none about either case to anyone but the owning social worker`);
  });
});
