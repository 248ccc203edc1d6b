import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChannelCloseOutcome,
  ChannelCloseResult,
  ChannelQueryResult,
  ChannelRefundResult,
  ChannelRefundState,
  ChannelTradeState,
  PayChannel,
} from '../src/channel/pay-channel';
import { PayChannelProvider } from '../src/channel/pay-channel.decorator';
import { PayOrder } from '../src/order/pay-order.entity';
import { RefundOrder } from '../src/refund/refund-order.entity';

export const BENCH_CHANNEL = 'bench';

/** Order numbers of the manual-sync load start with M, those of the sweep with S. */
export const MANUAL_PREFIX = 'M';
export const SWEEP_PREFIX = 'S';
/** Manual orders the channel reports paid, so that each one's first sync repairs it. */
const PAID_PREFIX = 'P';

/** What the channel saw since the last reset. Constant memory, whatever the number of orders. */
export interface BenchChannelStats {
  queries: number;
  manualQueries: number;
  sweepQueries: number;
  closes: number;
  refundQueries: number;
  /** Epoch ms of the first sweep query and of the last sweep answer (0 when none). */
  firstSweepQueryAt: number;
  lastSweepAnswerAt: number;
  /** Sweep queries waiting at the channel at once: the most, and the sum of their waits. */
  maxInFlight: number;
  busyMs: number;
}

function delayFrom(env: string | undefined, fallback: number): number {
  const value = Number(env ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`bad channel delay: ${env}`);
  return value;
}

/**
 * The benchmarks' channel. It answers from memory: manual-sync orders (`M…`) always
 * `progress` (so they are never repaired and can be synced again and again) after
 * BENCH_MANUAL_DELAY_MS (default 0: at once); sweep orders (`S…`) after BENCH_SWEEP_DELAY_MS
 * (default 50), one in four paid (so a round also repairs), the rest `progress`.
 */
@Injectable()
@PayChannelProvider()
export class BenchPayChannel implements PayChannel {
  readonly code = BENCH_CHANNEL;
  private readonly manualDelayMs = delayFrom(process.env.BENCH_MANUAL_DELAY_MS, 0);
  private readonly sweepDelayMs = delayFrom(process.env.BENCH_SWEEP_DELAY_MS, 50);
  private stats: BenchChannelStats = BenchPayChannel.emptyStats();
  private inFlight = 0;

  private static emptyStats(): BenchChannelStats {
    return { queries: 0, manualQueries: 0, sweepQueries: 0, closes: 0, refundQueries: 0, firstSweepQueryAt: 0, lastSweepAnswerAt: 0, maxInFlight: 0, busyMs: 0 };
  }

  snapshot(): BenchChannelStats {
    return { ...this.stats };
  }

  reset(): void {
    this.stats = BenchPayChannel.emptyStats();
  }

  async query(order: PayOrder): Promise<ChannelQueryResult> {
    this.stats.queries += 1;
    if (order.orderNo.startsWith(PAID_PREFIX)) {
      // Orders for the manual repair measurement: paid at the channel.
      this.stats.manualQueries += 1;
      const tradeNo = `BENCH${order.orderNo}`;
      return { state: ChannelTradeState.SUCCESS, amount: order.amount, tradeNo, payTime: new Date(), raw: `{"state":"success","tradeNo":"${tradeNo}"}` };
    }
    if (!order.orderNo.startsWith(SWEEP_PREFIX)) {
      this.stats.manualQueries += 1;
      if (this.manualDelayMs > 0) await sleep(this.manualDelayMs);
      return { state: ChannelTradeState.PROGRESS, raw: '{"state":"progress"}' };
    }
    const started = Date.now();
    this.stats.sweepQueries += 1;
    if (this.stats.firstSweepQueryAt === 0) this.stats.firstSweepQueryAt = started;
    this.inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
    try {
      if (this.sweepDelayMs > 0) await sleep(this.sweepDelayMs);
    } finally {
      this.inFlight -= 1;
    }
    const answered = Date.now();
    this.stats.busyMs += answered - started;
    this.stats.lastSweepAnswerAt = Math.max(this.stats.lastSweepAnswerAt, answered);
    if (Number(order.orderNo.slice(1)) % 4 === 0) {
      const tradeNo = `BENCH${order.orderNo}`;
      return {
        state: ChannelTradeState.SUCCESS,
        amount: order.amount,
        tradeNo,
        payTime: new Date(answered),
        raw: `{"state":"success","tradeNo":"${tradeNo}"}`,
      };
    }
    return { state: ChannelTradeState.PROGRESS, raw: '{"state":"progress"}' };
  }

  /** Every bench refund is still processing at the channel: a refund sync that changes nothing. */
  async queryRefund(refund: RefundOrder): Promise<ChannelRefundResult> {
    this.stats.refundQueries += 1;
    if (this.manualDelayMs > 0) await sleep(this.manualDelayMs);
    return { state: ChannelRefundState.PROCESSING, raw: `{"refund":"${refund.refundNo}","status":"PROCESSING"}` };
  }

  async close(_order: PayOrder): Promise<ChannelCloseResult> {
    this.stats.closes += 1;
    return { outcome: ChannelCloseOutcome.CLOSED, raw: '{"close":"closed"}' };
  }
}
