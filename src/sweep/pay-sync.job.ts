import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PeriodicTask } from '../common/periodic-task';
import { PaySyncSweeper, SweepSummary } from './pay-sync-sweeper.service';
import { SweepSettings } from './sweep.settings';

/**
 * The scheduled entry point: a thin trigger that starts a sweep round every interval
 * (never two at once) and, on shutdown, stops claiming and waits for the round in flight.
 */
@Injectable()
export class PaySyncJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask<SweepSummary>;

  constructor(
    private readonly settings: SweepSettings,
    private readonly scheduler: SchedulerRegistry,
    private readonly sweeper: PaySyncSweeper,
  ) {
    this.task = new PeriodicTask('pay-sync-sweep', () => this.sweeper.runRound(), (summary, logger) => {
      if (summary.due > 0) logger.log(`sweep: due ${summary.due}, synced ${summary.synced}, repaired ${summary.repaired}, failed ${summary.failed}`);
    });
  }

  onApplicationBootstrap(): void {
    if (this.settings.UNIPAY_SWEEP_ENABLED) this.task.start(this.scheduler, this.settings.UNIPAY_SWEEP_INTERVAL_SECONDS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.sweeper.stop();
    await this.task.stop(this.scheduler);
  }
}
