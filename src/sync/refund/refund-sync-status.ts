/** `data.status` of a refund sync answer (DaxPay `RefundSyncStatusEnum`, plus `close`): the channel's word, not the local status. */
export enum RefundSyncStatus {
  SUCCESS = 'refund_success',
  PROGRESS = 'refund_progress',
  FAIL = 'refund_fail',
  /** Shared with pay sync. */
  NOT_FOUND = 'pay_not_found',
  /** Not a channel answer: the refund is already closed here, so nothing was asked. */
  CLOSE = 'close',
}

/** How a refund was repaired. */
export enum RefundRepairWay {
  /** The channel says done: the refund becomes `success`. */
  SUCCESS = 'refund_success',
  /** The channel says it failed or never had it: the refund is closed and its amount given back. */
  FAIL = 'refund_fail',
  /** A `fail` refund the channel is processing becomes `progress`, so the job follows it. */
  PROGRESS = 'refund_progress',
}
