import { z } from 'zod';
import { EntityTable } from './entityTable';
import { StorageConflictError } from './errors';

/** Who did a one-time thing, and when. */
export interface Claim {
  byId: string;
  byName: string;
  at: string;
}

export const claimSchema: z.ZodType<Claim> = z.object({ byId: z.string().max(100), byName: z.string().max(200), at: z.iso.datetime() });

/**
 * One-time claims for card buttons and forms: the first press of a card creates the claim
 * (a create is atomic in Table storage), every later or concurrent press reads who made it and
 * when, so it can say "already done by … at …". Partition = scope (e.g. `form`,
 * `a.places.forward`), row = the card's own id. A routine makes a button idempotent by claiming
 * `(scope, id)` before its effect.
 */
export class ClaimStore {
  constructor(private readonly table: EntityTable<Claim>) {}

  /**
   * Claims (scope, id). `takeOverAfterMs`: an older claim is taken over (for claims whose effect
   * is known not to have happened, e.g. a form still waiting after its turn died).
   */
  async claim(scope: string, id: string, claim: Claim, opts: { takeOverAfterMs?: number } = {}): Promise<{ ok: true } | { ok: false; claim: Claim }> {
    try {
      await this.table.create(scope, id, claim);
      return { ok: true };
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
    const existing = await this.table.get(scope, id);
    if (!existing) return this.claim(scope, id, claim, opts);
    if (opts.takeOverAfterMs !== undefined && Date.parse(claim.at) - Date.parse(existing.value.at) > opts.takeOverAfterMs) {
      try {
        await this.table.replace(scope, id, claim, existing.etag);
        return { ok: true };
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
        const now = await this.table.get(scope, id);
        if (now) return { ok: false, claim: now.value };
      }
    }
    return { ok: false, claim: existing.value };
  }

  async get(scope: string, id: string): Promise<Claim | undefined> {
    return (await this.table.get(scope, id))?.value;
  }

  /** Gives a claim back when its effect was refused (so the button can be pressed again). */
  async release(scope: string, id: string): Promise<void> {
    await this.table.delete(scope, id);
  }
}
