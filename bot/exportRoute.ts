import type restify from 'restify';
import { texts } from '../locale';
import { entryFor } from '../dialogs/dataProtection/accessLogging';
import type { ExportLinks } from '../dialogs/dataProtection/links';
import { DataProtectionService, accessCsv, accessJson, journalHtml, journalJson } from '../dialogs/dataProtection/service';
import type { DialogDeps } from '../dialogs/ports';
import { mayExtractCase, mayExtractPerson } from '../routines/shared/accessLog';
import type { Logger } from './logger';

/**
 * GET /export/<token>: the document behind a link in an export card (dialogs/dataProtection). The
 * token is checked (signature, expiry: 15 minutes), then the asker's access again, from their row
 * in the staff directory (a role removed meanwhile ends the link); an invalid link and a refused
 * one get the same 404. The download is recorded in the access log. Never cached.
 */
export function exportRoutes(deps: DialogDeps, links: ExportLinks, log: Logger, locale: string) {
  const service = new DataProtectionService(deps);
  return (server: restify.Server) => {
    // A wildcard, not `:token`: the router refuses a parameter longer than 100 characters.
    server.get('/export/*', async (req, res) => {
      const now = deps.clock();
      const t = texts(locale || String(req.headers['accept-language'] ?? 'sv'));
      res.header('cache-control', 'no-store');
      res.header('x-content-type-options', 'nosniff');
      res.header('referrer-policy', 'no-referrer');
      const refuse = () => {
        res.status(404);
        res.header('content-type', 'text/plain; charset=utf-8');
        res.end(t.dp.linkExpired);
      };
      const p = links.verify(String((req.params as Record<string, unknown>)['*'] ?? ''), now);
      const person = p ? (await deps.stores.staff.get(p.p))?.value : undefined;
      if (!p || !person) return refuse();
      if (p.k === 'journal') {
        const x = await service.journalFor(person, p.c, t);
        if (!x.ok) return refuse();
        await deps.stores.accessLog.append([entryFor(person, p.c, x.value.caseFile.routine, `journal.export.${p.f}`, now, [x.value.caseFile.owningUnit])]);
        log.info({ event: 'export.journal', format: p.f }, 'journal exported');
        return send(res, p.f, p.f === 'html' ? journalHtml(x.value, person, now, t) : JSON.stringify(journalJson(x.value, person, now), null, 2), `journal-${x.value.caseFile.caseId}`);
      }
      const from = new Date(p.from);
      const to = new Date(p.to);
      let subject: string;
      if (p.c) {
        const c = (await deps.stores.cases.get(p.c))?.value;
        if (!c || !mayExtractCase(person, c.owningUnit)) return refuse();
        subject = `case:${c.caseId}`;
        await deps.stores.accessLog.append([entryFor(person, c.caseId, 'shared', `access.extract.${p.f}`, now, [c.owningUnit])]);
      } else {
        const s = p.s ? (await deps.stores.staff.get(p.s))?.value : undefined;
        if (!s || !mayExtractPerson(person, s)) return refuse();
        subject = `person:${s.id}`;
        await deps.stores.accessLog.append([entryFor(person, `person:${s.id}`, 'shared', `access.extract.${p.f}`, now)]);
      }
      const entries = await service.entries(p.c ? { caseId: p.c } : { personId: p.s! }, from, to);
      log.info({ event: 'export.access', format: p.f, entries: entries.length }, 'access extract');
      return send(res, p.f, p.f === 'csv' ? accessCsv(entries) : JSON.stringify(accessJson(entries, subject, from, to, person, now), null, 2), `loggutdrag-${subject.replace(/[^A-Za-z0-9-]/g, '-')}`);
    });
  };
}

function send(res: restify.Response, format: 'html' | 'json' | 'csv', body: string, name: string): void {
  const type = { html: 'text/html; charset=utf-8', json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' }[format];
  res.status(200);
  res.header('content-type', type);
  if (format === 'html') res.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
  else res.header('content-disposition', `attachment; filename="${name}.${format}"`);
  res.end(body);
}
