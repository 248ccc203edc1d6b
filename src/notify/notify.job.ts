import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Subscription } from 'rxjs';
import { PeriodicTask } from '../common/periodic-task';
import { OutboxService } from '../outbox/outbox.service';
import { MerchantNotifier, NotifySummary } from './merchant-notifier.service';
import { NotificationQueue } from './notification-queue';
import { NotifySettings } from './notify.settings';

/** Runs the notifier every interval, and at once after a repair in this process that queued a notification. */
@Injectable()
export class NotifyJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask<NotifySummary>;
  private commits?: Subscription;

  constructor(
    private readonly settings: NotifySettings,
    private readonly scheduler: SchedulerRegistry,
    private readonly notifier: MerchantNotifier,
    private readonly outbox: OutboxService,
    private readonly queue: NotificationQueue,
  ) {
    this.task = new PeriodicTask('unipay-notify', () => this.notifier.runRound());
  }

  onApplicationBootstrap(): void {
    if (!this.settings.UNIPAY_NOTIFY_ENABLED) return;
    this.task.start(this.scheduler, this.settings.UNIPAY_NOTIFY_INTERVAL_SECONDS);
    // Right after a repair that queued a notification; a repair of an order without a
    // notify_url wakes nothing.
    this.commits = this.outbox.commits.subscribe(() => {
      if (this.queue.takeQueued()) this.task.kick();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.commits?.unsubscribe();
    await this.task.stop(this.scheduler);
  }
}
