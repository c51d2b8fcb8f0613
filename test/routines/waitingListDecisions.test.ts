import { strict as assert } from 'node:assert';
import { answer, leave, register, A_CARDS, A_RECORDS, type RegistrationState } from '../../routines/a-waiting-list/decisions';
import type { Provider, QueueEntry } from '../../routines/a-waiting-list/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { recordConsent, revokeConsent, type Consent } from '../../routines/shared/consent';
import type { Actor } from '../../routines/shared/journal';
import type { JournalEffect, NotifyEffect } from '../../routines/shared/effects';

/**
 * `register` against the waiting-list routine ("Rutin för att hantera väntelista (kö) när utförare
 * av daglig verksamhet enligt LSS inte är valbar", /work/shared/seeds/000_…): "Informera den
 * enskilde om att utföraren inte är valbar", "… sätta upp sig på väntelista (kö) … om hen samtycker",
 * "Meddela den utförare som den enskilde valt", "Dokumentera i den enskildes journal",
 * "Administrera väntelista (kö) utifrån datum då meddelanden … inkommit".
 */
const now = new Date('2026-11-23T09:00:00Z');
const actor: Actor = { id: 'o1', name: 'Bertil', role: 'workGuidanceOfficer', unit: 'ffs' };
const provider = (over: Partial<Provider> = {}): Provider => ({ providerId: 'sol', name: 'Solrosen', kind: 'private', places: 3, occupied: 3, waiting: 2, openOffer: null, nextSeq: 3, responsibleUnit: 'eku', ...over });
const state = (over: Partial<RegistrationState> = {}): RegistrationState => ({ provider: provider(), alreadyQueued: false, behind: 0, ...over });
function consentFor(caseId: string, recipient = 'provider:sol'): Consent {
  const d = recordConsent({ recipients: [recipient], information: 'kö', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-22T09:00:00.000Z', toldHowToRevoke: true }, { consentId: `k-${caseId}`, caseId, routine: 'A', capturedBy: 'o1' }, now);
  assert.ok(d.ok);
  return d.value;
}
const input = (over: Partial<Parameters<typeof register>[1]> = {}) => {
  const consent = consentFor('c1');
  return { stepId: 'f-form1', actor, now, caseId: 'c1', requestDate: '2026-11-20', consent, entryId: (seq: number) => `2026-11-20-${String(seq).padStart(9, '0')}`, ...over };
};

describe('routine A decisions: register (a case joins a provider\'s queue)', () => {
  it('"sätta upp sig på väntelista": the entry at the next sequence number, the provider counting one more waiting', () => {
    const d = register(state(), input());
    assert.ok(d.ok);
    assert.equal(d.value.state.entry.entryId, '2026-11-20-000000003');
    assert.equal(d.value.state.entry.caseId, 'c1');
    assert.equal(d.value.state.entry.state, 'waiting');
    assert.equal(d.value.state.entry.consentId, 'k-c1', 'the entry names the consent it rests on');
    assert.equal(d.value.state.provider.waiting, 3);
    assert.equal(d.value.state.provider.nextSeq, 4);
  });

  it('"utifrån datum": the position counts everyone waiting but those with a later request date', () => {
    const last = register(state({ behind: 0 }), input());
    const early = register(state({ behind: 2 }), input());
    assert.ok(last.ok && early.ok);
    assert.equal(last.value.position, 3);
    assert.equal(early.value.position, 1);
  });

  it('"Dokumentera i den enskildes journal": informed, consent, queued with its position — and the provider told, consent checked when sent', () => {
    const d = register(state({ behind: 1 }), input());
    assert.ok(d.ok);
    const journal = d.value.effects.filter((e): e is JournalEffect => e.type === 'journal');
    assert.deepEqual(journal.map((j) => j.event.step), ['a.informedNotSelectable', 'a.consentRecorded', 'a.queued', 'a.providerNotified']);
    assert.ok(journal.every((j) => j.event.caseId === 'c1' && j.event.routine === 'A'));
    assert.deepEqual(journal[2]!.event.details, { provider: 'Solrosen', position: 2, requestDate: '2026-11-20' });
    assert.equal(journal[1]!.event.details['givenBy'], 'individual');
    const [card] = d.value.effects.filter((e): e is NotifyEffect => e.type === 'notify');
    assert.ok(card);
    assert.deepEqual(card.role, { role: 'providerContact', unit: 'provider:sol' });
    assert.deepEqual(card.consent, { caseId: 'c1', recipient: 'provider:sol' });
    assert.equal(card.card.kind, A_CARDS.queuedCard);
    assert.equal(card.card.data['position'], 2);
    assert.equal(d.value.providerCard, card.id);
    // Whether the provider was told is counted from the card's delivery: "a.providerNotReached" when nobody got it.
    assert.deepEqual(journal[3]!.deliveryCounts, { effect: card.id, reached: 'recipients', stepIfNone: 'a.providerNotReached' });
    assert.deepEqual(d.value.effects.map((e) => e.id), ['f-form1:1', 'f-form1:2', 'f-form1:3', 'f-form1:4', 'f-form1:5', 'f-form1:6', 'f-form1:7'], 'effect ids from the step id');
  });

  it('the consent given on the form is recorded, and the case index names the queue, before the card to the provider', () => {
    const d = register(state(), input());
    assert.ok(d.ok);
    const types = d.value.effects.map((e) => e.type);
    assert.deepEqual(types.slice(0, 2), ['recordConsent', 'record']);
    assert.ok(types.indexOf('notify') > types.indexOf('recordConsent'), 'consent is checked when the card is sent: it must be there');
    const consent = d.value.effects[0]!;
    assert.ok(consent.type === 'recordConsent' && consent.consent.consentId === 'k-c1');
    const index = d.value.effects[1]!;
    assert.ok(index.type === 'record' && index.kind === A_RECORDS.caseIndex);
    assert.deepEqual(index.data, { caseId: 'c1', providerId: 'sol', entryId: '2026-11-20-000000003', at: now.toISOString() });
    assert.equal(types.includes('createCase'), false, 'a case that existed is not created again');
  });

  it('a case named for the first time is created by the step, with its reference in the owning unit', () => {
    const caseFile = { caseId: 'c1', routine: 'A' as const, reference: 'AB-1', initials: 'KL', protectedIdentity: false, owningUnit: 'ffs' as const, createdBy: 'o1', createdAt: now.toISOString() };
    const d = register(state(), input({ newCase: caseFile }));
    assert.ok(d.ok);
    const created = d.value.effects.find((e) => e.type === 'createCase');
    assert.ok(created && created.type === 'createCase');
    assert.deepEqual(created.caseFile, caseFile);
    const ref = d.value.effects.find((e) => e.type === 'record' && e.kind === A_RECORDS.caseReference);
    assert.ok(ref && ref.type === 'record');
    assert.deepEqual(ref.data, { reference: 'AB-1', caseId: 'c1', unit: 'ffs' });
    assert.ok(d.value.effects.indexOf(created) < d.value.effects.findIndex((e) => e.type === 'notify'), 'the provider\'s card is rendered from the case file');
  });

  it('a person has one place per provider: already queued (its k| row or the old case index) is refused', () => {
    const d = register(state({ alreadyQueued: true }), input());
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.code, 'alreadyInQueue');
  });

  it('only when the provider is not selectable ("När utförare inte är valbar")', () => {
    const d = register(state({ provider: provider({ occupied: 1, waiting: 0 }) }), input());
    assert.equal(!d.ok && d.code, 'providerSelectable');
  });

  it('no request date in the future', () => {
    const d = register(state(), input({ requestDate: '2026-11-24' }));
    assert.equal(!d.ok && d.code, 'dateInFuture');
  });

  it('"om hen samtycker": without a consent covering this provider, nothing is queued', () => {
    const other = consentFor('c1', 'provider:other');
    assert.equal(register(state(), input({ consent: other })).ok, false);
    const revoked = revokeConsent(consentFor('c1'), 'o1', now);
    const r = register(state(), input({ consent: revoked.ok ? revoked.value : consentFor('x') }));
    assert.equal(r.ok, false);
  });
});

/**
 * `answer` and `leave` against the 2018 routine, "När utförare åter är valbar": "Kontakta den
 * enskilde för att höra om önskemål om att välja utföraren kvarstår", "Skicka uppdrag till
 * utföraren om fortfarande aktuellt med val"; a queue place rests on the consent.
 */
describe('routine A decisions: the answer to an offer, and leaving a queue', () => {
  const officer: StaffMember = { id: 'o1', name: 'Bertil', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] };
  const cards = [{ personId: 'o1', activityId: 'a1' }, { personId: 'o2', activityId: 'a2' }];
  const offered: QueueEntry = { entryId: 'e1', providerId: 'sol', caseId: 'c1', requestDate: '2026-11-01', seq: 1, state: 'offered', consentId: 'k-c1', registeredBy: 'o1', registeredAt: '2026-11-01T09:00:00.000Z', offer: { notReachedCount: 0, takenBy: 'o1', takenByName: 'Bertil', takenAt: '2026-11-23T08:00:00.000Z', cards, taskLabel: 'TR-1' } };
  const queue = (over: Partial<Provider> = {}) => ({ provider: provider({ occupied: 2, places: 3, waiting: 2, openOffer: 'e1', ...over }), entry: offered });
  const answerInput = (over: Partial<Parameters<typeof answer>[1]> = {}) => ({ stepId: 's1', officer, answer: 'stillWants' as const, round: 0, consents: [consentFor('c1')], now, offerFollowUpWorkingDays: 5, policy: { workingDaysBefore: 2 }, ...over });

  it('"Skicka uppdrag": still wanted, under consent — the place is taken, the provider told under consent, the next offer follows as its own step', () => {
    const d = answer(queue(), answerInput());
    assert.ok(d.ok);
    assert.equal(d.value.outcome, 'assigned');
    assert.equal(d.value.state.provider.occupied, 3);
    assert.equal(d.value.state.provider.openOffer, null);
    const card = d.value.effects.find((e): e is NotifyEffect => e.type === 'notify');
    assert.equal(card?.card.kind, A_CARDS.assignmentCard);
    assert.deepEqual(card?.consent, { caseId: 'c1', recipient: 'provider:sol' }, 'consent checked again when the assignment is sent');
    assert.equal(d.value.providerCard, card?.id);
    const types = d.value.effects.map((e) => (e.type === 'record' ? e.kind : e.type));
    assert.ok(types.includes('closeTasks') && types.includes(A_RECORDS.caseIndexRelease) && types.at(-1) === A_RECORDS.offerNext, types.join(','));
    const refresh = d.value.effects.find((e) => e.type === 'refreshCards');
    assert.ok(refresh?.type === 'refreshCards' && refresh.except === 'o1', 'every other officer\'s card shows how it ended');
    assert.equal(d.value.nextOffered, false, 'no free place after the assignment');
  });

  it('no assignment without a consent covering the provider at that moment', () => {
    assert.equal(answer(queue(), answerInput({ consents: [] })).ok, false);
  });

  it('"Nådde inte personen": the offer stays open; this round\'s follow-up closes and the next opens from today, held by the officer who tried', () => {
    const d = answer(queue(), answerInput({ answer: 'notReached' }));
    assert.ok(d.ok);
    assert.equal(d.value.outcome, 'stillOpen');
    assert.equal(d.value.state.entry.offer?.notReachedCount, 1);
    assert.equal(d.value.state.entry.offer?.lastAttemptByName, 'Bertil');
    const closed = d.value.effects.find((e) => e.type === 'closeTask');
    assert.ok(closed?.type === 'closeTask' && closed.taskId === 'a-offer-sol-e1-0', 'exactly the open round: a replay cannot close the new one');
    const opened = d.value.effects.find((e) => e.type === 'openTask');
    assert.ok(opened?.type === 'openTask');
    assert.equal(opened.task.taskId, 'a-offer-sol-e1-1');
    assert.equal(opened.task.holder, 'o1');
    assert.deepEqual(opened.task.assignee, { kind: 'role', role: 'workGuidanceOfficer', unit: 'ffs' });
    assert.equal(opened.task.caseLabel, 'TR-1', 'the label kept on the offer');
  });

  it('a card of an earlier round is stale, told who recorded the attempt', () => {
    const d = answer({ ...queue(), entry: { ...offered, offer: { ...offered.offer!, notReachedCount: 1, lastAttemptByName: 'Cecilia', lastAttemptAt: '2026-11-23T08:30:00.000Z' } } }, answerInput({ round: 0 }));
    assert.equal(!d.ok && d.code, 'alreadyDone');
    assert.equal(!d.ok && d.params['by'], 'Cecilia');
  });

  it('"Vill inte längre": the entry closes and the freed place is said to go to the next in line', () => {
    const d = answer(queue({ occupied: 2, places: 3, waiting: 3 }), answerInput({ answer: 'noLongerWants' }));
    assert.ok(d.ok);
    assert.equal(d.value.outcome, 'closed');
    assert.equal(d.value.nextOffered, true);
    assert.equal(d.value.effects.some((e) => e.type === 'notify'), false, 'the provider is not told of a person who no longer wants');
  });

  it('a revoked consent: the entry leaves, the provider learns only that an entry left (no consent needed, no case data)', () => {
    const d = leave(queue(), { stepId: 's2', actor, now, consentsRevoked: 2 });
    assert.ok(d.ok);
    assert.equal(d.value.state.provider.waiting, 1);
    assert.equal(d.value.state.provider.openOffer, null);
    const card = d.value.effects.find((e): e is NotifyEffect => e.type === 'notify');
    assert.equal(card?.card.kind, A_CARDS.entryLeftCard);
    assert.equal(card?.consent, undefined);
    assert.deepEqual(Object.keys(card?.card.data ?? {}), ['providerName']);
    const steps = d.value.effects.filter((e): e is JournalEffect => e.type === 'journal').map((j) => j.event.step);
    assert.deepEqual(steps, ['a.consentRevoked', 'a.leftQueue', 'a.providerNotified']);
    const cancelled = d.value.effects.find((e) => e.type === 'closeTasks');
    assert.ok(cancelled?.type === 'closeTasks' && cancelled.outcome === 'cancelled');
  });
});
