import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { RefundOrder } from '../../refund/refund-order.entity';
import { ChannelError, ChannelRefundResult, ChannelRefundState } from '../pay-channel';
import { alipayCents, alipayErrorCode, alipayErrorText, alipayTime, AlipayResponseNode, presentText } from './alipay-response-node';

export const ALIPAY_REFUND_QUERY = 'alipay.trade.fastpay.refund.query';

const SUCCESS = '10000';
const BUSINESS_FAILED = '40004';
const TRADE_NOT_EXIST = 'ACQ.TRADE_NOT_EXIST';
const REFUND_SUCCESS = 'REFUND_SUCCESS';

/**
 * The biz_content of a refund query: the paid trade by our order number, the refund by the
 * number it was sent with, and the completion time, which Alipay returns only when asked.
 */
export function refundQueryContent(refund: Pick<RefundOrder, 'orderNo' | 'refundNo'>): Record<string, unknown> {
  return { out_trade_no: refund.orderNo, out_request_no: refund.refundNo, query_options: ['gmt_refund_pay'] };
}

/**
 * A verified `alipay.trade.fastpay.refund.query` answer in our words (refund-sync.md
 * section 7). Code 10000 only says the query itself worked:
 *
 * - `refund_status` REFUND_SUCCESS: done; amount `refund_amount`, time `gmt_refund_pay`, and
 *   `trade_no` as the refund id (Alipay gives refunds no id of their own).
 * - no `refund_status` and no refund data (`out_request_no`, `refund_amount`): Alipay never
 *   received the refund, or it failed without money moving: not found.
 * - no `refund_status` but refund data: Alipay's texts disagree on what this means, so it
 *   stays processing and, past the grace, goes to a person (`refund_unconfirmed`).
 *
 * Any other code is a failed query, in Alipay's words; ACQ.TRADE_NOT_EXIST also calls for
 * `refund_trade_unknown`, since the refunded trade was paid. An answer about another trade or
 * refund, or with a status or field we cannot read, is a failed query too.
 */
export function refundResultOf(node: AlipayResponseNode, raw: string, refund: Pick<RefundOrder, 'orderNo' | 'refundNo'>): ChannelRefundResult {
  if (node.code !== SUCCESS) {
    const tradeUnknown = node.code === BUSINESS_FAILED && node.sub_code === TRADE_NOT_EXIST;
    throw new ChannelError(alipayErrorText(node), raw, { code: alipayErrorCode(node), ...(tradeUnknown ? { anomaly: AnomalyKind.REFUND_TRADE_UNKNOWN } : {}) });
  }
  if (node.out_trade_no !== undefined && node.out_trade_no !== refund.orderNo) {
    throw new ChannelError(`支付宝应答的商户订单号与请求不符: ${String(node.out_trade_no).slice(0, 64)}`, raw);
  }
  if (node.out_request_no !== undefined && node.out_request_no !== refund.refundNo) {
    throw new ChannelError(`支付宝应答的退款请求号与请求不符: ${String(node.out_request_no).slice(0, 64)}`, raw);
  }
  const refundId = presentText(node.trade_no) ? node.trade_no : undefined;
  if (node.refund_status === undefined || node.refund_status === '') {
    if (!presentText(node.out_request_no) && !presentText(node.refund_amount)) return { state: ChannelRefundState.NOT_FOUND, raw };
    return { state: ChannelRefundState.PROCESSING, refundId, anomaly: AnomalyKind.REFUND_UNCONFIRMED, raw };
  }
  if (node.refund_status !== REFUND_SUCCESS) {
    throw new ChannelError(`支付宝返回未知的退款状态: ${String(node.refund_status).slice(0, 32)}`, raw);
  }
  return {
    state: ChannelRefundState.SUCCESS,
    amount: alipayCents(node.refund_amount, raw),
    refundId,
    finishTime: alipayTime(node.gmt_refund_pay, raw, '退款时间'),
    raw,
  };
}
