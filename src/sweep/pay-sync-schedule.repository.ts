import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { PayOrder } from '../order/pay-order.entity';
import { PayStatus } from '../order/pay-status';

export interface ClaimWindow {
  owner: string;
  /** Orders whose next sync is at or before this instant are due (the round's start). */
  dueBy: Date;
  /**
   * Orders never synced by the job (no next time, no count) are due once created at or
   * before this instant; expired ones at once. No next time with a count means "stopped".
   */
  createdBy: Date;
  now: Date;
  leaseUntil: Date;
  limit: number;
}

/**
 * The scheduled job's view of pay orders: which are due, who holds them. Claims are
 * conditional updates with an expiry, so several instances never take the same order and a
 * crashed instance's orders come back after the lease. Touches only the sync_* columns: the
 * order itself (and its version) is the repair's business.
 */
@Injectable()
export class PaySyncScheduleRepository {
  constructor(@InjectRepository(PayOrder) private readonly orders: Repository<PayOrder>) {}

  async claimDue(window: ClaimWindow): Promise<PayOrder[]> {
    const candidates = await this.orders
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where(
        new Brackets((due) =>
          due
            .where('o.status = :progress AND o.sync_next_time IS NULL AND o.sync_count = 0 AND (o.create_time <= :createdBy OR o.expired_time <= :dueBy)')
            .orWhere('o.status IN (:...scheduled) AND o.sync_next_time <= :dueBy'),
        ),
      )
      .andWhere('(o.sync_lease_until IS NULL OR o.sync_lease_until < :now)')
      .setParameters({
        progress: PayStatus.PROGRESS,
        scheduled: [PayStatus.PROGRESS, PayStatus.CLOSE],
        createdBy: window.createdBy,
        dueBy: window.dueBy,
        now: window.now,
      })
      .limit(window.limit)
      .getRawMany<{ id: number | string }>();
    if (candidates.length === 0) return [];
    const ids = candidates.map((row) => Number(row.id));
    await this.orders
      .createQueryBuilder()
      .update(PayOrder)
      .set({ syncLeaseOwner: window.owner, syncLeaseUntil: window.leaseUntil })
      .where('id IN (:...ids) AND (sync_lease_until IS NULL OR sync_lease_until < :now)', { ids, now: window.now })
      .execute();
    return this.orders
      .createQueryBuilder('o')
      .where('o.id IN (:...ids) AND o.sync_lease_owner = :owner', { ids, owner: window.owner })
      .getMany();
  }

  /** Sets the next sync (null: never again) and gives the claim back. */
  async reschedule(orderId: number, owner: string, next: Date | null, syncCount: number): Promise<void> {
    await this.orders
      .createQueryBuilder()
      .update(PayOrder)
      .set({ syncNextTime: next, syncCount, syncLeaseOwner: null, syncLeaseUntil: null })
      .where('id = :orderId AND sync_lease_owner = :owner', { orderId, owner })
      .execute();
  }

  /** Gives claims back untouched, for orders this instance will not get to. */
  async release(orderIds: number[], owner: string): Promise<void> {
    if (orderIds.length === 0) return;
    await this.orders
      .createQueryBuilder()
      .update(PayOrder)
      .set({ syncLeaseOwner: null, syncLeaseUntil: null })
      .where('id IN (:...orderIds) AND sync_lease_owner = :owner', { orderIds, owner })
      .execute();
  }
}
