import { EmulatedTrade } from '../emulator-server';

/** What can go wrong with an answer, on purpose. */
export type WechatPayEmulatorFailure =
  /** 404 ORDER_NOT_EXIST (a refund: 404 RESOURCE_NOT_EXISTS). */
  | 'not_found'
  /** 429 FREQUENCY_LIMITED. */
  | 'rate_limited'
  /** 500 SYSTEM_ERROR. */
  | 'server_error'
  /** 401 SIGN_ERROR, as if the request's signature had not verified. */
  | 'unauthorized'
  /** 403 NO_AUTH: the merchant may not call this API. */
  | 'forbidden'
  /** The answer comes after `delayMs` (default 3000). */
  | 'slow'
  /** A signature over the right message, with one byte changed. */
  | 'tampered_signature'
  /** Correctly signed, but `Wechatpay-Serial` names another public key ID. */
  | 'wrong_serial'
  /** Correctly signed, with a `Wechatpay-Timestamp` ten minutes old. */
  | 'stale_timestamp'
  /** `Wechatpay-Signature: WECHATPAY/SIGNTEST/…`, the probe WeChat Pay sends to test verifiers. */
  | 'signtest_probe'
  /** 404 ORDER_NOT_EXIST (a refund: RESOURCE_NOT_EXISTS) without any `Wechatpay-*` header. */
  | 'unsigned_error'
  /** The body cut in half, then signed. */
  | 'malformed';

export const WECHAT_TRADE_STATES = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'] as const;

/**
 * One trade of the emulator, keyed by out_trade_no and set through
 * `PUT /__emulator/trades/:out_trade_no`. Protocol fields are in the protocol's words.
 */
export interface WechatEmulatedTrade extends EmulatedTrade {
  /** Default NOTPAY. Any other text is sent as it is, to try unknown states. */
  trade_state?: (typeof WECHAT_TRADE_STATES)[number] | string;
  /** amount.total in fen; default 1. */
  total?: number;
  /** Made up when the trade is paid and none is set. */
  transaction_id?: string;
  /** RFC 3339 (`2026-11-27T00:05:09+08:00`); the time of payment when none is set. */
  success_time?: string;
  /** Applies to every answer about the trade. */
  failure?: WechatPayEmulatorFailure;
  /** Applies to close answers only. */
  closeFailure?: WechatPayEmulatorFailure;
  /**
   * How a close is answered: `closed` 204 and the trade becomes CLOSED; `paid` 400 ORDERPAID
   * and the trade becomes SUCCESS, as if the buyer paid just before; `paid_order_paid` the
   * same with the code `ORDER_PAID` and an English message (the code is what tells);
   * `fail` 500 SYSTEM_ERROR. Unset: as WeChat Pay does, ORDERPAID for a paid trade, otherwise
   * `closed`.
   */
  close?: 'closed' | 'paid' | 'paid_order_paid' | 'fail';
  /** For `slow`: milliseconds before the answer. */
  delayMs?: number;
}

const STATE_DESC: Record<string, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '订单未支付',
  CLOSED: '订单已关闭',
  REVOKED: '已撤销（仅付款码支付会返回）',
  USERPAYING: '用户支付中（仅付款码支付会返回）',
  PAYERROR: '支付失败（仅付款码支付会返回）',
};

export function isPaidState(state: string | undefined): boolean {
  return state === 'SUCCESS' || state === 'REFUND';
}

/** The APIv3 "query by out_trade_no" body of a trade, in WeChat Pay's field order. */
export function transactionBody(trade: WechatEmulatedTrade, ids: { appId: string; mchId: string; outTradeNo: string }): object {
  const state = trade.trade_state ?? 'NOTPAY';
  const total = trade.total ?? 1;
  const paid = isPaidState(state);
  return {
    amount: paid ? { currency: 'CNY', payer_currency: 'CNY', payer_total: total, total } : { currency: 'CNY', payer_currency: 'CNY', total },
    appid: ids.appId,
    ...(paid ? { attach: '', bank_type: 'OTHERS' } : {}),
    mchid: ids.mchId,
    out_trade_no: ids.outTradeNo,
    payer: paid ? { openid: `o${ids.appId.slice(2)}emulatedbuyer` } : {},
    promotion_detail: [],
    ...(paid ? { success_time: trade.success_time } : {}),
    trade_state: state,
    trade_state_desc: STATE_DESC[state] ?? state,
    ...(paid ? { trade_type: 'NATIVE', transaction_id: trade.transaction_id } : {}),
  };
}
