import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { claimByLease, LeaseClaim, releaseLease } from '../database/lease-claim';
import { Page, pageOf, PageRequest, TimeRange, withinTime } from '../database/page';
import { MerchantNotification, NotificationStatus } from './merchant-notification.entity';
import { NotificationTry } from './notification-try.entity';

export interface NotificationFilter extends TimeRange {
  orderNo?: string;
  status?: NotificationStatus;
}

/** Merchant notifications and their tries. */
@Injectable()
export class NotificationRepository {
  constructor(
    @InjectRepository(MerchantNotification) private readonly notifications: Repository<MerchantNotification>,
    @InjectRepository(NotificationTry) private readonly tries: Repository<NotificationTry>,
  ) {}

  async queue(notification: Omit<MerchantNotification, 'id'>, manager: EntityManager): Promise<void> {
    await manager.getRepository(MerchantNotification).insert(notification);
  }

  claimDue(claim: LeaseClaim, limit: number): Promise<MerchantNotification[]> {
    const candidates = this.notifications
      .createQueryBuilder('n')
      .select('n.id', 'id')
      .where('n.status = :pending AND n.next_try_time <= :now', { pending: NotificationStatus.PENDING, now: claim.now })
      .andWhere('(n.lease_until IS NULL OR n.lease_until < :now)')
      .orderBy('n.next_try_time', 'ASC')
      .limit(limit);
    return claimByLease(this.notifications, candidates, claim);
  }

  /** Claims one notification whatever its state (an operator's resend); none when someone holds it. */
  async claimOne(id: number, claim: LeaseClaim): Promise<MerchantNotification | undefined> {
    const [claimed] = await claimByLease(this.notifications, this.notifications.createQueryBuilder('n').select('n.id', 'id').where('n.id = :id', { id }), claim);
    return claimed;
  }

  /**
   * Counts a scheduled try as made before it is sent, with the next one already due at its
   * start plus the schedule's delay: a crash mid-try neither repeats this try nor loses the
   * next. False when the row is no longer this owner's, or moved on.
   */
  async startTry(notification: MerchantNotification, owner: string, startedAt: Date, nextTry: Date | null): Promise<boolean> {
    const result = await this.notifications
      .createQueryBuilder()
      .update()
      .set({ tries: notification.tries + 1, lastTryTime: startedAt, nextTryTime: nextTry ?? startedAt })
      .where('id = :id AND lease_owner = :owner AND tries = :tries AND status = :pending', {
        id: notification.id,
        owner,
        tries: notification.tries,
        pending: NotificationStatus.PENDING,
      })
      .execute();
    return result.affected === 1;
  }

  async recordTry(entry: Omit<NotificationTry, 'id'>): Promise<void> {
    await this.tries.insert(entry);
  }

  /** Ends a try: the lease goes back, with the new status when it changed. */
  finish(id: number, owner: string, changes: Partial<Pick<MerchantNotification, 'status' | 'deliveredTime'>> = {}): Promise<boolean> {
    return releaseLease(this.notifications, id, owner, changes);
  }

  findById(id: number): Promise<MerchantNotification | null> {
    return this.notifications.findOneBy({ id });
  }

  list(filter: NotificationFilter, page: PageRequest): Promise<Page<MerchantNotification>> {
    const query = this.notifications.createQueryBuilder('n');
    if (filter.orderNo) query.andWhere('n.order_no = :orderNo', { orderNo: filter.orderNo });
    if (filter.status) query.andWhere('n.status = :status', { status: filter.status });
    return pageOf(withinTime(query, 'created_time', filter), page);
  }

  /** The tries of these notifications, oldest first. */
  triesOf(notificationIds: number[]): Promise<NotificationTry[]> {
    if (notificationIds.length === 0) return Promise.resolve([]);
    return this.tries.find({ where: { notificationId: In(notificationIds) }, order: { id: 'ASC' } });
  }
}
