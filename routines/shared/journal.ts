import type { RoutineId } from './cases';
import type { Role, UnitId } from './organisation';

/**
 * One journal event: who did what, when, for which case. Append-only: there is no update or
 * delete anywhere. `step` is a stable code (shown through the locale catalogue); `details` holds
 * non-identifying parameters of the step.
 */
export interface JournalEvent {
  caseId: string;
  at: string;
  actorId: string;
  actorName: string;
  role: Role | 'system';
  unit: UnitId | 'system';
  routine: RoutineId | 'shared';
  step: string;
  details: Record<string, string | number | boolean>;
}

export interface Actor {
  id: string;
  name: string;
  role: Role;
  unit: UnitId;
}

export function journalEvent(caseId: string, actor: Actor, routine: JournalEvent['routine'], step: string, now: Date, details: JournalEvent['details'] = {}): JournalEvent {
  return { caseId, at: now.toISOString(), actorId: actor.id, actorName: actor.name, role: actor.role, unit: actor.unit, routine, step, details };
}
