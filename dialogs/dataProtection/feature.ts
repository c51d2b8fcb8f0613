import { Dialog, type DialogContext, type DialogTurnResult } from '../botbuilderDialogs';
import { renderMessageCard, withLink } from '../../cards/message';
import { refusalText, formatInstant } from '../../locale';
import { extractPeriod, mayAskForExtracts } from '../../routines/shared/accessLog';
import { refuse } from '../../routines/shared/refusal';
import { toIsoDate } from '../../routines/shared/workingDays';
import { normaliseText } from '../commands';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { logViews, record } from './accessLogging';
import { LINK_MINUTES } from './links';
import { DataProtectionService, eventSpan } from './service';

export const EXPORT_COMMANDS = ['exportera journal', 'export journal'];
export const EXTRACT_COMMANDS = ['loggutdrag', 'access log'];

/** The argument after a command prefix, as typed (the reference's case does not matter: the index is upper case). */
function argumentOf(text: string, prefixes: readonly string[]): string | undefined {
  const n = normaliseText(text);
  const p = prefixes.find((x) => n === x || n.startsWith(`${x} `));
  return p === undefined ? undefined : n.slice(p.length).trim();
}

/**
 * "exportera journal <referens>": the journal of a case the person may see, as a card with the
 * summary and two short-lived links (HTML for printing / PDF, JSON for filing in Treserva).
 * "loggutdrag ärende <referens> | person <namn> [från …] [till …]": the access log of a case or a
 * person, for the unit's supervisors and the admin, as a card with links (CSV, JSON). Both are
 * recorded in the access log; a refusal reads as for a case that does not exist.
 */
export class DataProtectionDialog extends Dialog {
  static readonly ID = 'dataProtection';
  constructor(
    private readonly deps: DialogDeps,
    private readonly service: DataProtectionService,
  ) {
    super(DataProtectionDialog.ID);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const text = dc.context.activity.text ?? '';
    const exportArg = argumentOf(text, EXPORT_COMMANDS);
    if (exportArg !== undefined) await this.exportJournal(dc, exportArg);
    else await this.extract(dc, argumentOf(text, EXTRACT_COMMANDS) ?? '');
    return dc.endDialog();
  }

  private async exportJournal(dc: DialogContext, reference: string): Promise<void> {
    const { person, t, now } = turnInfo(dc.context);
    if (!person) return;
    if (!reference) {
      await dc.context.sendActivity({ attachments: [renderMessageCard({ title: t.dp.exportTitle('…'), text: t.dp.exportUsage })] });
      return;
    }
    const [c] = await this.service.casesFor(person, reference);
    const x = c ? await this.service.journalFor(person, c.caseId, t) : refuse('notFoundOrNotAllowed');
    if (!x.ok) {
      await dc.context.sendActivity({ attachments: [renderMessageCard({ title: t.errorTitle, text: refusalText(t, x), tone: 'warning' })] });
      return;
    }
    const { first, last } = eventSpan(x.value.events);
    let card = renderMessageCard({
      title: t.dp.exportTitle(x.value.label),
      text: `${t.dp.exportSummary(x.value.events.length, first, last)}\n\n${t.dp.exportLinks(LINK_MINUTES)}`,
      tone: 'good',
      facts: [
        { title: t.dp.doc.routine, value: t.routines[x.value.caseFile.routine] },
        { title: t.dp.doc.exportedAt, value: formatInstant(t, now.toISOString()) },
      ],
    });
    const links = this.deps.exportLinks;
    if (links) {
      card = withLink(card, t.dp.openHtml, links.url({ k: 'journal', f: 'html', p: person.id, c: x.value.caseFile.caseId }, now));
      card = withLink(card, t.dp.openJson, links.url({ k: 'journal', f: 'json', p: person.id, c: x.value.caseFile.caseId }, now));
    }
    await dc.context.sendActivity({ attachments: [card] });
    logViews(dc.context, this.deps.stores, [{ caseId: x.value.caseFile.caseId, routine: x.value.caseFile.routine, view: 'journal.export', units: [x.value.caseFile.owningUnit] }]);
  }

  private async extract(dc: DialogContext, arg: string): Promise<void> {
    const { person, t, now } = turnInfo(dc.context);
    if (!person) return;
    const m = /^(ärende|case|person)\s+(.+?)(?:\s+(?:från|from)\s+(\S+))?(?:\s+(?:till|to)\s+(\S+))?$/.exec(arg);
    if (!m || !mayAskForExtracts(person)) {
      await dc.context.sendActivity({ attachments: [renderMessageCard({ title: t.dp.extractTitle('…'), text: mayAskForExtracts(person) ? t.dp.extractUsage : refusalText(t, refuse('notFoundOrNotAllowed')), tone: mayAskForExtracts(person) ? 'info' : 'warning' })] });
      return;
    }
    const [, kind, who, fromText, toText] = m;
    const period = extractPeriod(fromText, toText, now);
    if (!period) {
      await dc.context.sendActivity({ attachments: [renderMessageCard({ title: t.dp.extractTitle('…'), text: t.dp.extractUsage, tone: 'warning' })] });
      return;
    }
    const notFound = () => dc.context.sendActivity({ attachments: [renderMessageCard({ title: t.errorTitle, text: t.dp.extractNotFound, tone: 'warning' })] });
    let subject: string;
    let target: { caseId: string; owningUnit: string } | { personId: string };
    if (kind === 'person') {
      const p = await this.service.extractPerson(person, who!);
      if (!p) return void (await notFound());
      subject = p.name;
      target = { personId: p.id };
    } else {
      const c = await this.service.extractCase(person, who!);
      if (!c) return void (await notFound());
      subject = this.service.label(c, person, t);
      target = { caseId: c.caseId, owningUnit: c.owningUnit };
    }
    const entries = await this.service.entries(target, period.from, period.to);
    let card = renderMessageCard({ title: t.dp.extractTitle(subject), text: `${t.dp.extractSummary(entries.length, toIsoDate(period.from), toIsoDate(period.to))}\n\n${t.dp.exportLinks(LINK_MINUTES)}`, tone: 'good' });
    const links = this.deps.exportLinks;
    if (links) {
      const base = { k: 'access' as const, p: person.id, from: period.from.getTime(), to: period.to.getTime(), ...('caseId' in target ? { c: target.caseId } : { s: target.personId }) };
      card = withLink(card, t.dp.openCsv, links.url({ ...base, f: 'csv' }, now));
      card = withLink(card, t.dp.openJson, links.url({ ...base, f: 'json' }, now));
    }
    await dc.context.sendActivity({ attachments: [card] });
    record(dc.context, this.deps.stores, [this.service.extractEntry(person, target, now)]);
  }
}

export function dataProtectionFeature(deps: DialogDeps): Feature {
  const service = new DataProtectionService(deps);
  return {
    id: 'dataProtection',
    dialog: new DataProtectionDialog(deps, service),
    visibleTo: (p) => p.roles.length > 0,
    commandPrefixes: [...EXPORT_COMMANDS, ...EXTRACT_COMMANDS],
  };
}
