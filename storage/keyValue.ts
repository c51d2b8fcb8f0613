import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EntityTable, type Stored } from './entityTable';

export interface KeyValueItem {
  key: string;
  value: unknown;
}
const itemSchema: z.ZodType<KeyValueItem> = z.object({ key: z.string(), value: z.unknown() });

/**
 * JSON documents by arbitrary string key, with ETags (used by bot/ for dialog and user state).
 * Keys may contain characters Table storage forbids and may be long, so the row key is a hash
 * and the original key is kept in the document; partitions spread by the hash's first byte.
 */
export class KeyValueStore {
  constructor(private readonly table: EntityTable<KeyValueItem>) {}

  static schema = itemSchema;

  private static keys(key: string): { pk: string; rk: string } {
    const h = createHash('sha256').update(key).digest('hex');
    return { pk: h.slice(0, 2), rk: h };
  }

  async read(key: string): Promise<Stored<KeyValueItem> | undefined> {
    const { pk, rk } = KeyValueStore.keys(key);
    return this.table.get(pk, rk);
  }

  /** Writes: with an etag only if unchanged since; with '*' or none, last writer wins. */
  async write(key: string, value: unknown, etag?: string): Promise<string> {
    const { pk, rk } = KeyValueStore.keys(key);
    const item = { key, value };
    if (etag && etag !== '*') return (await this.table.replace(pk, rk, item, etag)).etag;
    return (await this.table.upsert(pk, rk, item)).etag;
  }

  /** Creates the document; StorageConflictError(409) when it exists already. */
  async create(key: string, value: unknown): Promise<string> {
    const { pk, rk } = KeyValueStore.keys(key);
    return (await this.table.create(pk, rk, { key, value })).etag;
  }

  async delete(key: string): Promise<void> {
    const { pk, rk } = KeyValueStore.keys(key);
    await this.table.delete(pk, rk);
  }
}
