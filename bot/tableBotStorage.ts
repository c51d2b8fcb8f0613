import type { Storage, StoreItems } from 'botbuilder';
import type { KeyValueStore } from '../storage/keyValue';

/**
 * botbuilder's Storage on Table storage, so a dialog in progress survives a restart and works
 * across instances. Every write is conditional on what the turn read: botbuilder's BotState hands
 * back the very object `read` returned (with its `eTag` overwritten by '*', i.e. "last writer
 * wins"), so the ETag it was read with is kept beside that object and used instead; a state that
 * did not exist is created (409 if a parallel turn created it first). Two parallel turns of one
 * conversation therefore cannot silently overwrite each other's dialog step: the second write is
 * a StorageConflictError, and that person is told to try again (bot/app.ts onTurnError).
 */
export class TableBotStorage implements Storage {
  /** The ETag each state object was read (or last written) with. */
  private readonly etags = new WeakMap<object, string>();
  constructor(private readonly kv: KeyValueStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const s = await this.kv.read(key);
        if (!s) return;
        const item = { ...(s.value.value as object), eTag: s.etag };
        this.etags.set(item, s.etag);
        out[key] = item;
      }),
    );
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...value } = (item ?? {}) as { eTag?: string };
        const read = item && typeof item === 'object' ? this.etags.get(item as object) : undefined;
        // A real ETag given by the caller wins; '*' (BotState's) means "as read"; nothing read: create.
        const etag = eTag && eTag !== '*' ? eTag : read;
        const written = etag ? await this.kv.write(key, value, etag) : await this.kv.create(key, value);
        if (item && typeof item === 'object') this.etags.set(item as object, written);
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.kv.delete(k)));
  }
}
