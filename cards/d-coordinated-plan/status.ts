import { z } from 'zod';
import { formatInstant, type Texts } from '../../locale';
import { currentVersion, type CoordinatedPlan } from '../../routines/d-coordinated-plan/rules';
import { unitName } from '../../routines/shared/organisation';
import { expandCard, type CardAttachment } from '../expand';
import template from '../templates/d-status.json';
import historyTemplate from '../templates/d-history.json';

/** The verb of the status card's Universal Actions refresh (each viewer gets the card as it stands now). */
export const D_STATUS_REFRESH_VERB = 'd.status.refresh';

/** The verb of the status card's "version history" button (the plan's versions and decisions, who and when). */
export const D_STATUS_HISTORY_VERB = 'd.status.history';

/** What the refresh and the history button send back (nothing typed by a person). */
export const statusRefreshSubmission = z.object({ spId: z.string().min(1).max(100), version: z.coerce.number().int().min(0).max(20) });

const COLORS: Record<string, string> = { established: 'Good', returned: 'Warning', closed: 'Default' };

/**
 * The initiator's status card of one plan version (`version` 0: the invitation, before any
 * version is documented): the plan's label (what the initiating administration may see, never
 * initials), each invited administration's answer to the invitation (who, when), each other
 * administration's decision on the version (approved or returned, who, when), the plan's state,
 * and what is still missing. Every word from locale/<lang>/d.ts.
 *
 * It carries a Universal Actions `refresh` (Action.Execute `d.status.refresh`); its `userIds`
 * are left empty here and filled with the recipient's Teams id where the card is sent
 * (bot/notifier.ts) or answered (the refresh's own invoke).
 */
export function renderStatusCard(t: Texts, plan: CoordinatedPlan, version: number, label: string, userIds: readonly string[] = []): CardAttachment {
  const v = version > 0 ? plan.versions.find((x) => x.version === version) : undefined;
  const latest = currentVersion(plan);
  const superseded = plan.state !== 'closed' && latest !== undefined && latest.version > (v?.version ?? 0);
  const answers = plan.invitations.map((i) =>
    i.answer ? t.d.statusAnswer(unitName(i.administration), t.d.answers[i.answer] ?? i.answer, i.byName ?? '', i.at ? formatInstant(t, i.at) : '', i.note ?? '') : t.d.statusNoAnswer(unitName(i.administration)),
  );
  const decisions = v
    ? plan.others.map((admin) => {
        const d = v.decisions.find((x) => x.administration === admin);
        return d ? t.d.decidedBy(unitName(admin), t.d.decided[d.decision] ?? d.decision, d.byName, formatInstant(t, d.at)) + (d.comment ? ` ”${d.comment}”` : '') : t.d.statusNoDecision(unitName(admin));
      })
    : [];
  const stateKey = v ? plan.state : plan.state === 'invited' || plan.state === 'closed' ? plan.state : 'invited';
  const state = superseded ? t.d.statusSuperseded(latest.version) : (t.d.statusStates[stateKey] ?? stateKey);
  const missing: string[] = [];
  if (!superseded && plan.state !== 'closed' && plan.state !== 'established') {
    // The invitation's card waits for answers; a version's card for decisions only (the meeting is behind it).
    const unanswered = v ? [] : plan.invitations.filter((i) => !i.answer).map((i) => unitName(i.administration));
    if (unanswered.length) missing.push(t.d.statusMissingAnswers(unanswered.join(', ')));
    if (v && plan.state === 'awaitingApproval') {
      const undecided = plan.others.filter((a) => !v.decisions.some((d) => d.administration === a)).map((a) => unitName(a));
      if (undecided.length) missing.push(t.d.statusMissingDecisions(undecided.join(', ')));
    }
  }
  const card = expandCard(template, {
    title: t.d.statusTitle(label),
    intro: t.d.statusIntro,
    facts: [
      { title: t.d.statusFacts.plan, value: label },
      { title: t.d.statusFacts.version, value: v ? String(v.version) : t.d.statusInvitationOnly },
    ],
    answersHeading: t.d.statusAnswersHeading,
    answers,
    decisionsHeading: v ? t.d.statusDecisionsHeading(v.version) : '',
    decisions,
    state: `${t.d.statusFacts.state}: ${state}`,
    color: superseded ? 'Default' : (COLORS[stateKey] ?? 'Accent'),
    missing: missing.length ? t.d.statusMissing(missing.join('; ')) : plan.state === 'established' && !superseded ? t.d.statusNothingMissing : '',
    // An owner may raise a disagreement (oenighet) from here while the plan runs and none is open —
    // also after her administration has decided; the reason is typed in the note.
    disagreement: plan.disagreement && !plan.disagreement.outcome ? t.d.historyDisagreement(unitName(plan.disagreement.administration), plan.disagreement.raisedByName, formatInstant(t, plan.disagreement.at), plan.disagreement.reason) : '',
    noteLabel: mayRaiseDisagreement(plan) ? t.d.disagreementReason : '',
    buttons: [
      { verb: D_STATUS_HISTORY_VERB, title: t.d.statusHistory, data: { spId: plan.spId, version } },
      ...(mayRaiseDisagreement(plan) ? [{ verb: 'd.disagree', title: t.d.raiseDisagreement, data: { spId: plan.spId, administration: plan.initiatingAdministration } }] : []),
    ],
  });
  const refresh = { action: { type: 'Action.Execute', title: t.d.statusRefresh, verb: D_STATUS_REFRESH_VERB, data: { spId: plan.spId, version } }, userIds: userIds.slice(0, 60) };
  return { ...card, content: { ...card.content, refresh } };
}

/** A disagreement can be raised while the plan runs and no other one waits for its outcome. */
export function mayRaiseDisagreement(plan: Pick<CoordinatedPlan, 'state' | 'disagreement'>): boolean {
  return plan.state !== 'closed' && !(plan.disagreement && !plan.disagreement.outcome);
}

/**
 * The version history of a plan, opened from the status card: the invitation and every answer,
 * each version with when it was sent and each decision on it (who, what, when, the comment), a
 * disagreement and its outcome, and whether the plan is closed — oldest first. Who the plan is
 * about never shows (the label only); a button leads back to the status card of `version`.
 */
export function renderHistoryCard(t: Texts, plan: CoordinatedPlan, version: number, label: string): CardAttachment {
  const at = (iso: string | undefined) => (iso ? formatInstant(t, iso) : '');
  const lines: string[] = [t.d.historyInvitation(unitName(plan.initiatingAdministration), plan.initiatorName, at(plan.createdAt))];
  for (const i of plan.invitations) if (i.answer) lines.push(`– ${t.d.statusAnswer(unitName(i.administration), t.d.answers[i.answer] ?? i.answer, i.byName ?? '', at(i.at), i.note ?? '')}`);
  for (const v of plan.versions) {
    lines.push(t.d.historyVersion(v.version, at(v.submittedAt)));
    for (const d of v.decisions) lines.push(`– ${t.d.decidedBy(unitName(d.administration), t.d.decided[d.decision] ?? d.decision, d.byName, at(d.at))}${d.comment ? ` ”${d.comment}”` : ''}`);
  }
  if (plan.disagreement) {
    const d = plan.disagreement;
    lines.push(t.d.historyDisagreement(unitName(d.administration), d.raisedByName, at(d.at), d.reason));
    if (d.outcome) lines.push(`– ${t.d.historyOutcome(d.outcome)}`);
  }
  if (plan.state === 'closed') lines.push(t.d.historyClosed);
  const card = expandCard(historyTemplate, { title: t.d.historyTitle(label), lines, back: t.d.statusBack, spId: plan.spId, version });
  return card;
}
