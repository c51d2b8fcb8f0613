import { AccessLog, accessEntrySchema } from './accessLog';
import { CaseStore, caseFileSchema } from './cases';
import { ClaimStore, claimSchema } from './claims';
import { ConsentStore, consentSchema } from './consents';
import { ConversationReferences, storedConversationSchema } from './conversationReferences';
import { runBackfills } from './backfills';
import { EntityTable } from './entityTable';
import { Journal, journalEventSchema } from './journal';
import { KeyValueStore } from './keyValue';
import { StaffDirectory, staffMemberSchema } from './staffDirectory';
import type { TableClientFactory } from './tableClients';
import { TaskStore, pendingReminderSchema, taskSchema } from './tasks';
import { WaitingListStore, waitingListRowSchema } from './waitingList';
import { CoordinatedPlanStore, planRowSchema } from './coordinatedPlans';
import { PlanReviewStore, homeCareProviderSchema, planReviewRowSchema, reviewIndexSchema } from './planReviews';
import { ReferralStore, referralRowSchema } from './referrals';
import { RetentionStore } from './retention';

/** Every repository of the app, over one storage account. */
export interface Stores {
  staff: StaffDirectory;
  journal: Journal;
  consents: ConsentStore;
  cases: CaseStore;
  conversations: ConversationReferences;
  botState: KeyValueStore;
  tasks: TaskStore;
  waitingList: WaitingListStore;
  plans: CoordinatedPlanStore;
  planReviews: PlanReviewStore;
  referrals: ReferralStore;
  /** One-time claims of card buttons and forms (double and stale presses). */
  claims: ClaimStore;
  /** Who saw which case, when, in which view (append-only; docs/data-protection.md). */
  accessLog: AccessLog;
  /** The retention sweep's storage side (gallring; storage/retention.ts). */
  retention: RetentionStore;
  /** Creates every table (idempotent). */
  ensureTables(): Promise<void>;
  /** Writes the index rows older data lacks, once (see storage/backfills.ts). */
  backfill(now: Date): Promise<Record<string, number>>;
  /** Throws when table storage does not answer. */
  ping(): Promise<void>;
  factory: TableClientFactory;
}

export function createStores(factory: TableClientFactory): Stores {
  const tables = {
    staff: new EntityTable(factory.client('Staff'), staffMemberSchema),
    journal: new EntityTable(factory.client('Journal'), journalEventSchema),
    consents: new EntityTable(factory.client('Consents'), consentSchema),
    cases: new EntityTable(factory.client('Cases'), caseFileSchema),
    conversations: new EntityTable(factory.client('Conversations'), storedConversationSchema),
    botState: new EntityTable(factory.client('BotState'), KeyValueStore.schema),
    tasks: new EntityTable(factory.client('Tasks'), taskSchema, { split: false }),
    reminders: new EntityTable(factory.client('Reminders'), pendingReminderSchema, { split: false }),
    waitingList: new EntityTable(factory.client('WaitingList'), waitingListRowSchema),
    plans: new EntityTable(factory.client('Plans'), planRowSchema),
    planReviews: new EntityTable(factory.client('PlanReviews'), planReviewRowSchema),
    planReviewIndex: new EntityTable(factory.client('PlanReviewsByProvider'), reviewIndexSchema),
    homeCareProviders: new EntityTable(factory.client('HomeCareProviders'), homeCareProviderSchema),
    referrals: new EntityTable(factory.client('Referrals'), referralRowSchema),
    claims: new EntityTable(factory.client('Claims'), claimSchema, { split: false }),
    accessLog: new EntityTable(factory.client('AccessLog'), accessEntrySchema, { split: false }),
  };
  const stores: Stores = {
    staff: new StaffDirectory(tables.staff),
    journal: new Journal(tables.journal),
    consents: new ConsentStore(tables.consents),
    cases: new CaseStore(tables.cases),
    conversations: new ConversationReferences(tables.conversations),
    botState: new KeyValueStore(tables.botState),
    tasks: new TaskStore(tables.tasks, tables.reminders),
    waitingList: new WaitingListStore(tables.waitingList),
    plans: new CoordinatedPlanStore(tables.plans),
    planReviews: new PlanReviewStore(tables.planReviews, tables.planReviewIndex, tables.homeCareProviders),
    referrals: new ReferralStore(tables.referrals),
    claims: new ClaimStore(tables.claims),
    accessLog: new AccessLog(tables.accessLog),
    retention: new RetentionStore({ cases: tables.cases, journal: tables.journal, consents: tables.consents, plans: tables.plans as never, referrals: tables.referrals as never, planReviews: tables.planReviews as never, claims: tables.claims, tasks: tables.tasks, waitingList: tables.waitingList as never }),
    factory,
    async ensureTables() {
      await Promise.all(Object.values(tables).map((t) => t.ensure()));
      // Once per storage account: the staff directory's role index (see docs/storage.md).
      await stores.staff.ensureIndex();
    },
    backfill: (now) => runBackfills(stores, now),
    ping: () => factory.ping(),
  };
  return stores;
}
