import { RefundOrder } from './refund-order.entity';

/** A refund as it stood after a repair, as events and notifications carry it. */
export type RefundOrderSnapshot = Pick<
  RefundOrder,
  | 'refundNo'
  | 'bizRefundNo'
  | 'outRefundNo'
  | 'orderNo'
  | 'bizOrderNo'
  | 'outOrderNo'
  | 'title'
  | 'channel'
  | 'orderAmount'
  | 'amount'
  | 'reason'
  | 'status'
  | 'finishTime'
  | 'notifyUrl'
  | 'attach'
  | 'errorCode'
  | 'errorMsg'
  | 'createTime'
>;

export function refundSnapshotOf(refund: RefundOrderSnapshot): RefundOrderSnapshot {
  return {
    refundNo: refund.refundNo,
    bizRefundNo: refund.bizRefundNo,
    outRefundNo: refund.outRefundNo,
    orderNo: refund.orderNo,
    bizOrderNo: refund.bizOrderNo,
    outOrderNo: refund.outOrderNo,
    title: refund.title,
    channel: refund.channel,
    orderAmount: refund.orderAmount,
    amount: refund.amount,
    reason: refund.reason,
    status: refund.status,
    finishTime: refund.finishTime,
    notifyUrl: refund.notifyUrl,
    attach: refund.attach,
    errorCode: refund.errorCode,
    errorMsg: refund.errorMsg,
    createTime: refund.createTime,
  };
}

/** A snapshot read back from JSON: its times become Dates again. */
export function refundSnapshotFromJson(value: Record<string, unknown>): RefundOrderSnapshot {
  const time = (field: unknown) => (typeof field === 'string' ? new Date(field) : null);
  return refundSnapshotOf({ ...(value as unknown as RefundOrderSnapshot), finishTime: time(value.finishTime), createTime: time(value.createTime)! });
}
