import type { Dialog } from './botbuilderDialogs';
import type { RoutineId } from '../routines/shared/cases';
import type { StaffMember } from '../routines/shared/organisation';
import type { TurnContext } from 'botbuilder';
import type { Task } from '../routines/shared/tasks';
import type { CardAction } from './cardActions';

/**
 * One thing the menu can open: a routine (A–D) or a shared view (my tasks, roles). A routine is
 * added by writing its folder under dialogs/ and listing its feature in dialogs/features.ts;
 * the plumbing (menu, routing, invokes) does not change.
 */
export interface Feature {
  /** Menu id: the routine letter or a command name. */
  id: RoutineId | 'myTasks' | 'admin' | 'dataProtection';
  /** The dialog the menu starts; undefined while the feature is not built yet. */
  dialog?: Dialog;
  /** Who sees the entry (routines use ROUTINE_ROLES; views decide themselves). */
  visibleTo(person: StaffMember): boolean;
  /** Words that open it directly from the chat (normalised, lower case). */
  commands?: string[];
  /** Words that open it when the message starts with them, followed by an argument (e.g. "exportera journal TR-1"). */
  commandPrefixes?: string[];
  /** State-changing card buttons outside dialogs (notifications to other people). */
  cardActions?: CardAction[];
  /** Resumes the step of one of this feature's tasks ("open" in my tasks); false = not resumable. */
  resumeTask?(ctx: TurnContext, task: Task): Promise<boolean>;
  /** Carries out the effects of steps a crashed or failed turn left in the outbox (run by the sweep); how many steps. */
  relayPending?(now: Date, onError?: (err: unknown, stepId: string) => void): Promise<number>;
}
