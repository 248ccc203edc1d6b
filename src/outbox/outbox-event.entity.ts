import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum HookStatus {
  PENDING = 'pending',
  DELIVERED = 'delivered',
}

/**
 * One event, written in the transaction of the repair that made it; delivered from here to
 * the host's handlers, at least once and in order per pay order.
 */
@Entity('unipay_outbox_event')
@Index('uk_unipay_outbox_event_event_id', ['eventId'], { unique: true })
@Index('idx_unipay_outbox_event_order', ['orderNo', 'id'])
@Index('idx_unipay_outbox_event_due', ['hookStatus', 'hookNextTime'])
export class OutboxEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  /** The event as JSON (UnipayEvent without its id and type). */
  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'created_time', type: 'datetime', precision: 3 })
  createdTime: Date;

  @Column({ name: 'hook_status', type: 'varchar', length: 16 })
  hookStatus: HookStatus;

  @Column({ name: 'hook_attempts', type: 'int' })
  hookAttempts: number;

  @Column({ name: 'hook_next_time', type: 'datetime', precision: 3 })
  hookNextTime: Date;

  /** The last handler failure, for an operator. */
  @Column({ name: 'hook_error', type: 'varchar', length: 500, nullable: true })
  hookError: string | null;

  @Column({ name: 'delivered_time', type: 'datetime', precision: 3, nullable: true })
  deliveredTime: Date | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_until', type: 'datetime', precision: 3, nullable: true })
  leaseUntil: Date | null;
}
