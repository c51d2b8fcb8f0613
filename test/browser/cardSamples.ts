import { renderActionMessageCard } from '../../cards/actionMessage';
import { renderAdminRolesCard } from '../../cards/adminRoles';
import { renderChoicesCard } from '../../cards/choices';
import type { CardAttachment } from '../../cards/expand';
import { renderMenuCard } from '../../cards/menu';
import { renderMessageCard } from '../../cards/message';
import { renderFormSummary } from '../../cards/formSummary';
import { renderTaskListCard } from '../../cards/taskList';
import { A_ACTIONS, renderActionsCard, renderConsentCard, renderJoinCard, renderPickProviderCard } from '../../cards/a-waiting-list/forms';
import { renderOfferCard } from '../../cards/a-waiting-list/offer';
import { renderDConsentCard, renderPlanCard, renderReasonCard, renderRespondCard, renderStartCard, renderTriageCard } from '../../cards/d-coordinated-plan/forms';
import { renderHistoryCard, renderStatusCard } from '../../cards/d-coordinated-plan/status';
import type { CoordinatedPlan } from '../../routines/d-coordinated-plan/rules';
import { EMPTY_REGISTER, renderDeviationCard, renderRegisterCard, renderReviewCard } from '../../cards/b-plan-review/forms';
import { cFormFields, renderCForm, renderCNotice, type CFormKind } from '../../cards/c-kompetenscenter/forms';
import { sv } from '../../locale/sv';
import { concernContacts } from '../../routines/d-coordinated-plan/contacts';
import { ADMINISTRATIONS, ROLES, unitName } from '../../routines/shared/organisation';
import { DEMO_STAFF } from '../../storage/demoData';

/**
 * Every card template with sample data, rendered by its own render function in Swedish (what
 * staff read). The data is deliberately hard to lay out: Swedish letters everywhere, the longest
 * case reference the cards accept (40 characters, no spaces), long provider names, long free text
 * and an error line, so a TextBlock that would cut text off instead of wrapping shows up.
 */
export interface CardSample {
  /** The template file in cards/templates that the render function expands. */
  template: string;
  name: string;
  card: CardAttachment;
  /** Values the rendered card must show in full (checked against the text a person sees). */
  mustShow: string[];
}

/** 40 characters (the limit of the join form) without a place to break. */
export const LONG_REFERENCE = 'TRESERVA-2026-ÅÄÖ-000000000012345678-GBG';
const INITIALS = 'ÅÖ';
const PROVIDER = 'Solrosen Daglig Verksamhet AB – Östra Göteborg, Härlanda och Örgryte';
const LONG_TEXT =
  'Önskemål om sysselsättning på förmiddagar; personen behöver stöd vid övergångar och har tidigare haft daglig verksamhet i Kortedala. Går att nå via sin gode man måndag–fredag.';
const CASE = `${LONG_REFERENCE} (${INITIALS})`;
const TODAY = '2026-11-23';
const form = { formId: 'sample.form', error: '' };
const withError = { formId: 'sample.form', error: sv.refusals.personalIdentityNumber() };

/** A plan of three administrations: both answered the invitation, FFS approved version 1, ÄVO has not decided. */
const STATUS_PLAN: CoordinatedPlan = {
  spId: 'sp-sample',
  caseId: 'case-sample',
  mode: 'consent',
  initiatorId: 'sofia',
  initiatorName: 'Sofia Sandberg',
  initiatingAdministration: 'sf-nordost',
  others: ['ffs', 'avo'],
  acuteConcern: false,
  concernReported: false,
  purpose: LONG_TEXT,
  needs: LONG_TEXT,
  questions: LONG_TEXT,
  proposedTime: '2026-11-30 kl 10',
  meetingForm: 'video',
  individualTakesPart: false,
  invitations: [
    { administration: 'ffs', answer: 'accepted', by: 'orjan', byName: 'Örjan Ärlig-Åkesson', at: '2026-11-23T09:00:00Z', note: LONG_TEXT },
    { administration: 'avo', answer: 'accepted', by: 'asa', byName: 'Åsa Öberg-Ängström', at: '2026-11-23T10:00:00Z' },
  ],
  versions: [
    {
      version: 1,
      content: { participants: 'SF Nordost, FFS, ÄVO', background: LONG_TEXT, needs: LONG_TEXT, responsibilities: LONG_TEXT, followUpDate: '2027-01-15', individualParticipation: 'Via företrädare' },
      submittedAt: '2026-11-24T09:00:00Z',
      decisions: [{ administration: 'ffs', decision: 'approved', by: 'orjan', byName: 'Örjan Ärlig-Åkesson', at: '2026-11-24T12:00:00Z' }],
    },
  ],
  state: 'awaitingApproval',
  createdAt: '2026-11-23T08:00:00Z',
};

export const CARD_SAMPLES: CardSample[] = [
  {
    template: 'menu.json',
    name: 'menu (every routine, one not yet available)',
    card: renderMenuCard({
      greeting: sv.greeting('Åsa Öberg-Ängström'),
      intro: sv.menuIntro,
      openLabel: sv.open,
      notAvailableLabel: sv.notAvailableYet,
      routines: (['A', 'B', 'C', 'D'] as const).map((r, i) => ({ id: r, name: sv.routines[r], description: sv.routineDescriptions[r], available: i !== 1 })),
      extras: [
        { id: 'myTasks', title: sv.myTasks },
        { id: 'admin', title: sv.manageRoles },
        { id: 'help', title: sv.help },
      ],
    }),
    mustShow: ['Åsa Öberg-Ängström', sv.routines.A, sv.notAvailableYet],
  },
  {
    template: 'message.json',
    name: 'message with facts (the provider card of routine A)',
    card: renderMessageCard({
      title: sv.a.providerQueueTitle,
      text: sv.a.providerQueueText(PROVIDER),
      facts: [
        { title: sv.a.caseLabel, value: LONG_REFERENCE },
        { title: sv.a.requestDate, value: TODAY },
        { title: sv.a.position, value: '12' },
      ],
    }),
    mustShow: [LONG_REFERENCE, PROVIDER],
  },
  {
    template: 'message.json',
    name: 'message, warning tone, no facts',
    card: renderMessageCard({ title: sv.notAvailableYet, text: sv.notAvailableYetLong(sv.routines.B), tone: 'warning' }),
    mustShow: [sv.routines.B],
  },
  {
    template: 'formSummary.json',
    name: 'a sent form read back (A: the join form)',
    card: renderFormSummary(
      sv,
      renderJoinCard(sv, { ...form, providers: [{ title: PROVIDER, value: 'solrosen' }], today: TODAY }),
      { formId: 'sample.form', reference: LONG_REFERENCE, initials: INITIALS, protectedIdentity: 'true', providerId: 'solrosen', requestDate: TODAY },
      { by: 'Åsa Öberg-Ängström', at: '2026-11-23T09:05:00Z' },
    ),
    mustShow: [sv.cardReceivedTitle, sv.a.joinTitle, LONG_REFERENCE, PROVIDER, 'Åsa Öberg-Ängström'],
  },
  {
    template: 'formSummary.json',
    name: 'a sent form read back (D: start, a multi-select and long free text)',
    card: renderFormSummary(
      sv,
      renderStartCard(sv, { ...form, administrations: ADMINISTRATIONS.map((a) => ({ title: unitName(a), value: a })) }),
      { formId: 'sample.form', others: 'ffs,avo', purpose: LONG_TEXT, needs: `${LONG_TEXT}\n${LONG_TEXT}`, questions: LONG_TEXT, proposedTime: '2026-11-30 kl 10', meetingForm: 'video', individualTakesPart: 'false' },
      { by: 'Åsa Öberg-Ängström', at: '2026-11-23T09:05:00Z' },
    ),
    mustShow: [sv.d.startTitle, `${unitName('ffs')}, ${unitName('avo')}`, 'Åsa Öberg-Ängström'],
  },
  {
    template: 'actionMessage.json',
    name: 'action message (places reported to EKU)',
    card: renderActionMessageCard({
      title: sv.a.placesReportTitle(PROVIDER),
      text: sv.a.placesReportText(PROVIDER, 12, sv.a.providerKinds.private ?? ''),
      facts: [{ title: sv.a.caseLabel, value: CASE }],
      button: { verb: 'a.places.forward', title: sv.a.forwardToTid, data: { providerId: 'solrosen', places: 12 } },
    }),
    mustShow: [PROVIDER, sv.a.forwardToTid],
  },
  {
    template: 'choices.json',
    name: 'routine A actions of a work guidance officer',
    card: renderActionsCard(sv, { ...form, actions: [...A_ACTIONS] }),
    mustShow: [sv.a.actions.join ?? 'join'],
  },
  {
    template: 'choices.json',
    name: 'routine D actions, titles carrying a long case label',
    card: renderChoicesCard({
      formId: 'sample.form',
      title: sv.d.actionsTitle,
      intro: sv.d.actionsIntro,
      choices: [
        { title: sv.d.newPlan, value: 'new' },
        { title: sv.d.documentPlan(sv.d.labelConsent(LONG_REFERENCE)), value: 'plan:sp1' },
        { title: sv.d.closePlan(sv.d.labelConsent(LONG_REFERENCE)), value: 'close:sp1' },
        { title: sv.d.contacts, value: 'contacts' },
      ],
    }),
    mustShow: [sv.d.documentPlan(sv.d.labelConsent(LONG_REFERENCE))],
  },
  {
    template: 'adminRoles.json',
    name: 'manage roles',
    card: renderAdminRolesCard({
      ...withError,
      title: sv.admin.title,
      intro: `${sv.admin.intro} ${sv.admin.pickPersonOrNew}`,
      labels: { existingPerson: sv.admin.existingPerson, newPersonId: sv.admin.newPersonId, newPersonName: sv.admin.newPersonName, role: sv.admin.role, unit: sv.admin.unit, add: sv.admin.add, remove: sv.admin.remove },
      people: DEMO_STAFF.map((p) => ({ title: p.name, value: p.id })),
      roles: ROLES.map((r) => ({ title: sv.roles[r], value: r })),
      units: ADMINISTRATIONS.map((u) => ({ title: unitName(u), value: u })),
    }),
    mustShow: [sv.admin.add, sv.refusals.personalIdentityNumber()],
  },
  {
    template: 'taskList.json',
    name: 'my tasks (overdue, today, later)',
    card: renderTaskListCard({
      title: sv.tasks.myTitle,
      summary: sv.tasks.unitSummary('Väntelista daglig verksamhet 2, Samordnad plan 1'),
      emptyText: sv.tasks.empty,
      tasks: [
        { days: -3, color: 'Attention' as const },
        { days: 0, color: 'Warning' as const },
        { days: 12, color: 'Default' as const },
      ].map((x, i) => ({
        taskId: `task-${i}`,
        unit: 'ffs',
        dueDate: TODAY,
        routine: 'A',
        what: `${sv.routines.A}: ${sv.steps['a.contactFirstInLine']}`,
        detail: `${LONG_REFERENCE} · ${sv.tasks.due(TODAY)}`,
        when: x.days < 0 ? sv.tasks.overdue(-x.days) : x.days === 0 ? sv.tasks.dueToday : sv.tasks.daysLeft(x.days),
        color: x.color,
        openLabel: sv.tasks.open,
      })),
    }),
    mustShow: [LONG_REFERENCE, sv.tasks.overdue(3)],
  },
  {
    template: 'taskList.json',
    name: 'my tasks (none)',
    card: renderTaskListCard({ title: sv.tasks.myTitle, summary: '', emptyText: sv.tasks.empty, tasks: [] }),
    mustShow: [sv.tasks.empty],
  },
  {
    template: 'a-join.json',
    name: 'A: put a person in a queue (with an error line)',
    card: renderJoinCard(sv, { ...withError, providers: [{ title: PROVIDER, value: 'solrosen' }], today: TODAY }),
    mustShow: [sv.a.joinTitle, sv.a.protectedIdentity, sv.refusals.personalIdentityNumber()],
  },
  {
    template: 'a-consent.json',
    name: 'A: consent to tell the provider',
    card: renderConsentCard(sv, { ...form, step1: sv.a.notSelectableInfo(PROVIDER, sv.a.status.noFreePlace ?? ''), providerName: PROVIDER, today: TODAY }),
    mustShow: [PROVIDER, sv.a.toldHowToRevoke],
  },
  {
    template: 'a-pickProvider.json',
    name: 'A: pick a provider, with places, reference and availability',
    card: renderPickProviderCard(sv, {
      ...form,
      title: sv.a.pickProviderTitle,
      intro: sv.a.offerText,
      providers: [
        { title: PROVIDER, value: 'solrosen' },
        { title: 'Majornas dagliga verksamhet', value: 'majornas' },
      ],
      askPlaces: true,
      askReference: true,
      askAvailability: true,
    }),
    mustShow: [sv.a.pickProviderTitle],
  },
  {
    template: 'a-offer.json',
    name: 'A: free place offered to the first in line (not yet taken)',
    card: renderOfferCard(sv, { providerId: 'solrosen', entryId: 'e1', providerName: PROVIDER, caseLabel: CASE, requestDate: TODAY, waitingDays: 412, takenByName: '', notReachedCount: 0 }),
    mustShow: [LONG_REFERENCE, sv.a.take],
  },
  {
    template: 'a-offer.json',
    name: 'A: offer taken, as the taker sees it',
    card: renderOfferCard(sv, { providerId: 'solrosen', entryId: 'e1', providerName: PROVIDER, caseLabel: CASE, requestDate: TODAY, waitingDays: 3, takenByName: 'Cecilia Carlsson-Åström', notReachedCount: 2, forTaker: true }),
    mustShow: ['Cecilia Carlsson-Åström', sv.a.answers.stillWants ?? ''],
  },
  {
    template: 'd-triage.json',
    name: 'D: acute concern',
    card: renderTriageCard(sv, { ...form, contacts: concernContacts().map((c) => ({ title: unitName(c.administration), value: [c.email, c.phone].filter(Boolean).join(' · ') })) }),
    mustShow: [sv.d.triageTitle],
  },
  {
    template: 'd-start.json',
    name: 'D: start a coordinated plan',
    card: renderStartCard(sv, { ...withError, administrations: ADMINISTRATIONS.map((a) => ({ title: unitName(a), value: a })) }),
    mustShow: [sv.d.startTitle],
  },
  {
    template: 'd-consent.json',
    name: 'D: consent per administration',
    card: renderDConsentCard(sv, { ...form, administrations: 'Förvaltningen för funktionsstöd och Äldre samt vård- och omsorgsförvaltningen', today: TODAY }),
    mustShow: [sv.d.consentTitle, sv.a.protectedIdentity],
  },
  {
    template: 'd-plan.json',
    name: 'D: document the plan (version 2, values kept)',
    card: renderPlanCard(sv, {
      ...form,
      version: 2,
      today: TODAY,
      values: { participants: 'Åsa Ö (SF Nordost), Örjan Ä (FFS)', background: LONG_TEXT, needs: LONG_TEXT, responsibilities: LONG_TEXT, followUpDate: TODAY, individualParticipation: 'Deltog på mötet.' },
    }),
    mustShow: [sv.d.planTitle(2)],
  },
  {
    template: 'd-status.json',
    name: "D: the initiator's status card (one approval in, one missing, a long comment)",
    card: renderStatusCard(sv, STATUS_PLAN, 1, `SP ${LONG_REFERENCE}`),
    mustShow: ['Åsa Öberg-Ängström', 'Örjan Ärlig-Åkesson', sv.d.statusMissingDecisions(unitName('avo'))],
  },
  {
    template: 'd-history.json',
    name: 'D: the version history opened from the status card',
    card: renderHistoryCard(sv, { ...STATUS_PLAN, disagreement: { raisedBy: 'asa', raisedByName: 'Åsa Öberg-Ängström', administration: 'avo', reason: LONG_TEXT, at: '2026-11-25T09:00:00Z' } }, 1, `SP ${LONG_REFERENCE}`),
    mustShow: ['Örjan Ärlig-Åkesson', sv.d.statusBack],
  },
  {
    template: 'd-reason.json',
    name: 'D: a reason',
    card: renderReasonCard(sv, { ...withError, title: sv.d.closeReason }),
    mustShow: [sv.d.closeReason],
  },
  {
    template: 'respond.json',
    name: 'D: invitation with buttons',
    card: renderRespondCard({
      title: sv.d.invitationTitle(unitName('sf-nordost')),
      text: sv.d.invitationText,
      facts: [
        { title: sv.d.facts.case, value: CASE },
        { title: sv.d.facts.needs, value: LONG_TEXT },
        { title: sv.d.facts.time, value: 'Tisdag 1 december 2026 kl. 13.00–14.30, Östra Göteborgs kontor' },
      ],
      status: '',
      noteLabel: sv.d.noteLabel,
      buttons: [
        { verb: 'd.invite.answer', title: sv.d.accept, data: { spId: 'sp1', administration: 'ffs', answer: 'accepted' } },
        { verb: 'd.invite.answer', title: sv.d.proposeOther, data: { spId: 'sp1', administration: 'ffs', answer: 'proposedOtherTime' } },
        { verb: 'd.invite.answer', title: sv.d.decline, data: { spId: 'sp1', administration: 'ffs', answer: 'declined' } },
        { verb: 'd.disagree', title: sv.d.raiseDisagreement, data: { spId: 'sp1', administration: 'ffs' } },
      ],
    }),
    mustShow: [LONG_REFERENCE, sv.d.accept],
  },
  {
    template: 'respond.json',
    name: 'D: decided approval (no buttons left)',
    card: renderRespondCard({
      title: sv.d.approvalTitle(unitName('sf-nordost'), 3),
      text: sv.d.approvalText,
      facts: [{ title: sv.d.facts.case, value: sv.a.protectedCase }],
      status: 'Godkänd av Tomas Tell (Förvaltningen för funktionsstöd) 2026-11-23 14:05.',
      noteLabel: sv.d.noteLabel,
      buttons: [],
    }),
    mustShow: [sv.a.protectedCase],
  },
  {
    template: 'b-register.json',
    name: 'B: register a home-care case (refused dates, values kept)',
    card: renderRegisterCard(sv, {
      ...form,
      providers: [{ title: PROVIDER, value: 'hemtjanst-vast' }],
      today: TODAY,
      values: { ...EMPTY_REGISTER, reference: LONG_REFERENCE, initials: INITIALS, providerId: 'hemtjanst-vast', decisionDate: '2026-11-09', executionDate: '2026-11-02', grantedHours: '12.5', previousPlan: 'earlier', lastPlanDate: '2025-01-31' },
      problem: sv.refusals.executionBeforeDecision({ decision: '2026-11-09', execution: '2026-11-02' }),
    }),
    mustShow: [sv.b.registerTitle, sv.b.previousPlan],
  },
  {
    template: 'b-register.json',
    name: 'B: register, empty',
    card: renderRegisterCard(sv, { ...form, providers: [{ title: PROVIDER, value: 'hemtjanst-vast' }], today: TODAY }),
    mustShow: [sv.b.grantedHours],
  },
  {
    template: 'b-review.json',
    name: 'B: the seven questions (second round, provider\'s note)',
    card: renderReviewCard(sv, { ...withError, label: CASE, round: 2, grantedHours: 12.5, providerNote: sv.b.providerSaid(PROVIDER, LONG_TEXT) }),
    mustShow: [LONG_REFERENCE, `3. ${sv.b.questions.participation}`, sv.b.allocatedHours],
  },
  {
    template: 'b-deviation.json',
    name: 'B: report a deviation',
    card: renderDeviationCard(sv, { ...form, facts: [{ title: sv.b.facts.case, value: CASE }, { title: sv.b.reasonLabel, value: LONG_TEXT }] }),
    mustShow: [sv.b.deviationTitle, LONG_REFERENCE],
  },
  {
    template: 'respond.json',
    name: 'B: plan returned to the provider (failed points with comments)',
    card: renderRespondCard({
      title: sv.b.returnedTitle(LONG_REFERENCE),
      text: sv.b.returnedText('Hanna Holm', unitName('avo')),
      facts: [
        { title: `3. ${sv.b.questions.participation}`, value: LONG_TEXT },
        { title: `6. ${sv.b.questions.when}`, value: sv.b.noComment },
      ],
      status: '',
      noteLabel: sv.b.noteLabel,
      buttons: [{ verb: 'b.revised', title: sv.b.revised, data: { unit: 'avo', reviewId: 'r1', round: 1 } }],
    }),
    mustShow: [LONG_REFERENCE, sv.b.revised],
  },
  {
    template: 'c-form.json',
    name: 'C: book the intake meeting (protected: via the coordinator)',
    card: renderCForm(sv, { ...withError, title: sv.c.forms.bookIntake ?? 'bookIntake', label: CASE, intro: LONG_TEXT, fields: cFormFields('bookIntake' as CFormKind, sv, { protectedIdentity: true } as never, TODAY) }),
    mustShow: [LONG_REFERENCE],
  },
  {
    template: 'c-form.json',
    name: 'C: consent to KC',
    card: renderCForm(sv, { ...form, title: 'Samtycke till Kompetenscenter', label: CASE, intro: LONG_TEXT, fields: cFormFields('consent' as CFormKind, sv, undefined, TODAY) }),
    mustShow: [LONG_REFERENCE],
  },
  {
    template: 'c-notice.json',
    name: 'C: a notice to the other party with a button',
    card: renderCNotice({ title: `Anvisning – ${LONG_REFERENCE}`, text: LONG_TEXT, facts: [{ title: 'Ärende', value: CASE }], status: 'Taget av Ivar Ivarsson 2026-11-23 10:00.', buttons: [{ verb: 'c.take', title: 'Ta uppdraget', data: { referralId: 'r1' } }], openLabel: sv.c.open }),
    mustShow: [LONG_REFERENCE],
  },
  {
    template: 'c-notice.json',
    name: 'C: a hand-over card with the next steps on it (a step taken on the card, steps whose form it opens)',
    card: renderCNotice({
      title: sv.c.noticeTitle(CASE),
      text: [sv.c.noticeText('Åsa Öberg-Ängström', sv.c.done['c.prepared'] ?? ''), sv.c.nextForYou(`${sv.c.actions.intakeHeld}; ${sv.c.actions.intakeMissed}`), sv.c.ifNeeded(sv.c.actions.event ?? '')].join('\n\n'),
      facts: [{ title: sv.c.facts.intake, value: '2026-11-30 10:00' }, { title: sv.c.facts.place, value: LONG_TEXT }],
      buttons: [{ verb: 'c.step', title: sv.c.buttons.treservaClosed, data: { referralId: 'r1', step: 'treservaClosed' } }],
      opens: [
        { title: sv.c.buttons.intakeHeld, data: { menu: 'C', referralId: 'r1', step: 'intakeHeld' } },
        { title: sv.c.buttons.intakeMissed, data: { menu: 'C', referralId: 'r1', step: 'intakeMissed' } },
      ],
      openLabel: sv.c.open,
    }),
    mustShow: [LONG_REFERENCE, 'Åsa Öberg-Ängström', sv.c.buttons.intakeHeld, sv.c.buttons.treservaClosed],
  },
];

/** The text a sample must have wrapped rather than cut: values from data, not fixed labels. */
export const WRAP_PROBES = [LONG_REFERENCE, 'Åsa Öberg-Ängström', PROVIDER];
