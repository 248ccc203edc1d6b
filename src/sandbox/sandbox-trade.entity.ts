import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint-number.transformer';

/** What the sandbox channel answers for an order; set by a person through the admin API. */
export const SANDBOX_STATES = ['success', 'progress', 'closed', 'refund', 'not_found', 'not_found_unknown', 'fail'] as const;
export type SandboxState = (typeof SANDBOX_STATES)[number];

/** How the sandbox answers a close: done, refused because paid meanwhile, failed, or no close API. */
export const SANDBOX_CLOSE_ANSWERS = ['closed', 'paid', 'fail', 'unsupported', 'not_found'] as const;
export type SandboxCloseAnswer = (typeof SANDBOX_CLOSE_ANSWERS)[number];

@Entity('sandbox_trade')
export class SandboxTrade {
  @PrimaryColumn({ name: 'order_no', type: 'varchar', length: 32 })
  orderNo: string;

  @Column({ type: 'varchar', length: 32 })
  state: SandboxState;

  /** The amount the channel reports, in cents; null reports the order's own amount. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  amount: number | null;

  @Column({ name: 'trade_no', type: 'varchar', length: 64, nullable: true })
  tradeNo: string | null;

  @Column({ name: 'pay_time', type: 'datetime', nullable: true })
  payTime: Date | null;

  @Column({ name: 'close_answer', type: 'varchar', length: 16 })
  closeAnswer: SandboxCloseAnswer;

  /** The channel's error text when state is `fail` or a close fails. */
  @Column({ name: 'error_msg', type: 'varchar', length: 200, nullable: true })
  errorMsg: string | null;

  /** How long the channel takes to answer, to try concurrency and timeouts by hand. */
  @Column({ name: 'delay_ms', type: 'int' })
  delayMs: number;

  @Column({ name: 'query_count', type: 'int' })
  queryCount: number;

  @Column({ name: 'close_count', type: 'int' })
  closeCount: number;

  @Column({ name: 'update_time', type: 'datetime' })
  updateTime: Date;
}
