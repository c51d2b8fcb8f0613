import { C_STEP_VERB, cardStepSubmission, referralButtonSubmission } from '../../cards/c-kompetenscenter/forms';
import { ROUTINE_ROLES } from '../../routines/shared/menu';
import { hasRole } from '../../routines/shared/organisation';
import { refuse } from '../../routines/shared/refusal';
import { cardAction } from '../cardActions';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { refusalCard } from '../refusalCard';
import { turnInfo } from '../turn';
import { KompetenscenterDialog } from './dialog';
import { KompetenscenterService } from './service';
import { confirmCoordinator } from './confirmCoordinator';
import { takeAssignment } from './takeAssignment';
import { stepOnCard } from './stepOnCard';

/**
 * Routine C: the dialog, and the buttons of the assignment card (take it), the coordinator card
 * (confirm the dialogue) and a hand-over card's step without input ('c.step'; a step with a form is
 * opened in the dialog by the card's Action.Submit, dialog.ts).
 */
export function kompetenscenterFeature(deps: DialogDeps): Feature {
  const service = new KompetenscenterService(deps);
  const relay = service.relay;
  return {
    id: 'C',
    dialog: new KompetenscenterDialog(deps, service),
    visibleTo: (p) => ROUTINE_ROLES.C.some((r) => hasRole(p, r)),
    commands: ['kompetenscenter', 'kc', 'anvisning', 'anvisning till kompetenscenter', 'referral to kompetenscenter'],
    relayPending: (now, onError) => relay.relayPending(now, onError),
    cardActions: [
      cardAction({
        verb: 'c.take',
        schema: referralButtonSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const d = await takeAssignment(deps, service, relay, person, data.referralId, t);
          return d.ok ? d.value : refusalCard(t, d);
        },
      }),
      cardAction({
        verb: 'c.coordinator.confirm',
        schema: referralButtonSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const d = await confirmCoordinator(deps, service, relay, person, data.referralId, t);
          return d.ok ? d.value : refusalCard(t, d);
        },
      }),
      cardAction({
        verb: C_STEP_VERB,
        schema: cardStepSubmission,
        async handle(ctx, data) {
          const { person, t } = turnInfo(ctx);
          if (!person) return refusalCard(t, refuse('noRole'));
          const d = await stepOnCard(deps, service, relay, person, data.referralId, data.step, t);
          return d.ok ? d.value : refusalCard(t, d);
        },
      }),
    ],
  };
}
