import { adminFeature } from './admin/manageRolesDialog';
import type { Feature } from './feature';
import { myTasksFeature } from './tasks/myTasksDialog';
import { waitingListFeature } from './a-waiting-list/feature';
import { coordinatedPlanFeature } from './d-coordinated-plan/feature';
import { kompetenscenterFeature } from './c-kompetenscenter/feature';
import type { DialogDeps } from './ports';
import { ROUTINE_ROLES } from '../routines/shared/menu';
import { hasRole } from '../routines/shared/organisation';
import type { RoutineId } from '../routines/shared/cases';

/** A routine entry that is shown in the menu but not built yet. */
function notBuilt(id: RoutineId): Feature {
  return { id, visibleTo: (p) => ROUTINE_ROLES[id].some((r) => hasRole(p, r)) };
}

/** Every feature of the bot, in menu order. Adding a routine = one line here plus its folder. */
export function createFeatures(deps: DialogDeps): Feature[] {
  return [waitingListFeature(deps), notBuilt('B'), kompetenscenterFeature(deps), coordinatedPlanFeature(deps), myTasksFeature(deps), adminFeature(deps)];
}
