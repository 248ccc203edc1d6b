/** Local refund status (DaxPay `RefundStatusEnum`), refund-sync.md section 4. */
export enum RefundStatus {
  /** The channel accepted the refund; the result is pending. */
  PROGRESS = 'progress',
  /** The channel completed the refund (terminal). */
  SUCCESS = 'success',
  /** The refund did not happen; its amount went back to the pay order (terminal). */
  CLOSE = 'close',
  /** Sending the refund failed or its outcome is unknown; the amount is still held. */
  FAIL = 'fail',
}
