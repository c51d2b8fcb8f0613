import { strict as assert } from 'node:assert';
import { ConversationState, MemoryStorage, type Activity, type TurnContext } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { texts } from '../../locale';
import { createFeatures } from '../../dialogs/features';
import { MainDialog } from '../../dialogs/mainDialog';
import type { DialogDeps } from '../../dialogs/ports';
import { invokeCard, setTurnInfo } from '../../dialogs/turn';
import { DEMO_STAFF, seedDemoData } from '../../storage/demoData';
import { cardActions, cardTexts } from '../helpers/connector';
import { freshStores } from '../helpers/storage';

type Expect = { text?: RegExp; card?: string; formCard?: boolean };
/** A turn: text, an activity, or `{ form: data }` = submit the newest form card with data. */
type Send = string | Partial<Activity> | { form: Record<string, string> };
interface Case {
  name: string;
  person: string;
  locale?: string;
  turns: Array<{ send: Send; expect: Expect[] }>;
  status: DialogTurnStatus;
}

/** What a person sees, as searchable text (message text and card texts). */
function seen(a: Partial<Activity> | undefined): string {
  if (!a) return '';
  const cards = (a.attachments ?? []).flatMap((att) => cardTexts(att.content));
  return [a.text ?? '', ...cards].join('\n');
}

const CASES: Case[] = [
  { name: 'shows the menu for a greeting', person: 'Anna Andersson', turns: [{ send: 'hej', expect: [{ card: 'Hej Anna Andersson!' }] }], status: DialogTurnStatus.complete },
  { name: 'shows help without a dialog in progress', person: 'Anna Andersson', turns: [{ send: 'hjälp', expect: [{ text: /guidar dig genom stadens rutiner/ }] }], status: DialogTurnStatus.complete },
  { name: 'says there is nothing to cancel', person: 'Anna Andersson', turns: [{ send: 'avbryt', expect: [{ text: /inget att avbryta/ }] }], status: DialogTurnStatus.complete },
  { name: 'speaks English for an English locale', person: 'Anna Andersson', locale: 'en-GB', turns: [{ send: 'menu', expect: [{ card: 'Hello Anna Andersson!' }] }], status: DialogTurnStatus.complete },
  {
    name: 'keeps a form waiting through help and typing, and cancels it on request',
    person: 'Olle Öberg',
    turns: [
      { send: 'behörigheter', expect: [{ formCard: true }] },
      { send: 'hjälp', expect: [{ text: /fortsätter där du var/ }] },
      { send: 'vad ska jag göra', expect: [{ text: /Fyll i kortet/ }] },
      { send: 'avbryt', expect: [{ text: /Avbrutet/ }] },
    ],
    // The component ends; nothing waits any more.
    status: DialogTurnStatus.complete,
  },
  {
    name: 'leaves a form for the menu when the person asks for it',
    person: 'Olle Öberg',
    turns: [
      { send: 'behörigheter', expect: [{ formCard: true }] },
      { send: 'meny', expect: [{ card: 'Hej Olle Öberg!' }] },
    ],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'routine A: without consent nothing is registered and the dialog says why',
    person: 'Bertil Berg',
    turns: [
      { send: { value: { menu: 'A' } }, expect: [{ formCard: true }] },
      { send: { form: { action: 'join' } }, expect: [{ card: 'Ställ i kö – välj utförare' }] },
      { send: { form: { reference: 'TR-DLG-1', initials: 'AB', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' } }, expect: [{ card: 'Steg 2. Samtycke till att informera utföraren' }] },
      { send: { form: { consent: 'no' } }, expect: [{ card: 'Utan samtycke skickas inget till utföraren' }] },
    ],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'routine A: a selectable provider needs no queue',
    person: 'Bertil Berg',
    turns: [
      { send: { value: { menu: 'A' } }, expect: [{ formCard: true }] },
      { send: { form: { action: 'join' } }, expect: [{ formCard: true }] },
      { send: { form: { reference: 'TR-DLG-2', initials: 'AB', protectedIdentity: 'false', providerId: 'majorna', requestDate: '2026-11-20' } }, expect: [{ text: /är valbar/ }] },
    ],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'routine A: a personal identity number as case reference is refused and the form offered again',
    person: 'Anna Andersson',
    turns: [
      { send: { value: { menu: 'A' } }, expect: [{ formCard: true }] },
      { send: { form: { action: 'join' } }, expect: [{ formCard: true }] },
      { send: { form: { reference: '19121212-1212', initials: 'AB', protectedIdentity: 'false', providerId: 'solrosen', requestDate: '2026-11-20' } }, expect: [{ text: /Personnummer får inte anges/ }, { card: 'Ställ i kö – välj utförare' }] },
    ],
    status: DialogTurnStatus.waiting,
  },
  {
    name: 'routine D: acute concern is asked first and blocks until the report is made',
    person: 'Sofia Sandberg',
    turns: [
      { send: { value: { menu: 'D' } }, expect: [{ formCard: true }] },
      { send: { form: { action: 'new' } }, expect: [{ card: 'Först: finns akut oro?' }] },
      { send: { form: { acuteConcern: 'yes', reportMade: 'false' } }, expect: [{ text: /orosanmälan göras/ }, { card: 'Först: finns akut oro?' }] },
      { send: { form: { acuteConcern: 'yes', reportMade: 'true' } }, expect: [{ card: 'Steg 1–2. Starta samordnad plan' }] },
      { send: 'avbryt', expect: [{ text: /Avbrutet/ }] },
    ],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'routine D: a person outside the administrations cannot initiate',
    person: 'Karin Kvist',
    turns: [{ send: { value: { menu: 'D' } }, expect: [{ card: 'Hej Karin Kvist!' }] }],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'routine B: hours outside 0–168 are named on the card, which stays open',
    person: 'Hanna Holm',
    turns: [
      { send: { value: { menu: 'B' } }, expect: [{ card: 'Genomförandeplan hemtjänst' }] },
      { send: { form: { action: 'new' } }, expect: [{ card: 'Registrera hemtjänstärende för uppföljning' }] },
      { send: { form: { reference: 'ÄVO-DLG-1', initials: 'AB', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-11-02', executionDate: '2026-11-09', grantedHours: '200', previousPlan: 'never' } }, expect: [] },
    ],
    status: DialogTurnStatus.waiting,
  },
  {
    name: 'routine B: an execution before the decision is refused and the card comes back with the problem',
    person: 'Hanna Holm',
    turns: [
      { send: { value: { menu: 'B' } }, expect: [{ formCard: true }] },
      { send: { form: { action: 'new' } }, expect: [{ formCard: true }] },
      { send: { form: { reference: 'ÄVO-DLG-2', initials: 'AB', protectedIdentity: 'false', providerId: 'hemtjanst-vast', decisionDate: '2026-11-09', executionDate: '2026-11-02', grantedHours: '10', previousPlan: 'never' } }, expect: [{ card: 'Verkställighetsdatumet (2026-11-02) kan inte ligga före beslutsdatumet (2026-11-09).' }] },
    ],
    status: DialogTurnStatus.waiting,
  },
  {
    name: 'routine B: a provider with nothing waiting is told so at once',
    person: 'Rut Rask',
    turns: [{ send: { value: { menu: 'B' } }, expect: [{ card: 'Inget väntar på svar från er just nu.' }] }],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'routine B: the finance administrator sees the start compensations of the unit',
    person: 'Maria Mattsson',
    turns: [{ send: 'genomförandeplan', expect: [{ card: 'Inga startersättningar på enheten ännu.' }] }],
    status: DialogTurnStatus.complete,
  },
];

describe('main dialog (table-driven, botbuilder-testing)', () => {
  let deps: DialogDeps;
  before(async () => {
    const stores = await freshStores();
    await seedDemoData(stores);
    deps = { stores, notifier: { sendCard: async () => ({ sent: true }), updateCard: async () => true }, clock: () => new Date('2026-11-23T09:00:00Z'), newId: () => `id-${Math.random().toString(36).slice(2)}` };
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const person = DEMO_STAFF.find((p) => p.name === c.person)!;
      const setInfo = {
        onTurn: async (ctx: TurnContext, next: () => Promise<void>) => {
          setTurnInfo(ctx, { personId: person.id, personName: person.name, person, t: texts(c.locale ?? 'sv-SE'), now: deps.clock(), correlationId: 'test' });
          await next();
          invoked = invokeCard(ctx);
        },
      };
      const client = new DialogTestClient('msteams', new MainDialog(deps, createFeatures(deps)), undefined, [setInfo], new ConversationState(new MemoryStorage()));
      let lastFormId = '';
      // The card that answers an Action.Execute (replaces the pressed card): what the person sees next.
      let invoked: object | undefined;
      for (const turn of c.turns) {
        const send = turn.send;
        const activity: Partial<Activity> =
          typeof send === 'string'
            ? { type: 'message', text: send }
            : 'form' in send
              ? { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'form.submit', data: { formId: lastFormId, ...send.form } } } }
              : { type: 'message', ...send };
        if (c.locale) activity.locale = c.locale;
        invoked = undefined;
        let reply = await client.sendActivity(activity);
        const replies: Partial<Activity>[] = [];
        while (reply) {
          replies.push(reply);
          reply = client.getNextReply();
        }
        if (invoked) replies.push({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: invoked }] });
        for (const r of replies) {
          const form = (r.attachments ?? []).flatMap((a) => cardActions(a.content)).find((x) => x.verb === 'form.submit');
          if (form?.data?.formId) lastFormId = form.data.formId as string;
        }
        for (const e of turn.expect) {
          if (e.text) assert.ok(replies.some((r) => e.text!.test(seen(r))), `expected ${e.text} in: ${replies.map(seen).join(' || ')}`);
          if (e.card) assert.ok(replies.some((r) => seen(r).includes(e.card!)), `expected card text "${e.card}" in: ${replies.map(seen).join(' || ')}`);
          if (e.formCard) assert.ok(replies.some((r) => (r.attachments ?? []).some((a) => cardActions(a.content).some((x) => x.verb === 'form.submit'))), 'expected a form card');
        }
      }
      assert.equal(client.dialogTurnResult.status, c.status);
    });
  }
});
