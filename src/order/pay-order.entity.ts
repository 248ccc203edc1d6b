import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';
import { PayRefundStatus, PayStatus } from './pay-status';

/** The gateway's pay order (spec section 5). Money in integer cents, times in UTC. */
@Entity('pay_order')
export class PayOrder {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ name: 'biz_order_no', type: 'varchar', length: 100 })
  bizOrderNo: string;

  @Column({ name: 'out_order_no', type: 'varchar', length: 150, nullable: true })
  outOrderNo: string | null;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ type: 'varchar', length: 32 })
  channel: string;

  @Column({ type: 'varchar', length: 32 })
  method: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  amount: number;

  @Column({ type: 'varchar', length: 20 })
  status: PayStatus;

  @Column({ name: 'refund_status', type: 'varchar', length: 20 })
  refundStatus: PayRefundStatus;

  /** The amount less every refund of it in progress, fail or success (cents); refund sync gives a closed refund's amount back. */
  @Column({ name: 'refundable_balance', type: 'bigint', transformer: bigintNumber })
  refundableBalance: number;

  @Column({ name: 'pay_time', type: 'datetime', nullable: true })
  payTime: Date | null;

  @Column({ name: 'close_time', type: 'datetime', nullable: true })
  closeTime: Date | null;

  @Column({ name: 'expired_time', type: 'datetime' })
  expiredTime: Date;

  @Column({ name: 'notify_url', type: 'varchar', length: 200, nullable: true })
  notifyUrl: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  attach: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 50, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_msg', type: 'varchar', length: 500, nullable: true })
  errorMsg: string | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp: string | null;

  @Column({ name: 'create_time', type: 'datetime' })
  createTime: Date;

  @Column({ name: 'last_modified_time', type: 'datetime' })
  lastModifiedTime: Date;

  /** Optimistic lock: every repair is `WHERE status = ? AND version = ?` and bumps it. */
  @Column({ type: 'int' })
  version: number;

  /** When the scheduled job syncs the order next; null until it is first scheduled. */
  @Column({ name: 'sync_next_time', type: 'datetime', precision: 3, nullable: true })
  syncNextTime?: Date | null;

  /** Scheduled syncs so far in the current phase (waiting, or late checks after a local close). */
  @Column({ name: 'sync_count', type: 'int', default: 0 })
  syncCount?: number;

  /** The instance whose scheduled job holds the order, until `syncLeaseUntil`. */
  @Column({ name: 'sync_lease_owner', type: 'varchar', length: 64, nullable: true })
  syncLeaseOwner?: string | null;

  @Column({ name: 'sync_lease_until', type: 'datetime', precision: 3, nullable: true })
  syncLeaseUntil?: Date | null;
}
