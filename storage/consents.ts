import { z } from 'zod';
import { ROUTINE_IDS } from '../routines/shared/cases';
import { CONSENT_GIVERS, CONSENT_METHODS, type Consent } from '../routines/shared/consent';
import { EntityTable, type Stored } from './entityTable';

export const consentSchema: z.ZodType<Consent> = z.object({
  consentId: z.string().min(1).max(100),
  caseId: z.string().min(1).max(100),
  routine: z.enum(ROUTINE_IDS),
  recipients: z.array(z.string().min(1).max(100)).min(1).max(20),
  information: z.string().max(2000),
  givenBy: z.enum(CONSENT_GIVERS),
  method: z.enum(CONSENT_METHODS),
  givenAt: z.iso.datetime(),
  capturedBy: z.string().max(100),
  capturedAt: z.iso.datetime(),
  toldHowToRevoke: z.boolean(),
  revokedAt: z.iso.datetime().optional(),
  revokedBy: z.string().max(100).optional(),
});

/** Consent records: partition = case id, row = consent id. */
export class ConsentStore {
  constructor(private readonly table: EntityTable<Consent>) {}

  async forCase(caseId: string): Promise<Consent[]> {
    return (await this.table.list(caseId)).map((s) => s.value);
  }
  get(caseId: string, consentId: string): Promise<Stored<Consent> | undefined> {
    return this.table.get(caseId, consentId);
  }
  async add(consent: Consent): Promise<void> {
    await this.table.create(consent.caseId, consent.consentId, consent);
  }
  async update(consent: Consent, etag: string): Promise<void> {
    await this.table.replace(consent.caseId, consent.consentId, consent, etag);
  }
  /**
   * Ends every consent of a case that has not ended (each on the ETag it was listed with; one ended
   * already is left as it is, so a repeat ends nothing twice). Returns how many this call ended.
   */
  async revokeAll(caseId: string, by: string, at: Date): Promise<number> {
    let revoked = 0;
    for (const s of await this.table.list(caseId)) {
      if (s.value.revokedAt) continue;
      await this.table.replace(caseId, s.value.consentId, { ...s.value, revokedAt: at.toISOString(), revokedBy: by }, s.etag);
      revoked++;
    }
    return revoked;
  }
}
