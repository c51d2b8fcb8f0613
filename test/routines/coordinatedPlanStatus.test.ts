import { strict as assert } from 'node:assert';
import { renderStatusCard } from '../../cards/d-coordinated-plan/status';
import { sv } from '../../locale/sv';
import { D_STATUS_CARDS, refreshStatusCards, sendStatusCard } from '../../routines/d-coordinated-plan/status';
import type { CoordinatedPlan } from '../../routines/d-coordinated-plan/rules';
import { Effects } from '../../routines/shared/effects';
import type { StaffMember } from '../../routines/shared/organisation';
import { cardTexts } from '../helpers/connector';

/**
 * The initiator's status card of routine D (issue 17; routines/d-coordinated-plan/status.ts and
 * cards/d-coordinated-plan/status.ts): who gets it, and what it says at each point of a plan.
 * Through /api/messages: test/e2e/routineDStatusCard.test.ts.
 */
const now = '2026-11-23T09:00:00.000Z';
const sofia: StaffMember = { id: 's', name: 'Sofia', roles: [{ role: 'socialWorker', unit: 'sf-nordost' }] };
const nils: StaffMember = { id: 'n', name: 'Nils', roles: [{ role: 'supervisor', unit: 'sf-nordost' }] };
const plan = (over: Partial<CoordinatedPlan> = {}): CoordinatedPlan => ({
  spId: 'sp1', caseId: 'c1', mode: 'consent', initiatorId: 's', initiatorName: 'Sofia', initiatingAdministration: 'sf-nordost', others: ['ffs', 'avo'],
  acuteConcern: false, concernReported: false, purpose: 'p', needs: 'n', questions: 'q', proposedTime: 't', meetingForm: 'video', individualTakesPart: false,
  invitations: [{ administration: 'ffs' }, { administration: 'avo' }], versions: [], state: 'invited', createdAt: now, ...over,
});
const content = { participants: 'x', background: 'x', needs: 'x', responsibilities: 'x', followUpDate: '2027-01-15', individualParticipation: 'x' };
const texts = (p: CoordinatedPlan, version: number) => cardTexts(renderStatusCard(sv, p, version, 'SP TR-1').content);

describe('routine D status card: who gets it', () => {
  it('the initiator and the supervisors of her administration, each card remembered on the plan; never the other administrations', () => {
    const fx = new Effects('st');
    sendStatusCard(fx, plan(), sofia, 0);
    assert.deepEqual(fx.all, [
      { type: 'notify', id: 'st:1', personId: 's', card: { kind: D_STATUS_CARDS.statusCard, data: { spId: 'sp1', version: 0 } }, remember: true, about: 'c1' },
      { type: 'notify', id: 'st:2', role: { role: 'supervisor', unit: 'sf-nordost' }, card: { kind: D_STATUS_CARDS.statusCard, data: { spId: 'sp1', version: 0 } }, remember: true, about: 'c1' },
    ]);
  });

  it('a consultation (no case) names no case: nobody is logged as having seen one', () => {
    const fx = new Effects('st');
    sendStatusCard(fx, plan({ caseId: null, mode: 'consultation' }), sofia, 0);
    assert.deepEqual(fx.all.map((e) => (e.type === 'notify' ? e.about : e.type)), [undefined, undefined]);
  });

  it('an initiator who is herself a supervisor there gets it once, through her role', () => {
    const fx = new Effects('st');
    sendStatusCard(fx, plan({ initiatorId: 'n', initiatorName: 'Nils' }), nils, 1);
    assert.deepEqual(fx.all.map((e) => (e.type === 'notify' ? e.role ?? e.personId : e.type)), [{ role: 'supervisor', unit: 'sf-nordost' }]);
  });

  it('a refresh names the plan, and the version when only that version changed', () => {
    const fx = new Effects('r');
    refreshStatusCards(fx, 'sp1', 2);
    refreshStatusCards(fx, 'sp1');
    assert.deepEqual(fx.all.map((e) => (e.type === 'refreshCards' ? e.card : e.type)), [
      { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1', version: 2 } },
      { kind: D_STATUS_CARDS.statusCards, data: { spId: 'sp1' } },
    ]);
  });
});

describe('routine D status card: what it says', () => {
  it('the invitation: who has answered (who, what) and who is still missing', () => {
    const t = texts(plan({ invitations: [{ administration: 'ffs', answer: 'accepted', by: 't', byName: 'Tomas Tell', at: now }, { administration: 'avo' }] }), 0);
    assert.ok(t.some((x) => x.startsWith('FFS (funktionsstöd): Tomas Tell accepterade')), t.join(' | '));
    assert.ok(t.some((x) => x.startsWith('Saknas: svar på kallelsen från ÄVO')), t.join(' | '));
    assert.ok(t.includes('Läge: Kallelsen är skickad'), t.join(' | '));
  });

  it('a version awaiting approval: each decision with its comment, the missing approvals; a return says to revise', () => {
    const v1 = { version: 1, content, submittedAt: now, decisions: [{ administration: 'ffs' as const, decision: 'approved' as const, by: 't', byName: 'Tomas Tell', at: now }] };
    const waiting = texts(plan({ state: 'awaitingApproval', versions: [v1] }), 1);
    assert.ok(waiting.some((x) => x.startsWith('FFS (funktionsstöd): Tomas Tell godkände')), waiting.join(' | '));
    assert.ok(waiting.some((x) => x.startsWith('Saknas: godkännande från ÄVO')), waiting.join(' | '));
    const returned = texts(plan({ state: 'returned', versions: [{ ...v1, decisions: [...v1.decisions, { administration: 'avo', decision: 'returned', comment: 'Ansvaret för boendet saknas', by: 'u', byName: 'Ulla Ulf', at: now }] }] }), 1);
    assert.ok(returned.some((x) => x.includes('Ulla Ulf') && x.includes('Ansvaret för boendet saknas')), returned.join(' | '));
    assert.ok(returned.includes('Läge: Returnerad – revidera planen och skicka igen'), returned.join(' | '));
    assert.ok(!returned.some((x) => x.startsWith('Saknas: godkännande')), 'a returned version waits for no approval');
  });

  it('a version replaced by a later one says so and asks for nothing; an established plan misses nothing', () => {
    const v = (version: number) => ({ version, content, submittedAt: now, decisions: [] });
    const old = texts(plan({ state: 'awaitingApproval', versions: [v(1), v(2)] }), 1);
    assert.ok(old.some((x) => x.includes('Ersatt av version 2')), old.join(' | '));
    assert.ok(!old.some((x) => x.startsWith('Saknas')), old.join(' | '));
    const done = texts(plan({ state: 'established', versions: [v(1)] }), 1);
    assert.ok(done.includes('Läge: Fastställd') && done.includes('Inget saknas.'), done.join(' | '));
  });

  it('carries a Universal Actions refresh of its own plan and version, for at most 60 viewers', () => {
    const card = renderStatusCard(sv, plan(), 0, 'SP TR-1', Array.from({ length: 70 }, (_, i) => `29:${i}`)).content as { refresh: { action: { verb: string; data: unknown }; userIds: string[] } };
    assert.equal(card.refresh.action.verb, 'd.status.refresh');
    assert.deepEqual(card.refresh.action.data, { spId: 'sp1', version: 0 });
    assert.equal(card.refresh.userIds.length, 60);
  });
});
