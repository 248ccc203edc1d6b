import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';
import { RefundStatus } from './refund-status';

/**
 * A refund order, written by the gateway and read and repaired by refund sync
 * (refund-sync.md section 5; DaxPay's `pay_refund_order`). Money in cents, times in UTC.
 */
@Entity('refund_order')
@Index('idx_refund_order_order_id', ['orderId'])
export class RefundOrder {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  /** The gateway's refund number: Alipay's out_request_no, WeChat Pay's out_refund_no, UnionPay's orderId. */
  @Column({ name: 'refund_no', type: 'varchar', length: 32 })
  refundNo: string;

  @Column({ name: 'biz_refund_no', type: 'varchar', length: 100 })
  bizRefundNo: string;

  /** The channel's refund id (Alipay: the trade_no). */
  @Column({ name: 'out_refund_no', type: 'varchar', length: 150, nullable: true })
  outRefundNo: string | null;

  @Column({ name: 'order_id', type: 'bigint', transformer: bigintNumber })
  orderId: number;

  @Column({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ name: 'biz_order_no', type: 'varchar', length: 100 })
  bizOrderNo: string;

  @Column({ name: 'out_order_no', type: 'varchar', length: 150, nullable: true })
  outOrderNo: string | null;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ type: 'varchar', length: 20 })
  channel: string;

  @Column({ name: 'order_amount', type: 'bigint', transformer: bigintNumber })
  orderAmount: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  amount: number;

  @Column({ type: 'varchar', length: 150, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: RefundStatus;

  @Column({ name: 'finish_time', type: 'datetime', nullable: true })
  finishTime: Date | null;

  /** When the refund request was last sent to the channel: UnionPay's txnTime, and where the not-found grace starts. */
  @Column({ name: 'channel_req_time', type: 'datetime' })
  channelReqTime: Date;

  @Column({ name: 'notify_url', type: 'varchar', length: 200, nullable: true })
  notifyUrl: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  attach: string | null;

  @Column({ name: 'req_time', type: 'datetime', nullable: true })
  reqTime: Date | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 50, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_msg', type: 'varchar', length: 500, nullable: true })
  errorMsg: string | null;

  @Column({ name: 'create_time', type: 'datetime' })
  createTime: Date;

  @Column({ name: 'last_modified_time', type: 'datetime' })
  lastModifiedTime: Date;

  /** Optimistic lock: every repair checks and bumps it. */
  @Column({ type: 'int' })
  version: number;

  /** When the scheduled job syncs this refund next; null: by the ladder from channel_req_time. */
  @Column({ name: 'sync_next_time', type: 'datetime', precision: 3, nullable: true })
  syncNextTime: Date | null;

  @Column({ name: 'sync_count', type: 'int', default: 0 })
  syncCount: number;

  @Column({ name: 'sync_lease_owner', type: 'varchar', length: 64, nullable: true })
  syncLeaseOwner: string | null;

  @Column({ name: 'sync_lease_until', type: 'datetime', precision: 3, nullable: true })
  syncLeaseUntil: Date | null;
}
