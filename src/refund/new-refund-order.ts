import { PayOrder } from '../order/pay-order.entity';
import { RefundOrder } from './refund-order.entity';
import { RefundStatus } from './refund-status';

/** What the gateway decides when it creates a refund; anything else may be given too. */
export type RefundOrderDraft = Pick<RefundOrder, 'refundNo' | 'bizRefundNo' | 'amount'> & Partial<Omit<RefundOrder, 'id'>>;

/**
 * A refund of `order` as the gateway writes it once the channel acknowledged the request:
 * `progress`, sent now, version 0, the pay order's numbers copied.
 */
export function newRefundOrder(order: PayOrder, draft: RefundOrderDraft, now = new Date()): Omit<RefundOrder, 'id'> {
  return {
    outRefundNo: null,
    orderId: order.id,
    orderNo: order.orderNo,
    bizOrderNo: order.bizOrderNo,
    outOrderNo: order.outOrderNo,
    title: order.title,
    channel: order.channel,
    orderAmount: order.amount,
    reason: null,
    status: RefundStatus.PROGRESS,
    finishTime: null,
    channelReqTime: new Date(Math.floor(now.getTime() / 1000) * 1000),
    notifyUrl: null,
    attach: null,
    reqTime: null,
    clientIp: null,
    errorCode: null,
    errorMsg: null,
    createTime: now,
    lastModifiedTime: now,
    version: 0,
    syncNextTime: null,
    syncCount: 0,
    syncLeaseOwner: null,
    syncLeaseUntil: null,
    ...draft,
  };
}
