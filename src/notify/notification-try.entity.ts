import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';

/** One request to the merchant, whatever came of it. */
@Entity('unipay_notification_try')
@Index('idx_unipay_notification_try_notification', ['notificationId'])
export class NotificationTry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ name: 'notification_id', type: 'bigint', transformer: bigintNumber })
  notificationId: number;

  /** 1 to 16 for a scheduled try; for an operator's resend, the tries made before it. */
  @Column({ name: 'try_no', type: 'int' })
  tryNo: number;

  /** Sent by an operator from the operator API, outside the schedule. */
  @Column({ type: 'boolean' })
  manual: boolean;

  @Column({ name: 'started_time', type: 'datetime', precision: 3 })
  startedTime: Date;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs: number;

  /** The HTTP status of the answer; null when there was none (refused, timed out, blocked). */
  @Column({ name: 'http_status', type: 'int', nullable: true })
  httpStatus: number | null;

  /** The first 100 characters of the answer, or of the error. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  excerpt: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  error: string | null;

  @Column({ type: 'boolean' })
  delivered: boolean;
}
