import path from 'node:path';
import type { DestinationStream } from 'pino';

/**
 * Application Insights, only when APPLICATIONINSIGHTS_CONNECTION_STRING is set: incoming requests
 * and traces, dependencies (table storage through the Azure SDK and HTTP, the Bot Connector over
 * HTTP) and the bot's log lines, through @azure/monitor-opentelemetry (OpenTelemetry).
 *
 * The package and OpenTelemetry are required here and only here, lazily: without the variable not
 * one of their modules is loaded (the process runs in a 192 MB heap, bot/runtime.ts). Started first
 * thing by the entry points (bot/index.ts, scripts/start.ts), before the modules it instruments
 * (http, the Azure SDK) are loaded, so this file imports nothing heavy itself.
 */

export interface TelemetryStatus {
  /** 'azure-monitor' when the exporter runs, 'off' otherwise. */
  mode: 'azure-monitor' | 'off';
}

let logStream: DestinationStream | undefined;
let started = false;

/** Starts the exporter when the connection string is set (idempotent). Returns what runs. */
export function startTelemetry(env: { APPLICATIONINSIGHTS_CONNECTION_STRING?: string | undefined }): TelemetryStatus {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim() ?? '';
  if (!connectionString) return { mode: 'off' };
  if (started) return { mode: 'azure-monitor' };
  // The role name Application Insights shows (service.name), unless the operator set another.
  process.env.OTEL_SERVICE_NAME ??= 'gbg-rutinstod';
  // The distribution raises the Azure SDK's own logging to warnings, on the console: one
  // "baseUri is deprecated" line per table client, and text among the JSON lines. Errors only,
  // unless the operator asks for more (AZURE_LOG_LEVEL).
  process.env.AZURE_LOG_LEVEL ??= 'error';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { useAzureMonitor } = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // Requests and outgoing HTTP (the Bot Connector, token endpoints); the Azure SDK's own spans (table storage).
    instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true }, mongoDb: { enabled: false }, mySql: { enabled: false }, postgreSql: { enabled: false }, redis: { enabled: false }, redis4: { enabled: false }, bunyan: { enabled: false }, winston: { enabled: false } },
    enableLiveMetrics: false,
  });
  started = true;
  logStream = otelLogStream();
  return { mode: 'azure-monitor' };
}

/** Where createLogger also writes each line when telemetry runs (undefined = it does not). */
export function telemetryLogStream(): DestinationStream | undefined {
  return logStream;
}

/** True when a module of OpenTelemetry or the Azure Monitor distribution is loaded in this process. */
export function telemetryModulesLoaded(): boolean {
  return Object.keys(require.cache).some((file) => /[\\/](@opentelemetry|@azure[\\/]monitor-opentelemetry)[\\/]/.test(file));
}

/** Flushes and stops the exporter (at shutdown); nothing when it never started. */
export async function stopTelemetry(): Promise<void> {
  if (!started) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { shutdownAzureMonitor } = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  await shutdownAzureMonitor().catch(() => undefined);
}

/** pino's numeric levels → OpenTelemetry severity numbers. */
const SEVERITY: Record<number, [number, string]> = { 10: [1, 'TRACE'], 20: [5, 'DEBUG'], 30: [9, 'INFO'], 40: [13, 'WARN'], 50: [17, 'ERROR'], 60: [21, 'FATAL'] };

/**
 * A pino destination that turns each JSON line into an OpenTelemetry log record (Application
 * Insights "traces"), with the line's fields as attributes. pino has no instrumentation in the
 * Azure Monitor distribution, so the lines are handed over here; the record is emitted in the
 * caller's context, so it is tied to the request or dependency it happened in.
 */
function otelLogStream(): DestinationStream {
  // The logs API of the distribution's own OpenTelemetry (the copy its logger provider registered with).
  const fromDistro = path.dirname(require.resolve('@azure/monitor-opentelemetry'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { logs } = require(require.resolve('@opentelemetry/api-logs', { paths: [fromDistro] })) as { logs: { getLogger(name: string): { emit(record: Record<string, unknown>): void } } };
  const logger = logs.getLogger('gbg-rutinstod');
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      const { level, msg, time, ...fields } = record;
      const [severityNumber, severityText] = SEVERITY[typeof level === 'number' ? level : 30] ?? [9, 'INFO'];
      const attributes: Record<string, string | number | boolean> = {};
      for (const [k, v] of Object.entries(fields)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attributes[k] = v;
        else if (v !== null && v !== undefined) attributes[k] = JSON.stringify(v);
      }
      logger.emit({ severityNumber, severityText, body: typeof msg === 'string' ? msg : '', attributes, ...(typeof time === 'string' ? { timestamp: new Date(time) } : {}) });
    },
  };
}
