import { z } from 'zod';
import { EntityTable } from './entityTable';

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
  async save(c: StoredConversation): Promise<void> {
    await this.table.upsert(ConversationReferences.PK, c.personId, c);
  }
  async markStale(personId: string, at: Date): Promise<void> {
    const s = await this.table.get(ConversationReferences.PK, personId);
    if (s && !s.value.staleSince) await this.table.replace(ConversationReferences.PK, personId, { ...s.value, staleSince: at.toISOString() }, s.etag);
  }
}
