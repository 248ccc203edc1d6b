/** Local pay order status (DaxPay `PayStatusEnum`). */
export enum PayStatus {
  PROGRESS = 'progress',
  SUCCESS = 'success',
  CLOSE = 'close',
  CANCEL = 'cancel',
  FAIL = 'fail',
}

/** Refund status carried on the pay order. */
export enum PayRefundStatus {
  NO_REFUND = 'no_refund',
  REFUNDING = 'refunding',
  PARTIAL_REFUND = 'partial_refund',
  REFUNDED = 'refunded',
}
