/** The channel's answer after the timeout adjustment (DaxPay `PaySyncStatusEnum`). */
export enum PaySyncStatus {
  SUCCESS = 'pay_success',
  PROGRESS = 'pay_progress',
  CLOSED = 'pay_closed',
  REFUND = 'pay_refund',
  NOT_FOUND = 'pay_not_found',
  NOT_FOUND_UNKNOWN = 'pay_not_found_unknown',
  TIMEOUT = 'pay_timeout',
  FAIL = 'pay_fail',
}

/** Who asked for a sync. */
export enum SyncSource {
  MANUAL = 'manual',
  SCHEDULED = 'scheduled',
}

/** Something an operator must look at; the order is left as it is. */
export enum SyncAnomaly {
  AMOUNT_MISMATCH = 'amount_mismatch',
  PAID_AFTER_CLOSE = 'paid_after_close',
}
