import { RefundOrderSnapshot } from '../refund/refund-order-snapshot';
import { sign } from '../sign/daxpay-sign';
import { SignSettings } from '../sign/sign.settings';

/**
 * The DaxPay 2.0.8 refund notification (`RefundNoticeModel`, pay-sync.md section 8): every
 * field present, null where there is no value, signed over its non-null fields. `refundTime`
 * is always null: DaxPay never fills it and the SDK's model has no such field.
 */
export function refundNoticeBody(refund: RefundOrderSnapshot, resTime: number, settings: SignSettings): string {
  const body: Record<string, unknown> = {
    code: 0,
    msg: null,
    resTime,
    sign: null,
    orderNo: refund.orderNo,
    bizOrderNo: refund.bizOrderNo,
    outOrderNo: refund.outOrderNo,
    title: refund.title,
    refundNo: refund.refundNo,
    bizRefundNo: refund.bizRefundNo,
    outRefundNo: refund.outRefundNo,
    channel: refund.channel,
    orderAmount: refund.orderAmount,
    amount: refund.amount,
    reason: refund.reason,
    refundTime: null,
    finishTime: refund.finishTime ? Math.floor(refund.finishTime.getTime() / 1000) : null,
    status: refund.status,
    attach: refund.attach,
    errorCode: refund.errorCode,
    errorMsg: refund.errorMsg,
  };
  if (settings.UNIPAY_SIGN_ENABLED) body.sign = sign(body, settings.UNIPAY_SIGN_SECRET, settings.UNIPAY_SIGN_TYPE);
  return JSON.stringify(body);
}
