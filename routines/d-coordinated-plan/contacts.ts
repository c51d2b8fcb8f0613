import { z } from 'zod';
import { ADMINISTRATIONS, type Administration } from '../shared/organisation';
import data from './contacts.json';

const schema = z.object({
  source: z.string(),
  note: z.string(),
  administrations: z.array(
    z.object({
      administration: z.enum(ADMINISTRATIONS),
      how: z.string().optional(),
      contacts: z.array(z.object({ district: z.string(), email: z.string().optional(), phone: z.string().optional() })).min(1),
    }),
  ),
});

/** The seed's contact directory (functional mailboxes and phones), kept as data in contacts.json. */
export const CONTACTS = schema.parse(data);

export function contactsOf(a: Administration) {
  return CONTACTS.administrations.find((x) => x.administration === a);
}

/** Where a report of concern goes: the social administrations' intake for children and young people. */
export function concernContacts(): Array<{ administration: Administration; district: string; email?: string | undefined; phone?: string | undefined }> {
  return CONTACTS.administrations
    .filter((a) => a.administration.startsWith('sf-'))
    .flatMap((a) => a.contacts.filter((c) => /barn och unga/i.test(c.district)).map((c) => ({ administration: a.administration, ...c })));
}
