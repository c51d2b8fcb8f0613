import { strict as assert } from 'node:assert';
import { register, A_CARDS, A_RECORDS, type RegistrationState } from '../../routines/a-waiting-list/decisions';
import type { Provider } from '../../routines/a-waiting-list/rules';
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
