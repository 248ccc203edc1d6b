import { PayOrder } from './pay-order.entity';
import { PayRefundStatus, PayStatus } from './pay-status';

/** What the gateway decides when it creates a pay order; anything else may be given too. */
export type PayOrderDraft = Pick<PayOrder, 'orderNo' | 'bizOrderNo' | 'title' | 'channel' | 'method' | 'amount' | 'expiredTime'> &
  Partial<Omit<PayOrder, 'id'>>;

/** A pay order as the gateway writes it: waiting for payment, nothing refunded, version 0. */
export function newPayOrder(draft: PayOrderDraft, now = new Date()): Omit<PayOrder, 'id'> {
  return {
    refundableBalance: draft.amount,
    outOrderNo: null,
    status: PayStatus.PROGRESS,
    refundStatus: PayRefundStatus.NO_REFUND,
    payTime: null,
    closeTime: null,
    notifyUrl: null,
    attach: null,
    errorCode: null,
    errorMsg: null,
    clientIp: null,
    createTime: now,
    lastModifiedTime: now,
    version: 0,
    ...draft,
  };
}
