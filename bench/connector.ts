import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cardActions } from '../test/helpers/connector';

export interface SentActivity {
  type?: string;
  text?: string;
  replyToId?: string;
  attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
}

/**
 * The Teams connector stand-in for the benchmark: answers like the real one and keeps, bounded,
 * what a turn check needs — replies by the activity they answer, the last form id per
 * conversation — and counts every call (replies, proactive messages, card updates).
 */
export class BenchConnector {
  replies = 0;
  proactive = 0;
  updates = 0;
  /** Incoming activities whose answers are awaited (a proactive message may also carry an old reply-to id). */
  private readonly byReplyTo = new Map<string, SentActivity[]>();
  private readonly lastForm = new Map<string, string>();
  private readonly proactiveTo = new Map<string, number>();
  private server: Server | undefined;
  private seq = 0;
  url = '';

  get calls(): number {
    return this.replies + this.proactive + this.updates;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const a = this.server.address();
    this.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Call before sending an activity: what the bot sends in answer to it is kept for takeReplies. */
  expect(activityId: string): void {
    this.byReplyTo.set(activityId, []);
  }

  /** Activities sent in answer to one incoming activity (taken: asked once). */
  takeReplies(activityId: string): SentActivity[] {
    const r = this.byReplyTo.get(activityId) ?? [];
    this.byReplyTo.delete(activityId);
    return r;
  }

  formId(conversationId: string): string | undefined {
    return this.lastForm.get(conversationId);
  }

  proactiveCount(conversationId: string): number {
    return this.proactiveTo.get(conversationId) ?? 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    if (!m) {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (req.method === 'PUT') {
      this.updates++;
      res.end(JSON.stringify({ id: m[2] }));
      return;
    }
    const conversationId = decodeURIComponent(m[1]!);
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as SentActivity;
    const replyTo = m[2] ? decodeURIComponent(m[2]) : activity.replyToId;
    const list = replyTo ? this.byReplyTo.get(replyTo) : undefined;
    if (list) {
      this.replies++;
      list.push(activity);
    } else {
      this.proactive++;
      this.proactiveTo.set(conversationId, (this.proactiveTo.get(conversationId) ?? 0) + 1);
    }
    const form = cardActions(activity.attachments?.[0]?.content).find((x) => x.verb === 'form.submit')?.data?.formId;
    if (typeof form === 'string') this.lastForm.set(conversationId, form);
    res.end(JSON.stringify({ id: `sent-${++this.seq}` }));
  }
}
