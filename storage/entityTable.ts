import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
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
  /** The JSON (or its first piece); further pieces in data1, data2, … */
  data: string;
  /** On a head row split over several rows: how many rows (itself included) and the write's stamp. */
  parts?: number;
  gen?: string;
  /** 'deflate': the pieces are the base64 of the raw-deflated UTF-8 JSON (every split value). */
  enc?: string;
  /** On a continuation row: the head's row key and this row's number (1, 2, …). */
  partOf?: string;
  part?: number;
  [piece: `data${number}`]: string | undefined;
}

/**
 * Table storage's limits (see docs/storage.md): 64 KiB per string property (Azurite refuses a
 * 40,000-character one), 1 MiB per entity, ≤ 100 entities and 4 MiB per entity-group transaction.
 * A value's JSON is cut into pieces of at most PIECE UTF-16 units (≤ 30 KB as UTF-16, ≤ 45 KB as
 * UTF-8), PIECES_PER_ROW pieces a row (≤ 675 KB), and as many rows of the same partition as it
 * takes, all written in one transaction — so no aggregate can outgrow an entity. A value that fits
 * one piece is stored exactly as before (one `data` property): old rows read as they are. A
 * larger one is deflated and base64-encoded first (no escaping in the request, text shrinks about
 * threefold), so even a referral with every list and text at its schema's maximum stays well
 * inside one transaction's 4 MiB.
 */
export const PIECE = 15_000;
export const PIECES_PER_ROW = 15;
/** Largest encoded value accepted (ASCII characters): with the rows' own overhead inside one 4 MiB transaction. */
export const MAX_ENCODED = 3_800_000;
const PART = '~part~';
const partKey = (escapedRowKey: string, n: number) => `${escapedRowKey}${PART}${String(n).padStart(3, '0')}`;

/** Pieces of at most PIECE units, never cutting a surrogate pair. */
function pieces(json: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length; ) {
    let end = Math.min(i + PIECE, json.length);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(json.slice(i, end));
    i = end;
  }
  return out.length ? out : [''];
}

function pieceProps(list: string[]): Record<string, string> {
  const props: Record<string, string> = {};
  list.forEach((p, i) => (props[i === 0 ? 'data' : `data${i}`] = p));
  return props;
}

function joinPieces(row: object): string {
  const e = row as Record<string, unknown>;
  let json = typeof e['data'] === 'string' ? e['data'] : '';
  for (let i = 1; typeof e[`data${i}`] === 'string'; i++) json += e[`data${i}`] as string;
  return json;
}

function decode(head: { enc?: string | undefined }, joined: string): string {
  return head.enc === 'deflate' ? inflateRawSync(Buffer.from(joined, 'base64')).toString('utf8') : joined;
}

/** The rows a JSON value is stored in: the head first (escaped keys). */
function layout(pk: string, rk: string, json: string, split = true, table = ''): Array<Record<string, unknown> & { partitionKey: string; rowKey: string }> {
  if (json.length <= PIECE) return [{ partitionKey: pk, rowKey: rk, data: json }];
  if (!split) throw new Error(`value too large for a row of ${table} (${json.length} characters, at most ${PIECE}; its schema must bound it)`);
  const encoded = deflateRawSync(Buffer.from(json, 'utf8')).toString('base64');
  if (encoded.length > MAX_ENCODED) throw new Error(`value too large for one transaction (${json.length} characters, ${encoded.length} encoded, at most ${MAX_ENCODED})`);
  const all = pieces(encoded);
  const rows: string[][] = [];
  for (let i = 0; i < all.length; i += PIECES_PER_ROW) rows.push(all.slice(i, i + PIECES_PER_ROW));
  const gen = randomBytes(8).toString('hex');
  return rows.map((r, n) =>
    n === 0 ? { partitionKey: pk, rowKey: rk, ...pieceProps(r), parts: rows.length, gen, enc: 'deflate' } : { partitionKey: pk, rowKey: partKey(rk, n), ...pieceProps(r), partOf: rk, part: n, gen },
  );
}

/** Characters Table storage forbids in keys are escaped; everything else stays readable. */
export function escapeKey(key: string): string {
  return key.replace(/[\\/#?%\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * One table of one aggregate. Values are validated with zod on every read and write and kept
 * as JSON in a `data` column (keys carry what queries need); a value too large for one property
 * is split over several properties and rows of its partition (see `layout`), written in one
 * transaction. Every update is conditional on the head row's ETag; a lost race surfaces as
 * StorageConflictError, never as a silent overwrite.
 */
export class EntityTable<T> {
  constructor(
    readonly client: TableClient,
    private readonly schema: z.ZodType<T>,
    /**
     * `split: false` for tables of small bounded rows that are deleted often (tasks, reminders,
     * claims): a value is never split (one too large is an error), so a delete needs no look for
     * continuation rows.
     */
    private readonly opts: { split?: boolean } = {},
  ) {}

  private layout(pk: string, rk: string, value: T) {
    return layout(pk, rk, this.serialize(value), this.opts.split !== false, this.name);
  }

  get name(): string {
    return this.client.tableName;
  }

  async ensure(): Promise<void> {
    await this.call('(create)', () => this.client.createTable());
  }

  async get(partitionKey: string, rowKey: string): Promise<Stored<T> | undefined> {
    for (let attempt = 0; ; attempt++) {
      let e: TableEntityResult<RawEntity>;
      try {
        e = await this.call(`${partitionKey}/${rowKey}`, () => this.client.getEntity<RawEntity>(escapeKey(partitionKey), escapeKey(rowKey)));
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
      const whole = await this.assemble(e);
      if (whole) return this.parse(whole);
      // A writer replaced the value between reading the head and its other rows: read again.
      if (attempt >= 5) throw new StorageConflictError(this.name, `${partitionKey}/${rowKey}`, 412);
    }
  }

  /** Creates the entity; StorageConflictError(409) if it exists. */
  async create(partitionKey: string, rowKey: string, value: T): Promise<Stored<T>> {
    const rows = this.layout(escapeKey(partitionKey), escapeKey(rowKey), value);
    const key = `${partitionKey}/${rowKey}`;
    if (rows.length === 1) {
      const r = await this.write(key, () => this.client.createEntity(rows[0]!));
      return { partitionKey, rowKey, value, etag: r.etag ?? '' };
    }
    const [head, ...rest] = rows;
    const etag = await this.submit(key, [['create', head!], ...rest.map((r) => ['upsert', r, 'Replace'] as TransactionAction)]);
    return { partitionKey, rowKey, value, etag };
  }

  /**
   * Replaces the entity only if it still has `etag`; StorageConflictError(412) otherwise — also
   * when someone deleted it meanwhile (the read it was based on is just as stale).
   */
  async replace(partitionKey: string, rowKey: string, value: T, etag: string): Promise<Stored<T>> {
    const rows = this.layout(escapeKey(partitionKey), escapeKey(rowKey), value);
    const key = `${partitionKey}/${rowKey}`;
    try {
      if (rows.length === 1) {
        const r = await this.write(key, () => this.client.updateEntity(rows[0]!, 'Replace', { etag }));
        return { partitionKey, rowKey, value, etag: r.etag ?? '' };
      }
      const [head, ...rest] = rows;
      const newEtag = await this.submit(key, [['update', head!, 'Replace', { etag }], ...rest.map((r) => ['upsert', r, 'Replace'] as TransactionAction)]);
      return { partitionKey, rowKey, value, etag: newEtag };
    } catch (err) {
      if (statusOf(err) === 404) throw new StorageConflictError(this.name, key, 412);
      throw err;
    }
  }

  /** Unconditional write, only for data with a single writer (e.g. a conversation reference). */
  async upsert(partitionKey: string, rowKey: string, value: T): Promise<Stored<T>> {
    const rows = this.layout(escapeKey(partitionKey), escapeKey(rowKey), value);
    const key = `${partitionKey}/${rowKey}`;
    if (rows.length === 1) {
      const r = await this.write(key, () => this.client.upsertEntity(rows[0]!, 'Replace'));
      return { partitionKey, rowKey, value, etag: r.etag ?? '' };
    }
    const etag = await this.submit(key, rows.map((r) => ['upsert', r, 'Replace'] as TransactionAction));
    return { partitionKey, rowKey, value, etag };
  }

  /** Deletes (conditionally when an etag is given), with the rows a split value continues in. A missing entity is not an error. */
  async delete(partitionKey: string, rowKey: string, etag?: string): Promise<void> {
    try {
      await this.write(`${partitionKey}/${rowKey}`, () => this.client.deleteEntity(escapeKey(partitionKey), escapeKey(rowKey), etag ? { etag } : undefined));
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw err;
    }
    if (this.opts.split === false) return;
    for (const part of await this.partRows(partitionKey, rowKey)) {
      try {
        await this.write(`${partitionKey}/${part.rowKey}`, () => this.client.deleteEntity(part.partitionKey, part.rowKey));
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }
  }

  /** Rows of one partition in row-key order, optionally within [from, to) and at most `top`. */
  async list(partitionKey: string, opts: { from?: string; to?: string; top?: number } = {}): Promise<Stored<T>[]> {
    let filter = odata`PartitionKey eq ${escapeKey(partitionKey)}`;
    if (opts.from !== undefined) filter += ' and ' + odata`RowKey ge ${escapeKey(opts.from)}`;
    if (opts.to !== undefined) filter += ' and ' + odata`RowKey lt ${escapeKey(opts.to)}`;
    return this.query(filter, opts.top);
  }

  /** Rows matching an odata filter (build it with the `odata` tag), at most `top`. The rows a split value continues in are joined to it. */
  async query(filter: string, top?: number): Promise<Stored<T>[]> {
    const heads = await this.call('(query)', async () => {
      const out: Array<TableEntityResult<RawEntity>> = [];
      const pages = this.client.listEntities<RawEntity>({ queryOptions: { filter } }).byPage({ maxPageSize: top && top < 1000 ? top : 1000 });
      for await (const page of pages) {
        for (const e of page) {
          if (e.partOf !== undefined) continue;
          out.push(e);
          if (top !== undefined && out.length >= top) return out;
        }
      }
      return out;
    });
    const out: Stored<T>[] = [];
    for (const e of heads) {
      const whole = await this.assemble(e);
      if (whole) out.push(this.parse(whole));
      else {
        // Rewritten since the query read it: take the current value (or none, if deleted).
        const now = await this.get(unescapeKey(e.partitionKey), unescapeKey(e.rowKey));
        if (now) out.push(now);
      }
    }
    return out;
  }

  /**
   * Rows matching an odata filter (empty = every row), one page (at most `pageSize` rows) at a time, so a caller that
   * goes through a whole table (the retention sweep) holds one page in memory, never the table.
   * Rows may be written or deleted between pages (the continuation token follows the keys).
   */
  async *pages(filter: string, pageSize = 200): AsyncGenerator<Stored<T>[]> {
    const it = this.client.listEntities<RawEntity>({ queryOptions: filter ? { filter } : {} }).byPage({ maxPageSize: pageSize });
    for (;;) {
      const page = await this.call('(query)', () => it.next());
      if (page.done) return;
      const out: Stored<T>[] = [];
      for (const e of page.value) {
        if (e.partOf !== undefined) continue;
        const whole = await this.assemble(e);
        if (whole) out.push(this.parse(whole));
        else {
          const now = await this.get(unescapeKey(e.partitionKey), unescapeKey(e.rowKey));
          if (now) out.push(now);
        }
      }
      yield out;
    }
  }

  /**
   * Atomic batch within one partition (≤ 100 rows, counting the rows a large value is split into).
   * `replace` and `delete` are conditional when given an etag; `upsert` is not. Returns the new
   * ETag of the first action's row (empty for a delete).
   */
  async transact(partitionKey: string, actions: Array<{ op: 'create' | 'replace' | 'upsert' | 'delete'; rowKey: string; value?: T; etag?: string }>): Promise<string> {
    return (await this.transactEtags(partitionKey, actions))[0] ?? '';
  }

  /** As `transact`, with the new ETag of every action's (head) row, in the order given (empty for a delete). */
  async transactEtags(partitionKey: string, actions: Array<{ op: 'create' | 'replace' | 'upsert' | 'delete'; rowKey: string; value?: T; etag?: string }>): Promise<string[]> {
    const pk = escapeKey(partitionKey);
    const heads: number[] = [];
    let n = 0;
    const tx: TransactionAction[] = actions.flatMap((a) => {
      heads.push(n);
      const rows = this.actionRows(pk, a);
      n += rows.length;
      return rows;
    });
    const etags = await this.submitAll(`${partitionKey}/(batch)`, tx);
    return heads.map((i) => etags[i] ?? '');
  }

  /** The transaction actions of one row's write: its head, then the rows a large value continues in. */
  private actionRows(pk: string, a: { op: 'create' | 'replace' | 'upsert' | 'delete'; rowKey: string; value?: T; etag?: string }): TransactionAction[] {
    const rk = escapeKey(a.rowKey);
    if (a.op === 'delete') return [['delete', { partitionKey: pk, rowKey: rk }, ...(a.etag ? [{ etag: a.etag }] : [])] as TransactionAction];
    const [head, ...rest] = this.layout(pk, rk, a.value as T);
    const more = rest.map((r) => ['upsert', r, 'Replace'] as TransactionAction);
    if (a.op === 'create') return [['create', head!], ...more];
    if (a.op === 'upsert') return [['upsert', head!, 'Replace'], ...more];
    return [['update', head!, 'Replace', a.etag ? { etag: a.etag } : undefined], ...more];
  }

  /** One entity-group transaction; the ETag of its first row (the head). */
  private async submit(key: string, tx: TransactionAction[]): Promise<string> {
    return (await this.submitAll(key, tx))[0] ?? '';
  }

  /** One entity-group transaction; the ETag of every row, in order. */
  private async submitAll(key: string, tx: TransactionAction[]): Promise<string[]> {
    if (tx.length > 100) throw new Error(`a transaction holds at most 100 rows (${tx.length} for ${this.name} ${key})`);
    const r = await this.write(key, () => this.client.submitTransaction(tx));
    return r.subResponses.map((s) => s.etag ?? '');
  }

  /** The continuation rows of a split value (escaped keys), whatever their stamp. */
  private async partRows(partitionKey: string, rowKey: string): Promise<Array<TableEntityResult<RawEntity>>> {
    const rk = escapeKey(rowKey);
    const filter = odata`PartitionKey eq ${escapeKey(partitionKey)} and RowKey ge ${rk + PART} and RowKey lt ${rk + PART + '~'}`;
    return this.call('(query)', async () => {
      const out: Array<TableEntityResult<RawEntity>> = [];
      for await (const e of this.client.listEntities<RawEntity>({ queryOptions: { filter } })) if (e.partOf === rk) out.push(e);
      return out;
    });
  }

  /** The head row with its value's whole JSON in `data`; undefined when its rows are of different writes. */
  private async assemble(head: TableEntityResult<RawEntity>): Promise<(TableEntityResult<RawEntity> & { data: string }) | undefined> {
    const parts = head.parts ?? 1;
    if (parts <= 1) return { ...head, data: decode(head, joinPieces(head)) };
    const rows = await this.partRows(unescapeKey(head.partitionKey), unescapeKey(head.rowKey));
    let json = joinPieces(head);
    for (let n = 1; n < parts; n++) {
      const row = rows.find((r) => r.part === n && r.gen === head.gen);
      if (!row) return undefined;
      json += joinPieces(row);
    }
    return { ...head, data: decode(head, json) };
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
