import { PayOrderSnapshot } from '../order/pay-order-snapshot';
import { sign } from '../sign/daxpay-sign';
import { SignSettings } from '../sign/sign.settings';

function epochSeconds(time: Date | null): number | null {
  return time ? Math.floor(time.getTime() / 1000) : null;
}

/**
 * The DaxPay 2.0.8 pay notification (`PayNoticeModel`, spec section 8): every field present,
 * null where there is no value, in DaxPay's key order, signed over its non-null fields with
 * the platform's sign type and secret (`sign` is null when signing is off). The optional
 * order columns this gateway's table lacks go out as DaxPay sends them then: no
 * description, no profit sharing.
 */
export function payNoticeBody(order: PayOrderSnapshot, resTime: number, settings: SignSettings): string {
  const body: Record<string, unknown> = {
    code: 0,
    msg: null,
    resTime,
    sign: null,
    orderNo: order.orderNo,
    bizOrderNo: order.bizOrderNo,
    outOrderNo: order.outOrderNo,
    title: order.title,
    description: null,
    allocation: false,
    autoAllocation: null,
    channel: order.channel,
    method: order.method,
    amount: order.amount,
    status: order.status,
    refundStatus: order.refundStatus,
    allocStatus: null,
    payTime: epochSeconds(order.payTime),
    expiredTime: epochSeconds(order.expiredTime),
    closeTime: epochSeconds(order.closeTime),
    attach: order.attach,
    errorCode: order.errorCode,
    errorMsg: order.errorMsg,
  };
  if (settings.UNIPAY_SIGN_ENABLED) body.sign = sign(body, settings.UNIPAY_SIGN_SECRET, settings.UNIPAY_SIGN_TYPE);
  return JSON.stringify(body);
}
