import { strict as assert } from 'node:assert';
import { ConversationState, MemoryStorage, type Activity, type TurnContext } from 'botbuilder';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { texts } from '../../locale';
import { createFeatures } from '../../dialogs/features';
import { MainDialog } from '../../dialogs/mainDialog';
import type { DialogDeps } from '../../dialogs/ports';
import { setTurnInfo } from '../../dialogs/turn';
import { DEMO_STAFF, seedDemoData } from '../../storage/demoData';
import { cardActions, cardTexts } from '../helpers/connector';
import { freshStores } from '../helpers/storage';

type Expect = { text?: RegExp; card?: string; formCard?: boolean };
interface Case {
  name: string;
  person: string;
  locale?: string;
  turns: Array<{ send: string | Partial<Activity>; expect: Expect[] }>;
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
  { name: 'explains that an unbuilt routine is not available yet', person: 'Hanna Holm', turns: [{ send: { value: { menu: 'B' } }, expect: [{ card: 'Inte tillgänglig ännu' }] }], status: DialogTurnStatus.complete },
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
];

describe('main dialog (table-driven, botbuilder-testing)', () => {
  let deps: DialogDeps;
  before(async () => {
    const stores = await freshStores();
    await seedDemoData(stores);
    deps = { stores, notifier: { sendCard: async () => ({ sent: true }), updateCard: async () => true }, clock: () => new Date('2026-11-23T09:00:00Z'), newId: () => 'id' };
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const person = DEMO_STAFF.find((p) => p.name === c.person)!;
      const setInfo = {
        onTurn: async (ctx: TurnContext, next: () => Promise<void>) => {
          setTurnInfo(ctx, { personId: person.id, personName: person.name, person, t: texts(c.locale ?? 'sv-SE'), now: deps.clock(), correlationId: 'test' });
          await next();
        },
      };
      const client = new DialogTestClient('msteams', new MainDialog(deps, createFeatures(deps)), undefined, [setInfo], new ConversationState(new MemoryStorage()));
      for (const turn of c.turns) {
        const activity: Partial<Activity> = typeof turn.send === 'string' ? { type: 'message', text: turn.send } : { type: 'message', ...turn.send };
        if (c.locale) activity.locale = c.locale;
        let reply = await client.sendActivity(activity);
        const replies: Partial<Activity>[] = [];
        while (reply) {
          replies.push(reply);
          reply = client.getNextReply();
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
