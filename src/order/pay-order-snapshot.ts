import { PayOrder } from './pay-order.entity';

/** A pay order as it stood at one moment (after a repair), as events and notifications carry it. */
export type PayOrderSnapshot = Pick<
  PayOrder,
  | 'orderNo'
  | 'bizOrderNo'
  | 'outOrderNo'
  | 'title'
  | 'channel'
  | 'method'
  | 'amount'
  | 'status'
  | 'refundStatus'
  | 'payTime'
  | 'closeTime'
  | 'expiredTime'
  | 'notifyUrl'
  | 'attach'
  | 'errorCode'
  | 'errorMsg'
  | 'createTime'
>;

const TIMES = ['payTime', 'closeTime', 'expiredTime', 'createTime'] as const;

export function snapshotOf(order: PayOrderSnapshot): PayOrderSnapshot {
  return {
    orderNo: order.orderNo,
    bizOrderNo: order.bizOrderNo,
    outOrderNo: order.outOrderNo,
    title: order.title,
    channel: order.channel,
    method: order.method,
    amount: order.amount,
    status: order.status,
    refundStatus: order.refundStatus,
    payTime: order.payTime,
    closeTime: order.closeTime,
    expiredTime: order.expiredTime,
    notifyUrl: order.notifyUrl,
    attach: order.attach,
    errorCode: order.errorCode,
    errorMsg: order.errorMsg,
    createTime: order.createTime,
  };
}

/** A snapshot read back from JSON: its times become Dates again. */
export function snapshotFromJson(value: Record<string, unknown>): PayOrderSnapshot {
  const snapshot = { ...value } as Record<string, unknown>;
  for (const field of TIMES) {
    const time = snapshot[field];
    snapshot[field] = typeof time === 'string' ? new Date(time) : null;
  }
  return snapshotOf(snapshot as unknown as PayOrderSnapshot);
}
