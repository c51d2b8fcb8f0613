import { hasRole, roleFitsUnit, type RoleAssignment, type StaffMember } from './organisation';
import { accept, refuse, type Decision } from './refusal';

/** Only an admin may change the staff directory. */
export function mayManageDirectory(actor: Pick<StaffMember, 'roles'>): boolean {
  return hasRole(actor, 'admin');
}

export type DirectoryChange = { kind: 'add' | 'remove'; personId: string; personName: string; assignment: RoleAssignment };

/** Applies an admin's change to a person's roles (the person may be new to the directory). */
export function applyDirectoryChange(actor: StaffMember, target: StaffMember | undefined, change: DirectoryChange): Decision<StaffMember> {
  if (!mayManageDirectory(actor)) return refuse('notAllowed', { action: 'manageDirectory' });
  const { role, unit } = change.assignment;
  const current: StaffMember = target ?? { id: change.personId, name: change.personName, roles: [] };
  const holds = current.roles.some((r) => r.role === role && r.unit === unit);
  if (change.kind === 'add') {
    if (!roleFitsUnit(role, unit)) return refuse('roleDoesNotFitUnit', { role, unit });
    if (holds) return refuse('alreadyHasRole', { name: current.name, role, unit });
    return accept({ ...current, name: change.personName || current.name, roles: [...current.roles, { role, unit }] });
  }
  if (!holds) return refuse('doesNotHaveRole', { name: current.name, role, unit });
  if (role === 'admin' && current.id === actor.id) return refuse('cannotRemoveOwnAdmin');
  return accept({ ...current, roles: current.roles.filter((r) => !(r.role === role && r.unit === unit)) });
}
