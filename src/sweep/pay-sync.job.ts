import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PaySyncSweeper, SweepSummary } from './pay-sync-sweeper.service';
import { SweepSettings } from './sweep.settings';

const JOB_NAME = 'pay-sync-sweep';

/**
 * The scheduled entry point: a thin trigger that starts a sweep round every interval
 * (never two at once) and, on shutdown, stops claiming and waits for the round in flight.
 */
@Injectable()
export class PaySyncJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PaySyncJob.name);
  private round?: Promise<SweepSummary | undefined>;

  constructor(
    private readonly settings: SweepSettings,
    private readonly scheduler: SchedulerRegistry,
    private readonly sweeper: PaySyncSweeper,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.UNIPAY_SWEEP_ENABLED) return;
    this.scheduler.addInterval(JOB_NAME, setInterval(() => void this.tick(), this.settings.UNIPAY_SWEEP_INTERVAL_SECONDS * 1000));
    void this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB_NAME)) this.scheduler.deleteInterval(JOB_NAME);
    this.sweeper.stop();
    await this.round;
  }

  /** Starts a round unless one is running; resolves when it is over. */
  tick(): Promise<SweepSummary | undefined> {
    this.round ??= this.sweeper
      .runRound()
      .then((summary) => {
        if (summary.due > 0) this.logger.log(`sweep: due ${summary.due}, synced ${summary.synced}, repaired ${summary.repaired}, failed ${summary.failed}`);
        return summary;
      })
      .catch((error: unknown) => {
        this.logger.error(`sweep round failed: ${String(error)}`);
        return undefined;
      })
      .finally(() => {
        this.round = undefined;
      });
    return this.round;
  }
}
