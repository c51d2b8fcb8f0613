import type { UnitId } from './organisation';

export const ROUTINE_IDS = ['A', 'B', 'C', 'D'] as const;
export type RoutineId = (typeof ROUTINE_IDS)[number];

/** A case: a pseudonymous reference plus initials — never a personal identity number. */
export interface CaseFile {
  caseId: string;
  routine: RoutineId;
  reference: string;
  initials: string;
  protectedIdentity: boolean;
  /** The administration (or unit) that owns the case. */
  owningUnit: UnitId;
  createdBy: string;
  createdAt: string;
  /**
   * The routine's aggregate the case belongs to (a D plan, a C referral, a B review), so a journal
   * export or an access extract asked for by reference can apply that routine's access rule.
   * Cases written before it was kept lack it (they are found by nobody by reference).
   */
  aggregate?: CaseAggregate | undefined;
}

export type CaseAggregate = { kind: 'plan'; id: string } | { kind: 'referral'; id: string } | { kind: 'review'; id: string; unit: string };

/** Who looks at a case: staff of some units, or a provider (who never sees identifying data). */
export type Viewer = { kind: 'staff'; units: UnitId[] } | { kind: 'provider' };

export interface CaseLabel {
  reference: string | null;
  initials: string | null;
  protectedIdentity: boolean;
}

/**
 * What a viewer may see of a case. A protected-identity case shows neither reference nor
 * initials outside its own administration, and nothing identifying to a provider.
 * Providers see the reference of an ordinary case (they need it to answer) but no initials.
 */
/** What a case's label is made of (`caseLabelFor`): kept on an aggregate so a card can name the case without reading its file. */
export type CaseLabelSource = Pick<CaseFile, 'reference' | 'initials' | 'protectedIdentity' | 'owningUnit'>;

/** The label parts of a case file, to keep on an aggregate. */
export const labelSourceOf = (c: CaseLabelSource): CaseLabelSource => ({ reference: c.reference, initials: c.initials, protectedIdentity: c.protectedIdentity, owningUnit: c.owningUnit });

export function caseLabelFor(c: CaseLabelSource, viewer: Viewer): CaseLabel {
  if (viewer.kind === 'provider') {
    return c.protectedIdentity
      ? { reference: null, initials: null, protectedIdentity: true }
      : { reference: c.reference, initials: null, protectedIdentity: false };
  }
  const own = viewer.units.includes(c.owningUnit);
  if (c.protectedIdentity && !own) return { reference: null, initials: null, protectedIdentity: true };
  return { reference: c.reference, initials: c.initials, protectedIdentity: c.protectedIdentity };
}
