import { z } from 'zod';
import { ROLES, isUnitId, type StaffMember, type UnitId } from '../routines/shared/organisation';
import { EntityTable, type Stored } from './entityTable';

const unitSchema = z.string().refine(isUnitId, 'unknown unit') as unknown as z.ZodType<UnitId>;
export const staffMemberSchema: z.ZodType<StaffMember> = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  roles: z.array(z.object({ role: z.enum(ROLES), unit: unitSchema })).max(50),
});

/** The staff directory: one row per person (partition 'staff', row = aadObjectId). */
export class StaffDirectory {
  static readonly PK = 'staff';
  constructor(readonly table: EntityTable<StaffMember>) {}

  get(id: string): Promise<Stored<StaffMember> | undefined> {
    return this.table.get(StaffDirectory.PK, id);
  }

  async all(): Promise<StaffMember[]> {
    return (await this.table.list(StaffDirectory.PK)).map((s) => s.value);
  }

  /** Saves a change conditionally: `etag` from the read, or none to create a new person. */
  save(member: StaffMember, etag: string | undefined): Promise<Stored<StaffMember>> {
    return etag ? this.table.replace(StaffDirectory.PK, member.id, member, etag) : this.table.create(StaffDirectory.PK, member.id, member);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.table.list(StaffDirectory.PK, { top: 1 })).length === 0;
  }
}
