import { mergeSchemas } from './database/module-schema';
import { OrderModule } from './order/order.module';
import { SyncModule } from './sync/sync.module';

/** The tables pay sync and its job need: the pay order and the sync's own records and leases. */
export const UNIPAY_SCHEMA = mergeSchemas([OrderModule.schema, SyncModule.schema]);
