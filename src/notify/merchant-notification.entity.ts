import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum NotificationKind {
  PAY = 'pay',
  REFUND = 'refund',
}

export enum NotificationStatus {
  /** Waiting for its next try. */
  PENDING = 'pending',
  /** A try was answered `SUCCESS`; never sent again on its own. */
  DELIVERED = 'delivered',
  /** All 16 tries failed; an operator may resend it. */
  EXHAUSTED = 'exhausted',
}

/**
 * One merchant notification, queued in the repair's transaction with its body built and
 * signed once: every try sends these same bytes.
 */
@Entity('unipay_notification')
@Index('uk_unipay_notification_event_id', ['eventId'], { unique: true })
@Index('idx_unipay_notification_due', ['status', 'nextTryTime'])
@Index('idx_unipay_notification_order_no', ['orderNo'])
export class MerchantNotification {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  /** The outbox event it announces: one notification per event. */
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: NotificationKind;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ name: 'notify_url', type: 'varchar', length: 200 })
  notifyUrl: string;

  /** The exact JSON sent, signed. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16 })
  status: NotificationStatus;

  /** Scheduled tries made so far (at most 16); an operator's resends are not counted. */
  @Column({ type: 'int' })
  tries: number;

  @Column({ name: 'next_try_time', type: 'datetime', precision: 3 })
  nextTryTime: Date;

  @Column({ name: 'last_try_time', type: 'datetime', precision: 3, nullable: true })
  lastTryTime: Date | null;

  @Column({ name: 'delivered_time', type: 'datetime', precision: 3, nullable: true })
  deliveredTime: Date | null;

  @Column({ name: 'created_time', type: 'datetime', precision: 3 })
  createdTime: Date;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_until', type: 'datetime', precision: 3, nullable: true })
  leaseUntil: Date | null;
}
