import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { RefundOrder } from './refund-order.entity';

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

  /** Every refund of a pay order, read inside the repair's transaction. */
  ofOrder(orderId: number, manager: EntityManager): Promise<RefundOrder[]> {
    return manager.getRepository(RefundOrder).find({ where: { orderId }, order: { id: 'ASC' } });
  }

  insert(refund: Omit<RefundOrder, 'id'>): Promise<RefundOrder> {
    return this.refunds.save(this.refunds.create(refund));
  }
}
