import { ChannelQueryResult, ChannelTradeState } from '../channel/pay-channel';
import { PayStatus } from '../order/pay-status';
import { RepairWay } from './repair-way';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { PaySyncStatus } from './pay-sync-status';

/** The anomalies a sync can find in the channel's answer. */
export type SyncAnomalyKind = AnomalyKind.AMOUNT_MISMATCH | AnomalyKind.PAID_AFTER_CLOSE;

/** What the sync does with the channel's answer (spec section 6). */
export type SyncDecision =
  /** Nothing changes. */
  | { kind: 'keep'; status: PaySyncStatus }
  /** The local order is repaired to `target`. */
  | { kind: 'repair'; status: PaySyncStatus; way: RepairWay; target: PayStatus.SUCCESS | PayStatus.CLOSE }
  /** The order expired while the channel still waits: close the trade at the channel first. */
  | { kind: 'close_at_channel'; status: PaySyncStatus.TIMEOUT }
  /** The channel and the order disagree in a way only an operator may settle. */
  | { kind: 'anomaly'; status: PaySyncStatus; anomaly: SyncAnomalyKind }
  /** The channel reports a refund: the merchant must use refund sync. */
  | { kind: 'refund'; status: PaySyncStatus.REFUND };

export interface DecisionOrder {
  status: PayStatus;
  amount: number;
  expiredTime: Date;
}

const STATUS_OF_STATE: Record<ChannelTradeState, PaySyncStatus> = {
  [ChannelTradeState.SUCCESS]: PaySyncStatus.SUCCESS,
  [ChannelTradeState.PROGRESS]: PaySyncStatus.PROGRESS,
  [ChannelTradeState.CLOSED]: PaySyncStatus.CLOSED,
  [ChannelTradeState.REFUND]: PaySyncStatus.REFUND,
  [ChannelTradeState.NOT_FOUND]: PaySyncStatus.NOT_FOUND,
  [ChannelTradeState.NOT_FOUND_UNKNOWN]: PaySyncStatus.NOT_FOUND_UNKNOWN,
};

/** The channel's answer as a sync status, after the timeout adjustment. */
export function syncStatusOf(order: DecisionOrder, answer: ChannelQueryResult, now: Date): PaySyncStatus {
  const status = STATUS_OF_STATE[answer.state];
  const waiting = status === PaySyncStatus.PROGRESS || status === PaySyncStatus.NOT_FOUND_UNKNOWN;
  return waiting && order.expiredTime.getTime() <= now.getTime() ? PaySyncStatus.TIMEOUT : status;
}

/** The decision table of spec section 6, for a verified channel answer. */
export function decide(order: DecisionOrder, answer: ChannelQueryResult, now: Date): SyncDecision {
  const status = syncStatusOf(order, answer, now);
  if (status === PaySyncStatus.REFUND) return { kind: 'refund', status };

  if (order.status !== PayStatus.PROGRESS) {
    // A success is never downgraded; a closed order that the channel reports paid is an
    // operator's call, not ours.
    const paidAfterClose = order.status !== PayStatus.SUCCESS && status === PaySyncStatus.SUCCESS;
    return paidAfterClose
      ? { kind: 'anomaly', status, anomaly: AnomalyKind.PAID_AFTER_CLOSE }
      : { kind: 'keep', status };
  }

  switch (status) {
    case PaySyncStatus.SUCCESS:
      return answer.amount === order.amount
        ? { kind: 'repair', status, way: RepairWay.PAY_SUCCESS, target: PayStatus.SUCCESS }
        : { kind: 'anomaly', status, anomaly: AnomalyKind.AMOUNT_MISMATCH };
    case PaySyncStatus.CLOSED:
    case PaySyncStatus.NOT_FOUND:
      return { kind: 'repair', status, way: RepairWay.CLOSE_LOCAL, target: PayStatus.CLOSE };
    case PaySyncStatus.TIMEOUT:
      return { kind: 'close_at_channel', status };
    default:
      return { kind: 'keep', status };
  }
}
