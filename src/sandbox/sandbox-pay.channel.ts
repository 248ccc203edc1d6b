import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { Repository } from 'typeorm';
import { PayOrder } from '../order/pay-order.entity';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import {
  ChannelCloseOutcome,
  ChannelCloseResult,
  ChannelError,
  ChannelQueryResult,
  ChannelRefundResult,
  ChannelRefundState,
  ChannelTradeState,
  PayChannel,
} from '../channel/pay-channel';
import { RefundOrder } from '../refund/refund-order.entity';
import { SandboxRefund } from './sandbox-refund.entity';
import { PayChannelProvider } from '../channel/pay-channel.decorator';
import { SandboxState, SandboxTrade } from './sandbox-trade.entity';

export const SANDBOX_CHANNEL = 'sandbox';

const STATE_OF: Record<Exclude<SandboxState, 'fail'>, ChannelTradeState> = {
  success: ChannelTradeState.SUCCESS,
  progress: ChannelTradeState.PROGRESS,
  closed: ChannelTradeState.CLOSED,
  refund: ChannelTradeState.REFUND,
  not_found: ChannelTradeState.NOT_FOUND,
  not_found_unknown: ChannelTradeState.NOT_FOUND_UNKNOWN,
};

/**
 * A channel for the quick start and for trying every row of the decision table by hand:
 * it answers whatever its `sandbox_trade` row says. An order without a row is unknown to it.
 */
@Injectable()
@PayChannelProvider()
export class SandboxPayChannel implements PayChannel {
  readonly code = SANDBOX_CHANNEL;

  constructor(
    @InjectRepository(SandboxTrade) private readonly trades: Repository<SandboxTrade>,
    @InjectRepository(SandboxRefund) private readonly refunds: Repository<SandboxRefund>,
  ) {}

  /** Answers what the refund's `sandbox_refund` row says; a refund without one is still processing. */
  async queryRefund(refund: RefundOrder): Promise<ChannelRefundResult> {
    await this.refunds
      .createQueryBuilder()
      .update(SandboxRefund)
      .set({ queryCount: () => 'query_count + 1' })
      .where('refund_no = :refundNo', { refundNo: refund.refundNo })
      .execute();
    const row = await this.refunds.findOneBy({ refundNo: refund.refundNo });
    if (row && row.delayMs > 0) await sleep(row.delayMs);
    const state = row?.state ?? 'processing';
    const amount = row?.amount ?? refund.amount;
    const refundId = row?.refundId ?? undefined;
    const raw = JSON.stringify({ state, amount, refundId: refundId ?? null });
    switch (state) {
      case 'success':
        return { state: ChannelRefundState.SUCCESS, amount, refundId: refundId ?? `SBXR${refund.refundNo}`, finishTime: row?.finishTime ?? undefined, raw };
      case 'processing':
        return { state: ChannelRefundState.PROCESSING, refundId, raw };
      case 'abnormal':
        return { state: ChannelRefundState.PROCESSING, refundId, anomaly: AnomalyKind.REFUND_ABNORMAL, raw };
      case 'unconfirmed':
        return { state: ChannelRefundState.PROCESSING, refundId, anomaly: AnomalyKind.REFUND_UNCONFIRMED, raw };
      case 'failed':
        return { state: ChannelRefundState.FAILED, refundId, reason: row?.errorMsg || 'sandbox: the refund failed', raw };
      case 'not_found':
        return { state: ChannelRefundState.NOT_FOUND, raw };
      case 'error':
        throw new ChannelError(row?.errorMsg || 'sandbox: refund query failed', raw, { code: 'SANDBOX_ERROR' });
      case 'unverified':
        throw new ChannelError('sandbox: the answer failed its signature', raw, { unverified: true });
      case 'trade_unknown':
        throw new ChannelError('ACQ.TRADE_NOT_EXIST 交易不存在', raw, { code: 'ACQ.TRADE_NOT_EXIST', anomaly: AnomalyKind.REFUND_TRADE_UNKNOWN });
    }
  }

  async query(order: PayOrder): Promise<ChannelQueryResult> {
    const trade = await this.answering(order, 'query_count');
    if (!trade) return { state: ChannelTradeState.NOT_FOUND, raw: '{"state":"not_found"}' };
    const raw = JSON.stringify({ state: trade.state, amount: trade.amount ?? order.amount, tradeNo: trade.tradeNo });
    if (trade.state === 'fail') throw new ChannelError(trade.errorMsg || 'sandbox: query failed', raw);
    return {
      state: STATE_OF[trade.state],
      amount: trade.amount ?? order.amount,
      tradeNo: trade.tradeNo ?? undefined,
      payTime: trade.payTime ?? undefined,
      raw,
    };
  }

  async close(order: PayOrder): Promise<ChannelCloseResult> {
    const trade = await this.answering(order, 'close_count');
    if (!trade) return { outcome: ChannelCloseOutcome.NOT_FOUND, raw: '{"close":"not_found"}' };
    const raw = JSON.stringify({ close: trade.closeAnswer });
    switch (trade.closeAnswer) {
      case 'fail':
        throw new ChannelError(trade.errorMsg || 'sandbox: close failed', raw);
      case 'unsupported':
        return { outcome: ChannelCloseOutcome.UNSUPPORTED, raw };
      case 'not_found':
        // The channel says it has no such trade; the trade stays as scripted, so it can still be paid.
        return { outcome: ChannelCloseOutcome.NOT_FOUND, raw };
      case 'paid':
        // The buyer paid just before the close: the trade is now paid, as at a real channel.
        await this.trades.update({ orderNo: order.orderNo }, { state: 'success', payTime: trade.payTime ?? new Date() });
        return { outcome: ChannelCloseOutcome.PAID, raw };
      case 'closed':
        await this.trades.update({ orderNo: order.orderNo }, { state: 'closed' });
        return { outcome: ChannelCloseOutcome.CLOSED, raw };
    }
  }

  /** Counts the call, waits the configured delay, and reads the trade as it is then. */
  private async answering(order: PayOrder, counter: 'query_count' | 'close_count'): Promise<SandboxTrade | null> {
    await this.trades
      .createQueryBuilder()
      .update(SandboxTrade)
      .set({ [counter === 'query_count' ? 'queryCount' : 'closeCount']: () => `${counter} + 1` })
      .where('order_no = :orderNo', { orderNo: order.orderNo })
      .execute();
    const trade = await this.trades.findOneBy({ orderNo: order.orderNo });
    if (trade && trade.delayMs > 0) await sleep(trade.delayMs);
    return trade;
  }
}
