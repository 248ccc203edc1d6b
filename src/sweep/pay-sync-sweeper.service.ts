import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { AnomalyRepository } from '../anomaly/anomaly.repository';
import { PayOrder } from '../order/pay-order.entity';
import { PaySyncService } from '../sync/pay-sync.service';
import { PaySyncRecordRepository } from '../sync/pay-sync-record.repository';
import { ChannelRateLimiter } from './channel-rate-limiter';
import { PaySyncScheduleRepository } from './pay-sync-schedule.repository';
import { SweepSettings } from './sweep.settings';
import { nextSync, RescheduleRules, SweepResult } from './sync-reschedule';

/** What one round did, for the log and the operator command. */
export interface SweepSummary {
  due: number;
  synced: number;
  repaired: number;
  failed: number;
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
  private readonly rules: RescheduleRules;
  private stopping = false;

  constructor(
    private readonly settings: SweepSettings,
    private readonly schedule: PaySyncScheduleRepository,
    private readonly paySync: PaySyncService,
    private readonly records: PaySyncRecordRepository,
    private readonly anomalies: AnomalyRepository,
  ) {
    this.limiter = new ChannelRateLimiter((channel) => settings.UNIPAY_SWEEP_CHANNEL_RATES[channel] ?? settings.UNIPAY_SWEEP_RATE_PER_SECOND);
    this.rules = {
      delaysSeconds: settings.UNIPAY_SWEEP_DELAYS_SECONDS,
      lateCheckDelaysSeconds: settings.UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS,
      busyRetrySeconds: settings.UNIPAY_SWEEP_BUSY_RETRY_SECONDS,
    };
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
      const leaseUntil = new Date(now.getTime() + this.settings.UNIPAY_SWEEP_LEASE_SECONDS * 1000);
      const claimed = await this.schedule.claimDue({
        owner: this.instance,
        dueBy: roundStart,
        createdBy: new Date(roundStart.getTime() - this.settings.UNIPAY_SWEEP_GRACE_SECONDS * 1000),
        now,
        leaseUntil,
        limit: this.settings.UNIPAY_SWEEP_BATCH_SIZE,
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
    await Promise.all(Array.from({ length: Math.min(this.settings.UNIPAY_SWEEP_CONCURRENCY, orders.length) }, worker));
  }

  private async syncOne(order: PayOrder, summary: SweepSummary): Promise<void> {
    await this.limiter.acquire(order.channel);
    const result = await this.sync(order);
    if (result.kind === 'busy' || result.kind === 'error' || result.kind === 'failed') summary.failed += 1;
    if (result.kind !== 'busy' && result.kind !== 'error') summary.synced += 1;
    if (result.kind === 'repaired') summary.repaired += 1;
    const next = nextSync({ ...order, syncCount: order.syncCount ?? 0 }, result, new Date(), this.rules);
    await this.schedule.reschedule(order.id, this.instance, next.at, next.count);
    if (next.givenUp) {
      const answer = 'status' in result ? result.status : 'no answer';
      await this.anomalies.record({
        kind: AnomalyKind.SYNC_GIVEN_UP,
        orderNo: order.orderNo,
        detail: `closed here on expiry; after ${next.count} late checks ${order.channel} still gives ${answer}, so a late payment would go unseen`,
      });
    }
  }

  private async sync(order: PayOrder): Promise<SweepResult> {
    try {
      return await this.paySync.syncClaimed(order, (draft, manager) => this.records.insert(draft, manager));
    } catch (error) {
      this.logger.error(`scheduled sync of ${order.orderNo} failed: ${String(error)}`);
      return { kind: 'error' };
    }
  }
}
