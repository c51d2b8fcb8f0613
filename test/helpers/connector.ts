import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedActivity {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown> & { type?: string; text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> };
}

/**
 * A stand-in for the Teams connector (the activity's serviceUrl): records every activity the bot
 * sends and answers like the real one. `failNext` makes the next sends answer with given statuses.
 */
export class ConnectorStandIn {
  readonly sent: RecordedActivity[] = [];
  /** Cards replaced in place (PUT …/activities/{id}). */
  readonly updated: Array<RecordedActivity & { activityId: string }> = [];
  private server: Server | undefined;
  private failures: number[] = [];
  private waiters: Array<() => void> = [];
  url = '';
  /** Activities received (also when not recorded, e.g. under load). */
  received = 0;

  /** `record: false` keeps only a count (benchmarks: no memory growth under load). */
  constructor(private readonly record = true) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        console.error("connector stand-in failed", err);
        respond(res, 500);
        res.end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /**
   * Holds every activity the bot sends or updates unanswered until the returned function is called —
   * a slow connector — to see what the bot answers before its cards have gone.
   */
  hold(): () => void {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    this.holding = held;
    return () => {
      if (this.holding === held) this.holding = undefined;
      release();
    };
  }
  private holding: Promise<void> | undefined;
  /** Activities that arrived while held, not answered yet. */
  waiting = 0;

  /** Activities sent into one conversation (optionally only those with a card). */
  to(conversationId: string): RecordedActivity[] {
    return this.sent.filter((s) => s.conversationId === conversationId);
  }

  /** Waits until `predicate` holds for what was sent (bounded). */
  async waitFor(predicate: (sent: RecordedActivity[]) => boolean, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.sent)) {
      if (Date.now() > until) throw new Error(`connector stand-in: condition not met within ${timeoutMs} ms; sent: ${JSON.stringify(this.sent.map((s) => s.activity.text ?? s.activity.attachments?.[0]?.contentType))}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 50);
        this.waiters.push(() => (clearTimeout(timer), r()));
      });
    }
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (this.holding && m) {
      this.waiting++;
      await this.holding;
      this.waiting--;
    }
    if (m && m[2] && req.method === 'PUT') {
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as RecordedActivity['activity'];
      this.updated.push({ conversationId: decodeURIComponent(m[1]!), activityId: decodeURIComponent(m[2]), activity });
      for (const w of this.waiters.splice(0)) w();
      respond(res, 200);
      res.end(JSON.stringify({ id: m[2] }));
      return;
    }
    if (!m || req.method !== 'POST') {
      respond(res, 404);
      res.end();
      return;
    }
    const fail = this.failures.shift();
    if (fail) {
      respond(res, fail, fail === 429 ? { 'retry-after': '0' } : {});
      res.end(JSON.stringify({ error: { code: 'Failure', message: `stand-in ${fail}` } }));
      return;
    }
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as RecordedActivity['activity'];
    const entry: RecordedActivity = { conversationId: decodeURIComponent(m[1]!), activity };
    if (m[2]) entry.replyToId = decodeURIComponent(m[2]);
    this.received++;
    if (this.record) this.sent.push(entry);
    for (const w of this.waiters.splice(0)) w();
    respond(res, 200);
    res.end(JSON.stringify({ id: `sent-${this.sent.length}` }));
  }
}

/** Texts of all TextBlocks in a card, flattened (what a person reads). */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && (o.type === 'Action.Execute' || o.type === 'Action.Submit' || o.value !== undefined)) out.push(o.title);
      // A fact's value is read too (facts are { title, value } with no type).
      if (o.type === undefined && typeof o.title === 'string' && typeof o.value === 'string') out.push(o.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** Actions (buttons) of a card with their data. */
export function cardActions(card: unknown): Array<{ type: string; title: string; verb?: string; data?: Record<string, unknown> }> {
  const out: Array<{ type: string; title: string; verb?: string; data?: Record<string, unknown> }> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o as never);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/**
 * Sets status and headers without writeHead: restify (loaded in the same process by the bot)
 * patches http.ServerResponse.prototype.writeHead, which then ignores the status argument.
 */
function respond(res: import('node:http').ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
}

/**
 * Whether a text shows these initials as a word of their own ("TR-1 (QX)"). A plain substring test
 * is a flaky check: a random case code or id (e.g. B-7KEFQX) holds any two letters by chance.
 */
export function showsInitials(text: string, initials: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${initials}($|[^\\p{L}\\p{N}])`, 'u').test(text);
}
