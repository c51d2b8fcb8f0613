import http from 'node:http';
import { TURN_HEADER } from '../storage/tableClients';

/**
 * A counting HTTP proxy in front of Azurite: the bot's (and the stateful floor's) connection
 * string points here, so every table request that went on the wire — each retry of the SDK
 * included — is counted, grouped by the turn that made it (the `x-bot-turn` header set by
 * storage/tableClients.ts from the turn's correlation id). Requests without the header
 * (startup, the public availability page, the floors) are counted as untagged.
 */
export class StorageProxy {
  total = 0;
  untagged = 0;
  /** Per turn id: the arrival time (performance.now()) of each of its requests. */
  private readonly byTurn = new Map<string, number[]>();
  private server: http.Server | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    this.server = http.createServer((req, res) => {
      const now = performance.now();
      this.total++;
      const turn = req.headers[TURN_HEADER];
      if (typeof turn === 'string' && turn) {
        const list = this.byTurn.get(turn);
        if (list) list.push(now);
        else this.byTurn.set(turn, [now]);
      } else this.untagged++;
      const up = http.request({ host: this.target.host, port: this.target.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent }, (upRes) => {
        res.statusCode = upRes.statusCode ?? 502;
        for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined) res.setHeader(k, v);
        upRes.pipe(res);
      });
      up.on('error', (err) => {
        res.statusCode = 502;
        res.end(String(err));
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return this.port;
  }

  /** Requests of one turn: all of them, and those that arrived before `replyAt` (the HTTP answer). */
  turn(id: string, replyAt?: number): { total: number; beforeReply: number } {
    const list = this.byTurn.get(id) ?? [];
    return { total: list.length, beforeReply: replyAt === undefined ? list.length : list.filter((t) => t <= replyAt).length };
  }

  forget(): void {
    this.byTurn.clear();
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
