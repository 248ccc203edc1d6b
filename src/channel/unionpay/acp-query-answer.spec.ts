import { PayOrder } from '../../order/pay-order.entity';
import { ChannelError, ChannelTradeState } from '../pay-channel';
import { payTimeOf, queryResultOf } from './acp-query-answer';

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
