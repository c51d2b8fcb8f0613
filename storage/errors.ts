/** Typed storage errors: the bot turns each into a clear sentence and a log line. */
export class StorageConflictError extends Error {
  override readonly name = 'StorageConflictError';
  constructor(readonly table: string, readonly key: string, readonly statusCode: 409 | 412) {
    super(statusCode === 409 ? `${table}/${key} already exists` : `${table}/${key} was changed by someone else`);
  }
}

export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  constructor(readonly table: string, cause: unknown) {
    super(`table storage is unavailable (${table}): ${describe(cause)}`, { cause });
  }
}

export class StoredDataInvalidError extends Error {
  override readonly name = 'StoredDataInvalidError';
  constructor(readonly table: string, readonly key: string, detail: string) {
    super(`stored entity ${table}/${key} does not match its schema: ${detail}`);
  }
}

function describe(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; statusCode?: unknown; message?: unknown };
    return [o.code, o.statusCode, o.message].filter((x) => x !== undefined).join(' ');
  }
  return String(e);
}

export function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** Network failures and 5xx answers: the service is not there right now. */
export function isUnavailable(e: unknown): boolean {
  const status = statusOf(e);
  if (status !== undefined) return status >= 500 || status === 408;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|REQUEST_SEND_ERROR|UND_ERR_\w+)$/.test(code);
}
