/**
 * Who is who: the roles of ROUTINES.md and the organisation units they are held in.
 * Unit names are proper nouns and read the same in every locale.
 */
export const ROLES = [
  'socialWorker', // socialsekreterare
  'careNeedsAssessor', // biståndshandläggare
  'workGuidanceOfficer', // arbetsvägledare (myndighet, FFS)
  'providerContact', // utförare (kontaktperson)
  'employmentConsultant', // arbetsmarknadskonsulent (Kompetenscenter)
  'kcCoordinator', // samordnare KC
  'supervisor', // 1:e socialsekreterare / arbetsledning
  'contractUnit', // EKU, enheten för kontrakt och uppföljning
  'placesRegistrar', // TID, registers the number of places
  'placesResponsible', // utsedd ansvarig for municipal daily-activity places
  'financeAdministrator', // administratör för ekonomistyrning
  'admin', // manages the staff directory and providers
] as const;
export type Role = (typeof ROLES)[number];

export const ADMINISTRATIONS = ['sf-centrum', 'sf-hisingen', 'sf-nordost', 'sf-sydvast', 'ffs', 'avo'] as const;
export type Administration = (typeof ADMINISTRATIONS)[number];

export const CITY_UNITS = ['kc', 'eku', 'tid', 'city'] as const;
export type CityUnit = (typeof CITY_UNITS)[number];

/** A unit is an administration, a city-wide unit, or a provider (`provider:<providerId>`). */
export type UnitId = Administration | CityUnit | `provider:${string}`;

const UNIT_NAMES: Record<Administration | CityUnit, string> = {
  'sf-centrum': 'SF Centrum',
  'sf-hisingen': 'SF Hisingen',
  'sf-nordost': 'SF Nordost',
  'sf-sydvast': 'SF Sydväst',
  ffs: 'FFS (funktionsstöd)',
  avo: 'ÄVO (äldre samt vård och omsorg)',
  kc: 'Kompetenscenter',
  eku: 'EKU (kontrakt och uppföljning)',
  tid: 'TID (tjänsteförvaltning integrerad förvaltning)',
  city: 'Göteborgs Stad',
};

export function isAdministration(unit: string): unit is Administration {
  return (ADMINISTRATIONS as readonly string[]).includes(unit);
}
export function isProviderUnit(unit: string): unit is `provider:${string}` {
  return /^provider:[a-z0-9-]{1,40}$/.test(unit);
}
export function isUnitId(unit: string): unit is UnitId {
  return isAdministration(unit) || (CITY_UNITS as readonly string[]).includes(unit) || isProviderUnit(unit);
}
export function providerUnit(providerId: string): `provider:${string}` {
  return `provider:${providerId}`;
}

/** Display name of a unit; providers are named by the caller (they live in storage). */
export function unitName(unit: UnitId, providerNames: Record<string, string> = {}): string {
  if (isProviderUnit(unit)) return providerNames[unit.slice('provider:'.length)] ?? unit;
  return UNIT_NAMES[unit];
}

export interface RoleAssignment {
  role: Role;
  unit: UnitId;
}

export interface StaffMember {
  /** Teams aadObjectId (Entra object id). */
  id: string;
  name: string;
  roles: RoleAssignment[];
}

export function hasRole(person: Pick<StaffMember, 'roles'>, role: Role, unit?: UnitId): boolean {
  return person.roles.some((r) => r.role === role && (unit === undefined || r.unit === unit));
}

export function unitsWithRole(person: Pick<StaffMember, 'roles'>, role: Role): UnitId[] {
  return person.roles.filter((r) => r.role === role).map((r) => r.unit);
}

/** Which kind of unit each role may be held in. */
const ROLE_UNITS: Record<Role, (unit: UnitId) => boolean> = {
  socialWorker: (u) => isAdministration(u),
  careNeedsAssessor: (u) => u === 'avo' || u === 'ffs',
  workGuidanceOfficer: (u) => u === 'ffs',
  providerContact: (u) => isProviderUnit(u),
  employmentConsultant: (u) => u === 'kc',
  kcCoordinator: (u) => u === 'kc',
  supervisor: (u) => isAdministration(u) || u === 'kc',
  contractUnit: (u) => u === 'eku',
  placesRegistrar: (u) => u === 'tid',
  placesResponsible: (u) => isAdministration(u),
  financeAdministrator: (u) => isAdministration(u),
  admin: (u) => u === 'city',
};

export function roleFitsUnit(role: Role, unit: UnitId): boolean {
  return ROLE_UNITS[role](unit);
}
