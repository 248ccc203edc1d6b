import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RefundOrder } from '../refund/refund-order.entity';
import { RefundStatus } from '../refund/refund-status';
import { FIRST_REFUND_CHECK_SECONDS } from './refund-reschedule';

export interface RefundClaimWindow {
  owner: string;
  /** The round's start: refunds whose next sync is at or before it are due. */
  dueBy: Date;
  now: Date;
  leaseUntil: Date;
  limit: number;
}

/** Due: in progress, and either never synced by the job and sent at least a minute ago, or its next time has come. */
function due(r: string): string {
  return (
    `${r}.status = :progress AND ((${r}.sync_next_time IS NULL AND ${r}.channel_req_time <= :firstBy) OR ${r}.sync_next_time <= :dueBy)`
  );
}

/** No instance's job holds it, and no merchant's sync (whose record holds its lock). */
function free(r: string): string {
  return (
    `(${r}.sync_lease_until IS NULL OR ${r}.sync_lease_until < :now)` +
    ` AND NOT EXISTS (SELECT 1 FROM pay_sync_record s WHERE s.lock_refund_no = ${r}.refund_no AND s.lock_until >= :now)`
  );
}

function parameters(window: RefundClaimWindow): Record<string, unknown> {
  return {
    progress: RefundStatus.PROGRESS,
    dueBy: window.dueBy,
    firstBy: new Date(window.dueBy.getTime() - FIRST_REFUND_CHECK_SECONDS * 1000),
    now: window.now,
  };
}

/**
 * The job's view of refunds, as PaySyncScheduleRepository's of pay orders: conditional
 * claims with an expiry, touching only the sync_* columns.
 */
@Injectable()
export class RefundSyncScheduleRepository {
  constructor(@InjectRepository(RefundOrder) private readonly refunds: Repository<RefundOrder>) {}

  /** Finds due, free refunds and takes them in one conditional update; returns those now held. */
  async claim(window: RefundClaimWindow): Promise<RefundOrder[]> {
    const candidates = await this.refunds
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .where(due('r'), parameters(window))
      .andWhere(free('r'), parameters(window))
      .orderBy('r.id', 'ASC')
      .limit(window.limit)
      .getRawMany<{ id: number | string }>();
    const ids = candidates.map((row) => Number(row.id));
    if (ids.length === 0) return [];
    await this.refunds
      .createQueryBuilder()
      .update(RefundOrder)
      .set({ syncLeaseOwner: window.owner, syncLeaseUntil: window.leaseUntil })
      .where('id IN (:...ids)', { ids })
      .andWhere(due('refund_order'), parameters(window))
      .andWhere(free('refund_order'), parameters(window))
      .execute();
    return this.refunds
      .createQueryBuilder('r')
      .where('r.id IN (:...ids)', { ids })
      .andWhere('r.sync_lease_owner = :owner', { owner: window.owner })
      .orderBy('r.id', 'ASC')
      .getMany();
  }

  /** The next sync, and the claim given back. Only the holder's claim is released. */
  async reschedule(id: number, owner: string, next: Date, count: number): Promise<void> {
    await this.refunds
      .createQueryBuilder()
      .update(RefundOrder)
      .set({ syncNextTime: next, syncCount: count, syncLeaseOwner: null, syncLeaseUntil: null })
      .where('id = :id AND sync_lease_owner = :owner', { id, owner })
      .execute();
  }

  /** Gives a claim back untouched (the job is stopping). */
  async release(id: number, owner: string): Promise<void> {
    await this.refunds
      .createQueryBuilder()
      .update(RefundOrder)
      .set({ syncLeaseOwner: null, syncLeaseUntil: null })
      .where('id = :id AND sync_lease_owner = :owner', { id, owner })
      .execute();
  }
}
