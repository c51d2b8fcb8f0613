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
});

/** Case files: partition 'case', row = case id. Routine-specific state lives in each routine's own table. */
export class CaseStore {
  static readonly PK = 'case';
  constructor(private readonly table: EntityTable<CaseFile>) {}
  get(caseId: string): Promise<Stored<CaseFile> | undefined> {
    return this.table.get(CaseStore.PK, caseId);
  }
  async add(c: CaseFile): Promise<void> {
    await this.table.create(CaseStore.PK, c.caseId, c);
  }
}
