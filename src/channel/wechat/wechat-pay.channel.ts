import { Injectable } from '@nestjs/common';
import { PayOrder } from '../../order/pay-order.entity';
import { RefundOrder } from '../../refund/refund-order.entity';
import {
  ChannelCloseOutcome,
  ChannelCloseResult,
  ChannelQueryResult,
  ChannelRefundResult,
  ChannelRefundState,
  ChannelTradeState,
  PayChannel,
} from '../pay-channel';
import { PayChannelProvider } from '../pay-channel.decorator';
import { answerFailure, errorBodyOf, rawOf, transactionResult } from './wechat-pay-answer';
import { refundResult } from './wechat-pay-refund-answer';
import { WechatPaySettings } from './wechat-pay.settings';
import { WechatPayAnswer, WechatPayV3Client } from './wechat-pay-v3.client';

export const WECHAT_PAY_CHANNEL = 'wechat_pay';

function tradePath(orderNo: string): string {
  return `/v3/pay/transactions/out-trade-no/${encodeURIComponent(orderNo)}`;
}

/** A direct merchant's refund query names the refund only: no mchid in the query. */
function refundPath(refundNo: string): string {
  return `/v3/refund/domestic/refunds/${encodeURIComponent(refundNo)}`;
}

function orderNotExist(answer: WechatPayAnswer): boolean {
  return answer.status === 404 && errorBodyOf(answer).code === 'ORDER_NOT_EXIST';
}

function refundNotExist(answer: WechatPayAnswer): boolean {
  return answer.status === 404 && errorBodyOf(answer).code === 'RESOURCE_NOT_EXISTS';
}

/** The codes of the refusal to close a trade that was paid meanwhile: APIv3's and v2's. */
const ORDER_PAID_CODES = new Set(['ORDER_PAID', 'ORDERPAID']);

/**
 * The refusal to close a trade that was paid meanwhile, told by its error code; only an
 * answer without a code is read for words to that effect.
 */
function paidMeanwhile(answer: WechatPayAnswer): boolean {
  if (answer.status < 400 || answer.status >= 500) return false;
  const { code, message } = errorBodyOf(answer);
  return code ? ORDER_PAID_CODES.has(code) : /已支付/.test(message ?? '');
}

/**
 * WeChat Pay APIv3 (public-key mode): query and close by our order number (out_trade_no),
 * query a refund by our refund number (out_refund_no).
 */
@Injectable()
@PayChannelProvider()
export class WechatPayChannel implements PayChannel {
  readonly code = WECHAT_PAY_CHANNEL;
  readonly refundNotFoundGraceSeconds: number;

  constructor(
    private readonly client: WechatPayV3Client,
    settings: WechatPaySettings,
  ) {
    this.refundNotFoundGraceSeconds = settings.UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS;
  }

  async query(order: PayOrder): Promise<ChannelQueryResult> {
    const answer = await this.client.get(`${tradePath(order.orderNo)}?mchid=${encodeURIComponent(this.client.mchId)}`);
    if (orderNotExist(answer)) return { state: ChannelTradeState.NOT_FOUND, raw: rawOf(answer) };
    if (answer.status !== 200) throw answerFailure(answer);
    return transactionResult(answer, { outTradeNo: order.orderNo, mchId: this.client.mchId });
  }

  async close(order: PayOrder): Promise<ChannelCloseResult> {
    const answer = await this.client.post(`${tradePath(order.orderNo)}/close`, { mchid: this.client.mchId });
    if (answer.status === 204) return { outcome: ChannelCloseOutcome.CLOSED, raw: rawOf(answer) };
    if (orderNotExist(answer)) return { outcome: ChannelCloseOutcome.NOT_FOUND, raw: rawOf(answer) };
    if (paidMeanwhile(answer)) return { outcome: ChannelCloseOutcome.PAID, raw: rawOf(answer) };
    throw answerFailure(answer);
  }

  async queryRefund(refund: RefundOrder): Promise<ChannelRefundResult> {
    const answer = await this.client.get(refundPath(refund.refundNo));
    if (refundNotExist(answer)) return { state: ChannelRefundState.NOT_FOUND, raw: rawOf(answer) };
    if (answer.status !== 200) throw answerFailure(answer);
    return refundResult(answer, { outRefundNo: refund.refundNo, outTradeNo: refund.orderNo });
  }
}
