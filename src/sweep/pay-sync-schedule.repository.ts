import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FixedSql } from '../database/fixed-sql';
import { PayOrder } from '../order/pay-order.entity';
import { PayStatus } from '../order/pay-status';

/** An order's next scheduled sync, as the job decided it. */
export interface Reschedule {
  id: number;
  next: Date | null;
  count: number;
}

/** Which orders are due (ClaimWindow's first two fields). */
export type DueWindow = Pick<ClaimWindow, 'dueBy' | 'createdBy'>;

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

/** Due for the job: never synced by it and past the grace period (or expired), or its next time has come. */
function due(o: string): string {
  return (
    `((${o}.status = :progress AND ${o}.sync_next_time IS NULL AND ${o}.sync_count = 0 AND (${o}.create_time <= :createdBy OR ${o}.expired_time <= :dueBy))` +
    ` OR (${o}.status IN (:...scheduled) AND ${o}.sync_next_time <= :dueBy))`
  );
}

/** No instance's job holds it, and no merchant's sync (whose record holds its lock). */
function free(o: string): string {
  return (
    `(${o}.sync_lease_until IS NULL OR ${o}.sync_lease_until < :now)` +
    ` AND NOT EXISTS (SELECT 1 FROM pay_sync_record r WHERE r.lock_order_no = ${o}.order_no AND r.lock_until >= :now)`
  );
}

function dueParameters(window: DueWindow): Record<string, unknown> {
  return {
    progress: PayStatus.PROGRESS,
    scheduled: [PayStatus.PROGRESS, PayStatus.CLOSE],
    createdBy: window.createdBy,
    dueBy: window.dueBy,
  };
}

/**
 * The scheduled job's view of pay orders: which are due, who holds them. Claims are
 * conditional updates with an expiry, so several instances never take the same order and a
 * crashed instance's orders come back after the lease. Touches only the sync_* columns: the
 * order itself (and its version) is the repair's business.
 */
@Injectable()
export class PaySyncScheduleRepository {
  constructor(
    @InjectRepository(PayOrder) private readonly orders: Repository<PayOrder>,
    private readonly sql: FixedSql,
  ) {}

  /** Due and not held by anyone: the candidates for a claim, oldest id first. */
  async findDue(window: ClaimWindow): Promise<number[]> {
    const candidates = await this.orders
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where(due('o'), dueParameters(window))
      .andWhere(free('o'), { now: window.now })
      .orderBy('o.id', 'ASC')
      .limit(window.limit)
      .getRawMany<{ id: number | string }>();
    return candidates.map((row) => Number(row.id));
  }

  /** How many orders are due, held or not: the backlog the job reports each round. */
  countDue(window: DueWindow): Promise<number> {
    return this.orders.createQueryBuilder('o').where(due('o'), dueParameters(window)).getCount();
  }

  /**
   * Takes the candidates that are still due and free, in one conditional update, and returns
   * the orders now held. Time may pass between finding and claiming (another instance may
   * sync and reschedule an order meanwhile), so the update checks both again.
   */
  async claim(ids: number[], window: ClaimWindow): Promise<PayOrder[]> {
    if (ids.length === 0) return [];
    await this.orders
      .createQueryBuilder()
      .update(PayOrder)
      .set({ syncLeaseOwner: window.owner, syncLeaseUntil: window.leaseUntil })
      .where('id IN (:...ids)', { ids })
      .andWhere(due('pay_order'), dueParameters(window))
      .andWhere(free('pay_order'), { now: window.now })
      .execute();
    return this.orders
      .createQueryBuilder('o')
      .where('o.id IN (:...ids) AND o.sync_lease_owner = :owner', { ids, owner: window.owner })
      .orderBy('o.id', 'ASC')
      .getMany();
  }

  /**
   * Sets the next sync of several orders (null: never again) and gives their claims back,
   * in one statement.
   */
  async rescheduleMany(owner: string, orders: Reschedule[]): Promise<void> {
    if (orders.length === 0) return;
    const cases = orders.map(() => 'WHEN ? THEN ?').join(' ');
    const sql =
      `UPDATE pay_order SET sync_next_time = CASE id ${cases} END, sync_count = CASE id ${cases} END, ` +
      `sync_lease_owner = NULL, sync_lease_until = NULL WHERE sync_lease_owner = ? AND id IN (${orders.map(() => '?').join(', ')})`;
    await this.sql.run(
      sql,
      [
        ...orders.flatMap((order) => [order.id, this.sql.time(order.next)]),
        ...orders.flatMap((order) => [order.id, order.count]),
        owner,
        ...orders.map((order) => order.id),
      ],
      undefined,
      false,
    );
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
