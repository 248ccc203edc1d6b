import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { PayOrder } from '../order/pay-order.entity';
import { RefundOrder } from './refund-order.entity';
import { RefundStatus } from './refund-status';

/** A number is blank when empty or only white space (refund-sync.md section 2). */
export function blank(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '';
}

/** Reads refund orders. Repairs go through the refund repair, in its transaction. */
@Injectable()
export class RefundOrderRepository {
  constructor(@InjectRepository(RefundOrder) private readonly refunds: Repository<RefundOrder>) {}

  /** `refundNo` when it is not blank, else `bizRefundNo` when it is not blank, else nothing. */
  findByNumbers(refundNo?: string | null, bizRefundNo?: string | null): Promise<RefundOrder | null> {
    if (!blank(refundNo)) return refundNo!.length > 32 ? Promise.resolve(null) : this.refunds.findOneBy({ refundNo: refundNo! });
    if (!blank(bizRefundNo)) return this.refunds.findOneBy({ bizRefundNo: bizRefundNo! });
    return Promise.resolve(null);
  }

  /** The refund's pay order. */
  orderOf(refund: RefundOrder): Promise<PayOrder | null> {
    return this.refunds.manager.getRepository(PayOrder).findOneBy({ id: refund.orderId });
  }

  /** Every refund of a pay order, read inside the repair's transaction. */
  ofOrder(orderId: number, manager: EntityManager): Promise<RefundOrder[]> {
    return manager.getRepository(RefundOrder).find({ where: { orderId }, order: { id: 'ASC' } });
  }

  /**
   * Stores what an answer adds without changing the refund's status: a channel refund id it
   * had not, or another; the finish time of a refund done here and there. Applies only to
   * the version that was read. True when something was written.
   */
  async fill(refund: RefundOrder, answer: { refundId?: string; finishTime?: Date; state: string }, now = new Date()): Promise<boolean> {
    const changes: Partial<RefundOrder> = {};
    if (answer.refundId && answer.refundId !== refund.outRefundNo) changes.outRefundNo = answer.refundId.slice(0, 150);
    if (refund.status === RefundStatus.SUCCESS && !refund.finishTime && answer.state === 'success') changes.finishTime = answer.finishTime ?? now;
    if (Object.keys(changes).length === 0) return false;
    const updated = await this.refunds
      .createQueryBuilder()
      .update()
      .set({ ...changes, lastModifiedTime: now, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: refund.id, version: refund.version })
      .execute();
    return updated.affected === 1;
  }

  insert(refund: Omit<RefundOrder, 'id'>): Promise<RefundOrder> {
    return this.refunds.save(this.refunds.create(refund));
  }
}
