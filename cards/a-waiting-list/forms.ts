import { z } from 'zod';
import type { Texts } from '../../locale';
import { CONSENT_GIVERS, CONSENT_METHODS } from '../../routines/shared/consent';
import { MAX_PLACES, type AAction } from '../../routines/a-waiting-list/rules';
import { renderChoicesCard } from '../choices';
import { expandCard, type CardAttachment } from '../expand';
import { typed } from '../typed';
import consentTemplate from '../templates/a-consent.json';
import joinTemplate from '../templates/a-join.json';
import pickTemplate from '../templates/a-pickProvider.json';

/** Every form's data: the id of the waiting prompt and an error to show (empty when none). */
type Form = { formId: string; error: string };
type Choice = { title: string; value: string };

export const A_ACTIONS = ['join', 'occupied', 'release', 'status', 'list', 'queue', 'reportPlaces', 'reportAvailability', 'places', 'revoke'] as const satisfies readonly AAction[];
export type { AAction };

export function renderActionsCard(t: Texts, d: Form & { actions: AAction[] }): CardAttachment {
  return renderChoicesCard({ formId: d.formId, title: t.a.actionsTitle, intro: t.a.actionsIntro, choices: d.actions.map((a) => ({ title: t.a.actions[a] ?? a, value: a })) });
}
export const actionsSubmission = z.object({ formId: z.string(), action: z.enum(A_ACTIONS) });

export function renderJoinCard(t: Texts, d: Form & { providers: Choice[]; today: string }): CardAttachment {
  return expandCard(joinTemplate, {
    ...d,
    title: t.a.joinTitle,
    intro: t.a.joinIntro,
    labels: { reference: t.a.reference, initials: t.a.initials, protectedIdentity: t.a.protectedIdentity, provider: t.a.provider, requestDate: t.a.requestDate, send: t.a.send },
  });
}
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const toggle = z.enum(['true', 'false']).optional().transform((v) => v === 'true');
const providerId = z.string().regex(/^[a-z0-9-]{1,40}$/);
export const joinSubmission = z.object({
  formId: z.string(),
  reference: typed(z.string().trim().min(2).max(40)),
  initials: typed(z.string().trim().min(1).max(8)),
  protectedIdentity: toggle,
  providerId,
  requestDate: isoDate,
});
export type JoinSubmission = z.infer<typeof joinSubmission>;

export function renderConsentCard(t: Texts, d: Form & { step1: string; providerName: string; today: string }): CardAttachment {
  return expandCard(consentTemplate, {
    ...d,
    title: t.a.consentTitle,
    intro: t.a.consentIntro(d.providerName),
    givers: CONSENT_GIVERS.map((g) => ({ title: t.a.givers[g] ?? g, value: g })),
    methods: CONSENT_METHODS.map((m) => ({ title: t.a.methods[m] ?? m, value: m })),
    labels: { consentGiven: t.a.consentGiven, yes: t.a.yes, no: t.a.no, givenBy: t.a.givenBy, method: t.a.method, givenAt: t.a.givenAt, toldHowToRevoke: t.a.toldHowToRevoke, send: t.a.send },
  });
}
export const consentSubmission = z.discriminatedUnion('consent', [
  z.object({ formId: z.string(), consent: z.literal('no') }).loose(),
  z.object({
    formId: z.string(),
    consent: z.literal('yes'),
    givenBy: z.enum(CONSENT_GIVERS),
    method: z.enum(CONSENT_METHODS),
    givenAt: isoDate,
    // Consent without having been told how to revoke it is not recorded.
    toldHowToRevoke: z.literal('true'),
  }),
]);
export type ConsentSubmission = z.infer<typeof consentSubmission>;

export function renderPickProviderCard(t: Texts, d: Form & { title: string; intro: string; providers: Choice[]; askPlaces: boolean; askReference: boolean; askAvailability: boolean }): CardAttachment {
  return expandCard(pickTemplate, {
    ...d,
    availabilityChoices: [
      { title: t.a.status.freeWithoutQueue ?? '', value: 'freeWithoutQueue' },
      { title: t.a.status.noFreePlace ?? '', value: 'noFreePlace' },
    ],
    labels: { provider: t.a.provider, newPlaces: t.a.newPlaces, reference: t.a.reference, availability: t.a.reportedAvailability, send: t.a.send },
  });
}
export const pickProviderSubmission = z.object({
  formId: z.string(),
  providerId: providerId.optional(),
  places: z.coerce.number().int().min(0).max(MAX_PLACES).optional(),
  reference: typed(z.string().trim().min(2).max(40)).optional(),
  availability: z.enum(['freeWithoutQueue', 'noFreePlace']).optional(),
});
export type PickProviderSubmission = z.infer<typeof pickProviderSubmission>;
