import { PayOrderSnapshot } from '../order/pay-order-snapshot';
import { RefundOrderSnapshot } from '../refund/refund-order-snapshot';

export enum UnipayEventType {
  /** A pay order was repaired to `success`: the buyer paid. */
  PAY_ORDER_SUCCESS = 'pay_order.success',
  /** A pay order was repaired to `close`: it will not be paid. */
  PAY_ORDER_CLOSED = 'pay_order.closed',
  /** A refund was repaired to `success`: the money went back to the buyer. */
  REFUND_SUCCESS = 'refund_order.success',
  /** A refund was repaired to `close`: no money moved, its amount is refundable again. */
  REFUND_CLOSED = 'refund_order.closed',
}

/** What a repair tells the host gateway and the merchant. */
export interface UnipayEvent {
  /** The same on every delivery of this event: deduplicate on it. */
  id: string;
  type: UnipayEventType;
  /** When the repair that made the event committed its transaction (it is written in it). */
  occurredAt: Date;
  orderNo: string;
  /** The pay order as the repair left it. */
  order: PayOrderSnapshot;
  /** A refund event's refund, as the repair left it. */
  refund?: RefundOrderSnapshot;
  /** The repair: its number (`pay_repair_record.repair_no` or `refund_repair_record.repair_no`), how, and who asked for the sync. */
  repair: { repairNo: string; way: string; source: string };
}
