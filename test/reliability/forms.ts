import type { RunningBot } from '../helpers/app';
import { demoPerson } from '../helpers/app';
import { Chat } from '../helpers/flow';
import { PlanReviewService } from '../../dialogs/b-plan-review/service';
import { KompetenscenterService } from '../../dialogs/c-kompetenscenter/service';

/**
 * Every dialog form of the routines as data: who fills it in, how to reach it, and a valid
 * submission. The input tests fuzz each one, put oversized text and personal identity numbers in
 * each free-text field. Routines B and C add their forms here, one entry each.
 */
export interface FormCase {
  name: string;
  person: string;
  /** Walks the person's chat to the form (from any state). */
  reach(chat: Chat, bot: RunningBot): Promise<void>;
  valid: Record<string, string>;
  /** Fields a person types freely (checked for oversized text and personal identity numbers). */
  freeText: string[];
}

const consentA = { consent: 'yes', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' };
const startD = { others: 'ffs', purpose: 'Samordna stöd', needs: 'Boende och sysselsättning', questions: 'Vem gör vad?', proposedTime: 'måndag 10:00', meetingForm: 'video', individualTakesPart: 'true' };
const consentD = { consent: 'yes', reference: 'TR-IN-0001', initials: 'IN', names: '', protectedIdentity: 'false', information: 'Behov och insatser', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-20', toldHowToRevoke: 'true' };

async function reachD(chat: Chat, action: string): Promise<void> {
  await chat.say('avbryt');
  await chat.pick({ menu: 'D' });
  await chat.submit({ action });
}

/** Each person's plan to document (created once through the dialog, reused while open). */
const planActions = new Map<string, string>();
async function ensurePlan(chat: Chat, bot: RunningBot): Promise<string> {
  const planAction = planActions.get(chat.person.id);
  if (planAction) {
    const open = (await bot.app.stores.plans.byInitiator(chat.person.id)).find((p) => `plan:${p.spId}` === planAction && (p.state === 'invited' || p.state === 'returned'));
    if (open) return planAction;
  }
  await reachD(chat, 'new');
  await chat.submit({ acuteConcern: 'no', reportMade: 'false' });
  await chat.submit(startD);
  const r = await chat.submit({ ...consentD, reference: 'TR-IN-PLAN' });
  const sent = chat.textsSince(r.before);
  const plans = (await bot.app.stores.plans.byInitiator(chat.person.id)).filter((p) => p.state === 'invited').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!plans[0]) throw new Error(`no plan was created: ${[...r.texts, ...sent].join(' | ')}`);
  planActions.set(chat.person.id, `plan:${plans[0].spId}`);
  return `plan:${plans[0].spId}`;
}

/** A fresh home-care case of Hanna's (optionally with the plan recorded as missing), opened from the routine's menu. */
async function reachB(chat: Chat, bot: RunningBot, kind: 'review' | 'deviation'): Promise<void> {
  const b = new PlanReviewService(bot.app.deps);
  const hanna = (await bot.app.stores.staff.get(chat.person.id))!.value;
  const r = await b.register(hanna, { formId: `reg-${Math.random().toString(36).slice(2, 10)}`, reference: `HEM-IN-${Math.random().toString(36).slice(2, 8)}`, initials: 'HI', protectedIdentity: false, providerId: 'hemtjanst-vast', decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: 10, previousPlan: 'never', lastPlanDate: '' });
  if (!r.ok) throw new Error(`arrange: ${r.code}`);
  if (kind === 'deviation') await b.planMissing(hanna, 'avo', r.value.reviewId);
  await chat.say('avbryt');
  await chat.pick({ menu: 'B' });
  await chat.submit({ action: `${kind}:avo:${r.value.reviewId}` });
}

/** A fresh referral of Anna's brought to the assignment step, opened from the routine's menu. */
async function reachAssignment(chat: Chat, bot: RunningBot): Promise<void> {
  const c = new KompetenscenterService(bot.app.deps);
  const anna = (await bot.app.stores.staff.get(chat.person.id))!.value;
  const created = await c.create(anna, { formId: `kc-${Math.random().toString(36).slice(2, 10)}`, reference: `KC-IN-${Math.random().toString(36).slice(2, 8)}`, initials: 'KI', protectedIdentity: false, unemployed: true, withinThreeYears: true } as never);
  if (!created.ok) throw new Error(`arrange: ${created.code}`);
  const id = created.value.referralId;
  await c.apply(anna, id, { kind: 'af', ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' });
  await c.consent(anna, id, { formId: 'x', information: 'Behov', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: true, workPlanUpdatedOn: '2026-11-23' } as never);
  await c.apply(anna, id, { kind: 'decide', decisionDate: '2026-11-23', communicated: true });
  await chat.say('avbryt');
  await chat.pick({ menu: 'C' });
  await chat.submit({ action: `act:${id}:assign` });
}

const reviewAnswers = { q1: 'yes', q2: 'yes', q3: 'yes', q4: 'yes', q5: 'yes', q6: 'yes', q7: 'no', c1: '', c2: '', c3: '', c4: '', c5: '', c6: '', c7: 'Hur insatserna utförs saknas', allocatedHours: '10' };

export const FORM_CASES: FormCase[] = [
  {
    name: 'A: join a queue',
    person: 'Bertil Berg',
    async reach(chat) {
      await chat.say('avbryt');
      await chat.pick({ menu: 'A' });
      await chat.submit({ action: 'join' });
    },
    valid: { reference: 'TR-IN-A1', initials: 'AB', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' },
    freeText: ['reference', 'initials'],
  },
  {
    name: 'A: consent to tell the provider',
    person: 'Bertil Berg',
    async reach(chat) {
      await FORM_CASES[0]!.reach(chat, undefined as never);
      await chat.submit({ reference: `TR-IN-${Math.random().toString(36).slice(2, 8)}`, initials: 'AB', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
    },
    valid: consentA,
    freeText: [],
  },
  {
    name: 'A: revoked consent (case reference)',
    person: 'Anna Andersson',
    async reach(chat) {
      await chat.say('avbryt');
      await chat.pick({ menu: 'A' });
      await chat.submit({ action: 'revoke' });
    },
    valid: { reference: 'TR-NONE-1' },
    freeText: ['reference'],
  },
  {
    name: 'D: start a coordinated plan',
    person: 'Sofia Sandberg',
    async reach(chat) {
      await reachD(chat, 'new');
      await chat.submit({ acuteConcern: 'no', reportMade: 'false' });
    },
    valid: startD,
    freeText: ['purpose', 'needs', 'questions', 'proposedTime'],
  },
  {
    name: 'D: consent for the other administrations',
    person: 'Sofia Sandberg',
    async reach(chat) {
      await FORM_CASES[3]!.reach(chat, undefined as never);
      await chat.submit(startD);
    },
    valid: consentD,
    freeText: ['reference', 'initials', 'names', 'information'],
  },
  {
    name: 'D: document the plan',
    person: 'Sofia Sandberg',
    async reach(chat, bot) {
      const action = await ensurePlan(chat, bot);
      await reachD(chat, action);
    },
    valid: { participants: 'SF Nordost, FFS', background: 'Bakgrund', needs: 'Behov', responsibilities: 'FFS: daglig verksamhet', followUpDate: '2027-01-15', individualParticipation: 'Deltog' },
    freeText: ['participants', 'background', 'needs', 'responsibilities', 'individualParticipation'],
  },
  {
    name: 'D: reason for closing',
    person: 'Sofia Sandberg',
    async reach(chat, bot) {
      const action = await ensurePlan(chat, bot);
      await reachD(chat, action.replace('plan:', 'close:'));
    },
    valid: { reason: 'Insatserna är avslutade' },
    freeText: ['reason'],
  },
  {
    name: 'B: register a home-care case',
    person: 'Hanna Holm',
    async reach(chat) {
      await chat.say('avbryt');
      await chat.pick({ menu: 'B' });
      await chat.submit({ action: 'new' });
    },
    valid: { reference: 'HEM-IN-1', initials: 'HI', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: '10', previousPlan: 'never', lastPlanDate: '' },
    freeText: ['reference', 'initials'],
  },
  {
    name: 'B: review the plan (seven questions)',
    person: 'Hanna Holm',
    reach: (chat, bot) => reachB(chat, bot, 'review'),
    valid: reviewAnswers,
    freeText: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'],
  },
  {
    name: 'B: report a deviation',
    person: 'Hanna Holm',
    reach: (chat, bot) => reachB(chat, bot, 'deviation'),
    valid: { reported: 'true', note: 'AV-2026-1' },
    freeText: ['note'],
  },
  {
    name: 'C: a new referral (criteria)',
    person: 'Anna Andersson',
    async reach(chat) {
      await chat.say('avbryt');
      await chat.pick({ menu: 'C' });
      await chat.submit({ action: 'new' });
    },
    valid: { reference: 'KC-IN-1', initials: 'KI', protectedIdentity: 'false', unemployed: 'yes', withinThreeYears: 'yes' },
    freeText: ['reference', 'initials'],
  },
  {
    name: 'C: the assignment to KC',
    person: 'Anna Andersson',
    reach: (chat, bot) => reachAssignment(chat, bot),
    valid: { needs: 'Arbetslivserfarenhet', includes: 'Praktik', goals: 'Praktikplats\nSvenska' },
    freeText: ['needs', 'includes', 'goals'],
  },
  {
    name: 'Admin: roles of a person',
    person: 'Olle Öberg',
    async reach(chat) {
      await chat.say('avbryt');
      await chat.say('behörigheter');
    },
    valid: { action: 'add', personId: '', newPersonId: '44444444-0000-0000-0000-000000000001', newPersonName: 'Vera Vik', role: 'socialWorker', unit: 'sf-nordost' },
    freeText: ['newPersonName'],
  },
];

export function chatFor(bot: RunningBot, name: string): Chat {
  return new Chat(bot, demoPerson(name));
}
