import { adminFeature } from './admin/manageRolesDialog';
import { dataProtectionFeature } from './dataProtection/feature';
import type { Feature } from './feature';
import { myTasksFeature } from './tasks/myTasksDialog';
import { waitingListFeature } from './a-waiting-list/feature';
import { coordinatedPlanFeature } from './d-coordinated-plan/feature';
import { planReviewFeature } from './b-plan-review/feature';
import { kompetenscenterFeature } from './c-kompetenscenter/feature';
import type { DialogDeps } from './ports';

/** Every feature of the bot, in menu order. Adding a routine = one line here plus its folder. */
export function createFeatures(deps: DialogDeps): Feature[] {
  return [waitingListFeature(deps), planReviewFeature(deps), kompetenscenterFeature(deps), coordinatedPlanFeature(deps), myTasksFeature(deps), adminFeature(deps), dataProtectionFeature(deps)];
}
