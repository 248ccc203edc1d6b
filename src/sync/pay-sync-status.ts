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
  /** The merchant, through `POST /unipay/sync/pay`. */
  MANUAL = 'manual',
  /** The scheduled job. */
  SCHEDULED = 'scheduled',
  /** An operator, through the operator API. */
  OPERATOR = 'operator',
}
