import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../../common/bigint-number.transformer';
import { PayRefundStatus } from '../../order/pay-status';
import { RefundStatus } from '../../refund/refund-status';
import { SyncSource } from '../pay-sync-status';
import { RefundRepairWay } from './refund-sync-status';

/** One row per repair of a refund, written in the same transaction as the repair. */
@Entity('refund_repair_record')
@Index('idx_refund_repair_record_refund_no', ['refundNo'])
export class RefundRepairRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ name: 'repair_no', type: 'varchar', length: 32 })
  repairNo: string;

  @Column({ name: 'refund_id', type: 'bigint', transformer: bigintNumber })
  refundId: number;

  @Column({ name: 'refund_no', type: 'varchar', length: 32 })
  refundNo: string;

  @Column({ name: 'order_id', type: 'bigint', transformer: bigintNumber })
  orderId: number;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ type: 'varchar', length: 32 })
  channel: string;

  @Column({ type: 'varchar', length: 16 })
  source: SyncSource;

  @Column({ type: 'varchar', length: 20 })
  way: RefundRepairWay;

  @Column({ name: 'before_status', type: 'varchar', length: 20 })
  beforeStatus: RefundStatus;

  @Column({ name: 'after_status', type: 'varchar', length: 20 })
  afterStatus: RefundStatus;

  @Column({ name: 'before_order_refund_status', type: 'varchar', length: 20 })
  beforeOrderRefundStatus: PayRefundStatus;

  @Column({ name: 'after_order_refund_status', type: 'varchar', length: 20 })
  afterOrderRefundStatus: PayRefundStatus;

  @Column({ name: 'before_refundable_balance', type: 'bigint', transformer: bigintNumber })
  beforeRefundableBalance: number;

  @Column({ name: 'after_refundable_balance', type: 'bigint', transformer: bigintNumber })
  afterRefundableBalance: number;

  /** The refund's amount, in cents. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  amount: number;

  @Column({ name: 'create_time', type: 'datetime' })
  createTime: Date;
}
