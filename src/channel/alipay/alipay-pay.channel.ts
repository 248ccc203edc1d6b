import { Injectable } from '@nestjs/common';
import { PayOrder } from '../../order/pay-order.entity';
import { RefundOrder } from '../../refund/refund-order.entity';
import {
  ChannelCloseOutcome,
  ChannelCloseResult,
  ChannelError,
  ChannelQueryResult,
  ChannelRefundResult,
  ChannelTradeState,
  PayChannel,
} from '../pay-channel';
import { PayChannelProvider } from '../pay-channel.decorator';
import { AlipayAnswer, AlipayOpenApiClient } from './alipay-openapi.client';
import { ALIPAY_REFUND_QUERY, refundQueryContent, refundResultOf } from './alipay-refund-answer';
import { alipayCents, alipayErrorCode, alipayErrorText, alipayTime } from './alipay-response-node';
import { AlipaySettings } from './alipay.settings';

export const ALIPAY_CHANNEL = 'ali_pay';

const SUCCESS = '10000';
const BUSINESS_FAILED = '40004';
const TRADE_NOT_EXIST = 'ACQ.TRADE_NOT_EXIST';
const TRADE_STATUS_ERROR = 'ACQ.TRADE_STATUS_ERROR';

/**
 * Alipay (`ali_pay`) over the OpenAPI gateway: `alipay.trade.query` and `alipay.trade.close`
 * by `out_trade_no` (our order number), mapped as in spec section 7. Alipay creates a trade
 * only when the buyer acts, so "no such trade" means not found *yet*. Refunds are asked
 * with `alipay.trade.fastpay.refund.query` (refund-sync.md section 7).
 */
@Injectable()
@PayChannelProvider()
export class AlipayPayChannel implements PayChannel {
  readonly code = ALIPAY_CHANNEL;
  readonly refundNotFoundGraceSeconds: number;

  constructor(
    private readonly openApi: AlipayOpenApiClient,
    settings: AlipaySettings,
  ) {
    this.refundNotFoundGraceSeconds = settings.UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS;
  }

  async query(order: PayOrder): Promise<ChannelQueryResult> {
    const { node, raw } = await this.call('alipay.trade.query', order);
    if (node.code === BUSINESS_FAILED && node.sub_code === TRADE_NOT_EXIST) {
      return { state: ChannelTradeState.NOT_FOUND_UNKNOWN, raw };
    }
    if (node.code !== SUCCESS) throw new ChannelError(alipayErrorText(node), raw, { code: alipayErrorCode(node) });

    const paidAt = alipayTime(node.send_pay_date, raw, '支付时间');
    switch (node.trade_status) {
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED':
        return {
          state: ChannelTradeState.SUCCESS,
          amount: alipayCents(node.total_amount, raw),
          tradeNo: typeof node.trade_no === 'string' && node.trade_no !== '' ? node.trade_no : undefined,
          payTime: paidAt,
          raw,
        };
      case 'WAIT_BUYER_PAY':
        return { state: ChannelTradeState.PROGRESS, raw };
      case 'TRADE_CLOSED':
        // A closed trade that had been paid was closed by a full refund.
        return { state: paidAt ? ChannelTradeState.REFUND : ChannelTradeState.CLOSED, raw };
      default:
        throw new ChannelError(`支付宝返回未知的交易状态: ${String(node.trade_status).slice(0, 32)}`, raw);
    }
  }

  async close(order: PayOrder): Promise<ChannelCloseResult> {
    const { node, raw } = await this.call('alipay.trade.close', order);
    if (node.code === SUCCESS) return { outcome: ChannelCloseOutcome.CLOSED, raw };
    if (node.code === BUSINESS_FAILED && node.sub_code === TRADE_NOT_EXIST) return { outcome: ChannelCloseOutcome.NOT_FOUND, raw };
    // Alipay refuses to close a trade that is no longer waiting: paid meanwhile (or already
    // closed). The sync asks again and follows the new answer.
    if (node.code === BUSINESS_FAILED && node.sub_code === TRADE_STATUS_ERROR) return { outcome: ChannelCloseOutcome.PAID, raw };
    throw new ChannelError(alipayErrorText(node), raw, { code: alipayErrorCode(node) });
  }

  async queryRefund(refund: RefundOrder): Promise<ChannelRefundResult> {
    const { node, raw } = await this.openApi.call(ALIPAY_REFUND_QUERY, refundQueryContent(refund));
    return refundResultOf(node, raw, refund);
  }

  private async call(method: string, order: PayOrder): Promise<AlipayAnswer> {
    const answer = await this.openApi.call(method, { out_trade_no: order.orderNo });
    const echoed = answer.node.out_trade_no;
    if (echoed !== undefined && echoed !== order.orderNo) {
      throw new ChannelError(`支付宝应答的商户订单号与请求不符: ${String(echoed).slice(0, 64)}`, answer.raw);
    }
    return answer;
  }
}
