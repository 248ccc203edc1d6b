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
}

export enum AnomalyStatus {
  OPEN = 'open',
  RESOLVED = 'resolved',
}
