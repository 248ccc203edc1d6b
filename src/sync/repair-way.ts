/** How an order was repaired. */
export enum RepairWay {
  /** The channel says paid: the order becomes `success`. */
  PAY_SUCCESS = 'pay_success',
  /** The channel says closed or unknown: the order is closed here only. */
  CLOSE_LOCAL = 'close_local',
  /** The order expired: closed at the channel first, then here. */
  CLOSE_GATEWAY = 'close_gateway',
}
