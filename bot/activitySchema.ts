import { z } from 'zod';

/**
 * The shape every activity on /api/messages must have before the adapter sees it. botbuilder
 * answers 500 for some malformed bodies and 200 for others, so the server checks first and
 * answers 400 naming what is wrong.
 */
export const incomingActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.url({ protocol: /^https?$/ }),
    from: z.object({ id: z.string().min(1).max(512), name: z.string().max(512).optional(), aadObjectId: z.string().max(100).optional() }).loose(),
    conversation: z.object({ id: z.string().min(1).max(1024) }).loose(),
    recipient: z.object({ id: z.string().min(1).max(512) }).loose().optional(),
    text: z.string().max(28_000).optional(),
    locale: z.string().max(32).optional(),
    name: z.string().max(128).optional(),
  })
  .loose();

export function describeActivityProblems(body: unknown): string | undefined {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object (an activity)';
  const r = incomingActivitySchema.safeParse(body);
  if (r.success) return undefined;
  return r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(activity)'}: ${i.message}`)
    .join('; ');
}
