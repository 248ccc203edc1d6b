import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FixedSql } from '../database/fixed-sql';
import { PayOrder } from './pay-order.entity';
import { PayRefundStatus, PayStatus } from './pay-status';

/** Every column of `pay_order`, in the order `toPayOrder` reads them. */
export const PAY_ORDER_COLUMNS =
  'id, order_no, biz_order_no, out_order_no, title, channel, method, amount, status, refund_status, refundable_balance, pay_time, close_time, expired_time, ' +
  'notify_url, attach, error_code, error_msg, client_ip, create_time, last_modified_time, version, sync_next_time, sync_count, ' +
  'sync_lease_owner, sync_lease_until';

const BY_ORDER_NO = `SELECT ${PAY_ORDER_COLUMNS} FROM pay_order WHERE order_no = ? LIMIT 1`;
const BY_BIZ_ORDER_NO = `SELECT ${PAY_ORDER_COLUMNS} FROM pay_order WHERE biz_order_no = ? LIMIT 1`;
const EXISTS = 'SELECT id FROM pay_order WHERE id = ? LIMIT 1';

export interface PayOrderRow {
  id: number | string;
  order_no: string;
  biz_order_no: string;
  out_order_no: string | null;
  title: string;
  channel: string;
  method: string;
  amount: number | string;
  status: string;
  refund_status: string;
  refundable_balance: number | string;
  pay_time: unknown;
  close_time: unknown;
  expired_time: unknown;
  notify_url: string | null;
  attach: string | null;
  error_code: string | null;
  error_msg: string | null;
  client_ip: string | null;
  create_time: unknown;
  last_modified_time: unknown;
  version: number | string;
  sync_next_time: unknown;
  sync_count: number | string | null;
  sync_lease_owner: string | null;
  sync_lease_until: unknown;
}

/** A row of `SELECT ${PAY_ORDER_COLUMNS}` as the entity TypeORM would have made of it. */
export function toPayOrder(row: PayOrderRow, sql: FixedSql): PayOrder {
  return {
    id: Number(row.id),
    orderNo: row.order_no,
    bizOrderNo: row.biz_order_no,
    outOrderNo: row.out_order_no,
    title: row.title,
    channel: row.channel,
    method: row.method,
    amount: Number(row.amount),
    status: row.status as PayStatus,
    refundStatus: row.refund_status as PayRefundStatus,
    refundableBalance: Number(row.refundable_balance),
    payTime: sql.readTime(row.pay_time),
    closeTime: sql.readTime(row.close_time),
    expiredTime: sql.readTime(row.expired_time)!,
    notifyUrl: row.notify_url,
    attach: row.attach,
    errorCode: row.error_code,
    errorMsg: row.error_msg,
    clientIp: row.client_ip,
    createTime: sql.readTime(row.create_time)!,
    lastModifiedTime: sql.readTime(row.last_modified_time)!,
    version: Number(row.version),
    syncNextTime: sql.readTime(row.sync_next_time),
    syncCount: Number(row.sync_count ?? 0),
    syncLeaseOwner: row.sync_lease_owner,
    syncLeaseUntil: sql.readTime(row.sync_lease_until),
  };
}

/** Reads pay orders. Repairs go through PayRepairService, in its transaction. */
@Injectable()
export class PayOrderRepository {
  constructor(
    @InjectRepository(PayOrder) private readonly orders: Repository<PayOrder>,
    private readonly sql: FixedSql,
  ) {}

  /** orderNo wins over bizOrderNo when both are given. */
  findByNumbers(orderNo?: string, bizOrderNo?: string): Promise<PayOrder | null> {
    if (orderNo) return this.findOne(BY_ORDER_NO, orderNo);
    if (bizOrderNo) return this.findOne(BY_BIZ_ORDER_NO, bizOrderNo);
    return Promise.resolve(null);
  }

  /** Whether the pay order row is there (refund sync asks before it queries the channel). */
  async exists(id: number): Promise<boolean> {
    return (await this.sql.rows(EXISTS, [id])).length > 0;
  }

  insert(order: Omit<PayOrder, 'id'>): Promise<PayOrder> {
    return this.orders.save(this.orders.create(order));
  }

  private async findOne(query: string, number: string): Promise<PayOrder | null> {
    const [row] = await this.sql.rows<PayOrderRow>(query, [number]);
    return row ? toPayOrder(row, this.sql) : null;
  }
}
