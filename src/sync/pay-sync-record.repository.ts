import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/unique-violation';
import { FixedSql, SqlValue } from '../database/fixed-sql';
import { Page, pageOf, PageRequest, TimeRange, withinTime } from '../database/page';
import { PaySyncRecord } from './pay-sync-record.entity';
import { PaySyncStatus, SyncSource } from './pay-sync-status';
import { SYNC_MESSAGES, SyncReason } from './sync-reason';

export type SyncRecordDraft = Omit<PaySyncRecord, 'id' | 'createTime' | 'repaired' | 'repairNo' | 'lockOrderNo' | 'lockRefundNo' | 'lockUntil' | 'responseUnverified'> & {
  responseUnverified?: boolean;
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
    responseUnverified: draft.responseUnverified ?? false,
    repairNo: draft.repairNo ?? null,
    channelResponse: response && response.length > MAX_RESPONSE_CHARS ? response.slice(0, MAX_RESPONSE_CHARS) : response,
    errorMsg: draft.errorMsg ? draft.errorMsg.slice(0, 1000) : draft.errorMsg,
    createTime: now,
  };
}

/** What an attempt came to, in the order `outcomeValues` gives them. */
const OUTCOME_COLUMNS =
  'order_id, order_no, biz_order_no, out_order_no, channel, sync_status, channel_response, response_unverified, repaired, repair_no, anomaly, error_code, error_msg, client_ip, source, duration_ms';
const RECORD_COLUMNS = `${OUTCOME_COLUMNS}, nonce_str, create_time`;
const RECORD_PLACEHOLDERS = `(${RECORD_COLUMNS.split(', ').map(() => '?').join(', ')})`;
const INSERT = `INSERT INTO pay_sync_record (${RECORD_COLUMNS}) VALUES ${RECORD_PLACEHOLDERS}`;
/** An attempt that starts by holding its order (the record is the lock) and keeping its nonce. */
const OPEN =
  'INSERT INTO pay_sync_record (order_no, repaired, client_ip, source, duration_ms, nonce_str, create_time, lock_order_no, lock_until) VALUES (?, 0, ?, ?, 0, ?, ?, ?, ?)';
/** Finishing the record gives the lock back in the same statement. */
const FINISH = `UPDATE pay_sync_record SET ${OUTCOME_COLUMNS.split(', ')
  .map((column) => `${column} = ?`)
  .join(', ')}, lock_order_no = NULL, lock_until = NULL WHERE id = ?`;
const BREAK_EXPIRED =
  'UPDATE pay_sync_record SET lock_order_no = NULL, lock_until = NULL, error_code = ?, error_msg = ? WHERE lock_order_no = ? AND lock_until < ?';

/** A refund sync's attempt: the same record with its refund's numbers, holding the refund by `lock_refund_no`. */
const REFUND_OUTCOME_COLUMNS = `${OUTCOME_COLUMNS}, sync_type, refund_no, biz_refund_no, out_refund_no`;
const REFUND_RECORD_COLUMNS = `${REFUND_OUTCOME_COLUMNS}, nonce_str, create_time`;
const INSERT_REFUND = `INSERT INTO pay_sync_record (${REFUND_RECORD_COLUMNS}) VALUES (${REFUND_RECORD_COLUMNS.split(', ').map(() => '?').join(', ')})`;
const OPEN_REFUND =
  "INSERT INTO pay_sync_record (sync_type, refund_no, repaired, client_ip, source, duration_ms, nonce_str, create_time, lock_refund_no, lock_until) VALUES ('refund', ?, 0, ?, ?, 0, ?, ?, ?, ?)";
const FINISH_REFUND = `UPDATE pay_sync_record SET ${REFUND_OUTCOME_COLUMNS.split(', ')
  .map((column) => `${column} = ?`)
  .join(', ')}, lock_refund_no = NULL, lock_until = NULL WHERE id = ?`;
const DISCARD = 'DELETE FROM pay_sync_record WHERE id = ?';
const BREAK_EXPIRED_REFUND =
  'UPDATE pay_sync_record SET lock_refund_no = NULL, lock_until = NULL, error_code = ?, error_msg = ? WHERE lock_refund_no = ? AND lock_until < ?';
const FORGET_NONCE = 'UPDATE pay_sync_record SET nonce_str = NULL WHERE nonce_str = ? AND create_time < ?';

/** An insert refused because another record holds the same `nonceStr`. */
export class NonceInUse extends Error {
  constructor() {
    super('nonceStr already used');
  }
}

/** Which unique key refused an insert: the nonce's (the unique index and column are named after it) or the lock's. */
function refusedNonce(error: unknown): boolean {
  return String((error as Error).message).includes('nonce');
}

/** A record being written on its own, or inside the caller's transaction. */
export type RecordWriter = (draft: SyncRecordDraft, manager?: EntityManager) => Promise<void>;

/** Sync records: one per attempt, written whatever the attempt came to. */
@Injectable()
export class PaySyncRecordRepository {
  constructor(
    @InjectRepository(PaySyncRecord) private readonly records: Repository<PaySyncRecord>,
    private readonly sql: FixedSql,
  ) {}

  /**
   * Writes the record on its own, or inside the caller's transaction when given one.
   * Throws NonceInUse when its nonce is already kept by another record.
   */
  async insert(draft: SyncRecordDraft, manager?: EntityManager): Promise<void> {
    const refund = draft.syncType === 'refund';
    await this.refusingReplays(() => this.sql.run(refund ? INSERT_REFUND : INSERT, this.insertValues(draft, new Date()), manager));
  }

  /** Writes several records in one statement (the scheduled job's, a batch at a time). */
  async insertMany(drafts: SyncRecordDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    const now = new Date();
    const sql = `INSERT INTO pay_sync_record (${RECORD_COLUMNS}) VALUES ${drafts.map(() => RECORD_PLACEHOLDERS).join(', ')}`;
    await this.sql.run(sql, drafts.flatMap((draft) => this.insertValues(draft, now)), undefined, false);
  }

  /**
   * Opens the record of an attempt that holds `orderNo` until `lockUntil` and keeps the
   * request's nonce: its id, or null when another attempt holds the order. Throws NonceInUse
   * when another record keeps the nonce.
   */
  async open(orderNo: string, lockUntil: Date, source: SyncSource, clientIp: string | null, nonceStr: string | null, now: Date): Promise<number | null> {
    try {
      const values = [orderNo, clientIp, source, nonceStr, this.sql.time(now), orderNo, this.sql.time(lockUntil)];
      return (await this.refusingReplays(() => this.sql.run(OPEN, values))).insertId;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Drops an opened record that turned out to hold nothing (a refund number no refund has): no lock, no record. */
  async discard(id: number): Promise<void> {
    await this.sql.run(DISCARD, [id]);
  }

  /** Opens the record of a refund sync's attempt holding `refundNo`, as `open` does for an order. */
  async openRefund(refundNo: string, lockUntil: Date, source: SyncSource, clientIp: string | null, nonceStr: string | null, now: Date): Promise<number | null> {
    try {
      const values = [refundNo, clientIp, source, nonceStr, this.sql.time(now), refundNo, this.sql.time(lockUntil)];
      return (await this.refusingReplays(() => this.sql.run(OPEN_REFUND, values))).insertId;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Completes an opened record and so releases its lock (the order's, or the refund's). */
  async finish(id: number, draft: SyncRecordDraft, manager?: EntityManager): Promise<void> {
    const refund = draft.syncType === 'refund';
    await this.sql.run(refund ? FINISH_REFUND : FINISH, [...this.outcomeValues(toRow(draft, new Date())), id], manager);
  }

  /**
   * Lets a nonce be used again once the request that used it could no longer pass the time
   * window (its record was created before `seenBefore`). True when it was released.
   */
  async forgetNonce(nonceStr: string, seenBefore: Date): Promise<boolean> {
    const { affected } = await this.sql.run(FORGET_NONCE, [nonceStr, this.sql.time(seenBefore)]);
    return affected > 0;
  }

  /**
   * Ends the lock of an attempt that ran past its time (its process died): the record
   * stays, marked interrupted. True when there was one to end.
   */
  async breakExpiredLock(orderNo: string, now: Date, lock: 'order' | 'refund' = 'order'): Promise<boolean> {
    const reason = SyncReason.INTERRUPTED;
    const { affected } = await this.sql.run(lock === 'refund' ? BREAK_EXPIRED_REFUND : BREAK_EXPIRED, [reason, SYNC_MESSAGES[reason], orderNo, this.sql.time(now)]);
    return affected > 0;
  }

  private async refusingReplays<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error) && refusedNonce(error)) throw new NonceInUse();
      throw error;
    }
  }

  private insertValues(draft: SyncRecordDraft, now: Date): SqlValue[] {
    const row = toRow(draft, now);
    return [...this.outcomeValues(row), draft.nonceStr ?? null, this.sql.time(row.createTime)];
  }

  private outcomeValues(row: Omit<PaySyncRecord, 'id'>): SqlValue[] {
    const refund: SqlValue[] = row.syncType === 'refund' ? ['refund', row.refundNo ?? null, row.bizRefundNo ?? null, row.outRefundNo ?? null] : [];
    return [
      row.orderId,
      row.orderNo,
      row.bizOrderNo,
      row.outOrderNo,
      row.channel,
      row.syncStatus,
      row.channelResponse,
      row.responseUnverified ? 1 : 0,
      row.repaired ? 1 : 0,
      row.repairNo,
      row.anomaly,
      row.errorCode,
      row.errorMsg,
      row.clientIp,
      row.source,
      row.durationMs,
      ...refund,
    ];
  }

  findByRefundNo(refundNo: string): Promise<PaySyncRecord[]> {
    return this.records.find({ where: { refundNo }, order: { id: 'ASC' } });
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
