import { z } from 'zod';
import type { Texts } from '../../locale';
import { CONSENT_GIVERS, CONSENT_METHODS } from '../../routines/shared/consent';
import { ADMINISTRATIONS } from '../../routines/shared/organisation';
import { expandCard, type CardAttachment } from '../expand';
import { typed } from '../typed';
import consentTemplate from '../templates/d-consent.json';
import planTemplate from '../templates/d-plan.json';
import reasonTemplate from '../templates/d-reason.json';
import startTemplate from '../templates/d-start.json';
import triageTemplate from '../templates/d-triage.json';

type Form = { formId: string; error: string };
type Choice = { title: string; value: string };
type Fact = { title: string; value: string };

/** Text a person types. */
const text = (max: number) => typed(z.string().trim().min(1).max(max));
const toggle = z.enum(['true', 'false']).optional().transform((v) => v === 'true');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const MEETING_FORMS = ['inPerson', 'video', 'phone'] as const;

export function renderTriageCard(t: Texts, d: Form & { contacts: Fact[] }): CardAttachment {
  return expandCard(triageTemplate, {
    ...d,
    title: t.d.triageTitle,
    intro: t.d.triageIntro,
    labels: { question: t.d.triageQuestion, yes: t.a.yes, no: t.a.no, contactsIntro: t.d.contactsIntro, reportMade: t.d.reportMade, send: t.a.send },
  });
}
export const triageSubmission = z.object({ formId: z.string(), acuteConcern: z.enum(['yes', 'no']), reportMade: toggle });

export function renderStartCard(t: Texts, d: Form & { administrations: Choice[] }): CardAttachment {
  return expandCard(startTemplate, {
    ...d,
    title: t.d.startTitle,
    intro: t.d.startIntro,
    meetingForms: MEETING_FORMS.map((m) => ({ title: t.d.meetingForms[m] ?? m, value: m })),
    labels: { others: t.d.others, purpose: t.d.purpose, needs: t.d.needs, questions: t.d.questions, proposedTime: t.d.proposedTime, meetingForm: t.d.meetingForm, individualTakesPart: t.d.individualTakesPart, send: t.a.send },
  });
}
export const startSubmission = z.object({
  formId: z.string(),
  // A multi-select ChoiceSet submits its values comma-separated.
  others: z
    .string()
    .min(1)
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ADMINISTRATIONS)).min(1).max(5)),
  purpose: text(2000),
  needs: text(2000),
  questions: text(2000),
  proposedTime: text(200),
  meetingForm: z.enum(MEETING_FORMS),
  individualTakesPart: toggle,
});
export type StartSubmission = z.infer<typeof startSubmission>;

export function renderDConsentCard(t: Texts, d: Form & { administrations: string; today: string }): CardAttachment {
  return expandCard(consentTemplate, {
    ...d,
    title: t.d.consentTitle,
    intro: t.d.consentIntro(d.administrations),
    givers: CONSENT_GIVERS.map((g) => ({ title: t.a.givers[g] ?? g, value: g })),
    methods: CONSENT_METHODS.map((m) => ({ title: t.a.methods[m] ?? m, value: m })),
    labels: {
      consent: t.d.consent,
      yes: t.a.yes,
      noConsultation: t.d.noConsultation,
      reference: t.d.reference,
      initials: t.d.initials,
      names: t.d.names,
      protectedIdentity: t.a.protectedIdentity,
      information: t.d.information,
      givenBy: t.a.givenBy,
      method: t.a.method,
      givenAt: t.a.givenAt,
      toldHowToRevoke: t.a.toldHowToRevoke,
      send: t.a.send,
    },
  });
}
/** Optional text a person types. */
const optional = (max: number) => typed(z.string().trim().max(max).optional().transform((s) => s ?? ''));
export const dConsentSubmission = z.discriminatedUnion('consent', [
  z.object({ formId: z.string(), consent: z.literal('no'), names: optional(200), reference: optional(40) }).loose(),
  z.object({
    formId: z.string(),
    consent: z.literal('yes'),
    reference: typed(z.string().trim().min(2).max(40)),
    initials: typed(z.string().trim().min(1).max(8)),
    names: optional(200),
    protectedIdentity: toggle,
    information: text(2000),
    givenBy: z.enum(CONSENT_GIVERS),
    method: z.enum(CONSENT_METHODS),
    givenAt: isoDate,
    toldHowToRevoke: z.literal('true'),
  }),
]);
export type DConsentSubmission = z.infer<typeof dConsentSubmission>;

export function renderPlanCard(t: Texts, d: Form & { version: number; today: string; values: Record<string, string> }): CardAttachment {
  return expandCard(planTemplate, {
    ...d,
    title: t.d.planTitle(d.version),
    intro: t.d.planIntro,
    labels: { participants: t.d.participants, background: t.d.background, needs: t.d.needs, responsibilities: t.d.responsibilities, followUpDate: t.d.followUpDate, individualParticipation: t.d.individualParticipation, send: t.a.send },
  });
}
export const planSubmission = z.object({
  formId: z.string(),
  participants: text(2000),
  background: text(2000),
  needs: text(2000),
  responsibilities: text(2000),
  followUpDate: isoDate,
  individualParticipation: text(2000),
});
export type PlanSubmission = z.infer<typeof planSubmission>;

export function renderReasonCard(t: Texts, d: Form & { title: string }): CardAttachment {
  return expandCard(reasonTemplate, { ...d, send: t.a.send });
}
export const reasonSubmission = z.object({ formId: z.string(), reason: typed(z.string().trim().min(2).max(2000)) });

export { renderRespondCard } from '../respond';
const spRef = { spId: z.string().min(1).max(100), administration: z.enum(ADMINISTRATIONS), note: optional(2000) };
export const invitationAnswerSubmission = z.object({ ...spRef, answer: z.enum(['accepted', 'proposedOtherTime', 'declined']) });
export const disagreeSubmission = z.object(spRef);
export const decisionSubmission = z.object({ ...spRef, version: z.coerce.number().int().min(1), decision: z.enum(['approved', 'returned']) });
