import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Goods sent for a paid order: the gateway's own table. */
@Entity('shipment')
export class Shipment {
  /** The event that shipped it: a second delivery of the event finds it here. */
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ name: 'shipped_at', type: 'datetime' })
  shippedAt: Date;
}
