import type { RegisterSubmission } from '../../cards/b-plan-review/forms';
import { registerReview as decideRegistration } from '../../routines/b-plan-review/decisions';
import { assessorUnits, type PlanReview } from '../../routines/b-plan-review/rules';
import type { StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import { formStepId } from '../../storage/outbox';
import type { StoredReview } from '../../storage/planReviews';
import type { OutboxRelay } from '../outboxRelay';
import { settingsOf, type DialogDeps } from '../ports';
import { runStep } from '../step';
import type { PlanReviewService } from './service';

/**
 * Use case: an assessor registers an executed decision from the registration form.
 * Read (the provider) → decide (`registerReview`, routines/b-plan-review/decisions.ts) → commit
 * once in the unit's partition (the new review and its outbox row; the step's id is the form's,
 * so the same form registers once, also after a crash) → effects by the relay: the case file, the
 * journal event, the binding follow-up task with its reminders.
 */
export async function registerReview(deps: DialogDeps, service: PlanReviewService, relay: OutboxRelay, person: StaffMember, input: RegisterSubmission): Promise<Decision<StoredReview>> {
  const now = deps.clock();
  const stepId = input.formId ? formStepId(input.formId) : deps.newId();
  const ids = { reviewId: deps.newId(), caseId: deps.newId(), code: service.newCode() };
  const { planReviews } = deps.stores;
  const r = await runStep<PlanReview | undefined, Awaited<ReturnType<typeof planReviews.provider>>, ReturnType<typeof decideRegistration> extends Decision<infer D> ? D : never>(
    {
      // Nothing exists yet: the step creates the review.
      load: async () => ({ value: undefined, etag: '' }),
      context: () => planReviews.provider(input.providerId),
      decide: (_none, provider) => decideRegistration({ stepId, person, form: input, provider, ids, now, policy: { workingDaysBefore: settingsOf(deps).reminderWorkingDaysBefore } }),
      commit: (review, _etag, effects) => planReviews.commitNew(review!, stepId, effects, now, input.formId ? { byName: person.name } : undefined),
      committedBefore: () => {
        const unit = assessorUnits(person)[0];
        return unit ? planReviews.stepRow(unit, stepId) : Promise.resolve(undefined);
      },
    },
    relay,
  );
  return r.ok ? accept(r.value.decision.state) : r;
}
