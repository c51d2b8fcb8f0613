import { odata, type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { z } from 'zod';
import { noteWrite } from './turnScope';
import { StorageConflictError, StorageUnavailableError, StoredDataInvalidError, isUnavailable, statusOf } from './errors';

/** A stored value with the ETag it was read with (pass it back to write conditionally). */
export interface Stored<T> {
  partitionKey: string;
  rowKey: string;
  value: T;
  etag: string;
}

interface RawEntity {
  partitionKey: string;
  rowKey: string;
  data: string;
}

/** Characters Table storage forbids in keys are escaped; everything else stays readable. */
export function escapeKey(key: string): string {
  return key.replace(/[\\/#?%\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * One table of one aggregate. Values are validated with zod on every read and write and kept
 * as JSON in a `data` column (keys carry what queries need). Every update is conditional on an
 * ETag; a lost race surfaces as StorageConflictError, never as a silent overwrite.
 */
export class EntityTable<T> {
  constructor(
    readonly client: TableClient,
    private readonly schema: z.ZodType<T>,
  ) {}

  get name(): string {
    return this.client.tableName;
  }

  async ensure(): Promise<void> {
    await this.call('(create)', () => this.client.createTable());
  }

  async get(partitionKey: string, rowKey: string): Promise<Stored<T> | undefined> {
    try {
      const e = await this.call(`${partitionKey}/${rowKey}`, () => this.client.getEntity<RawEntity>(escapeKey(partitionKey), escapeKey(rowKey)));
      return this.parse(e);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  /** Creates the entity; StorageConflictError(409) if it exists. */
  async create(partitionKey: string, rowKey: string, value: T): Promise<Stored<T>> {
    const data = this.serialize(value);
    const r = await this.write(`${partitionKey}/${rowKey}`, () => this.client.createEntity({ partitionKey: escapeKey(partitionKey), rowKey: escapeKey(rowKey), data }));
    return { partitionKey, rowKey, value, etag: r.etag ?? '' };
  }

  /**
   * Replaces the entity only if it still has `etag`; StorageConflictError(412) otherwise — also
   * when someone deleted it meanwhile (the read it was based on is just as stale).
   */
  async replace(partitionKey: string, rowKey: string, value: T, etag: string): Promise<Stored<T>> {
    const data = this.serialize(value);
    const key = `${partitionKey}/${rowKey}`;
    try {
      const r = await this.write(key, () => this.client.updateEntity({ partitionKey: escapeKey(partitionKey), rowKey: escapeKey(rowKey), data }, 'Replace', { etag }));
      return { partitionKey, rowKey, value, etag: r.etag ?? '' };
    } catch (err) {
      if (statusOf(err) === 404) throw new StorageConflictError(this.name, key, 412);
      throw err;
    }
  }

  /** Unconditional write, only for data with a single writer (e.g. a conversation reference). */
  async upsert(partitionKey: string, rowKey: string, value: T): Promise<Stored<T>> {
    const data = this.serialize(value);
    const r = await this.write(`${partitionKey}/${rowKey}`, () => this.client.upsertEntity({ partitionKey: escapeKey(partitionKey), rowKey: escapeKey(rowKey), data }, 'Replace'));
    return { partitionKey, rowKey, value, etag: r.etag ?? '' };
  }

  /** Deletes (conditionally when an etag is given). A missing entity is not an error. */
  async delete(partitionKey: string, rowKey: string, etag?: string): Promise<void> {
    try {
      await this.write(`${partitionKey}/${rowKey}`, () => this.client.deleteEntity(escapeKey(partitionKey), escapeKey(rowKey), etag ? { etag } : undefined));
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw err;
    }
  }

  /** Rows of one partition in row-key order, optionally within [from, to) and at most `top`. */
  async list(partitionKey: string, opts: { from?: string; to?: string; top?: number } = {}): Promise<Stored<T>[]> {
    let filter = odata`PartitionKey eq ${escapeKey(partitionKey)}`;
    if (opts.from !== undefined) filter += ' and ' + odata`RowKey ge ${escapeKey(opts.from)}`;
    if (opts.to !== undefined) filter += ' and ' + odata`RowKey lt ${escapeKey(opts.to)}`;
    return this.query(filter, opts.top);
  }

  /** Rows matching an odata filter (build it with the `odata` tag), at most `top`. */
  async query(filter: string, top?: number): Promise<Stored<T>[]> {
    return this.call('(query)', async () => {
      const out: Stored<T>[] = [];
      const pages = this.client.listEntities<RawEntity>({ queryOptions: { filter } }).byPage({ maxPageSize: top && top < 1000 ? top : 1000 });
      for await (const page of pages) {
        for (const e of page) {
          out.push(this.parse(e));
          if (top !== undefined && out.length >= top) return out;
        }
      }
      return out;
    });
  }

  /** Atomic batch within one partition (≤ 100 rows). */
  async transact(partitionKey: string, actions: Array<{ op: 'create' | 'replace' | 'delete'; rowKey: string; value?: T; etag?: string }>): Promise<void> {
    const pk = escapeKey(partitionKey);
    const tx: TransactionAction[] = actions.map((a) => {
      const rk = escapeKey(a.rowKey);
      if (a.op === 'delete') return ['delete', { partitionKey: pk, rowKey: rk }] as TransactionAction;
      const entity = { partitionKey: pk, rowKey: rk, data: this.serialize(a.value as T) };
      if (a.op === 'create') return ['create', entity] as TransactionAction;
      return ['update', entity, 'Replace', a.etag ? { etag: a.etag } : undefined] as TransactionAction;
    });
    await this.write(`${partitionKey}/(batch)`, () => this.client.submitTransaction(tx));
  }

  private serialize(value: T): string {
    const checked = this.schema.parse(value);
    return JSON.stringify(checked);
  }

  private parse(e: TableEntityResult<RawEntity> | (RawEntity & { etag: string })): Stored<T> {
    const key = `${e.partitionKey}/${e.rowKey}`;
    let json: unknown;
    try {
      json = JSON.parse(e.data);
    } catch {
      throw new StoredDataInvalidError(this.name, key, 'data is not JSON');
    }
    const r = this.schema.safeParse(json);
    if (!r.success) throw new StoredDataInvalidError(this.name, key, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return { partitionKey: unescapeKey(e.partitionKey), rowKey: unescapeKey(e.rowKey), value: r.data, etag: e.etag };
  }

  /**
   * A write, counted in the turn's scope when it reached storage or may have: not when storage
   * refused it (conflict, bad request) or the connection was refused (nothing was sent).
   */
  private async write<R>(key: string, fn: () => Promise<R>): Promise<R> {
    try {
      const r = await this.call(key, fn);
      noteWrite();
      return r;
    } catch (err) {
      if (err instanceof StorageUnavailableError && !neverSent(err.cause)) noteWrite();
      throw err;
    }
  }

  private async call<R>(key: string, fn: () => Promise<R>, recreated = false): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      // A table that vanished (storage reset, or an emulator restarted without its data) is
      // created again and the request repeated once, instead of failing every turn from then on.
      if (!recreated && key !== '(create)' && isTableNotFound(err)) {
        await this.client.createTable();
        return this.call(key, fn, true);
      }
      const status = statusOf(err);
      if (status === 409 || status === 412) {
        // Creating a table that exists is fine.
        if (key === '(create)' && status === 409) return undefined as R;
        throw new StorageConflictError(this.name, key, status);
      }
      if (isUnavailable(err)) throw new StorageUnavailableError(this.name, err);
      throw err;
    }
  }
}

/** The request never reached the service (connection refused), so it cannot have changed anything. */
function neverSent(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'ECONNREFUSED' || (typeof e?.message === 'string' && e.message.includes('ECONNREFUSED'));
}

function isTableNotFound(err: unknown): boolean {
  if (statusOf(err) !== 404) return false;
  const e = err as { code?: unknown; message?: unknown };
  return e.code === 'TableNotFound' || (typeof e.message === 'string' && e.message.includes('TableNotFound'));
}

export function unescapeKey(key: string): string {
  return key.replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
