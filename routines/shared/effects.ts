import type { JournalEvent } from './journal';
import type { Role, UnitId } from './organisation';
import type { ReminderPlan, Task } from './tasks';
import type { CaseFile } from './cases';
import type { Consent } from './consent';

/**
 * What a step does besides changing its aggregate, decided by the routine's rule together with the
 * new state (see ARCHITECTURE "A step, end to end"). The storage layer writes the new state and
 * these effects in one transaction (an outbox row beside the aggregate); the relay then carries
 * each effect out. Every effect has an id unique to its step (`<stepId>:<n>`), so carrying it out
 * twice is a no-op: the journal row's key derives from it, a task's id is fixed, a sent card's
 * activity id is recorded against it.
 */
export type Effect = JournalEffect | OpenTaskEffect | CloseTaskEffect | CloseTasksEffect | NotifyEffect | RefreshCardsEffect | RecordConsentEffect | CreateCaseEffect | RecordEffect;

/** A card's kind and the (non-identifying) data it is rendered from at delivery, in the recipient's language. */
export interface CardSpec {
  kind: string;
  data: Record<string, string | number | boolean>;
}

export interface JournalEffect {
  type: 'journal';
  id: string;
  event: JournalEvent;
  /**
   * The id of a notify effect of the same step: when that card reached nobody, the event records
   * it (`details.notReached` = `notReachedName`), so the journal says who was not told.
   */
  undeliveredFrom?: { effect: string; notReachedName: string } | undefined;
  /** The id of a notify effect (and `also` others) whose reach the event counts: `details[reached]` = how many got the card, `details[notReached]` = how many did not. */
  deliveryCounts?: { effect: string; also?: string[] | undefined; reached?: string | undefined; notReached?: string | undefined; omitZero?: boolean | undefined; stepIfNone?: string | undefined } | undefined;
  /**
   * Notify effects, each named (e.g. by the administration it is for): the event lists the names
   * comma-separated (or by `separator`) under `reached` (someone got the card), `notReached` (nobody
   * did) and `noConsent` (the consent no longer covered it when it was sent), added to what the step
   * put there; `consentFlag`: set to true when consent stopped any of them. `deliveryCounts.omitZero`:
   * a count of 0 is left out; `deliveryCounts.stepIfNone`: the event's step when the counted cards
   * reached nobody (e.g. "a.providerNotReached" instead of "a.providerNotified").
   */
  deliveryLists?: { byEffect: Record<string, string>; reached?: string | undefined; notReached: string; noConsent?: string | undefined; separator?: string | undefined; consentFlag?: string | undefined } | undefined;
}

export interface OpenTaskEffect {
  type: 'openTask';
  id: string;
  task: Task;
  reminders: ReminderPlan[];
}

export interface CloseTaskEffect {
  type: 'closeTask';
  id: string;
  unit: UnitId;
  taskId: string;
  outcome: 'done' | 'cancelled';
  by: string;
  at: string;
}

/** Every open task of a unit whose id starts with `prefix` (the tasks of one case or plan), whichever are open when it is carried out. */
export interface CloseTasksEffect {
  type: 'closeTasks';
  id: string;
  unit: UnitId;
  prefix: string;
  outcome: 'done' | 'cancelled';
  by: string;
  at: string;
}

/** Everyone holding a role in a unit (e.g. the contacts of a provider); when nobody does, the holders of `orElse`. */
export interface RoleRecipients {
  role: Role;
  unit: UnitId;
  orElse?: Role | undefined;
}

/**
 * A card to one person (`personId`) or to every holder of a role in a unit (`role`), each in their
 * personal chat with the bot. `consent`: sent only if the case's consent covers `recipient` at the
 * moment of sending (checked by the relay, not when the step was decided). `remember`: the ids of
 * the cards sent are handed to the routine (its renderer's `remember`), which keeps them on the
 * aggregate so a later step can replace them for every viewer.
 */
export interface NotifyEffect {
  type: 'notify';
  id: string;
  personId?: string | undefined;
  role?: RoleRecipients | undefined;
  card: CardSpec;
  consent?: { caseId: string; recipient: string } | undefined;
  remember?: boolean | undefined;
  /**
   * The case the card shows (loggkontroll): everyone it reaches is recorded in the access log as a
   * view of that case. Without it, a card sent under a consent is recorded as a view of the
   * consent's case.
   */
  about?: string | undefined;
}

/**
 * The cards of one aggregate sent earlier are re-rendered from its current state and replaced for
 * every viewer (but `except`, whose card the reply replaces).
 */
export interface RefreshCardsEffect {
  type: 'refreshCards';
  id: string;
  card: CardSpec;
  except?: string | undefined;
}

/**
 * A consent given on the step's form, recorded by the relay (its id is fixed by the form, so
 * recording it twice is a no-op). Listed before the cards it covers: the relay checks consent
 * when it sends a card, and finds this one.
 */
export interface RecordConsentEffect {
  type: 'recordConsent';
  id: string;
  consent: Consent;
}

/** A case file the step names for the first time (its id fixed when the case was named), created by the relay before any card rendered from it. */
export interface CreateCaseEffect {
  type: 'createCase';
  id: string;
  caseFile: CaseFile;
}

/**
 * A row a routine keeps beside its aggregate in another partition (e.g. routine A's index of the
 * queues a case waits in), written idempotently by the routine's own writer of `kind` (its
 * `RecordWriters`, dialogs/<routine>/effectCards.ts).
 */
export interface RecordEffect {
  type: 'record';
  id: string;
  kind: string;
  data: Record<string, string | number | boolean>;
}

/** A step's decision: the new state of its aggregate and everything the step does besides. */
export interface StepDecision<S> {
  state: S;
  effects: Effect[];
}

/** Numbers a step's effects: ids `<stepId>:1`, `<stepId>:2`, … in the order they are listed. */
export class Effects {
  private readonly list: Effect[] = [];
  constructor(private readonly stepId: string) {}
  private nextId(): string {
    return `${this.stepId}:${this.list.length + 1}`;
  }
  journal(event: JournalEvent, undeliveredFrom?: JournalEffect['undeliveredFrom'], deliveryCounts?: JournalEffect['deliveryCounts'], deliveryLists?: JournalEffect['deliveryLists']): string {
    const id = this.nextId();
    this.list.push({ type: 'journal', id, event, ...definedOf({ undeliveredFrom, deliveryCounts, deliveryLists }) });
    return id;
  }
  openTask(task: Task, reminders: ReminderPlan[]): string {
    const id = this.nextId();
    this.list.push({ type: 'openTask', id, task, reminders });
    return id;
  }
  closeTask(unit: UnitId, taskId: string, outcome: 'done' | 'cancelled', by: string, at: Date): string {
    const id = this.nextId();
    this.list.push({ type: 'closeTask', id, unit, taskId, outcome, by, at: at.toISOString() });
    return id;
  }
  closeTasks(unit: UnitId, prefix: string, outcome: 'done' | 'cancelled', by: string, at: Date): string {
    const id = this.nextId();
    this.list.push({ type: 'closeTasks', id, unit, prefix, outcome, by, at: at.toISOString() });
    return id;
  }
  notify(personId: string, card: CardSpec, opts: Pick<NotifyEffect, 'consent' | 'remember' | 'about'> = {}): string {
    const id = this.nextId();
    this.list.push({ type: 'notify', id, personId, card, ...definedOf(opts) });
    return id;
  }
  notifyRole(role: RoleRecipients, card: CardSpec, opts: Pick<NotifyEffect, 'consent' | 'remember' | 'about'> = {}): string {
    const id = this.nextId();
    this.list.push({ type: 'notify', id, role, card, ...definedOf(opts) });
    return id;
  }
  recordConsent(consent: Consent): string {
    const id = this.nextId();
    this.list.push({ type: 'recordConsent', id, consent });
    return id;
  }
  createCase(caseFile: CaseFile): string {
    const id = this.nextId();
    this.list.push({ type: 'createCase', id, caseFile });
    return id;
  }
  record(kind: string, data: RecordEffect['data']): string {
    const id = this.nextId();
    this.list.push({ type: 'record', id, kind, data });
    return id;
  }
  refreshCards(card: CardSpec, except?: string): string {
    const id = this.nextId();
    this.list.push({ type: 'refreshCards', id, card, ...(except ? { except } : {}) });
    return id;
  }
  get all(): Effect[] {
    return [...this.list];
  }
}

function definedOf<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
