import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { FixedSql } from '../database/fixed-sql';
import { PayOrder } from '../order/pay-order.entity';
import { RefundOrder } from './refund-order.entity';
import { RefundStatus } from './refund-status';

/** A number is blank when empty or only white space (refund-sync.md section 2). */
export function blank(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '';
}

/** Every column of `refund_order`, in the order `toRefundOrder` reads them. */
const COLUMNS =
  'id, refund_no, biz_refund_no, out_refund_no, order_id, order_no, biz_order_no, out_order_no, title, channel, order_amount, amount, reason, ' +
  'status, finish_time, channel_req_time, notify_url, attach, req_time, client_ip, error_code, error_msg, create_time, last_modified_time, version, ' +
  'sync_next_time, sync_count, sync_lease_owner, sync_lease_until';
const BY_REFUND_NO = `SELECT ${COLUMNS} FROM refund_order WHERE refund_no = ? LIMIT 1`;
const BY_BIZ_REFUND_NO = `SELECT ${COLUMNS} FROM refund_order WHERE biz_refund_no = ? LIMIT 1`;

type Row = Record<string, unknown>;

/** A row of `SELECT ${COLUMNS}` as the entity TypeORM would have made of it. */
function toRefundOrder(row: Row, sql: FixedSql): RefundOrder {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    id: Number(row.id),
    refundNo: String(row.refund_no),
    bizRefundNo: String(row.biz_refund_no),
    outRefundNo: text(row.out_refund_no),
    orderId: Number(row.order_id),
    orderNo: String(row.order_no),
    bizOrderNo: String(row.biz_order_no),
    outOrderNo: text(row.out_order_no),
    title: String(row.title),
    channel: String(row.channel),
    orderAmount: Number(row.order_amount),
    amount: Number(row.amount),
    reason: text(row.reason),
    status: row.status as RefundStatus,
    finishTime: sql.readTime(row.finish_time),
    channelReqTime: sql.readTime(row.channel_req_time)!,
    notifyUrl: text(row.notify_url),
    attach: text(row.attach),
    reqTime: sql.readTime(row.req_time),
    clientIp: text(row.client_ip),
    errorCode: text(row.error_code),
    errorMsg: text(row.error_msg),
    createTime: sql.readTime(row.create_time)!,
    lastModifiedTime: sql.readTime(row.last_modified_time)!,
    version: Number(row.version),
    syncNextTime: sql.readTime(row.sync_next_time),
    syncCount: Number(row.sync_count ?? 0),
    syncLeaseOwner: text(row.sync_lease_owner),
    syncLeaseUntil: sql.readTime(row.sync_lease_until),
  };
}

/** Reads refund orders. Repairs go through the refund repair, in its transaction. */
@Injectable()
export class RefundOrderRepository {
  constructor(
    @InjectRepository(RefundOrder) private readonly refunds: Repository<RefundOrder>,
    private readonly sql: FixedSql,
  ) {}

  /** `refundNo` when it is not blank, else `bizRefundNo` when it is not blank, else nothing. Fixed SQL: it is the endpoint's first read. */
  async findByNumbers(refundNo?: string | null, bizRefundNo?: string | null): Promise<RefundOrder | null> {
    const [query, number] = !blank(refundNo) ? [BY_REFUND_NO, refundNo!] : !blank(bizRefundNo) ? [BY_BIZ_REFUND_NO, bizRefundNo!] : [undefined, ''];
    if (!query || number.length > (query === BY_REFUND_NO ? 32 : 100)) return null;
    const [row] = await this.sql.rows<Row>(query, [number]);
    return row ? toRefundOrder(row, this.sql) : null;
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
    if (refund.status === RefundStatus.SUCCESS && !refund.finishTime && answer.state === 'success') {
      changes.finishTime = new Date(Math.floor((answer.finishTime ?? now).getTime() / 1000) * 1000);
    }
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
