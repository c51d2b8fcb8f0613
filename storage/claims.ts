import { z } from 'zod';
import { EntityTable } from './entityTable';
import { StorageConflictError } from './errors';
import { turnScope } from './turnScope';

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
  /**
   * Claims whose turn failed on storage before the effect they stand for was written (kept in
   * memory: storage was down, so nothing could be written to say so). The next press takes them
   * over. Another instance does not know them and falls back to `takeOverAfterMs`.
   */
  private readonly abandoned = new Map<string, { at: string; byId: string }>();

  constructor(private readonly table: EntityTable<Claim>) {}

  /**
   * After a turn failed on storage: every claim it took with `effectFollows` and after which no
   * write reached storage stands for nothing, so it is given up (see `abandoned`).
   */
  abandonUnfollowed(): void {
    const s = turnScope();
    if (!s) return;
    for (const c of s.claims) {
      if (s.writes !== c.writesAtClaim) continue;
      if (this.abandoned.size >= 10_000) this.abandoned.delete(this.abandoned.keys().next().value as string);
      this.abandoned.set(claimKey(c.scope, c.id), { at: c.at, byId: c.byId });
    }
    s.claims = [];
  }

  private taken(scope: string, id: string, claim: Claim, effectFollows: boolean | undefined): { ok: true } {
    this.abandoned.delete(claimKey(scope, id));
    const s = turnScope();
    if (effectFollows && s) s.claims.push({ scope, id, at: claim.at, byId: claim.byId, writesAtClaim: s.writes });
    return { ok: true };
  }

  /**
   * Claims (scope, id). `takeOverAfterMs`: an older claim is taken over (for claims whose effect
   * is known not to have happened, e.g. a form still waiting after its turn died).
   */
  async claim(scope: string, id: string, claim: Claim, opts: { takeOverAfterMs?: number; effectFollows?: boolean } = {}): Promise<{ ok: true } | { ok: false; claim: Claim }> {
    try {
      await this.table.create(scope, id, claim);
      return this.taken(scope, id, claim, opts.effectFollows);
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
    const existing = await this.table.get(scope, id);
    if (!existing) return this.claim(scope, id, claim, opts);
    const gaveUp = this.abandoned.get(claimKey(scope, id));
    const abandoned = gaveUp !== undefined && gaveUp.at === existing.value.at && gaveUp.byId === existing.value.byId;
    if (abandoned || (opts.takeOverAfterMs !== undefined && Date.parse(claim.at) - Date.parse(existing.value.at) > opts.takeOverAfterMs)) {
      try {
        await this.table.replace(scope, id, claim, existing.etag);
        return this.taken(scope, id, claim, opts.effectFollows);
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

  /** Writes a marker unconditionally (e.g. "this backfill is done"). */
  async mark(scope: string, id: string, claim: Claim): Promise<void> {
    await this.table.upsert(scope, id, claim);
  }

  /** Gives a claim back when its effect was refused (so the button can be pressed again). */
  async release(scope: string, id: string): Promise<void> {
    await this.table.delete(scope, id);
  }
}

function claimKey(scope: string, id: string): string {
  return `${scope}\u0000${id}`;
}
