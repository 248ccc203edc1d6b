import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxService, OutboxSubscriber } from '../outbox/outbox.service';
import { UnipayEvent, UnipayEventType } from '../outbox/unipay-event';
import { SignSettings } from '../sign/sign.settings';
import { NotificationKind, NotificationStatus } from './merchant-notification.entity';
import { NotificationRepository } from './notification.repository';
import { payNoticeBody } from './pay-notice-body';
import { refundNoticeBody } from './refund-notice-body';

const PAY_EVENTS = new Set<string>([UnipayEventType.PAY_ORDER_SUCCESS, UnipayEventType.PAY_ORDER_CLOSED]);
const REFUND_EVENTS = new Set<string>([UnipayEventType.REFUND_SUCCESS, UnipayEventType.REFUND_CLOSED]);

/**
 * Queues the merchant notification of a repair in the repair's own transaction, its body
 * built and signed once, now: a repair and its notification commit together or not at all,
 * and the event's unique id allows one notification per event. An order without a
 * notify_url gets none.
 */
@Injectable()
export class NotificationQueue implements OutboxSubscriber, OnModuleInit {
  private queued = false;

  constructor(
    private readonly outbox: OutboxService,
    private readonly notifications: NotificationRepository,
    private readonly sign: SignSettings,
  ) {}

  onModuleInit(): void {
    this.outbox.subscribe(this);
  }

  /** Whether a notification was queued since the last call (a repair without a notify_url queues none). */
  takeQueued(): boolean {
    const queued = this.queued;
    this.queued = false;
    return queued;
  }

  /**
   * One notification per repair: a pay repair notifies at the order's notify_url, a refund
   * repair (to success or close) at the refund's, with the refund body. A refund never
   * sends a pay notification.
   */
  async onPublished(event: UnipayEvent, manager: EntityManager): Promise<void> {
    const refund = REFUND_EVENTS.has(event.type) ? event.refund : undefined;
    if (!refund && !PAY_EVENTS.has(event.type)) return;
    const notifyUrl = (refund ? refund.notifyUrl : event.order.notifyUrl)?.trim();
    if (!notifyUrl) return;
    const resTime = Math.floor(event.occurredAt.getTime() / 1000);
    this.queued = true;
    await this.notifications.queue(
      {
        eventId: event.id,
        kind: refund ? NotificationKind.REFUND : NotificationKind.PAY,
        orderNo: event.orderNo,
        notifyUrl,
        body: refund ? refundNoticeBody(refund, resTime, this.sign) : payNoticeBody(event.order, resTime, this.sign),
        status: NotificationStatus.PENDING,
        tries: 0,
        nextTryTime: event.occurredAt,
        lastTryTime: null,
        deliveredTime: null,
        createdTime: event.occurredAt,
        leaseOwner: null,
        leaseUntil: null,
      },
      manager,
    );
  }
}
