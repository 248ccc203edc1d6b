import { DEFAULT_MESSAGES, UnipayErrorCode } from '../common/unipay-error-code';
import { AnomalyKind } from '../anomaly/anomaly-kind';

/** Why a sync did not end with a plain answer: the sync record's `error_code`. */
export enum SyncReason {
  /** No pay order has the numbers asked for. */
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  /** Turned away: another caller was syncing the order. The value is the code the caller got. */
  BUSY = '10007',
  /** The order's channel is not one this gateway runs. */
  UNKNOWN_CHANNEL = 'UNKNOWN_CHANNEL',
  /** The channel's query or close failed; nothing changed, the job tries again later. */
  CHANNEL_ERROR = 'CHANNEL_ERROR',
  /** The channel refused to close an expired trade, yet still reports it unpaid. */
  CLOSE_REFUSED = 'CLOSE_REFUSED',
  /** The channel and the order disagree in a way only an operator may settle (`anomaly`). */
  ANOMALY = 'ANOMALY',
  /** The channel reports a refund: the merchant must use refund sync. */
  REFUND = 'REFUND',
  /** The gateway changed the order while the channel answered; nothing was overwritten. */
  ORDER_CHANGED = 'ORDER_CHANGED',
  /** The repair's transaction failed and rolled back. */
  REPAIR_FAILED = 'REPAIR_FAILED',
  /** The attempt did not finish: an error, or its process died and its lock expired. */
  INTERRUPTED = 'INTERRUPTED',
}

/** The reasons a sync fails with `pay_fail`. */
export type SyncFailureReason = SyncReason.UNKNOWN_CHANNEL | SyncReason.CHANNEL_ERROR | SyncReason.CLOSE_REFUSED;

/** What the merchant and the sync record are told, in DaxPay's words where DaxPay has them. */
export const SYNC_MESSAGES = {
  [SyncReason.ORDER_NOT_FOUND]: '支付订单不存在',
  [SyncReason.BUSY]: DEFAULT_MESSAGES[UnipayErrorCode.SYNC_IN_PROGRESS],
  [SyncReason.UNKNOWN_CHANNEL]: '不支持的支付通道',
  [SyncReason.CHANNEL_ERROR]: '支付通道查询失败',
  [SyncReason.CLOSE_REFUSED]: '支付通道拒绝关闭订单，且交易仍未支付，稍后重试',
  [SyncReason.REFUND]: '支付订单为退款状态，请通过执行对应的退款订单进行同步',
  [SyncReason.ORDER_CHANGED]: '订单在同步期间已被其他操作修改，未修复',
  [SyncReason.REPAIR_FAILED]: '修复失败，已回滚',
  [SyncReason.INTERRUPTED]: '同步未完成即中断，订单未改变',
  /** A close that failed without the channel's own words. */
  CLOSE_FAILED: '支付通道关闭订单失败',
  [AnomalyKind.AMOUNT_MISMATCH]: '通道支付金额与订单金额不一致，已记录异常待人工处理',
  [AnomalyKind.PAID_AFTER_CLOSE]: '订单已关闭但通道显示已支付，已记录异常待人工处理',
} as const;
