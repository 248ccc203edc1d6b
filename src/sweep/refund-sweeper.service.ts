import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { AnomalyRepository } from '../anomaly/anomaly.repository';
import { RefundOrder } from '../refund/refund-order.entity';
import { PaySyncRecordRepository } from '../sync/pay-sync-record.repository';
import { RefundSyncService } from '../sync/refund/refund-sync.service';
import { RefundRepairWay } from '../sync/refund/refund-sync-status';
import { PaySyncSweeper, SweepSummary } from './pay-sync-sweeper.service';
import { nextRefundSync } from './refund-reschedule';
import { RefundSyncScheduleRepository } from './refund-sync-schedule.repository';
import { SweepSettings } from './sweep.settings';

/** Claims left this much before their lease ends are handed back rather than started. */
const LEASE_MARGIN_MS = 5_000;

/**
 * The refund half of a sweep round (refund-sync.md section 9): claims due `progress` refunds
 * in batches, syncs each through RefundSyncService with the round's concurrency and the
 * same per-channel rate limiter as the pay orders, and reschedules it on the refund ladder.
 * It runs in the same round as the pay orders, on the same timer.
 */
@Injectable()
export class RefundSweeper {
  private readonly logger = new Logger(RefundSweeper.name);
  private readonly instance = randomUUID();
  private stopping = false;

  constructor(
    private readonly settings: SweepSettings,
    private readonly schedule: RefundSyncScheduleRepository,
    private readonly refundSync: RefundSyncService,
    private readonly records: PaySyncRecordRepository,
    private readonly anomalies: AnomalyRepository,
    private readonly paySweeper: PaySyncSweeper,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  async runRound(): Promise<SweepSummary> {
    const summary: SweepSummary = { due: 0, synced: 0, repaired: 0, failed: 0 };
    const dueBy = new Date();
    for (;;) {
      if (this.stopping) break;
      const now = new Date();
      const leaseUntil = new Date(now.getTime() + this.settings.UNIPAY_SWEEP_LEASE_SECONDS * 1000);
      const claimed = await this.schedule.claim({ owner: this.instance, dueBy, now, leaseUntil, limit: this.settings.UNIPAY_SWEEP_BATCH_SIZE });
      if (claimed.length === 0) break;
      summary.due += claimed.length;
      const queue = [...claimed];
      const worker = async () => {
        for (let refund = queue.shift(); refund; refund = queue.shift()) {
          if (this.stopping || Date.now() > leaseUntil.getTime() - LEASE_MARGIN_MS) {
            await this.schedule.release(refund.id, this.instance);
            continue;
          }
          await this.syncOne(refund, summary);
          this.paySweeper.noteProgress();
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.settings.UNIPAY_SWEEP_CONCURRENCY, claimed.length) }, worker));
    }
    return summary;
  }

  private async syncOne(refund: RefundOrder, summary: SweepSummary): Promise<void> {
    await this.paySweeper.limiter.acquire(refund.channel);
    let ended = false;
    try {
      const outcome = await this.refundSync.syncClaimed(refund, (draft, manager) => this.records.insert(draft, manager));
      summary.synced += 1;
      if (outcome.kind === 'repaired') summary.repaired += 1;
      if (outcome.kind === 'failed') summary.failed += 1;
      // Repaired to success or close: nothing left to follow.
      ended = outcome.kind === 'repaired' && outcome.repair.way !== RefundRepairWay.PROGRESS;
    } catch (error) {
      summary.failed += 1;
      this.logger.error({ msg: 'scheduled refund sync failed', refundNo: refund.refundNo }, error as Error);
    }
    const next = nextRefundSync(refund.channelReqTime, refund.syncCount, new Date(), this.settings.UNIPAY_SWEEP_REFUND_MAX_AGE_SECONDS);
    await this.schedule.reschedule(refund.id, this.instance, next.at, next.count);
    if (next.exhausted && !ended) {
      await this.anomalies.record({
        kind: AnomalyKind.REFUND_SYNC_EXHAUSTED,
        orderNo: refund.orderNo,
        refundNo: refund.refundNo,
        detail: `refund ${refund.refundNo} still in progress ${Math.round((Date.now() - refund.channelReqTime.getTime()) / 86400_000)} days after its request; the job stops following it`,
      });
    }
  }
}
