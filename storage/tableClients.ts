import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { turnScope } from './turnScope';
import http from 'node:http';
import https from 'node:https';

/** Sockets to the table service, at most, shared by every table client of the process. */
export const TABLE_SOCKETS = 64;

/**
 * One keep-alive pool for all table clients. Each TableClient otherwise has its own pipeline and
 * its own unbounded keep-alive agent, so ~15 tables kept ~15 pools of idle sockets (each with its
 * buffers). A per-call policy hands every request the shared agent (the SDK's Node HTTP client
 * uses `request.agent` when it is set); requests beyond TABLE_SOCKETS wait for a free socket.
 */
export class SharedAgents {
  private http?: http.Agent;
  private https?: https.Agent;
  constructor(private readonly maxSockets = TABLE_SOCKETS) {}
  readonly policy = {
    name: 'sharedAgent',
    sendRequest: async (request: never, next: (r: never) => Promise<never>) => {
      const req = request as unknown as { url: string; agent?: http.Agent };
      if (!req.agent) req.agent = this.agentFor(req.url);
      return next(request);
    },
  };
  private agentFor(url: string): http.Agent {
    const opts = { keepAlive: true, maxSockets: this.maxSockets, maxFreeSockets: 16, scheduling: 'lifo' as const };
    if (url.startsWith('https:')) return (this.https ??= new https.Agent(opts));
    return (this.http ??= new http.Agent(opts));
  }
  /** Closes the idle sockets (at shutdown). */
  destroy(): void {
    this.http?.destroy();
    this.https?.destroy();
  }
}

/** Counts every HTTP request the table clients make (the benchmark reports round trips per turn). */
export class RequestCounter {
  count = 0;
  readonly policy = {
    name: 'requestCounter',
    sendRequest: async (request: never, next: (r: never) => Promise<never>) => {
      this.count++;
      return next(request);
    },
  };
}

/** The request header that carries the turn's correlation id to the table service. */
export const TURN_HEADER = 'x-bot-turn';

/**
 * Tags every table request (each retry too: position 'perRetry') with the correlation id of the
 * turn that made it, so a proxy in front of the table service (the benchmark's) can count the
 * requests of each turn as they went on the wire. Ids only, no personal data.
 */
const turnTag = {
  name: 'turnTag',
  sendRequest: async (request: { headers: { set(name: string, value: string): void } }, next: (r: never) => Promise<never>) => {
    const id = turnScope()?.turnId;
    if (id) request.headers.set(TURN_HEADER, id);
    return next(request as never);
  },
};

export interface TableConnection {
  /** A connection string (Azurite, Azure Storage or Cosmos DB for Table)… */
  connectionString?: string;
  /** …or an account URL, authenticated with managed identity / DefaultAzureCredential. */
  accountUrl?: string;
  /** Client id of a user-assigned managed identity for the account URL (else DefaultAzureCredential chooses). */
  managedIdentityClientId?: string;
  prefix: string;
  counter?: RequestCounter;
}

/** Builds TableClients for one storage account; the prefix keeps environments apart. */
export class TableClientFactory {
  private readonly service: TableServiceClient;
  private credential: unknown;
  readonly agents = new SharedAgents();

  constructor(private readonly conn: TableConnection) {
    if (conn.connectionString) {
      this.service = TableServiceClient.fromConnectionString(conn.connectionString, this.options(conn.connectionString));
    } else if (conn.accountUrl) {
      this.credential = defaultCredential(conn.managedIdentityClientId);
      this.service = new TableServiceClient(conn.accountUrl, this.credential as never, this.options());
    } else {
      throw new Error('TableClientFactory needs a connection string or an account URL');
    }
  }

  client(name: string): TableClient {
    const tableName = `${this.conn.prefix}${name}`;
    if (this.conn.connectionString) {
      return TableClient.fromConnectionString(this.conn.connectionString, tableName, this.options(this.conn.connectionString));
    }
    return new TableClient(this.conn.accountUrl as string, tableName, this.credential as never, this.options());
  }

  private options(connectionString?: string): TableServiceClientOptions {
    return {
      ...(connectionString ? { allowInsecureConnection: insecure(connectionString) } : {}),
      additionalPolicies: [
        { policy: this.agents.policy as never, position: 'perCall' as const },
        { policy: turnTag as never, position: 'perRetry' as const },
        ...(this.conn.counter ? [{ policy: this.conn.counter.policy as never, position: 'perCall' as const }] : []),
      ],
    };
  }

  /** One cheap request that proves the service answers (used by /healthz). */
  async ping(): Promise<void> {
    const it = this.service.listTables({ queryOptions: { filter: `TableName eq '${this.conn.prefix}Staff'` } }).byPage({ maxPageSize: 1 });
    await it.next();
  }
}

function insecure(connectionString: string): boolean {
  return connectionString.includes('UseDevelopmentStorage=true') || /TableEndpoint=http:\/\//i.test(connectionString) || /DefaultEndpointsProtocol=http;/i.test(connectionString);
}

function defaultCredential(managedIdentityClientId: string | undefined): unknown {
  // Loaded lazily: only Azure deployments with managed identity need @azure/identity.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {});
}

/** The connection string of a local Azurite table service. */
export function azuriteConnectionString(host: string, port: number): string {
  const account = 'devstoreaccount1';
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  return `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};TableEndpoint=http://${host}:${port}/${account};`;
}
