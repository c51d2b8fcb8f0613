import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConversationState, type TurnContext } from 'botbuilder';
import type restify from 'restify';
import { renderMessageCard } from '../cards/message';
import { texts } from '../locale';
import type { CardAction } from '../dialogs/cardActions';
import { createFeatures } from '../dialogs/features';
import { MainDialog } from '../dialogs/mainDialog';
import { EffectsPendingError } from '../dialogs/step';
import type { DialogDeps } from '../dialogs/ports';
import { turnInfo } from '../dialogs/turn';
import { createStores, type Stores } from '../storage';
import { StorageConflictError, StorageUnavailableError } from '../storage/errors';
import { TableClientFactory, type RequestCounter } from '../storage/tableClients';
import { StrictBotFrameworkAuthentication } from './auth';
import type { Config } from './config';
import { correlationIdOf, createLogger, usePseudonymKey, withLogContext, type Logger } from './logger';
import { DEFAULT_RETRY, ProactiveNotifier, type RetryPolicy } from './notifier';
import { createHttpServer, storageTarget, waitForStorage } from './server';
import { TurnsInFlight, cardInvokeBody, replacePressedCard, responseWindowOf } from './responseWindow';
import { availabilityRoutes } from './availability';
import { exportRoutes } from './exportRoute';
import { ExportLinks } from '../dialogs/dataProtection/links';
import type { RetentionReport } from '../storage/retention';
import { toIsoDate } from '../routines/shared/workingDays';
import { ReminderSweep } from './reminderSweep';
import { TableBotStorage } from './tableBotStorage';
import { TeamsBot, errorInfo } from './teamsBot';
import { version } from './version';
import { newId } from './ids';

export interface AppOptions {
  config: Config;
  /** Table storage connection string (a local Azurite's, when the start script launched one). */
  connectionString?: string;
  clock?: () => Date;
  /** New ids for cases, reviews, referrals, plans (default: letters only, see ids.ts). */
  newId?: () => string;
  logger?: Logger;
  retry?: RetryPolicy;
  /** Minimum spacing of proactive messages into one conversation (Teams rate limits). */
  proactiveSpacingMs?: number;
  /** Counts table storage requests (benchmark). */
  requestCounter?: RequestCounter;
}

export interface App {
  server: restify.Server;
  stores: Stores;
  adapter: CloudAdapter;
  /** The turn handler (what /api/messages runs for each activity). */
  bot: TeamsBot;
  deps: DialogDeps;
  log: Logger;
  sweep: ReminderSweep;
  /** Carries out what steps left in their outboxes (run after each sweep); how many steps. */
  relayPending(now: Date): Promise<number>;
  /** The retention sweep (gallring, RETENTION_DAYS): run by the sweep once a day, and by `npm run sweep`. */
  retention(now: Date): Promise<RetentionReport>;
  listen(): Promise<string>;
  /** Runs the reminder sweep every `seconds` (0 = never) until close(). */
  startSweeping(seconds: number): void;
  close(): Promise<void>;
  /** Resolves when every turn has ended, also those that answered before their end (their effects done). */
  idle(): Promise<void>;
  /** Called with the correlation id of every turn that ended (the benchmark's bot reports them). */
  onTurnEnded(fn: (correlationId: string) => void): void;
}

/** Builds the whole bot from configuration: the one place where objects are wired together. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log = opts.logger ?? createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
  usePseudonymKey(config.LOG_PSEUDONYM_KEY);
  const clock = opts.clock ?? (() => new Date());
  const factory = new TableClientFactory({
    connectionString: opts.connectionString ?? (config.TABLES_CONNECTION_STRING || undefined),
    accountUrl: config.TABLES_ACCOUNT_URL || undefined,
    managedIdentityClientId: config.AZURE_CLIENT_ID || undefined,
    prefix: config.TABLE_PREFIX,
    ...(opts.requestCounter ? { counter: opts.requestCounter } : {}),
  });
  const stores = createStores(factory);
  await waitForStorage(() => stores.ensureTables(), { seconds: config.STORAGE_STARTUP_TIMEOUT_SECONDS, target: storageTarget(config, opts.connectionString), log });
  const backfilled = await stores.backfill(clock());
  if (Object.keys(backfilled).length) log.info({ event: 'storage.backfill', backfilled }, 'index rows backfilled');

  // Without an app id (local loopback only, enforced by the config schema) authentication is off.
  const auth = new StrictBotFrameworkAuthentication(
    config.MicrosoftAppId
      ? {
          MicrosoftAppId: config.MicrosoftAppId,
          MicrosoftAppPassword: config.MicrosoftAppPassword,
          MicrosoftAppType: config.MicrosoftAppType,
          MicrosoftAppTenantId: config.MicrosoftAppTenantId,
          ...(config.BOT_OPENID_METADATA_URL ? { ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL, ToBotFromEmulatorOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL } : {}),
        }
      : {},
    log,
  );
  const adapter = new CloudAdapter(auth);
  const notifier = new ProactiveNotifier(adapter, config.MicrosoftAppId, stores.conversations, log, clock, opts.retry ?? DEFAULT_RETRY, opts.proactiveSpacingMs, config.LOCALE_OVERRIDE);
  // The key of export links: its own secret, else derived from the log pseudonym key (the same on every instance), else random per process.
  const exportLinks = new ExportLinks(config.EXPORT_LINK_SECRET || config.LOG_PSEUDONYM_KEY, config.PUBLIC_BASE_URL);
  const deps: DialogDeps = {
    exportLinks,
    stores,
    notifier,
    clock,
    newId: opts.newId ?? newId,
    logScope: (fields, fn) => withLogContext(fields, fn),
    settings: {
      reminderWorkingDaysBefore: config.REMINDER_WORKING_DAYS_BEFORE,
      offerFollowUpWorkingDays: config.OFFER_FOLLOW_UP_WORKING_DAYS,
      invitationReplyWorkingDays: config.INVITATION_REPLY_WORKING_DAYS,
      approvalWorkingDays: config.APPROVAL_WORKING_DAYS,
      kcImplementationPlanDays: config.KC_IMPLEMENTATION_PLAN_DAYS,
      kcRenewalDaysBefore: config.KC_RENEWAL_DAYS_BEFORE,
    },
  };

  const features = createFeatures(deps);
  const cardActions: CardAction[] = features.flatMap((f) => f.cardActions ?? []);
  const conversationState = new ConversationState(new TableBotStorage(stores.botState));
  const bot = new TeamsBot(deps, conversationState, new MainDialog(deps, features), cardActions, log, config.LOCALE_OVERRIDE);

  // Every kind of activity gets an answer the person can read when a turn fails: a card in the
  // conversation for messages and installs, and a card as the invoke response for a card button
  // (without one the adapter answers an empty 501 and Teams shows a generic error).
  adapter.onTurnError = async (ctx: TurnContext, err: Error) => {
    const correlationId = correlationIdOf(ctx) ?? randomUUID();
    let t = texts(config.LOCALE_OVERRIDE || ctx.activity.locale);
    try {
      ({ t } = turnInfo(ctx));
    } catch {
      // the turn failed before the bot resolved it (e.g. storage down): the activity's locale
    }
    const unavailable = err instanceof StorageUnavailableError;
    // A lost race the turn could not retry (e.g. two turns of one conversation writing its dialog state at once).
    const conflict = err instanceof StorageConflictError;
    log[conflict ? 'warn' : 'error']({ correlationId, type: ctx.activity.type, event: unavailable ? 'turn.storageUnavailable' : conflict ? 'turn.conflict' : 'turn.failed', err: errorInfo(err) }, 'turn failed');
    // A step that was committed and whose effects the sweep will finish is not a failure to the person.
    const pending = err instanceof EffectsPendingError;
    const card = pending
      ? renderMessageCard({ title: t.effectsPendingTitle, text: t.effectsPending, tone: 'warning' })
      : renderMessageCard({ title: t.errorTitle, text: unavailable ? t.storageUnavailable : conflict ? t.conflict : t.turnError(correlationId), tone: unavailable || conflict ? 'warning' : 'error' });
    try {
      if (ctx.activity.type === 'invoke') {
        const body = ctx.activity.name === 'adaptiveCard/action' ? cardInvokeBody(card.content) : undefined;
        await ctx.sendActivity({ type: 'invokeResponse', value: body ? { status: 200, body } : { status: unavailable ? 503 : 500 } });
        // The turn had answered already (its step committed): the pressed card becomes this card.
        if (body && responseWindowOf(ctx)?.answered) await replacePressedCard(ctx, card.content);
        return;
      }
      if (ctx.activity.type !== 'message' && ctx.activity.type !== 'conversationUpdate') return;
      await ctx.sendActivity({ attachments: [card] });
    } catch (sendErr) {
      log.error({ correlationId, err: errorInfo(sendErr) }, 'could not tell the person about the failure');
    }
  };

  const turns = new TurnsInFlight();
  const server = createHttpServer({
    turns,
    adapter,
    bot,
    log,
    version,
    routes: [availabilityRoutes(stores.waitingList, config.AVAILABILITY_CACHE_SECONDS), exportRoutes(deps, exportLinks, log, config.LOCALE_OVERRIDE)],
    health: async () => {
      try {
        await withTimeout(stores.ping(), 2000);
        return { storage: 'ok' };
      } catch (err) {
        return { storage: 'unavailable', reason: `table storage does not answer (${(err as Error).message.slice(0, 120)})` };
      }
    },
  });

  const sweep = new ReminderSweep(stores, notifier, log);
  /** The effects of steps a crashed or failed turn left in an outbox (storage/outbox.ts), carried out by whichever instance sweeps. */
  const relayPending = async (now: Date): Promise<number> => {
    let n = 0;
    const failed = (err: unknown, stepId: string) => log.error({ event: 'outbox.failed', stepId, err: errorInfo(err) }, 'a step\'s effects could not be carried out; the next sweep tries again');
    for (const f of features) n += (await withLogContext({ routine: f.id, step: 'outbox.relay' }, () => f.relayPending?.(now, failed))) ?? 0;
    if (n) log.info({ event: 'outbox.relayed', steps: n }, 'outbox steps carried out');
    return n;
  };
  const retention = async (now: Date): Promise<RetentionReport> => {
    const report = await stores.retention.run(now, config.RETENTION_DAYS);
    log.info({ event: 'retention', ...report }, 'retention sweep');
    return report;
  };
  let retainedOn = '';
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping = false;

  return {
    server,
    stores,
    adapter,
    bot,
    deps,
    log,
    sweep,
    relayPending,
    retention,
    startSweeping(seconds) {
      if (seconds <= 0 || sweepTimer) return;
      sweepTimer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        const now = clock();
        withLogContext({ correlationId: `sweep.${randomUUID().slice(0, 8)}`, routine: 'sweep', step: 'run' }, () =>
          sweep
            .run(now)
            .then(() => relayPending(now))
            // Retention once a day per instance (it pages through every ended case).
            .then(() => (retainedOn === toIsoDate(now) ? undefined : retention(now).then(() => (retainedOn = toIsoDate(now))))),
        )
          .catch((err: unknown) => log.error({ event: 'sweep.failed', err: errorInfo(err) }, 'reminder sweep failed'))
          .finally(() => (sweeping = false));
      }, seconds * 1000);
      sweepTimer.unref();
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          const addr = server.address();
          const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          if (!exportLinks.baseUrl) exportLinks.baseUrl = `http://${host}:${addr.port}`;
          resolve(`http://${host}:${addr.port}`);
        });
      }),
    idle: () => turns.idle(),
    onTurnEnded: (fn) => (turns.onEnded = fn),
    close: async () => {
      if (sweepTimer) clearInterval(sweepTimer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await turns.idle();
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
