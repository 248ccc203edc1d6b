import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Page, pageOf, PageRequest, TimeRange, withinTime } from '../database/page';
import { PaySyncRecord } from './pay-sync-record.entity';
import { PaySyncStatus, SyncSource } from './pay-sync-status';
import { SyncReason } from './sync-reason';

export type SyncRecordDraft = Omit<PaySyncRecord, 'id' | 'createTime' | 'repaired' | 'repairNo'> & {
  repaired?: boolean;
  repairNo?: string | null;
};

export interface SyncRecordFilter extends TimeRange {
  orderNo?: string;
  status?: PaySyncStatus;
  reason?: SyncReason;
  source?: SyncSource;
}

/** Raw channel answers can be long; the record keeps what fits a MySQL TEXT column. */
const MAX_RESPONSE_CHARS = 16000;

function toRow(draft: SyncRecordDraft, now: Date): Omit<PaySyncRecord, 'id'> {
  const response = draft.channelResponse;
  return {
    ...draft,
    repaired: draft.repaired ?? false,
    repairNo: draft.repairNo ?? null,
    channelResponse: response && response.length > MAX_RESPONSE_CHARS ? response.slice(0, MAX_RESPONSE_CHARS) : response,
    errorMsg: draft.errorMsg ? draft.errorMsg.slice(0, 1000) : draft.errorMsg,
    createTime: now,
  };
}

/** Sync records: one per attempt, written whatever the attempt came to. */
@Injectable()
export class PaySyncRecordRepository {
  constructor(@InjectRepository(PaySyncRecord) private readonly records: Repository<PaySyncRecord>) {}

  /** Writes the record on its own, or inside the caller's transaction when given one. */
  async insert(draft: SyncRecordDraft, manager?: EntityManager): Promise<void> {
    const repository = manager ? manager.getRepository(PaySyncRecord) : this.records;
    await repository.insert(toRow(draft, new Date()));
  }

  findByOrderNo(orderNo: string): Promise<PaySyncRecord[]> {
    return this.records.find({ where: { orderNo }, order: { id: 'ASC' } });
  }

  list(filter: SyncRecordFilter, page: PageRequest): Promise<Page<PaySyncRecord>> {
    const query = this.records.createQueryBuilder('r');
    if (filter.orderNo) query.andWhere('r.order_no = :orderNo', { orderNo: filter.orderNo });
    if (filter.status) query.andWhere('r.sync_status = :status', { status: filter.status });
    if (filter.reason) query.andWhere('r.error_code = :reason', { reason: filter.reason });
    if (filter.source) query.andWhere('r.source = :source', { source: filter.source });
    return pageOf(withinTime(query, 'create_time', filter), page);
  }
}
