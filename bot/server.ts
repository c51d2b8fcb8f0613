import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { TeamsBot } from './teamsBot';
import { describeActivityProblems } from './activitySchema';
import type { Logger } from './logger';

export interface HealthReport {
  ok: boolean;
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
}

/** The HTTP surface: POST /api/messages (Bot Framework) and GET /healthz. */
export function createHttpServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'gbg-rutinstod', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false, rejectUnknown: false }));

  server.post('/api/messages', async (req, res) => {
    const problem = describeActivityProblems(req.body);
    if (problem) {
      deps.log.warn({ event: 'http.badActivity', problem }, 'rejected malformed activity');
      res.status(400);
      res.json({ error: 'BadRequest', message: `Not a valid activity: ${problem}` });
      return;
    }
    await deps.adapter.process(req, res, (ctx) => deps.bot.run(ctx));
  });

  server.get('/healthz', async (_req, res) => {
    const h = await deps.health();
    res.status(h.ok ? 200 : 503);
    res.json(h.ok ? { status: 'ok', version: deps.version } : { status: 'unavailable', reason: h.reason ?? 'unknown', version: deps.version });
  });

  for (const add of deps.routes ?? []) add(server);

  server.on('restifyError', (req, res, err: Error & { statusCode?: number }, cb: () => void) => {
    if ((err.statusCode ?? 500) >= 500) deps.log.error({ event: 'http.error', url: req.url, err: err.message }, 'request failed');
    return cb();
  });
  return server;
}
