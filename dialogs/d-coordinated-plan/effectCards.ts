import { renderMessageCard } from '../../cards/message';
import { unitName, type Administration } from '../../routines/shared/organisation';
import { D_CARDS } from '../../routines/d-coordinated-plan/decisions';
import { planCode } from '../../routines/d-coordinated-plan/rules';
import { D_STATUS_CARDS } from '../../routines/d-coordinated-plan/status';
import type { CardAttachment } from '../../cards/expand';
import type { Texts } from '../../locale';
import type { CardSpec } from '../../routines/shared/effects';
import type { CardRenderer, CardRenderers } from '../outboxRelay';
import type { CaseFile } from '../../routines/shared/cases';
import type { Stores } from '../../storage';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { caseTextFrom, type CoordinatedPlanService } from './service';

/** The cards routine D's decisions send or refresh, by kind (see routines/d-coordinated-plan/decisions.ts). */
export function coordinatedPlanCards(service: CoordinatedPlanService, stores: Stores): CardRenderers {
  /**
   * A card about the plan for the people of one administration (data: spId, administration): the
   * plan and its case read once per effect; each card shows the case as its viewer may see it.
   */
  const planCard = (
    render: (plan: StoredPlan, admin: Administration, caseText: string, t: Texts, data: CardSpec['data']) => Promise<{ card: CardAttachment; summary: string }>,
    remember: NonNullable<CardRenderer['remember']>,
  ): CardRenderer => ({
    prepare: async (data) => {
      const plan = (await stores.plans.get(String(data['spId'])))?.value;
      return { plan, caseFile: plan ? await service.caseOf(plan) : undefined };
    },
    render: async (data, t, personId, viewer, prepared) => {
      const { plan, caseFile } = prepared as { plan: StoredPlan | undefined; caseFile: CaseFile | undefined };
      if (!plan) throw new Error(`plan ${String(data['spId'])} is gone`);
      const who = viewer ?? (await stores.staff.get(personId))?.value ?? { id: personId, name: '', roles: [] };
      return render(plan, String(data['administration']) as Administration, caseTextFrom(plan, caseFile, who, t), t, data);
    },
    remember,
  });
  return {
    [D_CARDS.approvalCard]: planCard(async (plan, admin, caseText, t, data) => {
      const version = Number(data['version']);
      return { card: service.approvalCard(plan, admin, version, caseText, t), summary: t.d.approvalTitle(unitName(plan.initiatingAdministration), version) };
    }, (data, sent) => service.rememberCardRefs(String(data['spId']), sent.map((s) => ({ ...s, kind: `approve:${String(data['administration'])}`, version: Number(data['version']) })))),
    [D_CARDS.invitationCard]: planCard(
      async (plan, admin, caseText, t) => ({ card: service.invitationCard(plan, admin, caseText, t), summary: t.d.invitationTitle(unitName(plan.initiatingAdministration)) }),
      (data, sent) => service.rememberCardRefs(String(data['spId']), sent.map((s) => ({ ...s, kind: `invite:${String(data['administration'])}` }))),
    ),
    [D_CARDS.allCards]: {
      refresh: (data) => service.refreshAllCards(String(data['spId'])),
    },
    [D_CARDS.consentRevokedCards]: {
      refresh: (data) => service.showConsentRevoked(String(data['spId'])),
    },
    [D_CARDS.closedNotice]: {
      render: (data, t) => {
        const from = unitName(String(data['initiatingAdministration']) as Administration);
        return { card: renderMessageCard({ title: t.d.closedNoticeTitle(from), text: [t.d.closedNotice(from, String(data['code']), String(data['byName'])), data['supportContact'] === true ? t.d.closedSupportContact : ''].filter(Boolean).join(' '), tone: 'info' }), summary: t.d.closedNoticeTitle(from) };
      },
    },
    [D_CARDS.disagreement]: {
      prepare: async (data) => (await stores.plans.get(String(data['spId'])))?.value,
      render: (data, t, _personId, _viewer, prepared) => {
        const plan = prepared as StoredPlan | undefined;
        if (!plan) throw new Error(`plan ${String(data['spId'])} is gone`);
        // The managers of every administration see no reference here: the plan's code (or the consultation's date).
        const label = plan.mode === 'consultation' ? service.label(plan, t) : planCode(plan);
        const by = `${String(data['byName'])} (${unitName(String(data['administration']) as Administration)})`;
        return { card: renderMessageCard({ title: t.d.disagreementTitle(label), text: t.d.disagreementText(by, String(data['reason'])), tone: 'warning' }), summary: t.d.disagreementTitle(label) };
      },
    },
    [D_CARDS.approvalCards]: {
      refresh: (data, except) => service.refreshApprovalCards(String(data['spId']), Number(data['version']), except),
    },
    [D_CARDS.returned]: {
      render: (data, t) => ({ card: renderMessageCard({ title: t.d.returnedTitle, text: t.d.returnedText(String(data['byName']), String(data['comment'] ?? '')), tone: 'warning' }), summary: t.d.returnedTitle }),
    },
    [D_CARDS.invitationCards]: {
      refresh: (data, except) => service.refreshInvitationCards(String(data['spId']), String(data['administration']) as Administration, except),
    },
    [D_CARDS.invitationAnswered]: {
      render: (data, t) => {
        const answer = String(data['answer']);
        const text = t.d.invitationAnswered(unitName(String(data['administration']) as Administration), t.d.answers[answer as keyof typeof t.d.answers] ?? answer, String(data['byName']), String(data['note'] ?? ''));
        return { card: renderMessageCard({ title: t.d.invitationTitle(unitName(String(data['initiatingAdministration']) as Administration)), text }), summary: t.d.invitedTitle };
      },
    },
    [D_STATUS_CARDS.statusCard]: {
      prepare: async (data) => {
        const plan = (await stores.plans.get(String(data['spId'])))?.value;
        return { plan, reference: plan ? await service.referenceOf(plan) : undefined };
      },
      render: (data, t, _personId, _viewer, prepared) => {
        const { plan, reference } = prepared as { plan: StoredPlan | undefined; reference: string | undefined };
        if (!plan) throw new Error(`plan ${String(data['spId'])} is gone`);
        return { card: service.statusCard(plan, Number(data['version']), reference, t), summary: t.d.statusTitle(service.label({ ...plan, reference }, t)) };
      },
      remember: (data, sent) => service.rememberCardRefs(String(data['spId']), sent.map((s) => ({ ...s, kind: 'status', version: Number(data['version']) }))),
    },
    [D_STATUS_CARDS.statusCards]: {
      refresh: (data) => service.refreshStatusCards(String(data['spId']), data['version'] === undefined ? undefined : Number(data['version'])),
    },
    [D_CARDS.established]: {
      render: (_data, t) => ({ card: renderMessageCard({ title: t.d.establishedTitle, text: t.d.establishedText, tone: 'good' }), summary: t.d.establishedTitle }),
    },
  };
}
