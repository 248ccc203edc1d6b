import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { RefundSyncStatus } from './refund/refund-sync-status';
import { bigintNumber } from '../common/bigint-number.transformer';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { PaySyncStatus, SyncSource } from './pay-sync-status';
import { SyncReason } from './sync-reason';

/** One row per sync attempt, whatever its outcome. */
@Entity('pay_sync_record')
@Index('idx_pay_sync_record_order_no', ['orderNo'])
export class PaySyncRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ name: 'order_id', type: 'bigint', nullable: true, transformer: bigintNumber })
  orderId: number | null;

  @Column({ name: 'order_no', type: 'varchar', length: 32, nullable: true })
  orderNo: string | null;

  @Column({ name: 'biz_order_no', type: 'varchar', length: 100, nullable: true })
  bizOrderNo: string | null;

  @Column({ name: 'out_order_no', type: 'varchar', length: 150, nullable: true })
  outOrderNo: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  channel: string | null;

  @Column({ name: 'sync_status', type: 'varchar', length: 32, nullable: true })
  /** Pay sync's `data.status`, or refund sync's. */
  syncStatus: PaySyncStatus | RefundSyncStatus | null;

  /** What the channel answered, secrets left out, for an operator to read. */
  @Column({ name: 'channel_response', type: 'text', nullable: true })
  channelResponse: string | null;

  /**
   * True when the channel text in `channelResponse` failed the channel's signature check
   * (tampered, unsigned, or not a signed answer at all): it is not the channel's word.
   */
  @Column({ name: 'response_unverified', type: 'boolean', default: false })
  responseUnverified: boolean;

  @Column({ type: 'boolean' })
  repaired: boolean;

  @Column({ name: 'repair_no', type: 'varchar', length: 32, nullable: true })
  repairNo: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  anomaly: AnomalyKind | null;

  /** Why the sync did not simply complete. */
  @Column({ name: 'error_code', type: 'varchar', length: 32, nullable: true })
  errorCode: SyncReason | null;

  @Column({ name: 'error_msg', type: 'varchar', length: 1000, nullable: true })
  errorMsg: string | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp: string | null;

  @Column({ type: 'varchar', length: 16 })
  source: SyncSource;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs: number;

  @Column({ name: 'create_time', type: 'datetime' })
  createTime: Date;

  /** While the attempt runs: the order it holds (one attempt per order), until `lockUntil`. */
  @Column({ name: 'lock_order_no', type: 'varchar', length: 32, nullable: true })
  lockOrderNo?: string | null;

  @Column({ name: 'lock_until', type: 'datetime', precision: 3, nullable: true })
  lockUntil?: Date | null;

  /** `pay` or `refund`: which sync the attempt was. */
  @Column({ name: 'sync_type', type: 'varchar', length: 10, default: 'pay' })
  syncType?: 'pay' | 'refund';

  /** A refund sync's refund: the gateway's number, the merchant's, the channel's id. */
  @Column({ name: 'refund_no', type: 'varchar', length: 32, nullable: true })
  refundNo?: string | null;

  @Column({ name: 'biz_refund_no', type: 'varchar', length: 100, nullable: true })
  bizRefundNo?: string | null;

  @Column({ name: 'out_refund_no', type: 'varchar', length: 150, nullable: true })
  outRefundNo?: string | null;

  /** While a refund sync runs: the refund it holds (one attempt per refund), until `lockUntil`. */
  @Column({ name: 'lock_refund_no', type: 'varchar', length: 32, nullable: true })
  lockRefundNo?: string | null;

  /** The merchant's `nonceStr` (unique): a second request with it is a replay. */
  @Column({ name: 'nonce_str', type: 'varchar', length: 32, nullable: true })
  nonceStr?: string | null;
}
