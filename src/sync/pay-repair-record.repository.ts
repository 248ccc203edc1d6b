import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Page, pageOf, PageRequest, TimeRange, withinTime } from '../database/page';
import { PayRepairRecord } from './pay-repair-record.entity';
import { RepairWay } from './repair-way';

export interface RepairRecordFilter extends TimeRange {
  orderNo?: string;
  way?: RepairWay;
}

/** Repair records: written only inside the repair's transaction, read by order. */
@Injectable()
export class PayRepairRecordRepository {
  constructor(@InjectRepository(PayRepairRecord) private readonly records: Repository<PayRepairRecord>) {}

  async insert(record: Omit<PayRepairRecord, 'id'>, manager: EntityManager): Promise<void> {
    await manager.getRepository(PayRepairRecord).insert(record);
  }

  findByOrderNo(orderNo: string): Promise<PayRepairRecord[]> {
    return this.records.find({ where: { orderNo }, order: { id: 'ASC' } });
  }

  list(filter: RepairRecordFilter, page: PageRequest): Promise<Page<PayRepairRecord>> {
    const query = this.records.createQueryBuilder('r');
    if (filter.orderNo) query.andWhere('r.order_no = :orderNo', { orderNo: filter.orderNo });
    if (filter.way) query.andWhere('r.way = :way', { way: filter.way });
    return pageOf(withinTime(query, 'create_time', filter), page);
  }
}
