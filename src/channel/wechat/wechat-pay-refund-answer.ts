import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { parseJsonObject } from '../../common/json-object';
import { ChannelError, ChannelRefundResult, ChannelRefundState } from '../pay-channel';
import { fenToCents } from '../support/amount';
import { rawOf, rfc3339Instant } from './wechat-pay-answer';
import { WechatPayAnswer } from './wechat-pay-v3.client';

/** Kept as the refund's error_msg and sent in the merchant's refund notification. */
export const WECHAT_REFUND_CLOSED_REASON = '微信支付已关闭该退款（CLOSED）';

type Unfinished = Pick<ChannelRefundResult, 'state' | 'anomaly' | 'reason'>;

/**
 * APIv3 refund `status` values other than SUCCESS, in our words (refund-sync.md section 7).
 * ABNORMAL is not final and no money went back: it stays processing and calls for a person.
 */
const UNFINISHED_OF: Readonly<Record<string, Unfinished>> = {
  PROCESSING: { state: ChannelRefundState.PROCESSING },
  ABNORMAL: { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_ABNORMAL },
  CLOSED: { state: ChannelRefundState.FAILED, reason: WECHAT_REFUND_CLOSED_REASON },
};

/**
 * A verified 200 answer to "query a refund by out_refund_no" as our result. It must be about
 * the refund and the trade we asked for; a refund done must carry its refund_id and a
 * whole-fen amount.refund (success_time is used when present, and must then be RFC 3339).
 */
export function refundResult(answer: WechatPayAnswer, expected: { outRefundNo: string; outTradeNo: string }): ChannelRefundResult {
  const raw = rawOf(answer);
  const body = parseJsonObject(answer.body);
  if (!body) throw new ChannelError('微信支付应答不是有效的 JSON', raw);
  if (body.out_refund_no !== expected.outRefundNo || body.out_trade_no !== expected.outTradeNo) {
    throw new ChannelError('微信支付应答的商户退款单号或商户订单号与请求不符', raw);
  }
  const refundId = typeof body.refund_id === 'string' && body.refund_id ? body.refund_id : undefined;
  const status = typeof body.status === 'string' ? body.status : '';
  if (Object.hasOwn(UNFINISHED_OF, status)) return { ...UNFINISHED_OF[status], ...(refundId ? { refundId } : {}), raw };
  if (status !== 'SUCCESS') throw new ChannelError(`微信支付返回未知的退款状态: ${status.slice(0, 32)}`, raw);

  if (!refundId) throw new ChannelError('微信支付应答缺少 refund_id', raw);
  const finishTime = rfc3339Instant(body.success_time);
  if (body.success_time !== undefined && !finishTime) {
    throw new ChannelError(`微信支付应答的 success_time 无法识别: ${String(body.success_time).slice(0, 40)}`, raw);
  }
  const amount = body.amount as { refund?: unknown } | null | undefined;
  let cents: number;
  try {
    cents = fenToCents(amount?.refund);
  } catch (error) {
    throw new ChannelError((error as Error).message, raw);
  }
  return { state: ChannelRefundState.SUCCESS, refundId, amount: cents, ...(finishTime ? { finishTime } : {}), raw };
}
