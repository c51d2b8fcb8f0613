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

/** Routine C's dialog, table-driven: each case is a person, turns (text or a form submission) and the dialog's final status. */
type Send = string | Partial<Activity> | { form: Record<string, string> };
interface Case {
  name: string;
  person: string;
  locale?: string;
  turns: Array<{ send: Send; expect: Array<string | RegExp> }>;
  status: DialogTurnStatus;
}

const criteria = { reference: 'TR-DLG-C1', initials: 'AB', protectedIdentity: 'false', unemployed: 'yes', withinThreeYears: 'yes' };
const CASES: Case[] = [
  {
    name: 'a personal identity number as case reference is refused and the criteria form offered again',
    person: 'Anna Andersson',
    turns: [
      { send: { value: { menu: 'C' } }, expect: ['Ny anvisning – pröva kriterierna'] },
      { send: { form: { action: 'new' } }, expect: ['Ny anvisning: vägledande kriterier'] },
      { send: { form: { ...criteria, reference: '19121212-1212' } }, expect: [/Personnummer får inte anges/, 'Ny anvisning: vägledande kriterier'] },
    ],
    status: DialogTurnStatus.waiting,
  },
  {
    name: 'a criterion not met ends with the reason',
    person: 'Anna Andersson',
    turns: [
      { send: 'kompetenscenter', expect: ['Ny anvisning – pröva kriterierna'] },
      { send: { form: { action: 'new' } }, expect: ['Ny anvisning: vägledande kriterier'] },
      { send: { form: { ...criteria, withinThreeYears: 'no' } }, expect: [/inte den vägledda vägen/] },
    ],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'criteria met lead straight to the AF checklist; a measure at AF stops the referral',
    person: 'Anna Andersson',
    turns: [
      { send: { value: { menu: 'C' } }, expect: [] },
      { send: { form: { action: 'new' } }, expect: [] },
      { send: { form: criteria }, expect: [/är påbörjad/, 'Samråd med Arbetsförmedlingen (alltid före beslut)'] },
      { send: { form: { ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'ongoingOrPlanned' } }, expect: [/Arbetsförmedlingen har en lämplig insats/] },
    ],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'a required confirmation keeps the form until it is ticked; then the consent is recorded and the decision is next',
    person: 'Anna Andersson',
    turns: [
      { send: { value: { menu: 'C' } }, expect: [] },
      { send: { form: { action: 'new' } }, expect: [] },
      { send: { form: { ...criteria, reference: 'TR-DLG-C2' } }, expect: [] },
      { send: { form: { ssbtekOn: '2026-11-20', askedOn: '2026-11-20', afActivity: 'none', formsSentOn: '2026-11-20' } }, expect: ['TR-DLG-C2 (AB): Samtycke till KC och arbetsplan'] },
      { send: { form: { action: 'act' } }, expect: ['Samtycke till Kompetenscenter'] },
      { send: { form: { information: 'Behov', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'false', workPlanUpdatedOn: '2026-11-23' } }, expect: [] },
      // (The invalid card is answered in the invoke response, re-rendered with the problem; the form still waits.)
      { send: { form: { information: 'Behov', givenBy: 'individual', method: 'phone', givenAt: '2026-11-23', toldHowToRevoke: 'true', workPlanUpdatedOn: '2026-11-23' } }, expect: [/samtycke till KC och uppdaterad arbetsplan registrerat/, 'TR-DLG-C2 (AB): Beslut enligt 12 kap 4 § SoL'] },
    ],
    status: DialogTurnStatus.waiting,
  },
  {
    name: 'a consultant with nothing assigned is told so',
    person: 'Ivar Ivarsson',
    turns: [{ send: { value: { menu: 'C' } }, expect: [/inga anvisningar att arbeta med/] }],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'someone outside the routine gets the menu',
    person: 'Karin Kvist',
    turns: [{ send: { value: { menu: 'C' } }, expect: ['Hej Karin Kvist!'] }],
    status: DialogTurnStatus.complete,
  },
  {
    name: 'speaks English for an English locale',
    person: 'Anna Andersson',
    locale: 'en-GB',
    turns: [{ send: { value: { menu: 'C' } }, expect: ['New referral – check the criteria'] }],
    status: DialogTurnStatus.waiting,
  },
];

function seen(a: Partial<Activity>): string {
  return [a.text ?? '', ...(a.attachments ?? []).flatMap((att) => cardTexts(att.content))].join('\n');
}

describe('routine C dialog (table-driven, botbuilder-testing)', () => {
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
      // The card that answers an Action.Execute (replaces the pressed card): what the person sees next.
      let invoked: object | undefined;
      const client = new DialogTestClient('msteams', new MainDialog(deps, createFeatures(deps)), undefined, [setInfo], new ConversationState(new MemoryStorage()));
      let lastFormId = '';
      let lastChoices: string[] = [];
      for (const turn of c.turns) {
        const send = turn.send;
        // `{ form: { action: 'act' } }` presses the first step offered on the newest choice card.
        const form = typeof send === 'object' && 'form' in send ? (send.form.action === 'act' ? { action: lastChoices.find((a) => a.startsWith('act:'))! } : send.form) : undefined;
        const activity: Partial<Activity> =
          typeof send === 'string'
            ? { type: 'message', text: send }
            : form
              ? { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'form.submit', data: { formId: lastFormId, ...form } } } }
              : { type: 'message', ...(send as Partial<Activity>) };
        if (c.locale) activity.locale = c.locale;
        invoked = undefined;
        const replies: Partial<Activity>[] = [];
        for (let reply = await client.sendActivity(activity); reply; reply = client.getNextReply()) replies.push(reply);
        if (invoked) replies.push({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: invoked }] });
        for (const r of replies) {
          const actions = (r.attachments ?? []).flatMap((a) => cardActions(a.content)).filter((x) => x.verb === 'form.submit');
          if (actions[0]?.data?.formId) lastFormId = actions[0].data.formId as string;
          if (actions.some((x) => x.data?.action)) lastChoices = actions.map((x) => String(x.data?.action));
        }
        for (const e of turn.expect) {
          const ok = replies.some((r) => (typeof e === 'string' ? seen(r).includes(e) : e.test(seen(r))));
          assert.ok(ok, `expected ${String(e)} in: ${replies.map(seen).join(' || ')}`);
        }
      }
      assert.equal(client.dialogTurnResult.status, c.status);
    });
  }
});
