import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { claimByLease, LeaseClaim, releaseLease } from '../database/lease-claim';
import { Page, pageOf, PageRequest, TimeRange, withinTime } from '../database/page';
import { snapshotFromJson } from '../order/pay-order-snapshot';
import { refundSnapshotFromJson } from '../refund/refund-order-snapshot';
import { HookStatus, OutboxEvent } from './outbox-event.entity';
import { UnipayEvent, UnipayEventType } from './unipay-event';

export interface OutboxFilter extends TimeRange {
  orderNo?: string;
  status?: HookStatus;
}

/** The outbox table: events written in a repair's transaction, claimed for delivery. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectRepository(OutboxEvent) private readonly events: Repository<OutboxEvent>) {}

  async insert(event: UnipayEvent, manager: EntityManager): Promise<void> {
    const { id, type, orderNo, ...rest } = event;
    await manager.getRepository(OutboxEvent).insert({
      eventId: id,
      type,
      orderNo,
      payload: JSON.stringify(rest),
      createdTime: event.occurredAt,
      hookStatus: HookStatus.PENDING,
      hookAttempts: 0,
      hookNextTime: event.occurredAt,
      hookError: null,
      deliveredTime: null,
      leaseOwner: null,
      leaseUntil: null,
    });
  }

  /**
   * Claims events due for the hook, at most one per pay order: an event waits while an
   * earlier one of its order is still undelivered, so each order's events go in order.
   */
  claimDue(claim: LeaseClaim, limit: number): Promise<OutboxEvent[]> {
    const candidates = this.events
      .createQueryBuilder('e')
      .select('e.id', 'id')
      .where('e.hook_status = :pending AND e.hook_next_time <= :now', { pending: HookStatus.PENDING, now: claim.now })
      .andWhere('(e.lease_until IS NULL OR e.lease_until < :now)')
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM unipay_outbox_event earlier WHERE earlier.order_no = e.order_no AND earlier.id < e.id AND earlier.hook_status = :pending)`,
      )
      .orderBy('e.id', 'ASC')
      .limit(limit);
    return claimByLease(this.events, candidates, claim);
  }

  delivered(id: number, owner: string, now: Date): Promise<boolean> {
    return releaseLease(this.events, id, owner, { hookStatus: HookStatus.DELIVERED, deliveredTime: now, hookError: null });
  }

  failed(event: OutboxEvent, owner: string, error: string, next: Date): Promise<boolean> {
    return releaseLease(this.events, event.id, owner, { hookAttempts: event.hookAttempts + 1, hookNextTime: next, hookError: error.slice(0, 500) });
  }

  list(filter: OutboxFilter, page: PageRequest): Promise<Page<OutboxEvent>> {
    const query = this.events.createQueryBuilder('e');
    if (filter.orderNo) query.andWhere('e.order_no = :orderNo', { orderNo: filter.orderNo });
    if (filter.status) query.andWhere('e.hook_status = :status', { status: filter.status });
    return pageOf(withinTime(query, 'created_time', filter), page);
  }

  /** The event a row holds, as handlers receive it. */
  static eventOf(row: OutboxEvent): UnipayEvent {
    const rest = JSON.parse(row.payload) as Omit<UnipayEvent, 'id' | 'type' | 'orderNo'> & { order: Record<string, unknown>; refund?: Record<string, unknown> };
    return {
      id: row.eventId,
      type: row.type as UnipayEventType,
      orderNo: row.orderNo,
      occurredAt: new Date(rest.occurredAt),
      order: snapshotFromJson(rest.order),
      ...(rest.refund ? { refund: refundSnapshotFromJson(rest.refund) } : {}),
      repair: rest.repair,
    };
  }
}
