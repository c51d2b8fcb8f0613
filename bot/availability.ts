import type restify from 'restify';
import { publicAvailability } from '../routines/a-waiting-list/rules';
import type { WaitingListStore } from '../storage/waitingList';

/**
 * Public availability for the comparison service ("Hitta och jämför daglig verksamhet"): per
 * provider only free / not free — a free place with a queue is published as not free — and no
 * personal data at all. JSON at /api/availability, a plain HTML table at /availability.
 */
export function availabilityRoutes(store: WaitingListStore, cacheSeconds = 0, clock: () => number = Date.now): (server: restify.Server) => void {
  const fresh = async () =>
    (await store.allProviders()).map((p) => ({ providerId: p.providerId, name: p.name, kind: p.kind, availability: publicAvailability(p) }));
  // The page is public and anonymous: per instance, one read serves every request for
  // `cacheSeconds` (AVAILABILITY_CACHE_SECONDS), and concurrent requests share the read in flight.
  let cached: { at: number; value: Promise<Awaited<ReturnType<typeof fresh>>> } | undefined;
  const read = () => {
    if (cacheSeconds <= 0) return fresh();
    const now = clock();
    if (!cached || now - cached.at >= cacheSeconds * 1000) {
      const value = fresh();
      const entry = { at: now, value };
      cached = entry;
      // A failed read is not kept: the next request tries again.
      value.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.value;
  };
  return (server) => {
    server.get('/api/availability', async (_req, res) => {
      res.json({ providers: await read() });
    });
    server.get('/availability', async (_req, res) => {
      const rows = (await read()).map((p) => `<tr><td>${escapeHtml(p.name)}</td><td>${p.availability === 'free' ? 'Ledig plats' : 'Inte ledig plats'}</td></tr>`).join('');
      const html = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Daglig verksamhet – lediga platser</title></head><body><h1>Daglig verksamhet – lediga platser</h1><table><thead><tr><th>Utförare</th><th>Plats</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.sendRaw(200, html);
    });
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
