import { PayOrder } from '../../order/pay-order.entity';
import { RefundOrder } from '../../refund/refund-order.entity';
import { fenToCents } from '../support/amount';
import { formatChinaCompact, parseChinaTime } from '../support/china-time';
import { ChannelError, ChannelQueryResult, ChannelRefundResult, ChannelRefundState, ChannelTradeState } from '../pay-channel';
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

/** txnType of a refund (退货) at UnionPay. */
const REFUND_TXN_TYPE = '04';

/**
 * A verified `queryTrans.do` answer about a refund (退货) in our words (refund-sync.md
 * section 7). The query named the refund by its own orderId (`refund_no`) and txnTime.
 *
 * - respCode 00, origRespCode 00: refunded; the amount is `txnAmt` (fen), the refund id
 *   `queryId`. The answer has no completion time (`txnTime` only echoes when the refund was
 *   sent), so none is given and the sync takes its own clock.
 * - respCode 00, origRespCode 03/04/05: UnionPay is still processing the refund.
 * - respCode 00, any other origRespCode: the refund failed, with `origRespMsg` as the reason.
 * - respCode 34: no such refund, which UnionPay asks to treat as unknown for a while; the
 *   channel's not-found grace covers that.
 * - respCode 03/04/05 (the query itself is in process) and any other respCode: the query
 *   failed, with `respMsg` as the message and the respCode as the error code.
 *
 * An answer about another orderId, or about a transaction that is no refund (a `txnType`
 * other than 04), is not this refund's and fails too.
 */
export function refundResultOf(answer: AcpFields, refund: Pick<RefundOrder, 'refundNo'>, raw: string): ChannelRefundResult {
  const { respCode, respMsg, origRespCode, origRespMsg } = answer;
  if (respCode === NO_SUCH_TRADE) return { state: ChannelRefundState.NOT_FOUND, raw };
  if (respCode !== OK) {
    const message = respMsg?.trim().slice(0, 256) || `UnionPay refund query failed with respCode ${respCode?.slice(0, 8) || '(none)'}`;
    throw new ChannelError(message, raw, { code: respCode?.slice(0, 64) });
  }
  if (answer.orderId !== refund.refundNo) {
    throw new ChannelError(`UnionPay answered about orderId ${String(answer.orderId).slice(0, 40)}, not refund ${refund.refundNo}`, raw);
  }
  if (answer.txnType !== undefined && answer.txnType !== REFUND_TXN_TYPE) {
    throw new ChannelError(`UnionPay answered about a transaction of txnType ${answer.txnType.slice(0, 8)}, not a refund (04)`, raw);
  }
  if (!origRespCode) throw new ChannelError('UnionPay answer has no origRespCode', raw);
  const refundId = answer.queryId ? { refundId: answer.queryId } : {};
  if (IN_PROCESS.has(origRespCode)) return { state: ChannelRefundState.PROCESSING, ...refundId, raw };
  if (origRespCode !== OK) {
    return { state: ChannelRefundState.FAILED, ...refundId, reason: origRespMsg?.trim().slice(0, 256) || `UnionPay refund failed with origRespCode ${origRespCode.slice(0, 8)}`, raw };
  }
  if (!answer.queryId) throw new ChannelError('UnionPay answer has no queryId', raw);
  return { state: ChannelRefundState.SUCCESS, refundId: answer.queryId, amount: centsOf(answer.txnAmt, raw), raw };
}

/** txnAmt in fen as cents; an unreadable amount fails the query and keeps the answer for the record. */
function centsOf(txnAmt: string | undefined, raw: string): number {
  try {
    return fenToCents(txnAmt);
  } catch (error) {
    if (error instanceof ChannelError) throw new ChannelError(error.message, raw);
    throw error;
  }
}
