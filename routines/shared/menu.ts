import type { RoutineId } from './cases';
import { hasRole, type Role, type StaffMember } from './organisation';

/** Which roles take part in each routine (ROUTINES.md, "Who is who"). */
export const ROUTINE_ROLES: Record<RoutineId, readonly Role[]> = {
  A: ['workGuidanceOfficer', 'socialWorker', 'providerContact', 'contractUnit', 'placesRegistrar', 'placesResponsible'],
  B: ['careNeedsAssessor', 'socialWorker', 'providerContact', 'financeAdministrator', 'supervisor'],
  C: ['socialWorker', 'employmentConsultant', 'kcCoordinator', 'supervisor'],
  D: ['socialWorker', 'supervisor'],
};

/** The routines a person may open from the menu, in catalogue order. */
export function routinesFor(person: Pick<StaffMember, 'roles'>): RoutineId[] {
  return (Object.keys(ROUTINE_ROLES) as RoutineId[]).filter((r) => ROUTINE_ROLES[r].some((role) => hasRole(person, role)));
}
