import type { Storage, StoreItems } from 'botbuilder';
import type { KeyValueStore } from '../storage/keyValue';

/**
 * botbuilder's Storage on Table storage, so a dialog in progress survives a restart and works
 * across instances. Items keep the ETag they were read with; a write carrying a real ETag is
 * conditional (botbuilder's own BotState writes '*', i.e. last writer wins — workflow state
 * therefore lives in the domain tables, which are always written conditionally).
 */
export class TableBotStorage implements Storage {
  constructor(private readonly kv: KeyValueStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const s = await this.kv.read(key);
        if (s) out[key] = { ...(s.value.value as object), eTag: s.etag };
      }),
    );
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...value } = (item ?? {}) as { eTag?: string };
        await this.kv.write(key, value, eTag);
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.kv.delete(k)));
  }
}
