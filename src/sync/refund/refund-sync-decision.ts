import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { ChannelRefundResult, ChannelRefundState } from '../../channel/pay-channel';
import { RefundOrder } from '../../refund/refund-order.entity';
import { RefundStatus } from '../../refund/refund-status';
import { RefundRepairWay, RefundSyncStatus } from './refund-sync-status';

const STATUS_OF: Record<ChannelRefundState, RefundSyncStatus> = {
  [ChannelRefundState.SUCCESS]: RefundSyncStatus.SUCCESS,
  [ChannelRefundState.PROCESSING]: RefundSyncStatus.PROGRESS,
  [ChannelRefundState.FAILED]: RefundSyncStatus.FAIL,
  [ChannelRefundState.NOT_FOUND]: RefundSyncStatus.NOT_FOUND,
};

/** A change of the refund (and, in the same transaction, of its pay order's refund fields). */
export interface RefundChange {
  target: RefundStatus.SUCCESS | RefundStatus.CLOSE | RefundStatus.PROGRESS;
  way: RefundRepairWay;
  /** SUCCESS: when the channel completed the refund. */
  finishTime?: Date;
  /** CLOSE: why, in the channel's words. */
  errorMsg?: string;
}

/** What a verified answer comes to: the status answered, a change if any, an anomaly if any. */
export interface RefundDecision {
  status: RefundSyncStatus;
  change?: RefundChange;
  anomaly?: AnomalyKind;
}

/**
 * The decision table of refund-sync.md section 6, for a verified answer (an ERROR never gets
 * here) about a refund that is not `close` (a closed refund is not queried). Pure: `now` and
 * the channel's not-found grace are given.
 */
export function decideRefund(refund: Pick<RefundOrder, 'status' | 'amount' | 'channelReqTime'>, answer: ChannelRefundResult, now: Date, graceSeconds: number): RefundDecision {
  const status = STATUS_OF[answer.state];
  const pastGrace = now.getTime() - refund.channelReqTime.getTime() > graceSeconds * 1000;
  if (refund.status === RefundStatus.SUCCESS) {
    return answer.state === ChannelRefundState.SUCCESS ? { status } : { status, anomaly: AnomalyKind.REFUND_SUCCESS_DISPUTED };
  }
  const fail = refund.status === RefundStatus.FAIL;
  switch (answer.state) {
    case ChannelRefundState.SUCCESS:
      if (answer.amount !== undefined && answer.amount !== refund.amount) return { status, anomaly: AnomalyKind.REFUND_AMOUNT_MISMATCH };
      return { status, change: { target: RefundStatus.SUCCESS, way: RefundRepairWay.SUCCESS, finishTime: answer.finishTime ?? now } };
    case ChannelRefundState.PROCESSING: {
      const anomaly =
        answer.anomaly === AnomalyKind.REFUND_ABNORMAL || (answer.anomaly === AnomalyKind.REFUND_UNCONFIRMED && pastGrace) ? answer.anomaly : undefined;
      const change: RefundChange | undefined = fail ? { target: RefundStatus.PROGRESS, way: RefundRepairWay.PROGRESS } : undefined;
      return { status, ...(change ? { change } : {}), ...(anomaly ? { anomaly } : {}) };
    }
    case ChannelRefundState.FAILED:
      return { status, change: { target: RefundStatus.CLOSE, way: RefundRepairWay.FAIL, errorMsg: answer.reason } };
    case ChannelRefundState.NOT_FOUND:
      if (!pastGrace) return { status };
      return fail ? { status, change: { target: RefundStatus.CLOSE, way: RefundRepairWay.FAIL } } : { status, anomaly: AnomalyKind.REFUND_NOT_FOUND };
  }
}
