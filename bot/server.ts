import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { TeamsBot } from './teamsBot';
import { describeActivityProblems } from './activitySchema';
import { ResponseWindow, setResponseWindow, type TurnsInFlight } from './responseWindow';
import { CORRELATION_HEADER, newCorrelationId, setCorrelationId, type Logger } from './logger';

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
    const turn = deps.adapter.process(req, window.response, (ctx) => {
      setCorrelationId(ctx, correlationId);
      setResponseWindow(ctx, window);
      return deps.bot.run(ctx);
    });
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
