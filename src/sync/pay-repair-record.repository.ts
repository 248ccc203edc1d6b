import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { PayRepairRecord } from './pay-repair-record.entity';

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
}
