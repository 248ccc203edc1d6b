import { SyncAnomalyKind } from './pay-sync-decision';
import { PaySyncStatus } from './pay-sync-status';
import { RepairWay } from './repair-way';
import { SyncFailureReason, SyncReason } from './sync-reason';

/** A repair this sync made: its record number and how the order was repaired. */
export interface PayRepair {
  repairNo: string;
  way: RepairWay;
}

/**
 * What one sync came to. `status` is the channel's answer after the timeout adjustment;
 * `reason` is what the sync record says when the sync did not simply complete; `message`
 * is the text the merchant and the record are given.
 */
export type PaySyncOutcome =
  /** The channel answered and the order stays as it is (for `ORDER_CHANGED`: changed meanwhile by the gateway). */
  | { kind: 'unchanged'; status: PaySyncStatus; reason?: SyncReason.ORDER_CHANGED }
  /** The order was repaired to match the channel. */
  | { kind: 'repaired'; status: PaySyncStatus; repair: PayRepair }
  /** The channel and the order disagree; recorded for an operator, the order left alone. */
  | { kind: 'anomaly'; status: PaySyncStatus; reason: SyncReason.ANOMALY; anomaly: SyncAnomalyKind; message: string }
  /** The channel reports a refund; the order is refund sync's business. */
  | { kind: 'refund'; status: PaySyncStatus.REFUND; reason: SyncReason.REFUND; message: string }
  /** No decision could be reached (the channel failed, or is unknown); nothing changed. */
  | { kind: 'failed'; status: PaySyncStatus.FAIL; reason: SyncFailureReason; message: string }
  /** No such order. */
  | { kind: 'not_found'; reason: SyncReason.ORDER_NOT_FOUND; message: string }
  /** Another caller is syncing the order right now. */
  | { kind: 'busy'; reason: SyncReason.BUSY };
