import { z } from 'zod';
import type { CoordinatedPlan } from '../routines/d-coordinated-plan/rules';
import { ADMINISTRATIONS } from '../routines/shared/organisation';
import { EntityTable, type Stored } from './entityTable';
import { StorageConflictError, statusOf } from './errors';
import { outboxAction, outboxRowSchema, isOutboxRow, OutboxRows, type OutboxRow } from './outbox';
import { mapBounded } from './parallel';
import type { Effect } from '../routines/shared/effects';

const admin = z.enum(ADMINISTRATIONS);
const text = (max: number) => z.string().max(max);
const content = z.object({
  participants: text(2000),
  background: text(2000),
  needs: text(2000),
  responsibilities: text(2000),
  followUpDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  individualParticipation: text(2000),
});
export const coordinatedPlanSchema: z.ZodType<CoordinatedPlan & { cards?: Array<{ personId: string; activityId: string; kind: string; version?: number | undefined }> | undefined }> = z.object({
  spId: z.string().max(100),
  caseId: z.string().max(100).nullable(),
  mode: z.enum(['consent', 'consultation']),
  initiatorId: z.string().max(100),
  initiatorName: z.string().max(200),
  initiatingAdministration: admin,
  others: z.array(admin).min(1).max(5),
  acuteConcern: z.boolean(),
  concernReported: z.boolean(),
  purpose: text(2000),
  needs: text(2000),
  questions: text(2000),
  proposedTime: text(200),
  meetingForm: text(200),
  individualTakesPart: z.boolean(),
  invitations: z.array(
    z.object({ administration: admin, answer: z.enum(['accepted', 'proposedOtherTime', 'declined']).optional(), note: text(2000).optional(), by: z.string().max(100).optional(), byName: z.string().max(200).optional(), at: z.iso.datetime().optional() }),
  ).max(ADMINISTRATIONS.length),
  versions: z
    .array(
      z.object({
        version: z.number().int().min(1),
        content,
        submittedAt: z.iso.datetime(),
        decisions: z.array(z.object({ administration: admin, decision: z.enum(['approved', 'returned']), comment: text(2000).optional(), by: z.string().max(100), byName: z.string().max(200), at: z.iso.datetime() })).max(ADMINISTRATIONS.length),
      }),
    )
    .max(20),
  state: z.enum(['invited', 'awaitingApproval', 'returned', 'established', 'closed']),
  closedReason: text(2000).optional(),
  disagreement: z
    .object({ raisedBy: z.string().max(100), raisedByName: z.string().max(200), administration: admin, reason: text(2000), at: z.iso.datetime(), outcome: text(2000).optional() })
    .optional(),
  createdAt: z.iso.datetime(),
  cards: z.array(z.object({ personId: z.string().max(100), activityId: z.string().max(512), kind: z.string().max(40), version: z.number().int().optional() })).max(200).optional(),
});
export type StoredPlan = z.infer<typeof coordinatedPlanSchema>;

/** Index row `i|<initiatorId>|<spId>` beside the plan (same partition): "my plans" without reading anyone else's. */
const initiatorIndexSchema = z.object({ kind: z.literal('initiatorIndex'), spId: z.string().max(100), initiatorId: z.string().max(100) });
type IndexRow = z.infer<typeof initiatorIndexSchema>;
type PlanRow = StoredPlan | IndexRow | OutboxRow;
/** What the Plans table holds: plans, their index rows and the outbox rows of steps not yet carried out. */
export const planRowSchema: z.ZodType<PlanRow> = z.union([coordinatedPlanSchema, initiatorIndexSchema, outboxRowSchema]);
const isIndex = (v: PlanRow): v is IndexRow | OutboxRow => (v as IndexRow).kind === 'initiatorIndex' || isOutboxRow(v);
const indexRk = (initiatorId: string, spId: string) => `i|${initiatorId}|${spId}`;

/**
 * Coordinated plans: one row per plan (partition 'sp'), the whole aggregate (invitations, every
 * version with its decisions) written conditionally on its ETag, so two supervisors deciding at
 * once never overwrite each other. The ids of the cards sent about it are kept so they can be
 * replaced for every viewer. Beside each plan that is not closed, an index row
 * `i|<initiatorId>|<spId>` in the same partition, written in the same transaction as the plan
 * (upserted with every write, deleted with the write that closes it), so "the plans I initiated"
 * reads the person's own plans only.
 */
export class CoordinatedPlanStore {
  static readonly PK = 'sp';
  /** The outbox rows `o|<stepId>` of the steps on plans (same partition, so a step commits in one transaction). */
  readonly outbox: OutboxRows;
  constructor(private readonly table: EntityTable<PlanRow>) {
    this.outbox = new OutboxRows(table as EntityTable<unknown>, CoordinatedPlanStore.PK);
  }
  async get(spId: string): Promise<Stored<StoredPlan> | undefined> {
    const s = await this.table.get(CoordinatedPlanStore.PK, spId);
    return s && !isIndex(s.value) ? (s as Stored<StoredPlan>) : undefined;
  }
  private index(plan: StoredPlan) {
    return { op: 'upsert' as const, rowKey: indexRk(plan.initiatorId, plan.spId), value: { kind: 'initiatorIndex' as const, spId: plan.spId, initiatorId: plan.initiatorId } };
  }
  async add(plan: StoredPlan): Promise<void> {
    await this.table.transact(CoordinatedPlanStore.PK, [{ op: 'create', rowKey: plan.spId, value: plan }, ...(plan.state === 'closed' ? [] : [this.index(plan)])]);
  }
  async save(plan: StoredPlan, etag: string): Promise<void> {
    const write = { op: 'replace' as const, rowKey: plan.spId, value: plan, etag };
    const closing = plan.state === 'closed';
    try {
      await this.table.transact(CoordinatedPlanStore.PK, [write, closing ? { op: 'delete', rowKey: indexRk(plan.initiatorId, plan.spId) } : this.index(plan)]);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      // The plan is gone (a conflict, as for any stale write), or a plan closing had no index row
      // (written before the index and not yet backfilled): write it alone.
      await this.table.replace(CoordinatedPlanStore.PK, plan.spId, plan, etag);
      if (closing) await this.table.delete(CoordinatedPlanStore.PK, indexRk(plan.initiatorId, plan.spId));
    }
  }
  /**
   * Commits one step: the plan (conditional on the ETag it was decided on), its index row, and the
   * outbox row with every effect of the step, in one entity-group transaction. Returns the outbox
   * row as stored (with its ETag) for the relay. A lost race is StorageConflictError: nothing was written.
   */
  async commit(plan: StoredPlan, etag: string, stepId: string, effects: Effect[], now: Date, keep?: { byName: string }): Promise<Stored<OutboxRow>> {
    const outbox = outboxAction(stepId, effects, now, keep);
    const write = { op: 'replace' as const, rowKey: plan.spId, value: plan, etag };
    const closing = plan.state === 'closed';
    let etags: string[];
    try {
      etags = await this.table.transactEtags(CoordinatedPlanStore.PK, [write, outbox, closing ? { op: 'delete', rowKey: indexRk(plan.initiatorId, plan.spId) } : this.index(plan)]);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      // The plan is gone (a conflict, as for any stale write), or a plan closing had no index row
      // (written before the index and not yet backfilled): the plan and its outbox alone.
      const gone = new StorageConflictError(this.table.name, `${CoordinatedPlanStore.PK}/${plan.spId}`, 412);
      if (!closing) throw gone;
      etags = await this.table.transactEtags(CoordinatedPlanStore.PK, [write, outbox]).catch((again: unknown) => {
        throw statusOf(again) === 404 ? gone : again;
      });
    }
    return { partitionKey: CoordinatedPlanStore.PK, rowKey: outbox.rowKey, value: outbox.value, etag: etags[1] ?? '' };
  }
  /** Creates a plan with its index row and the outbox row of the step that starts it, in one transaction. */
  async commitNew(plan: StoredPlan, stepId: string, effects: Effect[], now: Date, keep?: { byName: string }): Promise<Stored<OutboxRow>> {
    const outbox = outboxAction(stepId, effects, now, keep);
    const etags = await this.table.transactEtags(CoordinatedPlanStore.PK, [{ op: 'create', rowKey: plan.spId, value: plan }, outbox, ...(plan.state === 'closed' ? [] : [this.index(plan)])]);
    return { partitionKey: CoordinatedPlanStore.PK, rowKey: outbox.rowKey, value: outbox.value, etag: etags[1] ?? '' };
  }
  /** The outbox row of a step on a plan (pending, or done and kept). */
  stepRow(stepId: string): Promise<Stored<OutboxRow> | undefined> {
    return this.outbox.get(CoordinatedPlanStore.PK, stepId);
  }
  /** The plans a person initiated that are not closed: their index rows, then each plan (bounded parallel point reads). */
  async byInitiator(personId: string): Promise<StoredPlan[]> {
    const refs = await this.table.list(CoordinatedPlanStore.PK, { from: `i|${personId}|`, to: `i|${personId}|~` });
    const ids = refs.flatMap((s) => ((s.value as IndexRow).kind === 'initiatorIndex' ? [(s.value as IndexRow).spId] : []));
    const plans = await mapBounded(ids, 8, (id) => this.get(id));
    return plans.flatMap((s) => (s && s.value.initiatorId === personId && s.value.state !== 'closed' ? [s.value] : []));
  }
  /**
   * Plans written before the index existed get their index rows: one read of the whole partition,
   * once at startup (storage/backfills.ts). A plan closed meanwhile loses its row again. Idempotent.
   */
  async backfillIndex(): Promise<number> {
    let n = 0;
    for (const s of await this.table.list(CoordinatedPlanStore.PK)) {
      if (isIndex(s.value) || s.value.state === 'closed') continue;
      const row = this.index(s.value);
      await this.table.upsert(CoordinatedPlanStore.PK, row.rowKey, row.value);
      const now = await this.get(s.value.spId);
      if (!now || now.value.state === 'closed') await this.table.delete(CoordinatedPlanStore.PK, row.rowKey);
      else n++;
    }
    return n;
  }
}
