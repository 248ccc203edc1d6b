import { AnomalyModule } from './anomaly/anomaly.module';
import { mergeSchemas } from './database/module-schema';
import { NotifyModule } from './notify/notify.module';
import { OrderModule } from './order/order.module';
import { OutboxModule } from './outbox/outbox.module';
import { RefundModule } from './refund/refund.module';
import { SyncModule } from './sync/sync.module';

/**
 * The tables pay and refund sync need: the pay and refund orders; the sync's records and
 * leases; the outbox, anomalies and merchant notifications.
 */
export const UNIPAY_SCHEMA = mergeSchemas([OrderModule.schema, RefundModule.schema, SyncModule.schema, OutboxModule.schema, AnomalyModule.schema, NotifyModule.schema]);
