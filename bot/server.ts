import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { TeamsBot } from './teamsBot';
import { describeActivityProblems } from './activitySchema';
import { ResponseWindow, setResponseWindow, type TurnsInFlight } from './responseWindow';
import { CORRELATION_HEADER, newCorrelationId, setCorrelationId, withLogContext, type Logger } from './logger';
import { StorageUnavailableError, statusOf } from '../storage/errors';
import { StartupError, firstLine, usesLocalStorage, type Config } from './config';

export interface HealthReport {
  /** Whether table storage answered a cheap request in time. */
  storage: 'ok' | 'unavailable';
  reason?: string;
}

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: TeamsBot;
  log: Logger;
  health: () => Promise<HealthReport>;
  version: string;
  /** Extra routes a feature serves (e.g. public availability), added without editing this file. */
  routes?: Array<(server: restify.Server) => void>;
  /** Where a turn that answered before its end is followed to its end. */
  turns: TurnsInFlight;
}

/** The HTTP surface: POST /api/messages (Bot Framework) and GET /healthz. */
export function createHttpServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'gbg-rutinstod', handleUncaughtExceptions: false });
  // Idle keep-alive connections stay open longer than a client (the Bot Connector, a load balancer,
  // the benchmark) waits between requests: with Node's 5 s a client reusing a socket just as the
  // server closes it gets ECONNRESET (seen in the quick benchmark). Headers must come before that.
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  server.use(restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false, rejectUnknown: false }));

  server.post('/api/messages', async (req, res) => {
    // One id per turn, in every log line of the turn and in the response, for the operator.
    const correlationId = newCorrelationId((req.body as { id?: unknown } | undefined)?.id);
    res.header(CORRELATION_HEADER, correlationId);
    const problem = describeActivityProblems(req.body);
    if (problem) {
      deps.log.warn({ correlationId, event: 'http.badActivity', problem }, 'rejected malformed activity');
      res.status(400);
      res.json({ error: 'BadRequest', message: `Not a valid activity: ${problem}` });
      return;
    }
    // The turn may answer before it ends (a step committed; its effects follow, bot/responseWindow.ts).
    const window = new ResponseWindow(res);
    // The turn's log context: every line of the turn (the bot, the adapter's error handler, the
    // proactive cards it sends) carries the correlation id; the bot adds the routine and the step.
    const turn = withLogContext({ correlationId }, () =>
      deps.adapter.process(req, window.response, (ctx) => {
        setCorrelationId(ctx, correlationId);
        setResponseWindow(ctx, window);
        return deps.bot.run(ctx);
      }),
    );
    deps.turns.track(turn, correlationId);
    await turn;
  });

  /** 200 when storage answers, 503 when it does not; always says which version runs. */
  server.get('/healthz', async (_req, res) => {
    const h = await deps.health();
    const ok = h.storage === 'ok';
    res.status(ok ? 200 : 503);
    res.json(ok ? { status: 'ok', version: deps.version, storage: h.storage } : { status: 'unavailable', version: deps.version, storage: h.storage, reason: h.reason ?? 'unknown' });
  });

  for (const add of deps.routes ?? []) add(server);

  server.on('restifyError', (req, res, err: Error & { statusCode?: number }, cb: () => void) => {
    if ((err.statusCode ?? 500) >= 500) deps.log.error({ event: 'http.error', url: req.url, err: err.message }, 'request failed');
    return cb();
  });
  return server;
}

/** Which storage the bot talks to, for a start-up line: the variable, and a part that is no secret. */
export function storageTarget(config: Config, localConnectionString?: string): string {
  if (localConnectionString) return `the local Azurite (${/TableEndpoint=([^;]+)/i.exec(localConnectionString)?.[1] ?? 'started by npm start'})`;
  if (config.TABLES_CONNECTION_STRING) {
    const endpoint = /TableEndpoint=([^;]+)/i.exec(config.TABLES_CONNECTION_STRING)?.[1];
    const account = /AccountName=([^;]+)/i.exec(config.TABLES_CONNECTION_STRING)?.[1];
    const where = endpoint ?? (account ? `account ${account}` : /UseDevelopmentStorage=true/i.test(config.TABLES_CONNECTION_STRING) ? 'Azurite at 127.0.0.1:10002' : undefined);
    return `TABLES_CONNECTION_STRING${where ? ` (${where})` : ''}`;
  }
  if (!usesLocalStorage(config)) return `TABLES_ACCOUNT_URL (${config.TABLES_ACCOUNT_URL})`;
  return 'table storage';
}

export interface StorageWait {
  /** How long to keep trying (STORAGE_STARTUP_TIMEOUT_SECONDS); 0 = one attempt. */
  seconds: number;
  /** The storage, in words (storageTarget). */
  target: string;
  log: Logger;
  /** First delay between attempts (doubles each time, at most 8 s). */
  firstDelayMs?: number;
}

/**
 * Start-up's first storage request, retried while storage does not answer (a storage account or
 * emulator still starting, a network path not up yet) with exponential backoff for up to
 * `seconds`; each retry is a warn line. Then, or at once for a refusal that waiting cannot mend
 * (credentials, permissions), a StartupError with one line naming the variable.
 */
export async function waitForStorage(attempt: () => Promise<void>, w: StorageWait): Promise<void> {
  const started = Date.now();
  let delay = w.firstDelayMs ?? 500;
  for (let n = 1; ; n++) {
    try {
      await attempt();
      if (n > 1) w.log.info({ event: 'startup.storageReady', attempts: n }, 'table storage answers');
      return;
    } catch (err) {
      const refusal = storageRefusal(err, w.target);
      if (refusal) throw new StartupError(refusal, { cause: err });
      if (!(err instanceof StorageUnavailableError)) throw err;
      const elapsed = Date.now() - started;
      if (elapsed + delay > w.seconds * 1000) {
        throw new StartupError(`Table storage does not answer at ${w.target} after ${n} attempt${n === 1 ? '' : 's'} over ${Math.round(elapsed / 1000)} s (${reasonOf(err)}): check the account name and that this network reaches it, or raise STORAGE_STARTUP_TIMEOUT_SECONDS`, { cause: err });
      }
      w.log.warn({ event: 'startup.storageUnavailable', attempt: n, retryInMs: delay, err: reasonOf(err) }, 'table storage does not answer yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  }
}

/** A storage answer that waiting will not change: the credentials or the permissions. */
function storageRefusal(err: unknown, target: string): string | undefined {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : '';
  if (/CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError/.test(name)) {
    return `No Azure credential could get a token for ${target} (${firstLine(e?.message)}): in Azure give the app its managed identity and set AZURE_CLIENT_ID to its client id; locally sign in with \`az login\` or set TABLES_CONNECTION_STRING instead`;
  }
  const status = statusOf(err);
  if (status === 401 || status === 403) {
    const code = typeof e?.code === 'string' ? ` ${e.code}` : '';
    return `Table storage refused the bot at ${target} (${status}${code}): ${target.startsWith('TABLES_ACCOUNT_URL') ? 'give the bot\'s identity (AZURE_CLIENT_ID) the role "Storage Table Data Contributor" on the account' : 'check the account key in TABLES_CONNECTION_STRING'}`;
  }
  return undefined;
}

/** The network's word for it (ECONNREFUSED, ENOTFOUND, a 503), else the error's first line. */
function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; statusCode?: unknown; message?: unknown } } | null)?.cause;
  const system = /\bE[A-Z]{3,}\b/.exec(`${String(cause?.message ?? '')} ${(err as Error).message}`)?.[0];
  const code = system ?? cause?.statusCode ?? cause?.code;
  return code !== undefined ? String(code) : firstLine((err as Error).message).slice(0, 120);
}
