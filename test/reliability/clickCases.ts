import { answerInvitation } from '../../dialogs/d-coordinated-plan/answerInvitation';
import { coordinatedPlanCards } from '../../dialogs/d-coordinated-plan/effectCards';
import { startPlan } from '../../dialogs/d-coordinated-plan/startPlan';
import { submitPlan } from '../../dialogs/d-coordinated-plan/submitPlan';
import { CoordinatedPlanService } from '../../dialogs/d-coordinated-plan/service';
import { OutboxRelay } from '../../dialogs/outboxRelay';
import { waitingListCards } from '../../dialogs/a-waiting-list/effectCards';
import { takeOffer } from '../../dialogs/a-waiting-list/takeOffer';
import type { Provider, QueueEntry } from '../../routines/a-waiting-list/rules';
import { accept, type Decision } from '../../routines/shared/refusal';
import { planReviewCards } from '../../dialogs/b-plan-review/effectCards';
import { PlanReviewService } from '../../dialogs/b-plan-review/service';
import { submitReview } from '../../dialogs/b-plan-review/submitReview';
import { KompetenscenterService } from '../../dialogs/c-kompetenscenter/service';
import { REVIEW_QUESTIONS } from '../../routines/b-plan-review/rules';
import type { StoredReferral } from '../../storage/referrals';
import { WaitingListService, actorOf } from '../../dialogs/a-waiting-list/service';
import { sv } from '../../locale/sv';
import type { Actor } from '../../routines/shared/journal';
import { hasRole, type StaffMember } from '../../routines/shared/organisation';
import type { StoredPlan } from '../../storage/coordinatedPlans';
import { demoPerson, type RunningBot } from '../helpers/app';
import type { Person } from '../helpers/activities';
import { cardActions } from '../helpers/connector';
import { Chat } from '../helpers/flow';
import { addProvider, journalSteps } from './support';

/**
 * The state-changing card actions of the routines, as data: how to bring one fresh target to the
 * point where the button is live, who presses it, the data the button carries (read from the card
 * the bot sent, as Teams would submit it) and how many times its effect happened. Routines B and C
 * add their buttons here, one entry each; the double-click and authorization tests iterate this list.
 */
export interface Armed {
  presser: Person;
  verb: string;
  data: Record<string, unknown>;
  /** How many times the effect happened (journal events, stored rows). */
  effects(): Promise<number>;
}

export interface ClickCase {
  name: string;
  routine: 'A' | 'B' | 'C' | 'D';
  arm(env: ClickEnv, round: number): Promise<Armed>;
  /** Who may press this button on the armed target (everyone else is refused: the authorization matrix). */
  allowed(person: StaffMember, armed: Armed): boolean;
}

export class ClickEnv {
  readonly a: WaitingListService;
  readonly d: CoordinatedPlanService;
  readonly b: PlanReviewService;
  readonly c: KompetenscenterService;
  readonly chats = new Map<string, Chat>();
  constructor(readonly bot: RunningBot) {
    this.a = new WaitingListService(bot.app.deps);
    this.d = new CoordinatedPlanService(bot.app.deps);
    this.b = new PlanReviewService(bot.app.deps);
    this.c = new KompetenscenterService(bot.app.deps);
  }
  /** Routine D's relay (the effects of its steps), as the feature builds it. */
  get dRelay(): OutboxRelay {
    return new OutboxRelay(this.bot.app.deps, this.stores.plans.outbox, coordinatedPlanCards(this.d, this.stores));
  }

  /** Takes the open offer as the card button does (the use case, its effects carried out). */
  async takeOffer(officer: StaffMember, providerId: string, entryId: string): Promise<Decision<{ provider: Provider; entry: QueueEntry }>> {
    const relay = new OutboxRelay(this.bot.app.deps, this.stores.waitingList.outbox, waitingListCards(this.a));
    const r = await takeOffer(this.bot.app.deps, this.a, relay, officer, { providerId, entryId }, sv);
    if (!r.ok) return r;
    const [p, e] = await Promise.all([this.stores.waitingList.provider(providerId), this.stores.waitingList.entry(providerId, entryId)]);
    return accept({ provider: p!.value, entry: e!.value });
  }

  get stores() {
    return this.bot.app.stores;
  }
  chat(name: string): Chat {
    let c = this.chats.get(name);
    if (!c) this.chats.set(name, (c = new Chat(this.bot, demoPerson(name))));
    return c;
  }
  async staff(name: string): Promise<StaffMember> {
    return (await this.stores.staff.get(demoPerson(name).id))!.value;
  }
  /** The data of the newest button with `verb` sent to a person (optionally matching). */
  button(name: string, verb: string, match: (d: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
    for (const s of [...this.chat(name).sent()].reverse()) {
      const a = cardActions(s.activity.attachments?.[0]?.content).find((x) => x.verb === verb && x.data && match(x.data));
      if (a?.data) return a.data;
    }
    throw new Error(`no ${verb} button was sent to ${name}`);
  }
  /** Everyone the cases need has talked to the bot once, so proactive cards reach them. */
  async greetAll(): Promise<void> {
    for (const n of ['Bertil Berg', 'Karin Kvist', 'Lars Lund', 'Tomas Tell', 'Sofia Sandberg', 'Anna Andersson', 'Hanna Holm', 'Rut Rask', 'Ivar Ivarsson', 'Johanna Jansson']) await this.chat(n).say('hej');
  }
  async officer(): Promise<Actor> {
    return actorOf(await this.staff('Bertil Berg'));
  }

  /** A fresh full provider with one individual waiting and a place just freed: the offer is open. */
  async openOffer(round: number): Promise<{ providerId: string; entryId: string; caseId: string }> {
    const providerId = `click-${round}`;
    await addProvider(this.stores, { providerId, places: 1, occupied: 1 });
    const caseId = `click-case-${round}`;
    const now = this.bot.app.deps.clock();
    const actor = await this.officer();
    const joined = await this.a.joinQueue(actor, {
      caseFile: { caseId, routine: 'A', reference: `KLICK-${round}`, initials: 'KL', protectedIdentity: false, owningUnit: 'ffs', createdBy: actor.id, createdAt: now.toISOString() },
      providerId,
      requestDate: '2026-11-20',
      consent: { recipients: [], information: 'kö', givenBy: 'individual', method: 'inPerson', givenAt: now.toISOString(), toldHowToRevoke: true },
    });
    if (!joined.ok) throw new Error(`arrange: ${joined.code}`);
    await this.stores.waitingList.indexCaseReference(`KLICK-${round}`, caseId, 'ffs');
    await this.a.registerRelease(actor, providerId);
    return { providerId, entryId: joined.value.entry.entryId, caseId };
  }

  /** A plan by Sofia (SF Nordost) inviting FFS, without identifying data (consultation). */
  async plan(round: number, stage: 'invited' | 'awaitingApproval'): Promise<string> {
    const now = this.bot.app.deps.clock();
    const sofia = await this.staff('Sofia Sandberg');
    const plan: StoredPlan = {
      spId: `click-sp-${round}`,
      caseId: null,
      mode: 'consultation',
      initiatorId: sofia.id,
      initiatorName: sofia.name,
      initiatingAdministration: 'sf-nordost',
      others: ['ffs'],
      acuteConcern: false,
      concernReported: false,
      purpose: 'Samordna insatser',
      needs: 'Stöd i vardagen',
      questions: 'Vem gör vad?',
      proposedTime: '2026-11-30 10:00',
      meetingForm: 'video',
      individualTakesPart: true,
      invitations: [{ administration: 'ffs' }],
      versions: [],
      state: 'invited',
      createdAt: now.toISOString(),
    };
    await startPlan(this.bot.app.deps, this.d, this.dRelay, sofia, plan);
    if (stage === 'awaitingApproval') {
      const relay = this.dRelay;
      await answerInvitation(this.bot.app.deps, this.d, relay, await this.staff('Tomas Tell'), { spId: plan.spId, administration: 'ffs', answer: 'accepted', note: '' }, sv);
      const r = await submitPlan(this.bot.app.deps, this.d, relay, sofia, plan.spId, { participants: 'SF Nordost, FFS', background: 'Bakgrund', needs: 'Behov', responsibilities: 'FFS: daglig verksamhet', followUpDate: '2027-01-15', individualParticipation: 'Deltog' });
      if (!r.ok) throw new Error(`arrange: ${r.code}`);
    }
    return plan.spId;
  }

  /** A home-care case of Hanna (ÄVO) with Hemtjänst Väst (Rut): plan missing asked, or a review returned with one failed point. */
  async review(round: number, stage: 'planMissing' | 'returned'): Promise<{ reviewId: string; caseId: string }> {
    const hanna = await this.staff('Hanna Holm');
    const r = await this.b.register(hanna, { formId: `reg-${round}`, reference: `HEM-${round}`, initials: 'HE', protectedIdentity: false, providerId: 'hemtjanst-vast', decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: 10, previousPlan: 'never', lastPlanDate: '' });
    if (!r.ok) throw new Error(`arrange: ${r.code}`);
    const { reviewId, caseId } = r.value;
    const d =
      stage === 'planMissing'
        ? await this.b.planMissing(hanna, 'avo', reviewId)
        : await submitReview(this.bot.app.deps, new OutboxRelay(this.bot.app.deps, this.stores.planReviews.outbox, planReviewCards(this.bot.app.deps, this.b)), hanna, 'avo', reviewId, { allocatedHours: 10, answers: REVIEW_QUESTIONS.map((question) => ({ question, yes: question !== 'how', comment: question === 'how' ? 'Hur saknas' : '' })) });
    if (!d.ok) throw new Error(`arrange: ${d.code}`);
    return { reviewId, caseId };
  }

  /** A referral of Anna (SF Centrum) to KC: assigned and waiting for a consultant, or (protected) waiting for the coordinator. */
  async referral(round: number, stage: 'assigned' | 'coordinator' | 'intakeBooked'): Promise<StoredReferral> {
    const anna = await this.staff('Anna Andersson');
    const created = await this.c.create(anna, { formId: `kc-${round}`, reference: `KC-${round}`, initials: 'KC', protectedIdentity: stage === 'coordinator', unemployed: true, withinThreeYears: true } as never);
    if (!created.ok) throw new Error(`arrange: ${created.code}`);
    const id = created.value.referralId;
    const step = async (d: Promise<{ ok: boolean; code?: string }>) => {
      const r = await d;
      if (!r.ok) throw new Error(`arrange: ${r.code}`);
    };
    if (stage === 'coordinator') {
      await step(this.c.apply(anna, id, { kind: 'requestCoordinator' }));
    } else {
      await step(this.c.apply(anna, id, { kind: 'af', ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-21' }));
      await step(this.c.consent(anna, id, { formId: 'x', information: 'Behov och mål', givenBy: 'individual', method: 'inPerson', givenAt: '2026-11-23', toldHowToRevoke: true, workPlanUpdatedOn: '2026-11-23' } as never));
      await step(this.c.apply(anna, id, { kind: 'decide', decisionDate: '2026-11-23', communicated: true }));
      await step(this.c.apply(anna, id, { kind: 'assign', needs: 'Praktik', includes: 'Stöd', goals: ['Arbete'] }));
      if (stage === 'intakeBooked') {
        // Ivar takes the assignment, Anna books the intake: Ivar's hand-over card carries "gone through the assignment" (c.step).
        await step(this.c.apply(await this.staff('Ivar Ivarsson'), id, { kind: 'take' }));
        await step(this.c.apply(anna, id, { kind: 'bookIntake', at: '2026-12-01T09:00', place: 'KC Nordost', interpreter: '', clientTold: true, viaCoordinator: false }));
      }
    }
    return (await this.stores.referrals.get(id))!.value;
  }
}

const count = async (env: ClickEnv, caseId: string, step: string) => (await journalSteps(env.stores, caseId)).get(step) ?? 0;

export const CLICK_CASES: ClickCase[] = [
  {
    name: 'A: take the offer',
    routine: 'A',
    allowed: (p) => hasRole(p, 'workGuidanceOfficer'),
    async arm(env, round) {
      const { entryId, caseId } = await env.openOffer(round);
      return { presser: env.chat('Bertil Berg').person, verb: 'a.offer.take', data: env.button('Bertil Berg', 'a.offer.take', (d) => d.entryId === entryId), effects: () => count(env, caseId, 'a.offerTaken') };
    },
  },
  ...(['stillWants', 'noLongerWants', 'consentRevoked', 'notReached'] as const).map(
    (answer): ClickCase => ({
      name: `A: answer the offer "${answer}"`,
      routine: 'A',
      // Only the officer who took the offer answers it.
      allowed: (p, armed) => p.id === armed.presser.id,
      async arm(env, round) {
        const { providerId, entryId, caseId } = await env.openOffer(round);
        const bertil = await env.staff('Bertil Berg');
        const taken = await env.takeOffer(bertil, providerId, entryId);
        if (!taken.ok) throw new Error(`arrange: ${taken.code}`);
        // The buttons of the card the officer who took the offer sees (as the take press returns it).
        const card = await env.a.offerCard(taken.value.provider, taken.value.entry, bertil, true);
        let data = cardActions(card.content).find((a) => a.verb === 'a.offer.answer' && a.data?.answer === answer)!.data!;
        if (answer === 'noLongerWants' || answer === 'consentRevoked') {
          // These take the person out of the queue: the answer shows a confirmation, whose button acts.
          const res = await env.bot.post(env.bot.channel.execute(env.chat('Bertil Berg').person, 'a.offer.answer', data));
          data = cardActions((res.body as { value: unknown }).value).find((a) => a.verb === 'a.offer.answer' && a.data?.confirm === 'yes')!.data!;
        }
        const step = answer === 'stillWants' ? 'a.assigned' : answer === 'notReached' ? 'a.notReached' : 'a.entryClosed';
        return { presser: env.chat('Bertil Berg').person, verb: 'a.offer.answer', data, effects: () => count(env, caseId, step) };
      },
    }),
  ),
  {
    name: 'A: confirm a revoked consent (removes the person from every queue)',
    routine: 'A',
    // Only those who may act on the case: the work guidance officers (the case is FFS's own).
    allowed: (p) => hasRole(p, 'workGuidanceOfficer'),
    async arm(env, round) {
      const { caseId } = await env.openOffer(round);
      const bertil = env.chat('Bertil Berg');
      await bertil.say('avbryt');
      await bertil.pick({ menu: 'A' });
      await bertil.submit({ action: 'revoke' });
      await bertil.submit({ reference: `KLICK-${round}` });
      return { presser: bertil.person, verb: 'a.revoke.confirm', data: env.button('Bertil Berg', 'a.revoke.confirm', (d) => d.caseId === caseId), effects: () => count(env, caseId, 'a.consentRevoked') };
    },
  },
  {
    name: 'A: forward a change in places to TID (EKU)',
    routine: 'A',
    allowed: (p) => hasRole(p, 'contractUnit', 'eku'),
    async arm(env, round) {
      const providerId = `click-${round}`;
      await addProvider(env.stores, { providerId, places: 4, occupied: 4 });
      const contact: StaffMember = { id: `contact-${round}`, name: 'Kontakt', roles: [{ role: 'providerContact', unit: `provider:${providerId}` }] };
      await env.a.reportPlaces(contact, providerId, 6);
      return { presser: env.chat('Karin Kvist').person, verb: 'a.places.forward', data: env.button('Karin Kvist', 'a.places.forward', (d) => d.providerId === providerId), effects: () => count(env, `provider:${providerId}`, 'a.placesForwarded') };
    },
  },
  {
    name: 'A: register the number of places (TID)',
    routine: 'A',
    allowed: (p) => hasRole(p, 'placesRegistrar'),
    async arm(env, round) {
      const providerId = `click-${round}`;
      await addProvider(env.stores, { providerId, places: 4, occupied: 4 });
      const contact: StaffMember = { id: `contact-${round}`, name: 'Kontakt', roles: [{ role: 'providerContact', unit: `provider:${providerId}` }] };
      await env.a.reportPlaces(contact, providerId, 6);
      const fwd = env.button('Karin Kvist', 'a.places.forward', (d) => d.providerId === providerId);
      await env.a.forwardPlaces(await env.staff('Karin Kvist'), providerId, 6, fwd.reportId as string);
      return { presser: env.chat('Lars Lund').person, verb: 'a.places.register', data: env.button('Lars Lund', 'a.places.register', (d) => d.providerId === providerId), effects: () => count(env, `provider:${providerId}`, 'a.placesChanged') };
    },
  },
  {
    name: 'A: send the consent form (a dialog form)',
    routine: 'A',
    // A form belongs to the conversation it was sent into.
    allowed: (p, armed) => p.id === armed.presser.id,
    async arm(env, round) {
      const anna = env.chat('Anna Andersson');
      await anna.say('avbryt');
      await anna.pick({ menu: 'A' });
      await anna.submit({ action: 'join' });
      const reference = `FORM-${round}`;
      await anna.submit({ reference, initials: 'FO', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' });
      const data = { formId: anna.lastFormId(), consent: 'yes', givenBy: 'individual', method: 'phone', givenAt: '2026-11-20', toldHowToRevoke: 'true' };
      return {
        presser: anna.person,
        verb: 'form.submit',
        data,
        async effects() {
          const [caseId] = await env.stores.waitingList.caseIdsByReference(reference, ['sf-centrum']);
          if (!caseId) return 0;
          const consents = (await env.stores.consents.forCase(caseId)).length;
          const recorded = await count(env, caseId, 'a.consentRecorded');
          const queued = await count(env, caseId, 'a.queued');
          return consents === recorded && recorded === queued ? queued : -1;
        },
      };
    },
  },
  {
    name: 'D: answer the invitation',
    routine: 'D',
    allowed: (p) => hasRole(p, 'supervisor', 'ffs') || hasRole(p, 'socialWorker', 'ffs'),
    async arm(env, round) {
      const spId = await env.plan(round, 'invited');
      return { presser: env.chat('Tomas Tell').person, verb: 'd.invite.answer', data: env.button('Tomas Tell', 'd.invite.answer', (d) => d.spId === spId && d.answer === 'accepted'), effects: () => count(env, `sp:${spId}`, 'd.invitationAnswered') };
    },
  },
  {
    name: 'D: approve the plan',
    routine: 'D',
    allowed: (p) => hasRole(p, 'supervisor', 'ffs'),
    async arm(env, round) {
      const spId = await env.plan(round, 'awaitingApproval');
      return { presser: env.chat('Tomas Tell').person, verb: 'd.plan.decide', data: env.button('Tomas Tell', 'd.plan.decide', (d) => d.spId === spId && d.decision === 'approved'), effects: () => count(env, `sp:${spId}`, 'd.approved') };
    },
  },
  {
    name: 'D: raise a disagreement',
    routine: 'D',
    allowed: (p) => hasRole(p, 'supervisor', 'ffs') || hasRole(p, 'socialWorker', 'ffs'),
    async arm(env, round) {
      const spId = await env.plan(round, 'invited');
      return { presser: env.chat('Tomas Tell').person, verb: 'd.disagree', data: { ...env.button('Tomas Tell', 'd.disagree', (d) => d.spId === spId), note: 'Oenighet om ansvaret' }, effects: () => count(env, `sp:${spId}`, 'd.disagreement') };
    },
  },
  {
    name: 'B: the provider answers why the plan is delayed',
    routine: 'B',
    allowed: (p) => hasRole(p, 'providerContact', 'provider:hemtjanst-vast'),
    async arm(env, round) {
      const { reviewId, caseId } = await env.review(round, 'planMissing');
      return { presser: env.chat('Rut Rask').person, verb: 'b.delay.answer', data: { ...env.button('Rut Rask', 'b.delay.answer', (d) => d.reviewId === reviewId), note: 'Personalbrist' }, effects: () => count(env, caseId, 'b.delayReason') };
    },
  },
  {
    name: 'B: the provider says the plan is revised',
    routine: 'B',
    allowed: (p) => hasRole(p, 'providerContact', 'provider:hemtjanst-vast'),
    async arm(env, round) {
      const { reviewId, caseId } = await env.review(round, 'returned');
      return { presser: env.chat('Rut Rask').person, verb: 'b.revised', data: env.button('Rut Rask', 'b.revised', (d) => d.reviewId === reviewId), effects: () => count(env, caseId, 'b.planRevised') };
    },
  },
  {
    name: 'C: a consultant takes the assignment',
    routine: 'C',
    allowed: (p) => hasRole(p, 'employmentConsultant', 'kc'),
    async arm(env, round) {
      const r = await env.referral(round, 'assigned');
      return { presser: env.chat('Ivar Ivarsson').person, verb: 'c.take', data: env.button('Ivar Ivarsson', 'c.take', (d) => d.referralId === r.referralId), effects: () => count(env, r.caseId, 'c.take') };
    },
  },
  {
    name: 'C: the consultant has gone through the assignment, on the card that booked the intake (c.step)',
    routine: 'C',
    // Only the consultant who took the assignment (the referral's KC side) takes this step.
    allowed: (p, armed) => p.id === armed.presser.id,
    async arm(env, round) {
      const r = await env.referral(round, 'intakeBooked');
      return { presser: env.chat('Ivar Ivarsson').person, verb: 'c.step', data: env.button('Ivar Ivarsson', 'c.step', (d) => d.referralId === r.referralId && d.step === 'prepared'), effects: () => count(env, r.caseId, 'c.prepared') };
    },
  },
  {
    name: 'C: the KC coordinator confirms the dialogue (protected identity)',
    routine: 'C',
    allowed: (p) => hasRole(p, 'kcCoordinator', 'kc'),
    async arm(env, round) {
      const r = await env.referral(round, 'coordinator');
      return { presser: env.chat('Johanna Jansson').person, verb: 'c.coordinator.confirm', data: env.button('Johanna Jansson', 'c.coordinator.confirm', (d) => d.referralId === r.referralId), effects: () => count(env, r.caseId, 'c.coordinatorConfirm') };
    },
  },
];
