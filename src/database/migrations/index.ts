import { CreatePaySyncTables1764190000000 } from './1764190000000-create-pay-sync-tables';
import { CreateSandboxTrade1764190000001 } from './1764190000001-create-sandbox-trade';
import { AddPayOrderSyncSchedule1764190000002 } from './1764190000002-add-pay-order-sync-schedule';

/** Every migration, in order. A host application embedding SyncModule runs these. */
export const SYNC_MIGRATIONS = [CreatePaySyncTables1764190000000, CreateSandboxTrade1764190000001, AddPayOrderSyncSchedule1764190000002];
