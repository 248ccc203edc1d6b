import { PayOrder } from '../../order/pay-order.entity';
import { fenToCents } from '../support/amount';
import { formatChinaCompact, parseChinaTime } from '../support/china-time';
import { ChannelError, ChannelQueryResult, ChannelTradeState } from '../pay-channel';
import { AcpFields } from './acp-form';

/** respCode / origRespCode: the trade is still being processed, ask again later. */
const IN_PROCESS = new Set(['03', '04', '05']);
/** respCode: UnionPay has no such trade (yet); its documentation asks to treat it as unknown. */
const NO_SUCH_TRADE = '34';
const OK = '00';

/**
 * A verified `queryTrans.do` answer in our words (spec section 7):
 *
 * - respCode 00, origRespCode 00: paid; the amount is `txnAmt` (fen), the trade number `queryId`.
 * - respCode 00, origRespCode 03/04/05: the payment is still being processed: progress.
 * - respCode 00, any other origRespCode: the payment failed. UnionPay never turns a failed
 *   transaction into a paid one (the buyer pays again in a new transaction with a new
 *   orderId), so the trade is closed.
 * - respCode 34: no such trade, which UnionPay asks to treat as unknown: not_found_unknown.
 * - respCode 03/04/05 (the query itself is being processed) and any other respCode: the
 *   query failed; nothing changes and the sync is tried again later.
 */
export function queryResultOf(answer: AcpFields, order: PayOrder, raw: string): ChannelQueryResult {
  const { respCode, respMsg, origRespCode } = answer;
  if (respCode === NO_SUCH_TRADE) return { state: ChannelTradeState.NOT_FOUND_UNKNOWN, raw };
  if (respCode !== OK) throw new ChannelError(`${respCode ?? '(无 respCode)'} ${respMsg ?? ''}`.trim(), raw, { code: respCode?.slice(0, 64) });
  if (answer.orderId !== order.orderNo) {
    throw new ChannelError(`银联应答的订单号 ${String(answer.orderId).slice(0, 40)} 不是查询的 ${order.orderNo}`, raw);
  }
  if (!origRespCode) throw new ChannelError('银联应答缺少 origRespCode', raw);
  if (IN_PROCESS.has(origRespCode)) return { state: ChannelTradeState.PROGRESS, raw };
  if (origRespCode !== OK) return { state: ChannelTradeState.CLOSED, raw };
  if (!answer.queryId) throw new ChannelError('银联应答缺少 queryId', raw);
  return {
    state: ChannelTradeState.SUCCESS,
    amount: fenToCents(answer.txnAmt),
    tradeNo: answer.queryId,
    payTime: payTimeOf(answer, order),
    raw,
  };
}

/** A payment follows its order by far less; a traceTime farther than this from txnTime is not this payment's. */
const HALF_YEAR_MS = 183 * 24 * 3600 * 1000;

/**
 * UnionPay reports no "paid at" field. `txnTime` only echoes the time the merchant sent the
 * order (our create time); `traceTime`, `MMddHHmmss` in Beijing time, is when UnionPay's
 * switch carried the payment, so it is the pay time. It has no year: the year that puts it
 * within half a year of `txnTime` is taken (a payment follows its order within days,
 * possibly across New Year; the merchant's clock may run a little ahead). Without a usable
 * `traceTime` the pay time is `txnTime`.
 */
export function payTimeOf(answer: AcpFields, order: PayOrder): Date | undefined {
  const ordered = parseChinaTime(answer.txnTime);
  const reference = ordered ?? order.createTime;
  if (!/^\d{10}$/.test(answer.traceTime ?? '')) return ordered;
  const year = Number(formatChinaCompact(reference).slice(0, 4));
  const traced = [year - 1, year, year + 1]
    .map((y) => `${y}${answer.traceTime}`)
    .map((text) => ({ text, time: parseChinaTime(text) }))
    // parseChinaTime rolls 0230 over to March; a real date formats back to the same text.
    .find(({ text, time }) => time !== undefined && formatChinaCompact(time) === text && Math.abs(time.getTime() - reference.getTime()) <= HALF_YEAR_MS);
  return traced?.time ?? ordered;
}
