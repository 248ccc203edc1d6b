import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Subscription } from 'rxjs';
import { PeriodicTask } from '../common/periodic-task';
import { DispatchSummary, OutboxDispatcher } from './outbox-dispatcher.service';
import { OutboxSettings } from './outbox.settings';
import { OutboxService } from './outbox.service';

/** Runs the dispatcher every interval, and at once after a repair in this process. */
@Injectable()
export class OutboxJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask<DispatchSummary>;
  private commits?: Subscription;

  constructor(
    private readonly settings: OutboxSettings,
    private readonly scheduler: SchedulerRegistry,
    private readonly dispatcher: OutboxDispatcher,
    private readonly outbox: OutboxService,
  ) {
    this.task = new PeriodicTask('unipay-events', () => this.dispatcher.runRound());
  }

  onApplicationBootstrap(): void {
    if (!this.settings.UNIPAY_EVENTS_ENABLED || !this.dispatcher.hasHandlers) return;
    this.task.start(this.scheduler, this.settings.UNIPAY_EVENTS_INTERVAL_SECONDS);
    this.commits = this.outbox.commits.subscribe(() => this.task.kick());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.commits?.unsubscribe();
    await this.task.stop(this.scheduler);
  }
}
