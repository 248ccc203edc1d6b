import { PayOrderSnapshot } from '../order/pay-order-snapshot';

export enum UnipayEventType {
  /** A pay order was repaired to `success`: the buyer paid. */
  PAY_ORDER_SUCCESS = 'pay_order.success',
  /** A pay order was repaired to `close`: it will not be paid. */
  PAY_ORDER_CLOSED = 'pay_order.closed',
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
  /** The repair: its number (`pay_repair_record.repair_no`), how, and who asked for the sync. */
  repair: { repairNo: string; way: string; source: string };
}
