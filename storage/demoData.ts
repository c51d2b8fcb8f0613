import type { Provider } from '../routines/a-waiting-list/rules';
import type { HomeCareProvider } from '../routines/b-plan-review/rules';
import type { StaffMember } from '../routines/shared/organisation';
import type { Stores } from '.';

const id = (n: number) => `11111111-0000-0000-0000-${String(n).padStart(12, '0')}`;

/**
 * The demo staff directory: every role of ROUTINES.md across several administrations.
 * `.m365agentsplayground.yml` mirrors these people so a newcomer can chat as any of them.
 */
export const DEMO_STAFF: StaffMember[] = [
  { id: id(1), name: 'Anna Andersson', roles: [{ role: 'socialWorker', unit: 'sf-centrum' }] },
  { id: id(2), name: 'Bertil Berg', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
  { id: id(3), name: 'Cecilia Carlsson', roles: [{ role: 'workGuidanceOfficer', unit: 'ffs' }] },
  { id: id(4), name: 'David Dahl', roles: [{ role: 'providerContact', unit: 'provider:solrosen' }] },
  { id: id(5), name: 'Eva Ek', roles: [{ role: 'providerContact', unit: 'provider:majorna' }] },
  { id: id(6), name: 'Fredrik Fors', roles: [{ role: 'supervisor', unit: 'sf-hisingen' }] },
  { id: id(7), name: 'Gunilla Gran', roles: [{ role: 'supervisor', unit: 'sf-centrum' }] },
  { id: id(8), name: 'Hanna Holm', roles: [{ role: 'careNeedsAssessor', unit: 'avo' }] },
  { id: id(9), name: 'Ivar Ivarsson', roles: [{ role: 'employmentConsultant', unit: 'kc' }] },
  { id: id(10), name: 'Johanna Jansson', roles: [{ role: 'kcCoordinator', unit: 'kc' }] },
  { id: id(11), name: 'Karin Kvist', roles: [{ role: 'contractUnit', unit: 'eku' }] },
  { id: id(12), name: 'Lars Lund', roles: [{ role: 'placesRegistrar', unit: 'tid' }] },
  { id: id(13), name: 'Maria Mattsson', roles: [{ role: 'financeAdministrator', unit: 'avo' }] },
  { id: id(14), name: 'Nils Nord', roles: [{ role: 'placesResponsible', unit: 'ffs' }] },
  { id: id(15), name: 'Olle Öberg', roles: [{ role: 'admin', unit: 'city' }] },
  { id: id(16), name: 'Petra Persson', roles: [{ role: 'socialWorker', unit: 'sf-hisingen' }] },
  { id: id(17), name: 'Rut Rask', roles: [{ role: 'providerContact', unit: 'provider:hemtjanst-vast' }] },
  { id: id(18), name: 'Sofia Sandberg', roles: [{ role: 'socialWorker', unit: 'sf-nordost' }] },
  { id: id(19), name: 'Tomas Tell', roles: [{ role: 'supervisor', unit: 'ffs' }] },
  { id: id(20), name: 'Ulla Ulf', roles: [{ role: 'supervisor', unit: 'avo' }] },
];

/** Daily-activity providers (routine A): one full private, one municipal with a free place, one full municipal. */
export const DEMO_PROVIDERS: Provider[] = [
  { providerId: 'solrosen', name: 'Solrosen Daglig Verksamhet AB', kind: 'private', places: 3, occupied: 3, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'eku' },
  { providerId: 'majorna', name: 'Majornas dagliga verksamhet', kind: 'municipal', places: 10, occupied: 8, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'ffs' },
  { providerId: 'kvarnbyn', name: 'Kvarnbyns ateljé', kind: 'municipal', places: 6, occupied: 6, waiting: 0, openOffer: null, nextSeq: 1, responsibleUnit: 'ffs' },
];

/** Home-care providers (routine B); Rut Rask is the contact of Hemtjänst Väst. */
export const DEMO_HOME_CARE_PROVIDERS: HomeCareProvider[] = [
  { providerId: 'hemtjanst-vast', name: 'Hemtjänst Väst AB' },
  { providerId: 'omsorg-nord', name: 'Omsorg Nord (kommunal hemtjänst)' },
];

/**
 * Seeds the demo data into empty storage. Returns true when it seeded. Home-care providers are
 * added when missing even to storage seeded by an older version (they are not personal data).
 */
export async function seedDemoData(stores: Stores): Promise<boolean> {
  for (const p of DEMO_HOME_CARE_PROVIDERS) if (!(await stores.planReviews.provider(p.providerId))) await stores.planReviews.saveProvider(p);
  if (!(await stores.staff.isEmpty())) return false;
  // Through save(): each person with their role index rows.
  for (const p of DEMO_STAFF) await stores.staff.save(p, undefined);
  for (const p of DEMO_PROVIDERS) await stores.waitingList.addProvider(p);
  return true;
}
