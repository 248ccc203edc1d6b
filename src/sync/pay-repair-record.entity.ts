import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';
import { PayStatus } from '../order/pay-status';
import { SyncSource } from './pay-sync-status';
import { RepairWay } from './repair-way';

/** One row per repair of a pay order, written in the same transaction as the repair. */
@Entity('pay_repair_record')
@Index('idx_pay_repair_record_order_no', ['orderNo'])
export class PayRepairRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ name: 'repair_no', type: 'varchar', length: 32 })
  repairNo: string;

  @Column({ name: 'order_id', type: 'bigint', transformer: bigintNumber })
  orderId: number;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ type: 'varchar', length: 32 })
  channel: string;

  @Column({ type: 'varchar', length: 16 })
  source: SyncSource;

  @Column({ type: 'varchar', length: 20 })
  way: RepairWay;

  @Column({ name: 'before_status', type: 'varchar', length: 20 })
  beforeStatus: PayStatus;

  @Column({ name: 'after_status', type: 'varchar', length: 20 })
  afterStatus: PayStatus;

  @Column({ type: 'bigint', transformer: bigintNumber })
  amount: number;

  @Column({ name: 'create_time', type: 'datetime' })
  createTime: Date;
}
