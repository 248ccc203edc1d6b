import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { ChannelError, ChannelRefundState } from '../pay-channel';
import { refundQueryContent, refundResultOf } from './alipay-refund-answer';
import { AlipayResponseNode } from './alipay-response-node';

const refund = { orderNo: 'T20260101000001', refundNo: 'R20260101000001' };
const RAW = '{"the":"signed node text"}';

/** A node with refund data, as Alipay writes it for a refund it holds. */
const held = (fields: AlipayResponseNode = {}): AlipayResponseNode => ({
  code: '10000',
  msg: 'Success',
  out_trade_no: refund.orderNo,
  out_request_no: refund.refundNo,
  trade_no: '2026010122001400000000000001',
  total_amount: '10.00',
  refund_amount: '4.00',
  ...fields,
});

function failureOf(node: AlipayResponseNode): ChannelError {
  try {
    refundResultOf(node, RAW, refund);
  } catch (error) {
    expect(error).toBeInstanceOf(ChannelError);
    return error as ChannelError;
  }
  throw new Error('expected a ChannelError');
}

describe('the Alipay refund query answer (refund-sync.md section 7)', () => {
  it('asks by the order number and the refund number, with the completion time', () => {
    expect(refundQueryContent(refund)).toEqual({ out_trade_no: refund.orderNo, out_request_no: refund.refundNo, query_options: ['gmt_refund_pay'] });
  });

  it.each<[string, AlipayResponseNode, object]>([
    [
      'REFUND_SUCCESS: success in cents, trade_no as the id, Beijing time as UTC',
      held({ refund_status: 'REFUND_SUCCESS', gmt_refund_pay: '2026-01-01 03:04:05' }),
      { state: ChannelRefundState.SUCCESS, amount: 400, refundId: '2026010122001400000000000001', finishTime: new Date('2025-12-31T19:04:05Z') },
    ],
    ['REFUND_SUCCESS without gmt_refund_pay: no finish time', held({ refund_status: 'REFUND_SUCCESS', refund_amount: '0.29' }), { state: ChannelRefundState.SUCCESS, amount: 29, finishTime: undefined }],
    ['nothing but code 10000: not found', { code: '10000', msg: 'Success' }, { state: ChannelRefundState.NOT_FOUND }],
    ['the trade echoed without refund data: still not found', { code: '10000', msg: 'Success', out_trade_no: refund.orderNo, trade_no: '2026X', total_amount: '10.00' }, { state: ChannelRefundState.NOT_FOUND }],
    ['refund data without a status: processing, unconfirmed', held(), { state: ChannelRefundState.PROCESSING, refundId: '2026010122001400000000000001', anomaly: AnomalyKind.REFUND_UNCONFIRMED }],
    ['only out_request_no: refund data all the same', { code: '10000', msg: 'Success', out_request_no: refund.refundNo }, { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_UNCONFIRMED }],
    ['only refund_amount: refund data all the same', { code: '10000', msg: 'Success', refund_amount: '4.00' }, { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_UNCONFIRMED }],
    ['an empty refund_status counts as none', held({ refund_status: '' }), { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_UNCONFIRMED }],
  ])('%s', (_, node, expected) => {
    const result = refundResultOf(node, RAW, refund);
    expect(result).toMatchObject({ ...expected, raw: RAW });
    // Not found carries nothing but the text; only a success carries an amount.
    if (result.state === ChannelRefundState.NOT_FOUND) expect(result).toEqual({ state: ChannelRefundState.NOT_FOUND, raw: RAW });
    if (result.state !== ChannelRefundState.SUCCESS) expect(result.amount).toBeUndefined();
  });

  it.each<[string, AlipayResponseNode, string, string | undefined, AnomalyKind | undefined]>([
    ['ACQ.SYSTEM_ERROR', { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' }, 'ACQ.SYSTEM_ERROR 系统错误', 'ACQ.SYSTEM_ERROR', undefined],
    ['isp.unknow-error', { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'isp.unknow-error', sub_msg: '服务暂不可用' }, 'isp.unknow-error 服务暂不可用', 'isp.unknow-error', undefined],
    ['ACQ.TRADE_NOT_EXIST: the paid trade is unknown', { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' }, 'ACQ.TRADE_NOT_EXIST 交易不存在', 'ACQ.TRADE_NOT_EXIST', AnomalyKind.REFUND_TRADE_UNKNOWN],
    ['a gateway error without sub_code', { code: '40002', msg: 'Invalid Arguments' }, 'Invalid Arguments', '40002', undefined],
    ['ACQ.TRADE_NOT_EXIST under another code is no trade verdict', { code: '20000', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: 'x' }, 'ACQ.TRADE_NOT_EXIST x', 'ACQ.TRADE_NOT_EXIST', undefined],
    ['an unknown refund_status', held({ refund_status: 'REFUND_PROCESSING' }), '支付宝返回未知的退款状态: REFUND_PROCESSING', undefined, undefined],
    ['success without refund_amount', held({ refund_status: 'REFUND_SUCCESS', refund_amount: undefined }), '通道返回的金额无法识别: undefined', undefined, undefined],
    ['success with a float amount', held({ refund_status: 'REFUND_SUCCESS', refund_amount: 4 }), '通道返回的金额无法识别: 4', undefined, undefined],
    ['success with an unreadable time', held({ refund_status: 'REFUND_SUCCESS', gmt_refund_pay: '2026/01/01' }), '支付宝返回的退款时间无法识别: 2026/01/01', undefined, undefined],
    ['another trade echoed', held({ refund_status: 'REFUND_SUCCESS', out_trade_no: 'T-OTHER' }), '支付宝应答的商户订单号与请求不符: T-OTHER', undefined, undefined],
    ['another refund echoed', held({ refund_status: 'REFUND_SUCCESS', out_request_no: 'R-OTHER' }), '支付宝应答的退款请求号与请求不符: R-OTHER', undefined, undefined],
  ])('%s: a failed query, never a state', (_, node, message, code, anomaly) => {
    const error = failureOf(node);
    expect(error.message).toBe(message);
    expect(error.raw).toBe(RAW);
    expect(error.code).toBe(code);
    expect(error.anomaly).toBe(anomaly);
    // The answer verified: it is Alipay's word, only not one to act on.
    expect(error.unverified).toBe(false);
  });
});
