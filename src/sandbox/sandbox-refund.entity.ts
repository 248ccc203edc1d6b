import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';

/** What the sandbox channel answers to a refund query (refund-sync.md section 7, normalised). */
export const SANDBOX_REFUND_STATES = ['success', 'processing', 'failed', 'not_found', 'abnormal', 'unconfirmed', 'error', 'unverified', 'trade_unknown'] as const;
export type SandboxRefundState = (typeof SANDBOX_REFUND_STATES)[number];

/** The sandbox channel's side of one refund, scripted through the sandbox API. */
@Entity('sandbox_refund')
export class SandboxRefund {
  @PrimaryColumn({ name: 'refund_no', type: 'varchar', length: 32 })
  refundNo: string;

  @Column({ type: 'varchar', length: 20 })
  state: SandboxRefundState;

  /** Cents; null: the refund's own amount. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  amount: number | null;

  @Column({ name: 'refund_id', type: 'varchar', length: 64, nullable: true })
  refundId: string | null;

  @Column({ name: 'finish_time', type: 'datetime', nullable: true })
  finishTime: Date | null;

  @Column({ name: 'error_msg', type: 'varchar', length: 200, nullable: true })
  errorMsg: string | null;

  @Column({ name: 'delay_ms', type: 'int' })
  delayMs: number;

  @Column({ name: 'query_count', type: 'int' })
  queryCount: number;

  @Column({ name: 'update_time', type: 'datetime' })
  updateTime: Date;
}
