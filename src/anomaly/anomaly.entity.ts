import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AnomalyKind, AnomalyStatus } from './anomaly-kind';

/** One per order (or refund) and kind: seen again, it counts; an operator resolves it. */
@Entity('unipay_anomaly')
@Index('uk_unipay_anomaly_subject', ['kind', 'orderNo', 'refundNo'], { unique: true })
export class Anomaly {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ type: 'varchar', length: 32 })
  kind: AnomalyKind;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  /** The refund it is about; empty for a pay order's. */
  @Column({ name: 'refund_no', type: 'varchar', length: 32, default: '' })
  refundNo: string;

  @Column({ type: 'varchar', length: 16 })
  status: AnomalyStatus;

  /** What was seen, for the operator; never a secret. */
  @Column({ type: 'varchar', length: 1000 })
  detail: string;

  @Column({ type: 'int' })
  occurrences: number;

  @Column({ name: 'first_seen_time', type: 'datetime', precision: 3 })
  firstSeenTime: Date;

  @Column({ name: 'last_seen_time', type: 'datetime', precision: 3 })
  lastSeenTime: Date;

  @Column({ name: 'resolved_by', type: 'varchar', length: 64, nullable: true })
  resolvedBy: string | null;

  @Column({ name: 'resolved_time', type: 'datetime', precision: 3, nullable: true })
  resolvedTime: Date | null;

  @Column({ name: 'resolution_note', type: 'varchar', length: 1000, nullable: true })
  resolutionNote: string | null;
}
