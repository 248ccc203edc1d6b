import { Injectable, Logger, Optional } from '@nestjs/common';
import { NO_METRICS, UnipayMetrics } from '../observability/unipay-metrics';
import { randomUUID } from 'node:crypto';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { AnomalyRepository } from '../anomaly/anomaly.repository';
import { MerchantAnswer, MerchantHttp } from './merchant-http';
import { MerchantNotification, NotificationStatus } from './merchant-notification.entity';
import { NotificationTry } from './notification-try.entity';
import { NotificationRepository } from './notification.repository';
import { MAX_TRIES, nextTryTime } from './notify-schedule';
import { NotifySettings } from './notify.settings';

export interface NotifySummary {
  tried: number;
  delivered: number;
  exhausted: number;
}

/** What an operator's resend came to. */
export type ResendResult = { kind: 'sent'; try: TryRecord } | { kind: 'not_found' } | { kind: 'busy' };

type TryRecord = Omit<NotificationTry, 'id'>;

/** The URL's origin, for logs and records: a notify_url's path or query may carry a merchant's token. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Sends merchant notifications on DaxPay's schedule: claims due ones in the database (so
 * instances never send the same try), counts the try before sending it, records every try,
 * and turns a notification whose 16th try failed into an anomaly.
 */
@Injectable()
export class MerchantNotifier {
  private readonly logger = new Logger(MerchantNotifier.name);
  private readonly instance = randomUUID();

  constructor(
    private readonly settings: NotifySettings,
    private readonly notifications: NotificationRepository,
    private readonly http: MerchantHttp,
    private readonly anomalies: AnomalyRepository,
    @Optional() private readonly metrics: UnipayMetrics = NO_METRICS,
  ) {}

  /** Sends every try due at `now` (the clock, unless a test moves it). */
  async runRound(now = new Date()): Promise<NotifySummary> {
    const summary: NotifySummary = { tried: 0, delivered: 0, exhausted: 0 };
    const started = Date.now();
    const clock = () => new Date(now.getTime() + Date.now() - started);
    for (;;) {
      const claimed = await this.notifications.claimDue(this.claim(clock()), this.settings.UNIPAY_NOTIFY_BATCH_SIZE);
      if (claimed.length === 0) return summary;
      let next = 0;
      const worker = async () => {
        while (next < claimed.length) await this.tryOnce(claimed[next++], clock, summary);
      };
      await Promise.all(Array.from({ length: Math.min(this.settings.UNIPAY_NOTIFY_CONCURRENCY, claimed.length) }, worker));
    }
  }

  /** Sends a notification now, outside the schedule: the same body; its tries are not counted. */
  async resend(id: number, now = new Date()): Promise<ResendResult> {
    if (!(await this.notifications.findById(id))) return { kind: 'not_found' };
    const notification = await this.notifications.claimOne(id, this.claim(now));
    if (!notification) return { kind: 'busy' };
    const answer = await this.http.post(notification.notifyUrl, notification.body);
    const entry = this.tryOf(notification, notification.tries, true, now, answer);
    await this.notifications.recordTry(entry);
    await this.notifications.finish(id, this.instance, answer.delivered ? { status: NotificationStatus.DELIVERED, deliveredTime: now } : {});
    this.log(notification, entry);
    return { kind: 'sent', try: entry };
  }

  private claim(now: Date) {
    return { owner: this.instance, now, until: new Date(now.getTime() + this.settings.UNIPAY_NOTIFY_LEASE_SECONDS * 1000) };
  }

  private async tryOnce(notification: MerchantNotification, clock: () => Date, summary: NotifySummary): Promise<void> {
    const startedAt = clock();
    const tryNo = notification.tries + 1;
    if (!(await this.notifications.startTry(notification, this.instance, startedAt, nextTryTime(tryNo, startedAt)))) {
      // Moved on under us (it cannot while the lease is ours): hand back whatever we hold.
      await this.notifications.finish(notification.id, this.instance);
      return;
    }
    const answer = await this.http.post(notification.notifyUrl, notification.body);
    const entry = this.tryOf(notification, tryNo, false, startedAt, answer);
    await this.notifications.recordTry(entry);
    summary.tried += 1;
    this.log(notification, entry);
    this.metrics.notification(answer.delivered ? 'delivered' : tryNo >= MAX_TRIES ? 'exhausted' : 'failed');
    if (answer.delivered) {
      summary.delivered += 1;
      await this.notifications.finish(notification.id, this.instance, { status: NotificationStatus.DELIVERED, deliveredTime: clock() });
    } else if (tryNo >= MAX_TRIES) {
      summary.exhausted += 1;
      await this.notifications.finish(notification.id, this.instance, { status: NotificationStatus.EXHAUSTED });
      await this.anomalies.record({
        kind: AnomalyKind.NOTIFICATION_EXHAUSTED,
        orderNo: notification.orderNo,
        detail: `notification ${notification.id} to ${originOf(notification.notifyUrl)} failed all ${MAX_TRIES} tries; the last: ${entry.excerpt ?? ''}`,
      });
    } else {
      await this.notifications.finish(notification.id, this.instance);
    }
  }

  private tryOf(notification: MerchantNotification, tryNo: number, manual: boolean, startedAt: Date, answer: MerchantAnswer): TryRecord {
    return {
      notificationId: notification.id,
      tryNo,
      manual,
      startedTime: startedAt,
      durationMs: answer.durationMs,
      httpStatus: answer.status,
      excerpt: (answer.body ?? answer.error ?? '').slice(0, 100),
      error: answer.delivered ? null : (answer.error ?? 'the answer was not SUCCESS').slice(0, 200),
      delivered: answer.delivered,
    };
  }

  private log(notification: MerchantNotification, entry: TryRecord): void {
    const what = `notification ${notification.id} (order ${notification.orderNo}) try ${entry.tryNo}${entry.manual ? ' (resend)' : ''} to ${originOf(notification.notifyUrl)}`;
    if (entry.delivered) this.logger.log(`${what}: delivered`);
    else this.logger.warn(`${what}: ${entry.httpStatus ?? 'no answer'}, ${entry.error}`);
  }
}
