import type { TurnContext } from 'botbuilder';
import type { CardAttachment } from '../../cards/expand';
import type { Texts } from '../../locale';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { decisionSubmission, disagreeSubmission, invitationAnswerSubmission } from '../../cards/d-coordinated-plan/forms';
import { mayInitiate } from '../../routines/d-coordinated-plan/rules';
import { isAdministration } from '../../routines/shared/organisation';
import { refuse } from '../../routines/shared/refusal';
import { refusalCard } from '../refusalCard';
import { cardAction } from '../cardActions';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { CoordinatedPlanDialog, disagreementReply } from './coordinatedPlanDialog';
import { CoordinatedPlanService } from './service';
import { OutboxRelay } from '../outboxRelay';
import { answerInvitation } from './answerInvitation';
import { approvePlan } from './approvePlan';
import { raiseDisagreement } from './planNotices';
import { coordinatedPlanCards } from './effectCards';
import { logViews } from '../dataProtection/accessLogging';
import { planCaseId } from '../../routines/d-coordinated-plan/decisions';
import { D_STATUS_HISTORY_VERB, D_STATUS_REFRESH_VERB, statusRefreshSubmission } from '../../cards/d-coordinated-plan/status';

/** Routine D: the dialog, the buttons of the invitation and approval cards, and the refresh and history of the status card. */
export function coordinatedPlanFeature(deps: DialogDeps): Feature {
  const service = new CoordinatedPlanService(deps);
  const relay = new OutboxRelay(deps, deps.stores.plans.outbox, coordinatedPlanCards(service, deps.stores));
  /** A button of the status card that shows the plan to an owner (the initiator, her administration's supervisors). */
  const ownerCard = (verb: string, render: (ctx: TurnContext, plan: StoredPlan, version: number, reference: string | undefined, t: Texts) => CardAttachment) =>
    cardAction({
      verb,
      schema: statusRefreshSubmission,
      async handle(ctx, data) {
        const { person, t } = turnInfo(ctx);
        if (!person) return refusalCard(t, refuse('noRole'));
        const plan = await service.openFor(person, data.spId, 'owner');
        if (!plan.ok) return refusalCard(t, plan);
        return render(ctx, plan.value, data.version, await service.referenceOf(plan.value), t);
      },
    });
  return {
    id: 'D',
    dialog: new CoordinatedPlanDialog(deps, service, relay),
    visibleTo: (p) => Boolean(mayInitiate(p)) || p.roles.some((r) => r.role === 'supervisor' && isAdministration(r.unit)),
    commands: ['samordnad plan', 'sp', 'coordinated plan'],
    relayPending: (now, onError) => relay.relayPending(now, onError),
    /** "Approve the coordinated plan": shows the approval card again to a supervisor of that administration. */
    async resumeTask(ctx, task) {
      const { person, t } = turnInfo(ctx);
      const spId = task.context?.spId;
      if (!person || task.step !== 'd.approve' || !spId || !isAdministration(task.unit)) return false;
      const plan = (await deps.stores.plans.get(spId))?.value;
      if (!plan || plan.state !== 'awaitingApproval') return false;
      await ctx.sendActivity({ attachments: [await service.approvalCardFor(plan, task.unit, person, t)] });
      logViews(ctx, deps.stores, [{ caseId: planCaseId(plan), routine: 'D', view: 'd.approval', units: [task.unit] }]);
      return true;
    },
    cardActions: [
      cardAction({
        verb: 'd.invite.answer',
        schema: invitationAnswerSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await answerInvitation(deps, service, relay, person, data, t);
          return r.ok ? r.value : refusalCard(t, r);
        },
      }),
      cardAction({
        verb: 'd.plan.decide',
        schema: decisionSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await approvePlan(deps, service, relay, person, data, t);
          return r.ok ? r.value : refusalCard(t, r);
        },
      }),
      // The status card's own buttons, for an owner of the plan only (anyone else as for a plan that does not exist):
      // the Universal Actions refresh (the card as it stands now, for this viewer) and the version history.
      ownerCard(D_STATUS_REFRESH_VERB, (ctx, plan, version, reference, t) => {
        const viewer = ctx.activity.from?.id;
        return service.statusCard(plan, version, reference, t, viewer ? [viewer] : []);
      }),
      ownerCard(D_STATUS_HISTORY_VERB, (ctx, plan, version, reference, t) => {
        logViews(ctx, deps.stores, [{ caseId: planCaseId(plan), routine: 'D', view: 'd.history', units: [plan.initiatingAdministration] }]);
        return service.historyCard(plan, version, reference, t);
      }),
      cardAction({
        verb: 'd.disagree',
        schema: disagreeSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          // Answered before the cards go out (every administration told); updated if one could not be reached.
          const r = await raiseDisagreement(deps, relay, person, data.spId, data.administration, data.note, (o) => disagreementReply(t, o));
          if (!r.ok) return refusalCard(t, r);
          return disagreementReply(t, r.value);
        },
      }),
    ],
  };
}
