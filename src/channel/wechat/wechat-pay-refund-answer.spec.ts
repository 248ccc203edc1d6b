import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { ChannelError, ChannelRefundState } from '../pay-channel';
import { refundResult, WECHAT_REFUND_CLOSED_REASON } from './wechat-pay-refund-answer';

const EXPECTED = { outRefundNo: 'R20260305000001', outTradeNo: 'P20260305000001' };

function answer(fields: Record<string, unknown>, status = 200) {
  const body = JSON.stringify({
    amount: { currency: 'CNY', payer_refund: 400, refund: 400, total: 1000 },
    out_refund_no: EXPECTED.outRefundNo,
    out_trade_no: EXPECTED.outTradeNo,
    refund_id: '50300001032026030512345678901',
    ...fields,
  });
  return { status, body };
}

function failureOf(fields: Record<string, unknown>): ChannelError {
  try {
    refundResult(answer(fields), EXPECTED);
  } catch (error) {
    expect(error).toBeInstanceOf(ChannelError);
    return error as ChannelError;
  }
  throw new Error('the answer was accepted');
}

describe('refundResult (WeChat Pay refund query answer)', () => {
  it.each([
    ['PROCESSING', { state: ChannelRefundState.PROCESSING }],
    ['ABNORMAL', { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_ABNORMAL }],
    ['CLOSED', { state: ChannelRefundState.FAILED, reason: WECHAT_REFUND_CLOSED_REASON }],
  ])('%s', (status, expected) => {
    const sent = answer({ status });
    expect(refundResult(sent, EXPECTED)).toEqual({ ...expected, refundId: '50300001032026030512345678901', raw: sent.body });
  });

  it('SUCCESS: amount.refund in cents, the refund id, success_time as an instant', () => {
    const sent = answer({ status: 'SUCCESS', success_time: '2026-03-05T14:07:09+08:00' });
    expect(refundResult(sent, EXPECTED)).toEqual({
      state: ChannelRefundState.SUCCESS,
      refundId: '50300001032026030512345678901',
      amount: 400,
      finishTime: new Date('2026-03-05T06:07:09.000Z'),
      raw: sent.body,
    });
  });

  it('SUCCESS without success_time: no finish time (the sync uses its own clock)', () => {
    const result = refundResult(answer({ status: 'SUCCESS' }), EXPECTED);
    expect(result).toMatchObject({ state: ChannelRefundState.SUCCESS, amount: 400 });
    expect(result).not.toHaveProperty('finishTime');
  });

  it('a processing refund without refund_id is still processing', () => {
    expect(refundResult(answer({ status: 'PROCESSING', refund_id: '' }), EXPECTED)).not.toHaveProperty('refundId');
  });

  it.each([
    ['SUCCESS without refund_id', { status: 'SUCCESS', refund_id: undefined }, '微信支付应答缺少 refund_id'],
    ['SUCCESS without amount', { status: 'SUCCESS', amount: undefined }, '通道返回的金额无法识别: undefined'],
    ['SUCCESS with a negative amount', { status: 'SUCCESS', amount: { refund: -1 } }, '通道返回的金额无法识别: -1'],
    ['SUCCESS with a time without zone', { status: 'SUCCESS', success_time: '2026-03-05T14:07:09' }, '微信支付应答的 success_time 无法识别: 2026-03-05T14:07:09'],
    ['SUCCESS with a time that is a number', { status: 'SUCCESS', success_time: 1741154829 }, '微信支付应答的 success_time 无法识别: 1741154829'],
    ['no status', { status: undefined }, '微信支付返回未知的退款状态: '],
    ['v2 status words', { status: 'REFUNDCLOSE' }, '微信支付返回未知的退款状态: REFUNDCLOSE'],
    ['another refund', { status: 'CLOSED', out_refund_no: 'R-OTHER' }, '微信支付应答的商户退款单号或商户订单号与请求不符'],
    ['no out_trade_no', { status: 'CLOSED', out_trade_no: undefined }, '微信支付应答的商户退款单号或商户订单号与请求不符'],
  ])('refuses %s, keeping the body', (_, fields, message) => {
    const error = failureOf(fields);
    expect(error.message).toBe(message);
    expect(error.raw).toBe(answer(fields).body);
    expect(error.unverified).toBe(false);
  });

  it('refuses a body that is not a JSON object', () => {
    for (const body of ['', '[]', '{"status":']) {
      expect(() => refundResult({ status: 200, body }, EXPECTED)).toThrow('微信支付应答不是有效的 JSON');
    }
  });
});
