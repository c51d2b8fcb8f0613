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
import { PlanReviewDialog } from './planReviewDialog';
import { PlanReviewService } from './service';

/** Routine B: the dialog, and the provider's buttons (reason for a delay, plan revised). */
export function planReviewFeature(deps: DialogDeps): Feature {
  const service = new PlanReviewService(deps);
  return {
    id: 'B',
    dialog: new PlanReviewDialog(deps, service),
    visibleTo: (p) => assessorUnits(p).length > 0 || ROUTINE_ROLES.B.some((r) => hasRole(p, r)),
    commands: ['genomförandeplan', 'hemtjänst', 'implementation plan', 'home care'],
    cardActions: [
      cardAction({
        verb: 'b.delay.answer',
        schema: delayReasonSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await service.answerDelay(person, data.unit, data.reviewId, data.note, t);
          if (!r.ok) return refusalCard(t, r);
          return r.value;
        },
      }),
      cardAction({
        verb: 'b.revised',
        schema: revisedSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const r = await service.revised(person, data.unit, data.reviewId, data.round, data.note, t);
          return r.ok ? r.value : refusalCard(t, r);
        },
      }),
    ],
  };
}

