import { Injectable, Logger, Optional } from '@nestjs/common';
import { NO_METRICS, UnipayMetrics } from '../observability/unipay-metrics';
import { randomInt } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TransactionRunner } from '../database/transaction-runner';
import { PayOrder } from '../order/pay-order.entity';
import { snapshotOf } from '../order/pay-order-snapshot';
import { PayStatus } from '../order/pay-status';
import { OutboxService } from '../outbox/outbox.service';
import { UnipayEventType } from '../outbox/unipay-event';
import { SyncSource } from './pay-sync-status';
import { PayRepairRecordRepository } from './pay-repair-record.repository';
import { RecordWriter, SyncRecordDraft } from './pay-sync-record.repository';
import { RepairWay } from './repair-way';
import { SYNC_MESSAGES, SyncReason } from './sync-reason';

export interface RepairCommand {
  order: PayOrder;
  way: RepairWay;
  target: PayStatus.SUCCESS | PayStatus.CLOSE;
  source: SyncSource;
  now: Date;
  /** For a payment: the channel's pay time and trade number. */
  payTime?: Date;
  tradeNo?: string;
  /** The sync record, written in the same transaction as the repair ... */
  record: SyncRecordDraft;
  /** ... by the sync's own writer (it may finish a record that holds the order's lock). */
  write: RecordWriter;
}

/** The repair number, or nothing when the order had changed and was left alone. */
export type RepairResult = { repaired: true; repairNo: string } | { repaired: false };

/** A repair's number: `prefix` (R for a pay order, RR for a refund), the UTC time to the second, ten random digits. */
export function newRepairNo(now: Date, prefix: 'R' | 'RR' = 'R'): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${prefix}${stamp}${String(randomInt(0, 1e10)).padStart(10, '0')}`;
}

/**
 * The one place where a pay order is repaired. The order changes only if it is still the
 * version that was synced; the repair record, the sync record and the repair's event (with
 * whatever the outbox's subscribers write, such as the merchant notification) are written
 * in the same short transaction, with no channel call inside it.
 */
@Injectable()
export class PayRepairService {
  private readonly logger = new Logger(PayRepairService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repairRecords: PayRepairRecordRepository,
    private readonly outbox: OutboxService,
    @Optional() private readonly metrics: UnipayMetrics = NO_METRICS,
  ) {}

  async repair(command: RepairCommand): Promise<RepairResult> {
    try {
      const result = await this.transactions.run((manager) => this.apply(command, manager));
      if (result.repaired) {
        this.outbox.announceCommitted();
        this.metrics.repaired(command.way);
      }
      return result;
    } catch (error) {
      // The repair rolled back; the attempt is still recorded.
      this.logger.error(`repair of ${command.order.orderNo} rolled back: ${String(error)}`);
      await command.write({
        ...command.record,
        errorCode: SyncReason.REPAIR_FAILED,
        errorMsg: SYNC_MESSAGES[SyncReason.REPAIR_FAILED],
      });
      throw error;
    }
  }

  private async apply(command: RepairCommand, manager: EntityManager): Promise<RepairResult> {
    const { order, target, now } = command;
    // What the repair changes, besides the version: the rest of the order stays as synced.
    const after: Pick<PayOrder, 'status' | 'payTime' | 'outOrderNo' | 'closeTime'> =
      target === PayStatus.SUCCESS
        ? { status: target, payTime: command.payTime ?? now, outOrderNo: command.tradeNo || order.outOrderNo, closeTime: order.closeTime }
        : { status: target, payTime: order.payTime, outOrderNo: order.outOrderNo, closeTime: now };
    const changes: QueryDeepPartialEntity<PayOrder> = { ...after, lastModifiedTime: now, version: () => 'version + 1' };
    const updated = await manager
      .createQueryBuilder()
      .update(PayOrder)
      .set(changes)
      .where('id = :id AND status = :status AND version = :version', {
        id: order.id,
        status: order.status,
        version: order.version,
      })
      .execute();
    if (updated.affected !== 1) {
      await command.write({ ...command.record, errorCode: SyncReason.ORDER_CHANGED, errorMsg: SYNC_MESSAGES[SyncReason.ORDER_CHANGED] }, manager);
      return { repaired: false };
    }
    const repairNo = newRepairNo(now);
    await this.repairRecords.insert(
      {
        repairNo,
        orderId: order.id,
        orderNo: order.orderNo,
        channel: order.channel,
        source: command.source,
        way: command.way,
        beforeStatus: order.status,
        afterStatus: target,
        amount: order.amount,
        createTime: now,
      },
      manager,
    );
    await command.write({ ...command.record, repaired: true, repairNo }, manager);
    await this.outbox.publish(
      {
        id: `evt_${repairNo}`,
        type: target === PayStatus.SUCCESS ? UnipayEventType.PAY_ORDER_SUCCESS : UnipayEventType.PAY_ORDER_CLOSED,
        occurredAt: now,
        orderNo: order.orderNo,
        order: { ...snapshotOf(order), ...after },
        repair: { repairNo, way: command.way, source: command.source },
      },
      manager,
    );
    return { repaired: true, repairNo };
  }
}
