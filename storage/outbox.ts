import { z } from 'zod';
import type { CloseTaskEffect, Effect } from '../routines/shared/effects';
import { EntityTable, type Stored } from './entityTable';
import { StorageConflictError } from './errors';
import { ROLES } from '../routines/shared/organisation';
import { journalEventSchema } from './journal';
import { mapBounded } from './parallel';
import { taskSchema } from './tasks';
import { caseFileSchema } from './cases';
import { consentSchema } from './consents';

/** What became of one effect (only those whose outcome must survive a crash are recorded: cards). */
export interface EffectOutcome {
  /** At least one person got the card. */
  delivered: boolean;
  /** The activity id of a card to one person. */
  activityId?: string | undefined;
  /** Why nobody got it (noConversation, stale, failed, noRecipient, consent). */
  reason?: string | undefined;
  /** Of a card to a role: who got it (with the card's activity id) and who did not. */
  reached?: Array<{ personId: string; activityId?: string | undefined }> | undefined;
  missed?: string[] | undefined;
}

/**
 * An outbox row: the side effects of one step, written in the same entity-group transaction as
 * the step's new state (same table, same partition), so the step and everything it must still do
 * are stored together or not at all. The relay carries the effects out and deletes the row; the
 * outcome of each card sent is recorded first, so a relay after a crash does not send it again.
 */
export interface OutboxRow {
  kind: 'outbox';
  stepId: string;
  createdAt: string;
  /** Until when a relay is carrying it out (the turn that wrote it, or a sweep that claimed it). */
  claimedUntil: string;
  effects: Effect[];
  outcomes: Record<string, EffectOutcome>;
  /**
   * A step that must happen once however often it is submitted (a form: its step id derives from
   * the form's id) keeps its row after the effects, `done`, with who did it: the same form
   * submitted again (after a crash, a second click) fails to create the row and is answered
   * "already done by … at …". The sweep deletes done rows after a day.
   */
  keep?: { byName: string } | undefined;
  done?: boolean | undefined;
}

const cardSpec = z.object({ kind: z.string().min(1).max(60), data: z.record(z.string().max(40), z.union([z.string().max(4000), z.number(), z.boolean()])) });
const id = z.string().min(1).max(160);
const effectSchema: z.ZodType<Effect> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('journal'),
    id,
    event: journalEventSchema,
    undeliveredFrom: z.object({ effect: id, notReachedName: z.string().max(200) }).optional(),
    deliveryCounts: z.object({ effect: id, also: z.array(id).max(20).optional(), reached: z.string().max(40).optional(), notReached: z.string().max(40).optional(), omitZero: z.boolean().optional(), stepIfNone: z.string().min(1).max(100).optional() }).optional(),
    deliveryLists: z
      .object({ byEffect: z.record(id, z.string().max(100)), reached: z.string().max(40).optional(), notReached: z.string().max(40), noConsent: z.string().max(40).optional(), separator: z.string().max(4).optional(), consentFlag: z.string().max(40).optional() })
      .optional(),
  }),
  z.object({ type: z.literal('openTask'), id, task: taskSchema, reminders: z.array(z.object({ kind: z.enum(['before', 'dueDay', 'overdue']), fireOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })).max(3) }),
  z.object({ type: z.literal('closeTask'), id, unit: z.string().min(1).max(100) as unknown as z.ZodType<CloseTaskEffect['unit']>, taskId: z.string().min(1).max(100), outcome: z.enum(['done', 'cancelled']), by: z.string().max(100), at: z.iso.datetime() }),
  z.object({ type: z.literal('closeTasks'), id, unit: z.string().min(1).max(100) as unknown as z.ZodType<CloseTaskEffect['unit']>, prefix: z.string().min(1).max(100), outcome: z.enum(['done', 'cancelled']), by: z.string().max(100), at: z.iso.datetime() }),
  z
    .object({
      type: z.literal('notify'),
      id,
      personId: z.string().min(1).max(100).optional(),
      role: z.object({ role: z.enum(ROLES), unit: z.string().min(1).max(100), orElse: z.enum(ROLES).optional() }).optional(),
      card: cardSpec,
      consent: z.object({ caseId: z.string().min(1).max(100), recipient: z.string().min(1).max(100) }).optional(),
      remember: z.boolean().optional(),
    })
    .refine((n) => (n.personId === undefined) !== (n.role === undefined), 'a card goes to a person or to a role'),
  z.object({ type: z.literal('refreshCards'), id, card: cardSpec, except: z.string().max(100).optional() }),
  z.object({ type: z.literal('recordConsent'), id, consent: consentSchema }),
  z.object({ type: z.literal('createCase'), id, caseFile: caseFileSchema }),
  z.object({ type: z.literal('record'), id, kind: z.string().min(1).max(60), data: cardSpec.shape.data }),
]) as unknown as z.ZodType<Effect>;

/** The row's schema as an object (for tables whose rows are a discriminated union on `kind`). */
export const outboxRowObject = z.object({
  kind: z.literal('outbox'),
  stepId: z.string().min(1).max(100),
  createdAt: z.iso.datetime(),
  claimedUntil: z.iso.datetime(),
  effects: z.array(effectSchema).max(300),
  keep: z.object({ byName: z.string().max(200) }).optional(),
  done: z.boolean().optional(),
  outcomes: z.record(
    id,
    z.object({
      delivered: z.boolean(),
      activityId: z.string().max(512).optional(),
      reason: z.string().max(40).optional(),
      // A fan-out to every holder of a role: as many as a unit has (the row is split when large).
      reached: z.array(z.object({ personId: z.string().max(100), activityId: z.string().max(512).optional() })).max(5000).optional(),
      missed: z.array(z.string().max(100)).max(5000).optional(),
    }),
  ),
});
export const outboxRowSchema: z.ZodType<OutboxRow> = outboxRowObject as unknown as z.ZodType<OutboxRow>;

export const isOutboxRow = (v: unknown): v is OutboxRow => (v as { kind?: unknown } | null)?.kind === 'outbox';
export const OUTBOX_PREFIX = 'o|';
export const outboxRk = (stepId: string) => `${OUTBOX_PREFIX}${stepId}`;

/** How long the turn that wrote a step has to carry out its effects before a sweep may take over. */
export const IN_TURN_CLAIM_MS = 60_000;

/** How long a done row of a step that happens once (a form) stays, so a second submission is told who did it. */
export const DONE_KEPT_MS = 24 * 3600_000;

/** The step id of a form's step: one per form card, so the form's effect happens once. */
export const formStepId = (formId: string) => `f-${formId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 90)}`;

/** The transaction action that writes a step's outbox row beside its state. `keep`: the step happens once (see OutboxRow). */
export function outboxAction(stepId: string, effects: Effect[], now: Date, keep?: { byName: string }): { op: 'create'; rowKey: string; value: OutboxRow } {
  return { op: 'create', rowKey: outboxRk(stepId), value: { kind: 'outbox', stepId, createdAt: now.toISOString(), claimedUntil: new Date(now.getTime() + IN_TURN_CLAIM_MS).toISOString(), effects, outcomes: {}, ...(keep ? { keep } : {}) } };
}

/**
 * The outbox rows of one kind of aggregate: in one partition (Plans/`sp`), or in each of a set of
 * partitions (WaitingList/`q|<providerId>`: one range query per partition when the sweep looks,
 * never a scan of the table). The table holds other rows too (the aggregates); only `o|…` rows
 * are read here.
 */
export class OutboxRows {
  constructor(
    private readonly table: EntityTable<unknown>,
    private readonly partitions: string | (() => Promise<string[]>),
  ) {}

  get name(): string {
    return `${this.table.name}/${typeof this.partitions === 'string' ? this.partitions : '*'}`;
  }

  /** Steps whose effects are not all carried out, oldest first (at most `top` per partition). */
  async pending(top = 100): Promise<Stored<OutboxRow>[]> {
    return (await this.rows(top)).filter((r) => !r.value.done);
  }

  /** Every outbox row: pending ones and done ones kept (oldest first). */
  async rows(top = 100): Promise<Stored<OutboxRow>[]> {
    const pks = typeof this.partitions === 'string' ? [this.partitions] : await this.partitions();
    const rows = (await mapBounded(pks, 8, (pk) => this.table.list(pk, { from: OUTBOX_PREFIX, to: `${OUTBOX_PREFIX}~`, top }))).flat();
    return rows.filter((r): r is Stored<OutboxRow> => isOutboxRow(r.value)).sort((a, b) => a.value.createdAt.localeCompare(b.value.createdAt));
  }

  /** The row of one step, pending or done (the partition its aggregate lives in). */
  async get(partitionKey: string, stepId: string): Promise<Stored<OutboxRow> | undefined> {
    const s = await this.table.get(partitionKey, outboxRk(stepId));
    return s && isOutboxRow(s.value) ? (s as Stored<OutboxRow>) : undefined;
  }

  /** Takes a row for this relay until `until`; undefined when another relay took it first. */
  async claim(row: Stored<OutboxRow>, until: Date): Promise<Stored<OutboxRow> | undefined> {
    try {
      return (await this.table.replace(row.partitionKey, row.rowKey, { ...row.value, claimedUntil: until.toISOString() }, row.etag)) as Stored<OutboxRow>;
    } catch (err) {
      if (err instanceof StorageConflictError) return undefined;
      throw err;
    }
  }

  /** Records what became of an effect (a card sent: its activity id), conditionally on the row's ETag. */
  async record(row: Stored<OutboxRow>, effectId: string, outcome: EffectOutcome): Promise<Stored<OutboxRow>> {
    return (await this.table.replace(row.partitionKey, row.rowKey, { ...row.value, outcomes: { ...row.value.outcomes, [effectId]: outcome } }, row.etag)) as Stored<OutboxRow>;
  }

  /** Every effect is carried out: the row goes — or, for a step that happens once, stays as done (without its effects). */
  async remove(row: Stored<OutboxRow>): Promise<void> {
    if (row.value.keep && !row.value.done) {
      await this.table.replace(row.partitionKey, row.rowKey, { ...row.value, effects: [], outcomes: {}, done: true }, row.etag);
      return;
    }
    await this.table.delete(row.partitionKey, row.rowKey, row.etag);
  }
}
