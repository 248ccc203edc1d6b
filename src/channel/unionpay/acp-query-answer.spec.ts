import { PayOrder } from '../../order/pay-order.entity';
import { ChannelError, ChannelRefundState, ChannelTradeState } from '../pay-channel';
import { payTimeOf, queryResultOf, refundResultOf } from './acp-query-answer';

const order = { orderNo: 'T1', createTime: new Date('2025-06-30T16:00:00Z') } as PayOrder;
const paid = { respCode: '00', respMsg: '成功[0000000]', orderId: 'T1', origRespCode: '00', queryId: 'Q1', txnAmt: '000123457', txnTime: '20250701000000', traceTime: '0701000512' };

describe('queryResultOf', () => {
  it('00/00 is paid: cents from fen, queryId as the trade number, the pay time, the raw text', () => {
    expect(queryResultOf(paid, order, 'raw')).toEqual({
      state: ChannelTradeState.SUCCESS,
      amount: 123457,
      tradeNo: 'Q1',
      payTime: new Date('2025-06-30T16:05:12Z'),
      raw: 'raw',
    });
  });

  it.each([
    ['03', ChannelTradeState.PROGRESS],
    ['04', ChannelTradeState.PROGRESS],
    ['05', ChannelTradeState.PROGRESS],
    ['01', ChannelTradeState.CLOSED],
    ['12', ChannelTradeState.CLOSED],
    ['61', ChannelTradeState.CLOSED],
  ])('respCode 00 with origRespCode %s is %s', (origRespCode, state) => {
    expect(queryResultOf({ ...paid, origRespCode }, order, 'raw')).toEqual({ state, raw: 'raw' });
  });

  it('respCode 34 is not_found_unknown', () => {
    expect(queryResultOf({ respCode: '34', respMsg: '查询的交易不存在' }, order, 'raw')).toEqual({ state: ChannelTradeState.NOT_FOUND_UNKNOWN, raw: 'raw' });
  });

  it.each([
    [{ respCode: '03', respMsg: '交易通讯超时' }, '03 交易通讯超时'],
    [{ respCode: '05', respMsg: '交易已受理' }, '05 交易已受理'],
    [{ respCode: '11', respMsg: '验证签名失败' }, '11 验证签名失败'],
    [{ respMsg: '?' }, '(无 respCode) ?'],
    [{ ...paid, origRespCode: '' }, '银联应答缺少 origRespCode'],
    [{ ...paid, queryId: '' }, '银联应答缺少 queryId'],
    [{ ...paid, orderId: 'T2' }, '银联应答的订单号 T2 不是查询的 T1'],
    [{ ...paid, txnAmt: '19.99' }, '通道返回的金额无法识别: 19.99'],
  ])('%j is a failed query: %s', (answer, message) => {
    let error: unknown;
    try {
      queryResultOf(answer, order, 'raw');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).message).toBe(message);
  });
});

describe('payTimeOf', () => {
  const at = (txnTime: string | undefined, traceTime: string | undefined) => payTimeOf({ txnTime: txnTime as string, traceTime: traceTime as string }, order);

  it('is traceTime in Beijing time, in the year of txnTime', () => {
    expect(at('20250701000000', '0701000512')).toEqual(new Date('2025-06-30T16:05:12Z'));
  });

  it('rolls into the next year when the order was sent just before New Year', () => {
    expect(at('20251231235958', '0101000012')).toEqual(new Date('2025-12-31T16:00:12Z'));
  });

  it('stays in the year when UnionPay’s clock is a little behind the merchant’s', () => {
    expect(at('20260101000005', '1231235959')).toEqual(new Date('2025-12-31T15:59:59Z'));
    expect(at('20250701000005', '0701000001')).toEqual(new Date('2025-06-30T16:00:01Z'));
  });

  it('takes 29 February only in a leap year', () => {
    expect(at('20280228235900', '0229000100')).toEqual(new Date('2028-02-28T16:01:00Z'));
    expect(at('20250228235900', '0229000100')).toEqual(new Date('2025-02-28T15:59:00Z'));
  });

  it('is txnTime without a usable traceTime, and the order time without either', () => {
    expect(at('20250701000000', undefined)).toEqual(new Date('2025-06-30T16:00:00Z'));
    expect(at('20250701000000', '07010005')).toEqual(new Date('2025-06-30T16:00:00Z'));
    expect(at('20250701000000', '1332000000')).toEqual(new Date('2025-06-30T16:00:00Z'));
    expect(at(undefined, undefined)).toBeUndefined();
    expect(at(undefined, '0701000512')).toEqual(new Date('2025-06-30T16:05:12Z'));
  });
});

describe('refundResultOf', () => {
  const refund = { refundNo: 'R1' };
  const refunded = { respCode: '00', respMsg: '成功[0000000]', orderId: 'R1', txnType: '04', origRespCode: '00', origRespMsg: '成功[0000000]', queryId: 'RQ1', txnAmt: '000000400', txnTime: '20250701000000' };

  function failureOf(answer: Record<string, string>): ChannelError {
    try {
      refundResultOf(answer, refund, 'raw');
    } catch (error) {
      if (error instanceof ChannelError) return error;
      throw error;
    }
    throw new Error('no ChannelError');
  }

  it('00/00 is refunded: queryId as the refund id, cents from fen, no finish time (the answer has none)', () => {
    expect(refundResultOf(refunded, refund, 'raw')).toEqual({ state: ChannelRefundState.SUCCESS, refundId: 'RQ1', amount: 400, raw: 'raw' });
  });

  it.each(['03', '04', '05'])('respCode 00 with origRespCode %s is processing, keeping the queryId', (origRespCode) => {
    expect(refundResultOf({ ...refunded, origRespCode }, refund, 'raw')).toEqual({ state: ChannelRefundState.PROCESSING, refundId: 'RQ1', raw: 'raw' });
  });

  it.each([
    ['01', '交易失败[1000001]'],
    ['35', '原交易状态不正确[3500035]'],
    ['61', ''],
  ])('respCode 00 with origRespCode %s is failed, with origRespMsg as the reason', (origRespCode, origRespMsg) => {
    expect(refundResultOf({ ...refunded, origRespCode, origRespMsg }, refund, 'raw')).toEqual({
      state: ChannelRefundState.FAILED,
      refundId: 'RQ1',
      reason: origRespMsg || `UnionPay refund failed with origRespCode ${origRespCode}`,
      raw: 'raw',
    });
  });

  it('respCode 34 is not found', () => {
    expect(refundResultOf({ respCode: '34', respMsg: '查询的交易不存在[2600034]' }, refund, 'raw')).toEqual({ state: ChannelRefundState.NOT_FOUND, raw: 'raw' });
  });

  it.each([
    [{ respCode: '03', respMsg: '交易通讯超时' }, '交易通讯超时', '03'],
    [{ respCode: '04', respMsg: '交易状态未明' }, '交易状态未明', '04'],
    [{ respCode: '05', respMsg: '交易已受理' }, '交易已受理', '05'],
    [{ respCode: '06', respMsg: '系统繁忙' }, '系统繁忙', '06'],
    [{ respCode: '12', respMsg: '' }, 'UnionPay refund query failed with respCode 12', '12'],
    [{ respMsg: '?' }, '?', undefined],
  ])('%j is a failed query, respMsg as the message and respCode as the code', (answer, message, code) => {
    const error = failureOf(answer);
    expect(error).toMatchObject({ message, code, raw: 'raw', unverified: false });
  });

  it.each([
    [{ ...refunded, origRespCode: '' }, 'UnionPay answer has no origRespCode'],
    [{ ...refunded, queryId: '' }, 'UnionPay answer has no queryId'],
    [{ ...refunded, orderId: 'R2' }, 'UnionPay answered about orderId R2, not refund R1'],
    [{ ...refunded, txnType: '01' }, 'UnionPay answered about a transaction of txnType 01, not a refund (04)'],
    [{ ...refunded, txnAmt: '4.00' }, '通道返回的金额无法识别: 4.00'],
  ])('%j is not an answer about this refund, or not a usable one', (answer, message) => {
    expect(failureOf(answer)).toMatchObject({ message, raw: 'raw' });
  });
});
