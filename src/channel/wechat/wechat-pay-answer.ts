import { parseJsonObject } from '../../common/json-object';
import { ChannelError, ChannelQueryResult, ChannelTradeState } from '../pay-channel';
import { fenToCents } from '../support/amount';
import { WechatPayAnswer } from './wechat-pay-v3.client';

/** APIv3 `trade_state` in our words (spec section 7). */
const STATE_OF: Readonly<Record<string, ChannelTradeState>> = {
  SUCCESS: ChannelTradeState.SUCCESS,
  REFUND: ChannelTradeState.REFUND,
  NOTPAY: ChannelTradeState.PROGRESS,
  USERPAYING: ChannelTradeState.PROGRESS,
  CLOSED: ChannelTradeState.CLOSED,
  REVOKED: ChannelTradeState.CLOSED,
  PAYERROR: ChannelTradeState.CLOSED,
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time of WeChat Pay (`2026-03-05T14:07:09+08:00`) as an instant; undefined when it is not one. */
export function rfc3339Instant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !RFC3339.test(value)) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

export interface WechatPayErrorBody {
  code?: string;
  message?: string;
}

/** The answer as text for the sync record: the body, or the status when there is none. */
export function rawOf(answer: WechatPayAnswer): string {
  return answer.body || `HTTP ${answer.status}`;
}

/** `{code, message}` of an APIv3 error answer; empty when the body is not one. */
export function errorBodyOf(answer: WechatPayAnswer): WechatPayErrorBody {
  const body = parseJsonObject(answer.body);
  return {
    code: typeof body?.code === 'string' ? body.code : undefined,
    message: typeof body?.message === 'string' ? body.message : undefined,
  };
}

/** An answer the channel cannot act on, with the channel's own words (`CODE message`). */
export function answerFailure(answer: WechatPayAnswer): ChannelError {
  const { code, message } = errorBodyOf(answer);
  const text = code ? `${code} ${message ?? ''}`.trim() : `微信支付应答无法识别（HTTP ${answer.status}）`;
  return new ChannelError(text, rawOf(answer), { code: code?.slice(0, 64) });
}

/**
 * A verified 200 answer to "query by out_trade_no" as our result. It must be about the
 * trade we asked for; a paid trade must carry its number, amount and time.
 */
export function transactionResult(answer: WechatPayAnswer, expected: { outTradeNo: string; mchId: string }): ChannelQueryResult {
  const raw = rawOf(answer);
  const body = parseJsonObject(answer.body);
  if (!body) throw new ChannelError('微信支付应答不是有效的 JSON', raw);
  if (body.out_trade_no !== expected.outTradeNo || body.mchid !== expected.mchId) {
    throw new ChannelError('微信支付应答的商户号或商户订单号与请求不符', raw);
  }
  const tradeState = typeof body.trade_state === 'string' ? body.trade_state : '';
  const state = Object.hasOwn(STATE_OF, tradeState) ? STATE_OF[tradeState] : undefined;
  if (!state) throw new ChannelError(`微信支付返回未知的交易状态: ${tradeState.slice(0, 32)}`, raw);
  const tradeNo = typeof body.transaction_id === 'string' && body.transaction_id ? body.transaction_id : undefined;
  if (state !== ChannelTradeState.SUCCESS) return { state, tradeNo, raw };

  const amount = body.amount as { total?: unknown } | undefined;
  const successTime = rfc3339Instant(body.success_time);
  if (!tradeNo || !successTime) {
    throw new ChannelError('微信支付应答缺少 transaction_id 或 success_time', raw);
  }
  try {
    return { state, amount: fenToCents(amount?.total), tradeNo, payTime: successTime, raw };
  } catch (error) {
    throw new ChannelError((error as Error).message, raw);
  }
}
