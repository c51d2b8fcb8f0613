import { sv } from '../../locale/sv';
import type { Texts } from '../../locale';
import { decideAction, type ActionDecision, type CardGroup } from '../../routines/c-kompetenscenter/decisions';
import type { CAction, Outcome } from '../../routines/c-kompetenscenter/rules';
import type { CaseFile } from '../../routines/shared/cases';
import { unitName, type StaffMember } from '../../routines/shared/organisation';
import { accept, type Decision } from '../../routines/shared/refusal';
import type { StoredReferral } from '../../storage/referrals';
import type { Delivery as RelayDelivery, OutboxRelay } from '../outboxRelay';
import { settingsOf, type DialogDeps } from '../ports';
import { runStep } from '../step';
import type { KompetenscenterService } from './service';

/** What a step's cards reached: the names told, the groups or people no card reached, and whether a revoked consent stopped a card to KC. */
export interface Delivery {
  told: string[];
  notReached: Array<(t: Texts) => string>;
  stoppedByConsent: boolean;
}

export interface ActionResult {
  referral: StoredReferral;
  outcome: Outcome;
  delivery: Delivery;
  /** The case file read for the step (for the reply's labels). */
  caseFile: CaseFile | undefined;
}

/** How the journal names a group nobody of which was reached (in Swedish, as every journal text). */
export const groupNames = (r: Pick<StoredReferral, 'administration'>): Record<CardGroup, string> => ({ kc: sv.c.groupKc, coordinators: sv.c.groupCoordinators, supervisors: sv.c.groupSupervisors(unitName(r.administration)) });

/**
 * Use case: one step of a referral (a form of the routine's dialog, or a card button: take the
 * assignment, confirm the dialogue, a hand-over card's step without input). Read (the referral;
 * whether KC may know of it; its case; its open tasks) → decide (`decideAction`, routines/c-kompetenscenter/decisions.ts) → commit once →
 * effects (the relay) → what the cards reached, for the reply.
 */
export async function applyAction(
  deps: DialogDeps,
  service: KompetenscenterService,
  relay: OutboxRelay,
  person: StaffMember,
  referralId: string,
  action: CAction,
  /** A card button's answer from the decision alone (sent before the effects, dialogs/step.ts). */
  reply?: (referral: StoredReferral, caseFile: CaseFile | undefined, outcome: Outcome) => { content: object },
): Promise<Decision<ActionResult>> {
  const now = deps.clock();
  const stepId = deps.newId();
  const r = await runStep(
    {
      load: () => deps.stores.referrals.get(referralId),
      context: async (referral) => {
        const [kcMayKnow, caseFile, openTasks] = await Promise.all([service.kcMayKnow(referral), service.caseOf(referral), service.openTasksOf(referral)]);
        return { kcMayKnow, caseFile, openTasks };
      },
      decide: (referral, c) =>
        decideAction(referral, { stepId, person, action, now, ...c, settings: service.settings, policy: { workingDaysBefore: settingsOf(deps).reminderWorkingDaysBefore }, groupNames: groupNames(referral) }),
      commit: (referral, etag, effects) => deps.stores.referrals.commit(referral, etag, stepId, effects, now),
      reply: reply && ((d, c) => reply(d.state, c.caseFile, d.outcome)),
    },
    relay,
  );
  if (!r.ok) return r;
  const { decision, context, delivery } = r.value;
  return accept({ referral: decision.state, outcome: decision.outcome, delivery: await reached(deps, decision, delivery), caseFile: context.caseFile });
}

/**
 * What the step's cards reached, by name: a party by their name, a group by the names of those who
 * got it (or the group's name when nobody did); a card to KC stopped by a revoked consent is said so.
 */
async function reached(deps: DialogDeps, decision: ActionDecision<StoredReferral>, delivery: RelayDelivery): Promise<Delivery> {
  const out: Delivery = { told: [], notReached: [], stoppedByConsent: false };
  const ids = decision.cards.flatMap((c) => ('group' in c.to ? (delivery.outcomes.get(c.effect)?.reached ?? []).map((x) => x.personId) : []));
  const names = new Map(ids.length ? (await deps.stores.staff.getMany([...new Set(ids)])).map((p) => [p.id, p.name]) : []);
  const r = decision.state;
  for (const card of decision.cards) {
    const o = delivery.outcomes.get(card.effect);
    if (o?.reason === 'consent') {
      out.stoppedByConsent = true;
      continue;
    }
    const to = card.to;
    if ('name' in to) {
      if (o?.delivered) out.told.push(to.name);
      else out.notReached.push(() => to.name);
      continue;
    }
    if (o?.delivered) {
      for (const x of o.reached ?? []) out.told.push(names.get(x.personId) ?? '');
      continue;
    }
    const group = to.group;
    out.notReached.push((t) => (group === 'kc' ? t.c.groupKc : group === 'coordinators' ? t.c.groupCoordinators : t.c.groupSupervisors(unitName(r.administration))));
  }
  out.told = out.told.filter(Boolean);
  return out;
}
