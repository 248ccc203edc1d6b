/** Something an operator must look at. None of them ever changes an order by itself. */
export enum AnomalyKind {
  /** The channel reports the order paid, with another amount. */
  AMOUNT_MISMATCH = 'amount_mismatch',
  /** The channel reports the order paid after it was closed here. */
  PAID_AFTER_CLOSE = 'paid_after_close',
  /** The channel reports the order (partly) refunded. */
  CHANNEL_REFUND = 'channel_refund',
  /** The merchant notification failed its 16 tries. */
  NOTIFICATION_EXHAUSTED = 'notification_exhausted',
  /** The scheduled job stopped checking an order whose trade still waits at the channel. */
  SYNC_GIVEN_UP = 'sync_given_up',
  /** The channel reports the refund done, with another amount. */
  REFUND_AMOUNT_MISMATCH = 'refund_amount_mismatch',
  /** A refund the channel once acknowledged (progress) is unknown to it past the grace. */
  REFUND_NOT_FOUND = 'refund_not_found',
  /** The channel answers other than done for a refund that is success here. */
  REFUND_SUCCESS_DISPUTED = 'refund_success_disputed',
  /** Alipay has the refund's data but no status past the grace: only a person can tell. */
  REFUND_UNCONFIRMED = 'refund_unconfirmed',
  /** Alipay does not know the paid trade the refund belongs to. */
  REFUND_TRADE_UNKNOWN = 'refund_trade_unknown',
  /** WeChat Pay could not pay the refund back (ABNORMAL): the merchant finishes it by hand. */
  REFUND_ABNORMAL = 'refund_abnormal',
  /** The scheduled job stopped checking a refund still in progress at its maximum age. */
  REFUND_SYNC_EXHAUSTED = 'refund_sync_exhausted',
  /** A refund repair would have broken the pay order's balance; it rolled back. */
  REFUND_BALANCE_BROKEN = 'refund_balance_broken',
}

export enum AnomalyStatus {
  OPEN = 'open',
  RESOLVED = 'resolved',
}
