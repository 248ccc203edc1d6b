import { Lease } from '../lease/lease.entity';
import { PayOrder } from '../order/pay-order.entity';
import { PayRepairRecord } from '../repair/pay-repair-record.entity';
import { PaySyncRecord } from './pay-sync-record.entity';

/** The entities a host application registers with TypeORM for the SyncModule. */
export const SYNC_ENTITIES = [PayOrder, PaySyncRecord, PayRepairRecord, Lease];
