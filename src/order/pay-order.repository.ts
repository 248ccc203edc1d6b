import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PayOrder } from './pay-order.entity';

/** Reads pay orders. Repairs go through PayRepairService, in its transaction. */
@Injectable()
export class PayOrderRepository {
  constructor(@InjectRepository(PayOrder) private readonly orders: Repository<PayOrder>) {}

  /** orderNo wins over bizOrderNo when both are given. */
  findByNumbers(orderNo?: string, bizOrderNo?: string): Promise<PayOrder | null> {
    if (orderNo) return this.orders.findOneBy({ orderNo });
    if (bizOrderNo) return this.orders.findOneBy({ bizOrderNo });
    return Promise.resolve(null);
  }

  findById(id: number): Promise<PayOrder | null> {
    return this.orders.findOneBy({ id });
  }

  insert(order: Omit<PayOrder, 'id'>): Promise<PayOrder> {
    return this.orders.save(this.orders.create(order));
  }
}
