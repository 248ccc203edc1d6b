import { WechatPayEmulatorFailure } from './wechat-pay-emulated-trade';

export const WECHAT_REFUND_STATUSES = ['SUCCESS', 'PROCESSING', 'ABNORMAL', 'CLOSED'] as const;

/**
 * One refund of the emulator, keyed by out_refund_no and set through `setRefund` or
 * `PUT /__emulator/refunds/:out_refund_no`. Protocol fields are in the protocol's words.
 */
export interface WechatEmulatedRefund {
  /** The refunded trade's out_trade_no, sent back as it is. */
  out_trade_no: string;
  /** Default PROCESSING. Any other text is sent as it is, to try unknown statuses. */
  status?: (typeof WECHAT_REFUND_STATUSES)[number] | string;
  /** amount.refund in fen; default 1. */
  refund?: number;
  /** amount.total (the trade's amount) in fen; default the refund. */
  total?: number;
  /** Made up on the first answer and then kept (digits, starting 50). */
  refund_id?: string;
  /** Made up on the first answer and then kept. */
  transaction_id?: string;
  /** RFC 3339; made up (and kept) for a SUCCESS refund when unset. Sent only with SUCCESS. */
  success_time?: string;
  /** RFC 3339; the time of the first answer when unset. */
  create_time?: string;
  /** Default `支付用户零钱` (the buyer's WeChat balance). */
  user_received_account?: string;
  /** Default ORIGINAL. */
  channel?: string;
  /** Applies to every answer about the refund; `not_found` and `unsigned_error` answer 404 RESOURCE_NOT_EXISTS. */
  failure?: WechatPayEmulatorFailure;
  /** For `slow`: milliseconds before the answer. */
  delayMs?: number;
}

/** Whether a body put through the admin API is a refund: it must name its trade. */
export function isWechatEmulatedRefund(value: unknown): value is WechatEmulatedRefund {
  return typeof value === 'object' && value !== null && typeof (value as { out_trade_no?: unknown }).out_trade_no === 'string';
}

/**
 * The APIv3 "query a refund by out_refund_no" body of a refund whose ids and times are
 * settled, in WeChat Pay's (alphabetical) field order.
 */
export function refundBody(refund: WechatEmulatedRefund, outRefundNo: string): object {
  const status = refund.status ?? 'PROCESSING';
  const refunded = refund.refund ?? 1;
  const total = refund.total ?? refunded;
  return {
    amount: {
      currency: 'CNY',
      discount_refund: 0,
      from: [],
      payer_refund: refunded,
      payer_total: total,
      refund: refunded,
      settlement_refund: refunded,
      settlement_total: total,
      total,
    },
    channel: refund.channel ?? 'ORIGINAL',
    create_time: refund.create_time,
    funds_account: 'AVAILABLE',
    out_refund_no: outRefundNo,
    out_trade_no: refund.out_trade_no,
    promotion_detail: [],
    refund_id: refund.refund_id,
    status,
    ...(status === 'SUCCESS' ? { success_time: refund.success_time } : {}),
    transaction_id: refund.transaction_id,
    user_received_account: refund.user_received_account ?? '支付用户零钱',
  };
}
