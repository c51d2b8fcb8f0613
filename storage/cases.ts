import { z } from 'zod';
import { ROUTINE_IDS, type CaseFile } from '../routines/shared/cases';
import type { UnitId } from '../routines/shared/organisation';
import { EntityTable, type Stored } from './entityTable';

export const caseFileSchema: z.ZodType<CaseFile> = z.object({
  caseId: z.string().min(1).max(100),
  routine: z.enum(ROUTINE_IDS),
  reference: z.string().min(1).max(40),
  initials: z.string().min(1).max(4),
  protectedIdentity: z.boolean(),
  owningUnit: z.string().max(100) as unknown as z.ZodType<UnitId>,
  createdBy: z.string().max(100),
  createdAt: z.iso.datetime(),
  aggregate: z
    .union([
      z.object({ kind: z.literal('plan'), id: z.string().min(1).max(100) }),
      z.object({ kind: z.literal('referral'), id: z.string().min(1).max(100) }),
      z.object({ kind: z.literal('review'), id: z.string().min(1).max(100), unit: z.string().min(1).max(100) }),
    ])
    .optional(),
});

/** The key of a reference in the index: trimmed, upper case (a reference is found however it is typed). */
export const referenceKey = (reference: string) => reference.trim().toUpperCase();
/** Index row `ref|<REFERENCE>|<caseId>` beside the case file (same partition), holding a copy of it. */
export const referenceRk = (reference: string, caseId: string) => `ref|${referenceKey(reference)}|${caseId}`;

/**
 * Case files: partition 'case', row = case id. Routine-specific state lives in each routine's own
 * table. Beside each case file, in the same transaction, an index row `ref|<REFERENCE>|<caseId>`
 * (a copy of the file), so a case is found by its reference (journal export, access extract) in
 * one range query. Retention (storage/retention.ts) deletes the index row with the reference.
 */
export class CaseStore {
  static readonly PK = 'case';
  constructor(private readonly table: EntityTable<CaseFile>) {}
  get(caseId: string): Promise<Stored<CaseFile> | undefined> {
    return this.table.get(CaseStore.PK, caseId);
  }
  async add(c: CaseFile): Promise<void> {
    await this.table.transact(CaseStore.PK, [
      { op: 'create', rowKey: c.caseId, value: c },
      { op: 'upsert', rowKey: referenceRk(c.reference, c.caseId), value: c },
    ]);
  }
  /** The cases filed under a reference (any routine, any unit: the caller applies the access rule), read fresh. */
  async byReference(reference: string, top = 20): Promise<CaseFile[]> {
    const key = referenceKey(reference);
    if (!key) return [];
    const rows = await this.table.list(CaseStore.PK, { from: `ref|${key}|`, to: `ref|${key}|~`, top });
    const files = await Promise.all(rows.map((r) => this.get(r.value.caseId)));
    return files.flatMap((f) => (f && referenceKey(f.value.reference) === key ? [f.value] : []));
  }
}
