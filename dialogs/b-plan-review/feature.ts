import { delayReasonSubmission, revisedSubmission } from '../../cards/b-plan-review/forms';
import { assessorUnits } from '../../routines/b-plan-review/rules';
import { ROUTINE_ROLES } from '../../routines/shared/menu';
import { hasRole } from '../../routines/shared/organisation';
import { refuse } from '../../routines/shared/refusal';
import { cardAction } from '../cardActions';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { refusalCard } from '../refusalCard';
import { turnInfo } from '../turn';
import { answerDelay } from './answerDelay';
import { PlanReviewDialog } from './planReviewDialog';
import { reviseReturned } from './reviseReturned';
import { PlanReviewService } from './service';

/** Routine B: the dialog, and the provider's buttons (reason for a delay, plan revised). */
export function planReviewFeature(deps: DialogDeps): Feature {
  const service = new PlanReviewService(deps);
  const relay = service.relay;
  return {
    id: 'B',
    dialog: new PlanReviewDialog(deps, service, relay),
    visibleTo: (p) => assessorUnits(p).length > 0 || ROUTINE_ROLES.B.some((r) => hasRole(p, r)),
    commands: ['genomförandeplan', 'hemtjänst', 'implementation plan', 'home care'],
    relayPending: (now, onError) => relay.relayPending(now, onError),
    cardActions: [
      cardAction({
        verb: 'b.delay.answer',
        schema: delayReasonSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await answerDelay(deps, service, relay, person, data, t);
          return r.ok ? r.value : refusalCard(t, r);
        },
      }),
      cardAction({
        verb: 'b.revised',
        schema: revisedSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await reviseReturned(deps, service, relay, person, data, t);
          return r.ok ? r.value : refusalCard(t, r);
        },
      }),
    ],
  };
}

