import { odata } from '@azure/data-tables';
import { z } from 'zod';
import { EntityTable, escapeKey } from './entityTable';

/**
 * Ids per query of getMany. Table storage allows at most 15 comparisons in one $filter
 * (learn.microsoft.com/rest/api/storageservices/querying-tables-and-entities): the partition,
 * the two bounds of the batch's key range and 12 row keys.
 */
export const REFS_PER_QUERY = 12;

/**
 * A person's 1:1 conversation with the bot, kept so the bot can send proactive cards.
 * `reference` is botbuilder's ConversationReference as stored JSON; only bot/ interprets it.
 */
export interface StoredConversation {
  personId: string;
  reference: Record<string, unknown>;
  updatedAt: string;
  /** Set when the channel answered 403: the person removed or blocked the bot. */
  staleSince?: string | undefined;
}

export const storedConversationSchema: z.ZodType<StoredConversation> = z.object({
  personId: z.string().min(1).max(100),
  reference: z.record(z.string(), z.unknown()),
  updatedAt: z.iso.datetime(),
  staleSince: z.iso.datetime().optional(),
});

/** Partition 'person', row = aadObjectId. One writer per person (their own turns), so upsert. */
export class ConversationReferences {
  static readonly PK = 'person';
  constructor(private readonly table: EntityTable<StoredConversation>) {}

  async get(personId: string): Promise<StoredConversation | undefined> {
    return (await this.table.get(ConversationReferences.PK, personId))?.value;
  }
  /**
   * The references of many people, one query per REFS_PER_QUERY ids (sorted, so each query also
   * carries its key range and the service reads only that stretch of the partition, not all of it).
   * Batches run a few at a time. People without a reference are absent from the map.
   */
  async getMany(personIds: readonly string[], parallel = 4): Promise<Map<string, StoredConversation>> {
    const ids = [...new Set(personIds)].sort((a, b) => (escapeKey(a) < escapeKey(b) ? -1 : escapeKey(a) > escapeKey(b) ? 1 : 0));
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += REFS_PER_QUERY) batches.push(ids.slice(i, i + REFS_PER_QUERY));
    const out = new Map<string, StoredConversation>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        if (batch.length === 1) {
          const one = await this.get(batch[0]!);
          if (one) out.set(batch[0]!, one);
          continue;
        }
        const keys = batch.map(escapeKey);
        const eq = keys.map((k) => odata`RowKey eq ${k}`).join(' or ');
        const filter = odata`PartitionKey eq ${ConversationReferences.PK} and RowKey ge ${keys[0]!} and RowKey le ${keys.at(-1)!}` + ` and (${eq})`;
        for (const row of await this.table.query(filter)) out.set(row.value.personId, row.value);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
    return out;
  }
  async save(c: StoredConversation): Promise<void> {
    await this.table.upsert(ConversationReferences.PK, c.personId, c);
  }
  async markStale(personId: string, at: Date): Promise<void> {
    const s = await this.table.get(ConversationReferences.PK, personId);
    if (s && !s.value.staleSince) await this.table.replace(ConversationReferences.PK, personId, { ...s.value, staleSince: at.toISOString() }, s.etag);
  }
}
