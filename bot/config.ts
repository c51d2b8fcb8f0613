import { z } from 'zod';

/**
 * The bot's whole configuration, read from the environment once, in the composition root.
 * Each entry documents itself (`describe`) so the deployment guide can list every variable.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('Runtime mode. `production` requires MicrosoftAppId and table storage (TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL).'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978).describe('Port of the HTTP server (/api/messages, /healthz).'),
    HOST: z.string().min(1).default('127.0.0.1').describe('Interface to listen on; `0.0.0.0` in Azure. Without MicrosoftAppId only a loopback address is allowed.'),
    MicrosoftAppId: z.string().default('').describe('Client id of the bot identity: the Entra app registration (SingleTenant) or the user-assigned managed identity (UserAssignedMSI). Empty = local mode without Bot Framework authentication (loopback only). Required in production.'),
    MicrosoftAppPassword: z.string().default('').describe('Client secret of the app registration, for MicrosoftAppType=SingleTenant. Must be empty for UserAssignedMSI. A secret: set it as an app setting or Key Vault reference, never in the repository.'),
    MicrosoftAppTenantId: z.string().default('').describe('Entra tenant id of the bot identity. Required for SingleTenant and UserAssignedMSI.'),
    MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant').describe('Bot identity type: SingleTenant (app registration + secret) or UserAssignedMSI (managed identity, no secret). MultiTenant only for bots registered before Azure stopped creating multi-tenant bots (July 2025).'),
    TABLES_CONNECTION_STRING: z.string().default('').describe('Azure Table storage (or Cosmos DB for Table) connection string: a secret, prefer TABLES_ACCOUNT_URL with managed identity. Both empty = `npm start` starts a local Azurite (local mode only: with MicrosoftAppId set it refuses, and `dist/bot/index.js` always needs one of the two).'),
    TABLES_ACCOUNT_URL: z.string().default('').describe('Table service URL (`https://<account>.table.core.windows.net`, or `https://<account>.table.cosmos.azure.com` for Cosmos DB for Table), authenticated with DefaultAzureCredential (managed identity in Azure).'),
    AZURE_CLIENT_ID: z.string().default('').describe('Client id of the user-assigned managed identity that DefaultAzureCredential uses for TABLES_ACCOUNT_URL (the Bicep template uses the bot\'s identity). Empty = DefaultAzureCredential chooses (system-assigned identity, or a developer login locally).'),
    TABLE_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,20}$/, 'letters and digits, starting with a letter').default('gbg').describe('Prefix of every table name, so several environments can share one account.'),
    LOCAL_DATA_DIR: z.string().default('.data/azurite').describe('Folder where the local Azurite keeps its data (git-ignored).'),
    AZURITE_PORT: z.coerce.number().int().min(0).max(65535).default(10002).describe('Port of the local Azurite table service.'),
    PLAYGROUND: z.enum(['auto', 'off']).default('auto').describe('auto = start the Agents Playground in local mode; off = never.'),
    PLAYGROUND_AS: z.string().max(100).default('').describe('Demo person the Agents Playground chats as (a name from storage/demoData.ts); empty = the one in .m365agentsplayground.yml.'),
    LOCALE_OVERRIDE: z.enum(['', 'sv', 'en']).default('').describe('Answer in this language whatever the activity says (the Agents Playground always sends en-US). Empty = follow the activity locale. `npm start` sets sv in local Playground mode unless set.'),
    PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150).describe('Port of the Agents Playground web UI.'),
    SEED_DEMO_DATA: z.enum(['auto', 'off']).default('auto').describe('auto = seed the demo staff directory and providers into empty local storage.'),
    SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86400).default(60).describe('Interval of the reminder sweep inside the bot process; 0 = off (run `npm run sweep` from a scheduler instead).'),
    REMINDER_WORKING_DAYS_BEFORE: z.coerce.number().int().min(0).max(20).default(2).describe('Working days before a due date that the first reminder is sent. Must be less than every working-day deadline below (OFFER_FOLLOW_UP_WORKING_DAYS, INVITATION_REPLY_WORKING_DAYS, APPROVAL_WORKING_DAYS) and than KC_IMPLEMENTATION_PLAN_DAYS, or the reminder would come before the task can be acted on.'),
    AVAILABILITY_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(15).describe('Routine A: seconds each instance keeps the public availability page (/api/availability, /availability) before reading storage again; concurrent requests share one read, so an anonymous flood costs at most one provider read per instance per period. A change of places shows on the public page at most this late. 0 = no cache.'),
    OFFER_FOLLOW_UP_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5).describe('Routine A: working days to reach the first in line before the follow-up reminder. Must be more than REMINDER_WORKING_DAYS_BEFORE.'),
    INVITATION_REPLY_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5).describe('Routine D: working days for the invited to answer before the initiator is reminded. Must be more than REMINDER_WORKING_DAYS_BEFORE.'),
    APPROVAL_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5).describe('Routine D: working days for a supervisor to approve a plan (a binding deadline). Must be more than REMINDER_WORKING_DAYS_BEFORE.'),
    KC_IMPLEMENTATION_PLAN_DAYS: z.coerce.number().int().min(1).max(90).default(14).describe('Routine C: days after the start within which the consultant draws up the implementation plan ("skyndsamt").'),
    KC_RENEWAL_DAYS_BEFORE: z.coerce.number().int().min(1).max(180).default(60).describe('Routine C: days before the one-year decision expires that the social worker is asked to reassess (renew or close).'),
    RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(730).describe('Retention (gallring): days a case that has ended (A: waits in no queue; B review complete, C referral closed or not referred, D plan closed) keeps its identifying data — initials, case reference, free texts — in the bot; then the retention sweep replaces them with a pseudonym, keeping the journal\'s events without their texts and the access log. Form claims, closed tasks, done outbox rows and routine A\'s records of how an offer ended older than this are removed. Default 730: routine B looks two years back; no governing document sets a period for the bot\'s copy (Treserva is the record). See docs/data-protection.md.'),
    EXPORT_LINK_SECRET: z
      .string()
      .default('')
      .refine((k) => k === '' || k.length >= 32, 'must be at least 32 characters: generate one with `openssl rand -hex 32`')
      .describe('Secret key (HMAC-SHA-256) of the short-lived links to a journal export or an access extract (GET /export/<token>, valid 15 minutes). Empty = derived from LOG_PSEUDONYM_KEY when that is set (the same on every instance), else a random key per process (links then work only on the instance that made them, until it restarts). At least 32 characters.'),
    PUBLIC_BASE_URL: z.string().default('').refine((u) => u === '' || /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(u), 'must be an http(s) URL such as https://<app>.azurewebsites.net').describe('The address staff reach the bot at, for the links in export cards (e.g. https://<app>.azurewebsites.net). Empty = the address the server listens on (local mode).'),
    BOT_OPENID_METADATA_URL: z.string().default('').describe('OpenID metadata document for checking the tokens that reach the bot (botbuilder `ToBotFromChannelOpenIdMetadataUrl`). Empty = the Bot Framework default (public cloud); set only for another cloud or a test.'),
    STORAGE_STARTUP_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(600).default(20).describe('How long start-up keeps trying to reach table storage (attempts with backoff from 0.5 s) before it gives up with one line naming the storage variable. 0 = one attempt.'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level. `debug` also prints the stack trace of a start-up failure (otherwise one line).'),
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto').describe('auto = readable lines (pino-pretty) when stdout is a terminal, JSON lines otherwise (App Service, a pipe, a file); json or pretty = always that.'),
    LOG_PSEUDONYM_KEY: z
      .string()
      .default('')
      .refine((k) => k === '' || k.length >= 32, 'must be at least 32 characters: generate one with `openssl rand -hex 32`')
      .describe('Secret key of the pseudonyms that stand for people in the logs (HMAC-SHA-256 of their Entra object id): without it nobody can tell whose lines they are by hashing known ids. Required when MicrosoftAppId is set (a Key Vault reference in Azure; keep it stable, or pseudonyms change); empty in local mode = a fixed development key. At least 32 characters.'),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z
      .string()
      .default('')
      .refine((s) => s.trim() === '' || /(^|;)\s*(InstrumentationKey|IngestionEndpoint)\s*=/i.test(s), 'is not an Application Insights connection string (it has no InstrumentationKey=…): copy it from the resource\'s Overview page, or leave it empty')
      .describe('Application Insights connection string: requests, dependencies (table storage, Bot Connector) and the log lines go to Application Insights through OpenTelemetry. Empty = no telemetry, and its modules are not even loaded.'),
  })
  .superRefine((c, ctx) => {
    const loopback = isLoopbackHost(c.HOST);
    if (!c.MicrosoftAppId) {
      if (c.NODE_ENV === 'production') {
        ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'is required when NODE_ENV=production: an unauthenticated bot must never run in production' });
      } else if (!loopback) {
        ctx.addIssue({ code: 'custom', path: ['HOST'], message: `is ${c.HOST}, but without MicrosoftAppId the bot runs unauthenticated and may only listen on a loopback address (127.0.0.1, ::1, localhost)` });
      }
    } else {
      if (c.MicrosoftAppType !== 'MultiTenant' && !c.MicrosoftAppTenantId) {
        ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: `is required for MicrosoftAppType=${c.MicrosoftAppType}` });
      }
      if (c.MicrosoftAppType === 'UserAssignedMSI' && c.MicrosoftAppPassword) {
        ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'must be empty for MicrosoftAppType=UserAssignedMSI (the managed identity has no secret)' });
      }
    }
    // A "before" reminder must fall after the day its task is opened: the window must be longer than the reminder's lead.
    for (const [window, unit] of [['OFFER_FOLLOW_UP_WORKING_DAYS', 'working days'], ['INVITATION_REPLY_WORKING_DAYS', 'working days'], ['APPROVAL_WORKING_DAYS', 'working days'], ['KC_IMPLEMENTATION_PLAN_DAYS', 'days']] as const) {
      if (c.REMINDER_WORKING_DAYS_BEFORE > 0 && c[window] <= c.REMINDER_WORKING_DAYS_BEFORE) {
        ctx.addIssue({ code: 'custom', path: ['REMINDER_WORKING_DAYS_BEFORE'], message: `is ${c.REMINDER_WORKING_DAYS_BEFORE}, but ${window} is ${c[window]} ${unit}: the first reminder would come before the task can be acted on (make ${window} larger or REMINDER_WORKING_DAYS_BEFORE smaller)` });
      }
    }
    if (c.NODE_ENV === 'production' && !c.TABLES_CONNECTION_STRING && !c.TABLES_ACCOUNT_URL) {
      ctx.addIssue({ code: 'custom', path: ['TABLES_CONNECTION_STRING'], message: 'or TABLES_ACCOUNT_URL is required when NODE_ENV=production (a local Azurite is for development only): set TABLES_ACCOUNT_URL=https://<account>.table.core.windows.net' });
    }
    if (c.TABLES_ACCOUNT_URL) {
      const problem = accountUrlProblem(c.TABLES_ACCOUNT_URL);
      if (problem) ctx.addIssue({ code: 'custom', path: ['TABLES_ACCOUNT_URL'], message: problem });
    }
    if (c.TABLES_CONNECTION_STRING && !looksLikeTableConnectionString(c.TABLES_CONNECTION_STRING)) {
      // Never repeated in the message: it holds the account key.
      ctx.addIssue({ code: 'custom', path: ['TABLES_CONNECTION_STRING'], message: 'is not a storage connection string (no AccountName=…, TableEndpoint=… or UseDevelopmentStorage=true): copy it from the storage account\'s "Access keys" page, or use TABLES_ACCOUNT_URL with a managed identity' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Invalid configuration: one self-contained line per problem, each naming its variable and what to do. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.map((p) => `Invalid configuration: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** What is wrong with a table service URL, in words (undefined = nothing). */
export function accountUrlProblem(value: string): string | undefined {
  const expected = 'expected https://<account>.table.core.windows.net or https://<account>.table.cosmos.azure.com';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL (${expected})`;
  }
  if (url.protocol !== 'https:') return `must use https, not ${url.protocol.replace(/:$/, '')} (${expected})`;
  if (url.username || url.password || url.search || url.hash) return `must be the bare service URL, without credentials, a query (a SAS token belongs in TABLES_CONNECTION_STRING) or a fragment (${expected})`;
  if (url.pathname !== '/' && url.pathname !== '') return `must not name a table or a path (${url.pathname}); the bot names its tables itself (${expected})`;
  return undefined;
}

function looksLikeTableConnectionString(value: string): boolean {
  const keys = new Set(value.split(';').map((part) => part.split('=')[0]!.trim().toLowerCase()).filter(Boolean));
  return /usedevelopmentstorage\s*=\s*true/i.test(value) || keys.has('accountname') || keys.has('tableendpoint');
}

/** Parses an environment (normally `process.env`). Throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(config)'} ${i.message}`));
  }
  return result.data;
}

/** True when the bot must start its own Azurite (no table storage configured). */
export function usesLocalStorage(c: Config): boolean {
  return !c.TABLES_CONNECTION_STRING && !c.TABLES_ACCOUNT_URL;
}

/** Which process reads the configuration: the Azure entry point (dist/bot/index.js) or `npm start`. */
export type EntryPoint = 'azure' | 'npm start';

/**
 * What the schema alone cannot say, because it depends on how the process was started: the Azure
 * entry point never starts a local Azurite, `npm start` starts one only in local mode (no app id),
 * and a bot with an app id (one Teams talks to) keys its log pseudonyms with a secret.
 * One line per problem, each naming the variable and what to do.
 */
export function entryPointProblems(c: Config, entry: EntryPoint): string[] {
  const problems: string[] = [];
  if (usesLocalStorage(c) && c.NODE_ENV !== 'production') {
    if (entry === 'azure') {
      problems.push(`TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL must be set${c.MicrosoftAppId ? ' (MicrosoftAppId is set)' : ''}: dist/bot/index.js never starts a local Azurite; set TABLES_ACCOUNT_URL=https://<account>.table.core.windows.net, or run \`npm start\` for local development`);
    } else if (c.MicrosoftAppId) {
      problems.push('MicrosoftAppId is set but TABLES_CONNECTION_STRING and TABLES_ACCOUNT_URL are empty: npm start starts a local Azurite only in local mode; set TABLES_ACCOUNT_URL (or TABLES_CONNECTION_STRING, e.g. UseDevelopmentStorage=true for an Azurite you run yourself), or leave MicrosoftAppId empty for the Agents Playground');
    }
  }
  if (c.MicrosoftAppId && !c.LOG_PSEUDONYM_KEY) {
    problems.push('LOG_PSEUDONYM_KEY is required when MicrosoftAppId is set: set it to a secret of at least 32 characters (`openssl rand -hex 32`; in Azure a Key Vault reference), and keep it, or the people in older log lines get new pseudonyms');
  }
  return problems;
}

/** The configuration of a real process: the schema, then what its entry point needs (entryPointProblems). */
export function loadStartupConfig(env: Record<string, string | undefined>, entry: EntryPoint): Config {
  const config = loadConfig(env);
  const problems = entryPointProblems(config, entry);
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * A start-up failure an operator can act on: `message` is one line naming the variable and what
 * to do. The entry points print it alone (its stack only with LOG_LEVEL=debug) and exit 1.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function firstLine(message: unknown): string {
  return (typeof message === 'string' ? message : String(message)).split('\n')[0]!.trim().slice(0, 200);
}

/** The one line for a listen failure (a port taken, a port that needs privileges, an address not here). */
export function listenFailure(err: unknown, config: Pick<Config, 'PORT' | 'HOST'>): StartupError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return new StartupError(`PORT ${config.PORT} is already in use on ${config.HOST}: stop the other program or set PORT to a free port`, { cause: err });
  if (code === 'EACCES') return new StartupError(`PORT ${config.PORT} needs privileges on this machine: set PORT to 1024 or above`, { cause: err });
  if (code === 'EADDRNOTAVAIL') return new StartupError(`HOST ${config.HOST} is not an address of this machine: set HOST to one of its addresses (127.0.0.1 locally, 0.0.0.0 in Azure)`, { cause: err });
  return undefined;
}

/**
 * What an entry point prints when start-up fails: one line (the configuration's lines, a
 * StartupError's), the stack trace only with LOG_LEVEL=debug (read from the environment: the
 * configuration may be what failed). Anything unforeseen is still one line, "Start failed: …".
 */
export function startupFailureText(err: unknown, env: Record<string, string | undefined>): string {
  const debug = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  const known = err instanceof ConfigError || err instanceof StartupError;
  const line = known ? (err as Error).message : `Start failed: ${firstLine(err instanceof Error ? err.message : err)}${debug ? '' : ' (LOG_LEVEL=debug shows the stack trace)'}`;
  if (!debug || !(err instanceof Error)) return line;
  const cause = (err as { cause?: unknown }).cause;
  return [line, err.stack ?? '', cause instanceof Error ? `Caused by: ${cause.stack ?? cause.message}` : ''].filter(Boolean).join('\n');
}
