import type { TurnContext, StatePropertyAccessor } from 'botbuilder';
import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogContext, type DialogState, type DialogTurnResult, type WaterfallStepContext } from './botbuilderDialogs';
import { renderMenuCard, menuSubmission } from '../cards/menu';
import { renderMessageCard } from '../cards/message';
import { ROUTINE_IDS, type RoutineId } from '../routines/shared/cases';
import { routinesFor } from '../routines/shared/menu';
import { type StaffMember, type UnitId } from '../routines/shared/organisation';
import { isResponsible } from '../routines/shared/tasks';
import { refuse } from '../routines/shared/refusal';
import { refusalText } from '../locale';
import { interruptionOf, normaliseText } from './commands';
import type { Feature } from './feature';
import type { DialogDeps } from './ports';
import { executeAction, turnInfo } from './turn';

const ROUTE = 'main.route';

/**
 * The root dialog: routes a message to the feature it asks for (menu button or command), shows
 * the menu otherwise, and handles the interruptions (cancel, help, menu) for every step of every
 * feature in one place.
 */
export class MainDialog extends ComponentDialog {
  static readonly ID = 'main';

  constructor(
    private readonly deps: DialogDeps,
    private readonly features: readonly Feature[],
  ) {
    super(MainDialog.ID);
    this.addDialog(new WaterfallDialog(ROUTE, [this.route.bind(this), this.afterFeature.bind(this)]));
    for (const f of features) if (f.dialog) this.addDialog(f.dialog);
    this.initialDialogId = ROUTE;
  }

  /** Runs one turn: continues what is in progress, or starts routing. Invokes never start anything. */
  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    const set = new DialogSet(accessor);
    set.add(this);
    const dc = await set.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty && !executeAction(context)) await dc.beginDialog(this.id);
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const { t } = turnInfo(inner.context);
    const act = inner.context.activity;
    if (act.type === 'message') {
      const menuPick = menuSubmission.safeParse(act.value);
      const interruption = interruptionOf(act.text);
      if (interruption === 'cancel') {
        await inner.cancelAllDialogs();
        await inner.context.sendActivity(t.cancelled);
        return { status: DialogTurnStatus.cancelled };
      }
      if (interruption === 'help') {
        await inner.context.sendActivity({ text: `${t.helpText}\n\n${t.helpContinue}`, textFormat: 'markdown' });
        return { status: DialogTurnStatus.waiting };
      }
      if (interruption === 'menu' || menuPick.success || this.commandFeature(act.text)) {
        await inner.cancelAllDialogs();
        return inner.beginDialog(ROUTE);
      }
    }
    return super.onContinueDialog(inner);
  }

  private commandFeature(text: string | undefined): Feature | undefined {
    const n = normaliseText(text);
    return n ? this.features.find((f) => f.commands?.includes(n) || f.commandPrefixes?.some((p) => n === p || n.startsWith(`${p} `))) : undefined;
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const ctx = step.context;
    const { t, person } = turnInfo(ctx);
    const act = ctx.activity;
    if (interruptionOf(act.text) === 'cancel') {
      await ctx.sendActivity(t.nothingToCancel);
      return step.endDialog();
    }
    if (interruptionOf(act.text) === 'help') {
      await ctx.sendActivity({ text: t.helpText, textFormat: 'markdown' });
      return step.endDialog();
    }
    if (!person || person.roles.length === 0) {
      await this.sendNoRole(ctx);
      return step.endDialog();
    }
    const pick = menuSubmission.safeParse(act.value);
    const wanted = pick.success ? this.features.find((f) => f.id === pick.data.menu) : this.commandFeature(act.text);
    if (pick.success && pick.data.menu === 'help') {
      await ctx.sendActivity({ text: t.helpText, textFormat: 'markdown' });
      return step.endDialog();
    }
    if (wanted && wanted.visibleTo(person)) {
      if (pick.success && pick.data.taskId && pick.data.taskUnit && pick.data.taskDue && wanted.resumeTask) {
        const task = (await this.deps.stores.tasks.get({ unit: pick.data.taskUnit as UnitId, taskId: pick.data.taskId, dueDate: pick.data.taskDue }))?.value;
        if (task && task.state === 'open' && isResponsible(person, task) && (await wanted.resumeTask(ctx, task))) return step.endDialog();
        if (task && task.state !== 'open') {
          await ctx.sendActivity(refusalText(t, refuse('alreadyDone', { by: '', at: '' })));
          return step.endDialog();
        }
      }
      if (!wanted.dialog) {
        const name = isRoutine(wanted.id) ? t.routines[wanted.id] : wanted.id;
        await ctx.sendActivity({ attachments: [renderMessageCard({ title: t.notAvailableYet, text: t.notAvailableYetLong(name), tone: 'warning' })] });
        return step.endDialog();
      }
      return step.beginDialog(wanted.dialog.id);
    }
    await ctx.sendActivity({ attachments: [this.menuCard(ctx, person)] });
    return step.endDialog();
  }

  private async afterFeature(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog(step.result);
  }

  private menuCard(ctx: TurnContext, person: StaffMember) {
    const { t } = turnInfo(ctx);
    const allowed = routinesFor(person);
    const routines = ROUTINE_IDS.filter((r) => allowed.includes(r)).map((r) => ({
      id: r,
      name: t.routines[r],
      description: t.routineDescriptions[r],
      available: Boolean(this.features.find((f) => f.id === r)?.dialog),
    }));
    const extras: Array<{ id: string; title: string }> = [];
    const tasks = this.features.find((f) => f.id === 'myTasks');
    if (tasks?.dialog && tasks.visibleTo(person)) extras.push({ id: 'myTasks', title: t.myTasks });
    const admin = this.features.find((f) => f.id === 'admin');
    if (admin?.dialog && admin.visibleTo(person)) extras.push({ id: 'admin', title: t.manageRoles });
    extras.push({ id: 'help', title: t.help });
    return renderMenuCard({ greeting: t.greeting(person.name), intro: t.menuIntro, openLabel: t.open, notAvailableLabel: t.notAvailableYet, routines, extras });
  }

  private async sendNoRole(ctx: TurnContext): Promise<void> {
    const { t } = turnInfo(ctx);
    const admins = (await this.deps.stores.staff.holders('admin', 'city')).map((p) => p.name);
    await ctx.sendActivity({ attachments: [renderMessageCard({ title: t.noRoleTitle, text: t.noRole(admins.join(', ')), tone: 'warning' })] });
  }
}

function isRoutine(id: string): id is RoutineId {
  return (ROUTINE_IDS as readonly string[]).includes(id);
}
