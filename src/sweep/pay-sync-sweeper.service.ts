import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { PayOrder } from '../order/pay-order.entity';
import { PayStatus } from '../order/pay-status';
import { RepairWay } from '../repair/repair-way';
import { PaySyncOutcome, PaySyncService } from '../sync/pay-sync.service';
import { PaySyncStatus, SyncSource } from '../sync/pay-sync-status';
import { ChannelRateLimiter } from './channel-rate-limiter';
import { PaySyncScheduleRepository } from './pay-sync-schedule.repository';
import { nextLateCheckTime, nextSyncTime } from './sync-backoff';
import { SWEEP_OPTIONS, type SweepOptions } from './sweep-options';

/** What one round did, for the log and the operator command. */
export interface SweepSummary {
  due: number;
  synced: number;
  repaired: number;
  failed: number;
}

interface NextSync {
  at: Date | null;
  count: number;
}

/** Claims left this much before their lease ends are handed back rather than started. */
const LEASE_MARGIN_MS = 5_000;

/**
 * One round of the scheduled sync: claim due orders in bounded batches, sync each through
 * PaySyncService with bounded concurrency and a per-channel rate, reschedule each one.
 */
@Injectable()
export class PaySyncSweeper {
  private readonly logger = new Logger(PaySyncSweeper.name);
  private readonly instance = randomUUID();
  private readonly limiter: ChannelRateLimiter;
  private stopping = false;

  constructor(
    @Inject(SWEEP_OPTIONS) private readonly options: SweepOptions,
    private readonly schedule: PaySyncScheduleRepository,
    private readonly paySync: PaySyncService,
  ) {
    this.limiter = new ChannelRateLimiter((channel) => options.channelRates[channel] ?? options.defaultRatePerSecond);
  }

  /** Stop claiming; orders already claimed but not started are handed back. */
  stop(): void {
    this.stopping = true;
  }

  async runRound(): Promise<SweepSummary> {
    const summary: SweepSummary = { due: 0, synced: 0, repaired: 0, failed: 0 };
    // Orders rescheduled during this round are due after its start, so none is synced twice.
    const roundStart = new Date();
    while (!this.stopping) {
      const now = new Date();
      const leaseUntil = new Date(now.getTime() + this.options.leaseSeconds * 1000);
      const claimed = await this.schedule.claimDue({
        owner: this.instance,
        dueBy: roundStart,
        createdBy: new Date(roundStart.getTime() - this.options.graceSeconds * 1000),
        now,
        leaseUntil,
        limit: this.options.batchSize,
      });
      if (claimed.length === 0) break;
      summary.due += claimed.length;
      await this.syncAll(claimed, leaseUntil, summary);
      // A short batch does not mean nothing is left: another instance may have won part of
      // the claim. Claim until nothing due remains; orders rescheduled now are not due.

    }
    return summary;
  }

  private async syncAll(orders: PayOrder[], leaseUntil: Date, summary: SweepSummary): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < orders.length) {
        const order = orders[next];
        next += 1;
        if (this.stopping || Date.now() > leaseUntil.getTime() - LEASE_MARGIN_MS) {
          await this.schedule.release([order.id], this.instance);
          continue;
        }
        await this.syncOne(order, summary);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, orders.length) }, worker));
  }

  private async syncOne(order: PayOrder, summary: SweepSummary): Promise<void> {
    await this.limiter.acquire(order.channel);
    let next: NextSync;
    try {
      const outcome = await this.paySync.sync({ orderNo: order.orderNo, source: SyncSource.SCHEDULED });
      summary.synced += 1;
      if (outcome.repaired) summary.repaired += 1;
      if (outcome.status === PaySyncStatus.FAIL) summary.failed += 1;
      next = this.nextAfter(order, outcome);
    } catch (error) {
      summary.failed += 1;
      next = this.nextAfterError(order, error);
    }
    await this.schedule.reschedule(order.id, this.instance, next.at, next.count);
  }

  private nextAfter(order: PayOrder, outcome: PaySyncOutcome): NextSync {
    const now = new Date();
    const count = order.syncCount ?? 0;
    if (outcome.repaired) {
      // Closed here only because the channel cannot close: the buyer may still pay it.
      const lateCheck = outcome.repairWay === RepairWay.CLOSE_LOCAL && outcome.status === PaySyncStatus.TIMEOUT;
      return lateCheck ? { at: nextLateCheckTime(0, now, this.options.lateCheckDelaysSeconds), count: 0 } : { at: null, count };
    }
    if (outcome.code === 1 && outcome.status !== PaySyncStatus.FAIL) {
      // An anomaly (a late payment found, an amount mismatch) or a refund: the order now
      // waits for an operator or for refund sync, not for us. Counted, so it is not "new".
      return { at: null, count: count + 1 };
    }
    if (order.status === PayStatus.CLOSE) {
      return { at: nextLateCheckTime(count + 1, now, this.options.lateCheckDelaysSeconds), count: count + 1 };
    }
    if (order.status === PayStatus.PROGRESS) {
      return { at: nextSyncTime(count, now, order.expiredTime, this.options.delaysSeconds), count: count + 1 };
    }
    return { at: null, count };
  }

  private nextAfterError(order: PayOrder, error: unknown): NextSync {
    const now = new Date();
    const count = order.syncCount ?? 0;
    if (error instanceof UnipayException && error.code === UnipayErrorCode.SYNC_IN_PROGRESS) {
      return { at: new Date(now.getTime() + this.options.busyRetrySeconds * 1000), count };
    }
    this.logger.error(`scheduled sync of ${order.orderNo} failed: ${String(error)}`);
    if (order.status !== PayStatus.PROGRESS) return { at: nextLateCheckTime(count, now, this.options.lateCheckDelaysSeconds), count };
    return { at: nextSyncTime(count, now, order.expiredTime, this.options.delaysSeconds), count: count + 1 };
  }
}
