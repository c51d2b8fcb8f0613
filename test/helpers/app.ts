import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import type { RequestCounter } from '../../storage/tableClients';
import { seedDemoData, DEMO_STAFF } from '../../storage/demoData';
import { TeamsChannel, type Person } from './activities';
import { ConnectorStandIn } from './connector';
import { testConnectionString, uniquePrefix } from './storage';

export interface RunningBot {
  app: App;
  url: string;
  connector: ConnectorStandIn;
  channel: TeamsChannel;
  /** POSTs an activity to /api/messages; returns status, parsed body and the turn's correlation id header, once the turn has ended. */
  post(activity: unknown): Promise<{ status: number; body: unknown; correlationId: string | null }>;
  stop(): Promise<void>;
  prefix: string;
}

/** Starts the real server (restify + CloudAdapter) on a free port, against Azurite, with the demo directory. */
export interface StartOptions {
  clock?: () => Date;
  /** Ids the bot gives new cases (e.g. ids of an older generator, as stored data still holds them). */
  newId?: () => string;
  prefix?: string;
  seed?: boolean;
  proactiveSpacingMs?: number;
  connectionString?: string;
  env?: Record<string, string>;
  /** Where the bot's JSON log lines go, at level `logLevel` (default: TEST_LOG or silent). */
  logDestination?: { write(line: string): void };
  logLevel?: string;
  /** Sees every table storage request (e.g. to stop storage right after a given write). */
  requestCounter?: RequestCounter;
  /** The Teams side of an earlier bot on the same storage (a restart): its connector and channel, kept running on stop. */
  shared?: { connector: ConnectorStandIn; channel: TeamsChannel };
}

export async function startBot(opts: StartOptions = {}): Promise<RunningBot> {
  const prefix = opts.prefix ?? uniquePrefix();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TABLE_PREFIX: prefix, LOG_LEVEL: process.env.TEST_LOG ?? 'silent', SWEEP_INTERVAL_SECONDS: '0', AVAILABILITY_CACHE_SECONDS: '0', ...opts.env });
  const app = await createApp({ config, connectionString: opts.connectionString ?? testConnectionString(), clock: opts.clock, ...(opts.newId ? { newId: opts.newId } : {}), logger: createLogger(opts.logLevel ?? process.env.TEST_LOG ?? 'silent', opts.logDestination), retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 }, proactiveSpacingMs: opts.proactiveSpacingMs ?? 5, ...(opts.requestCounter ? { requestCounter: opts.requestCounter } : {}) });
  if (opts.seed !== false) await seedDemoData(app.stores);
  const url = await app.listen();
  const connector = opts.shared?.connector ?? new ConnectorStandIn();
  const channel = opts.shared?.channel ?? new TeamsChannel(await connector.start());
  return {
    app,
    url,
    connector,
    channel,
    prefix,
    async post(activity) {
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof activity === 'string' ? activity : JSON.stringify(activity) });
      const text = await res.text();
      // The turn may answer before it ends (a step's effects follow its answer): what a test
      // looks at next is what Teams shows once the turn is over.
      await app.idle();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body, correlationId: res.headers.get('x-correlation-id') };
    },
    async stop() {
      await app.close();
      if (!opts.shared) await connector.stop();
    },
  };
}

export function demoPerson(name: string): Person {
  const p = DEMO_STAFF.find((s) => s.name === name);
  if (!p) throw new Error(`no demo person ${name}`);
  return { id: p.id, name: p.name };
}
