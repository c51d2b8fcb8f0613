import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How long a link in an export card works. */
export const LINK_MINUTES = 15;

/** What a link stands for: who asked (their roles are checked again when it is opened), what, in which format, until when. */
export const linkPayloadSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('journal'), f: z.enum(['html', 'json']), p: z.string().min(1).max(100), c: z.string().min(1).max(100), exp: z.number().int() }),
  z.object({ k: z.literal('access'), f: z.enum(['csv', 'json']), p: z.string().min(1).max(100), c: z.string().max(100).optional(), s: z.string().max(100).optional(), from: z.number().int(), to: z.number().int(), exp: z.number().int() }),
]);
export type LinkPayload = z.infer<typeof linkPayloadSchema>;

/**
 * Short-lived signed links (GET /export/<token>): the token is the payload (base64url JSON) and
 * its HMAC-SHA-256 with the secret from the configuration. Nothing is stored; an expired, altered
 * or foreign token is refused. The link is a bearer secret for its 15 minutes: it is shown only in
 * the person's personal chat, and opening it re-checks that person's access and is logged.
 */
export class ExportLinks {
  private readonly key: Buffer;
  /** Where staff reach the bot (set once the server listens, when not configured). */
  baseUrl: string;
  constructor(secret: string, baseUrl = '') {
    this.key = secret ? createHmac('sha256', secret).update('export-links-v1').digest() : randomBytes(32);
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  sign(payload: Omit<LinkPayload, 'exp'>, now: Date): string {
    const body = Buffer.from(JSON.stringify({ ...payload, exp: now.getTime() + LINK_MINUTES * 60_000 })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  url(payload: Omit<LinkPayload, 'exp'>, now: Date): string {
    return `${this.baseUrl}/export/${this.sign(payload, now)}`;
  }

  /** The payload of a valid, unexpired token; undefined for anything else. */
  verify(token: string, now: Date): LinkPayload | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || body.length > 2000) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const p = linkPayloadSchema.safeParse(json);
    return p.success && p.data.exp > now.getTime() ? p.data : undefined;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
