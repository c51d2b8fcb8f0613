import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from '../botbuilderDialogs';
import { adminRolesSubmission, renderAdminRolesCard, type AdminRolesSubmission } from '../../cards/adminRoles';
import { renderMessageCard } from '../../cards/message';
import { refusalText, type Texts } from '../../locale';
import { applyDirectoryChange, mayManageDirectory } from '../../routines/shared/directory';
import { ADMINISTRATIONS, CITY_UNITS, ROLES, isUnitId, unitName, type StaffMember, type UnitId } from '../../routines/shared/organisation';
import { refuse } from '../../routines/shared/refusal';
import { StorageConflictError } from '../../storage/errors';
import { CardFormPrompt } from '../cardFormPrompt';
import type { Feature } from '../feature';
import type { DialogDeps } from '../ports';
import { turnInfo } from '../turn';
import { journalEvent, type Actor } from '../../routines/shared/journal';

const FORM = 'admin.roles.form';
type FormData = Pick<Parameters<typeof renderAdminRolesCard>[0], 'people' | 'roles' | 'units'>;
const FLOW = 'admin.roles.flow';

/** The admin's role management: add or remove a role of a person in a unit, by card. */
/** At most this many people in the form's pick list (in id order). */
const PEOPLE_PAGE = 200;

export class ManageRolesDialog extends ComponentDialog {
  static readonly ID = 'admin.roles';

  constructor(private readonly deps: DialogDeps) {
    super(ManageRolesDialog.ID);
    this.addDialog(new CardFormPrompt<AdminRolesSubmission>(FORM, (d, t) => renderAdminRolesCard({ ...(d as unknown as FormData), ...labels(t), formId: d.formId, error: d.error }), adminRolesSubmission));
    this.addDialog(new WaterfallDialog(FLOW, [this.showForm.bind(this), this.apply.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async showForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { person, t } = turnInfo(step.context);
    if (!person || !mayManageDirectory(person)) {
      await step.context.sendActivity(refusalText(t, refuse('notAllowed')));
      return step.endDialog();
    }
    // A bounded page, not the whole directory (a person beyond it is reached by id with 'add').
    const staff = await this.deps.stores.staff.page(PEOPLE_PAGE);
    const providerUnits = [...new Set(staff.flatMap((p) => p.roles.map((r) => r.unit)).filter((u) => u.startsWith('provider:')))];
    return step.beginDialog(FORM, {
      data: {
        people: staff.sort((a, b) => a.name.localeCompare(b.name, 'sv')).map((p) => ({ title: p.name, value: p.id })),
        roles: ROLES.map((r) => ({ title: t.roles[r], value: r })),
        units: [...ADMINISTRATIONS, ...CITY_UNITS, ...providerUnits].map((u) => ({ title: unitName(u as UnitId), value: u })),
      },
    });
  }

  private async apply(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const ctx = step.context;
    const { person, t } = turnInfo(ctx);
    const input = step.result as AdminRolesSubmission;
    if (!isUnitId(input.unit)) {
      await ctx.sendActivity(refusalText(t, refuse('unknownUnit', { unit: input.unit })));
      return step.replaceDialog(FLOW);
    }
    const targetId = input.personId || input.newPersonId;
    const stored = await this.deps.stores.staff.get(targetId);
    const decision = applyDirectoryChange(person as StaffMember, stored?.value, {
      kind: input.action,
      personId: targetId,
      personName: stored?.value.name ?? input.newPersonName,
      assignment: { role: input.role, unit: input.unit },
    });
    if (!decision.ok) {
      await ctx.sendActivity(refusalText(t, { ...decision, params: { ...decision.params, role: t.roles[input.role], unit: unitName(input.unit) } }));
      return step.replaceDialog(FLOW);
    }
    try {
      await this.deps.stores.staff.save(decision.value, stored?.etag);
    } catch (err) {
      if (err instanceof StorageConflictError) {
        await ctx.sendActivity(t.conflict);
        return step.replaceDialog(FLOW);
      }
      throw err;
    }
    // A change of who may do what is journaled like any other change (partition per person).
    const admin: Actor = { id: person!.id, name: person!.name, role: 'admin', unit: 'city' };
    await this.deps.stores.journal.append(journalEvent(`staff:${targetId}`, admin, 'shared', input.action === 'add' ? 'shared.roleAdded' : 'shared.roleRemoved', turnInfo(ctx).now, { role: input.role, unit: input.unit }));
    const say = input.action === 'add' ? t.admin.added : t.admin.removed;
    await ctx.sendActivity({ attachments: [renderMessageCard({ title: t.admin.title, text: say(decision.value.name, t.roles[input.role], unitName(input.unit)), tone: 'good' })] });
    return step.endDialog();
  }
}

function labels(t: Texts) {
  return {
    title: t.admin.title,
    intro: `${t.admin.intro} ${t.admin.pickPersonOrNew}`,
    labels: { existingPerson: t.admin.existingPerson, newPersonId: t.admin.newPersonId, newPersonName: t.admin.newPersonName, role: t.admin.role, unit: t.admin.unit, add: t.admin.add, remove: t.admin.remove },
  };
}

export function adminFeature(deps: DialogDeps): Feature {
  return {
    id: 'admin',
    dialog: new ManageRolesDialog(deps),
    visibleTo: (p) => mayManageDirectory(p),
    commands: ['behörigheter', 'roller', 'admin', 'roles'],
  };
}
