import { z } from 'zod';
import { ROLES } from '../routines/shared/organisation';
import { expandCard, type CardAttachment } from './expand';
import { typed } from './typed';
import template from './templates/adminRoles.json';

type Choice = { title: string; value: string };
export interface AdminRolesCardData {
  formId: string;
  title: string;
  intro: string;
  error: string;
  labels: { existingPerson: string; newPersonId: string; newPersonName: string; role: string; unit: string; add: string; remove: string };
  people: Choice[];
  roles: Choice[];
  units: Choice[];
}

export function renderAdminRolesCard(d: AdminRolesCardData): CardAttachment {
  return expandCard(template, d);
}

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((s) => (s ?? '').trim());

/** What the card submits. Either an existing person, or a new person's id and name. */
export const adminRolesSubmission = z
  .object({
    formId: z.string(),
    action: z.enum(['add', 'remove']),
    personId: optionalText(100),
    newPersonId: optionalText(100),
    newPersonName: typed(optionalText(200)),
    role: z.enum(ROLES),
    unit: z.string().min(1).max(100),
  })
  .refine((d) => d.personId !== '' || (d.newPersonId !== '' && d.newPersonName !== ''), { path: ['person'], message: 'pick a person or give id and name' });
export type AdminRolesSubmission = z.infer<typeof adminRolesSubmission>;
