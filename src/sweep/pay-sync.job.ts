import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicTask } from '../common/periodic-task';
import { NO_READINESS, UnipayReadiness } from '../observability/unipay-readiness';
import { PaySyncSweeper, SweepSummary } from './pay-sync-sweeper.service';
import { RefundSweeper } from './refund-sweeper.service';

/** A round: the pay orders, then the refunds. */
export interface RoundSummary extends SweepSummary {
  refunds: SweepSummary;
}
import { SweepSettings } from './sweep.settings';

/**
 * The scheduled entry point: a thin trigger that starts a sweep round every interval
 * (never two at once) and, on shutdown, stops claiming and waits for the round in flight.
 */
@Injectable()
export class PaySyncJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask<RoundSummary>;

  constructor(
    private readonly settings: SweepSettings,
    private readonly scheduler: SchedulerRegistry,
    private readonly sweeper: PaySyncSweeper,
    private readonly refundSweeper: RefundSweeper,
    @Optional() private readonly readiness: UnipayReadiness = NO_READINESS,
  ) {
    this.task = new PeriodicTask('pay-sync-sweep', () => this.runRound(), (summary, logger) => {
      if (summary.due > 0) logger.log(`sweep: due ${summary.due}, synced ${summary.synced}, repaired ${summary.repaired}, failed ${summary.failed}`);
      const { refunds } = summary;
      if (refunds.due > 0) logger.log(`sweep refunds: due ${refunds.due}, synced ${refunds.synced}, repaired ${refunds.repaired}, failed ${refunds.failed}`);
    });
  }

  /** One round of the job: the due pay orders, then the due refunds. No second scheduler. */
  async runRound(): Promise<RoundSummary> {
    const pay = await this.sweeper.runRound();
    return { ...pay, refunds: await this.refundSweeper.runRound() };
  }

  onApplicationBootstrap(): void {
    if (!this.settings.UNIPAY_SWEEP_ENABLED) return;
    this.task.start(this.scheduler, this.settings.UNIPAY_SWEEP_INTERVAL_SECONDS);
    const bound = this.settings.UNIPAY_SWEEP_STUCK_SECONDS;
    this.readiness.register('sweep', () => {
      const idle = Math.floor(this.sweeper.secondsWithoutProgress());
      return idle > bound ? `no sweep round finished and no order synced for ${idle}s (UNIPAY_SWEEP_STUCK_SECONDS=${bound})` : undefined;
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.sweeper.stop();
    this.refundSweeper.stop();
    await this.task.stop(this.scheduler);
  }
}
