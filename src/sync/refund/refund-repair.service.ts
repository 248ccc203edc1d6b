import { Injectable, Logger, Optional } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../database/transaction-runner';
import { PayOrder } from '../../order/pay-order.entity';
import { snapshotOf } from '../../order/pay-order-snapshot';
import { PayRefundStatus } from '../../order/pay-status';
import { OutboxService } from '../../outbox/outbox.service';
import { UnipayEventType } from '../../outbox/unipay-event';
import { NO_METRICS, UnipayMetrics } from '../../observability/unipay-metrics';
import { RefundOrder } from '../../refund/refund-order.entity';
import { refundSnapshotOf } from '../../refund/refund-order-snapshot';
import { RefundOrderRepository } from '../../refund/refund-order.repository';
import { RefundStatus } from '../../refund/refund-status';
import { newRepairNo } from '../pay-repair.service';
import { SyncSource } from '../pay-sync-status';
import { RecordWriter, SyncRecordDraft } from '../pay-sync-record.repository';
import { SyncReason } from '../sync-reason';
import { RefundRepairRecord } from './refund-repair-record.entity';
import { RefundChange } from './refund-sync-decision';
import { REFUND_MESSAGES } from './refund-sync-outcome';

export interface RefundRepairCommand {
  refund: RefundOrder;
  change: RefundChange;
  /** The channel's refund id, stored when the refund had none or another. */
  refundId?: string;
  source: SyncSource;
  now: Date;
  record: SyncRecordDraft;
  write: RecordWriter;
}

export type RefundRepairResult =
  | { repaired: true; repairNo: string }
  /** Left alone: the refund changed meanwhile, its pay order is missing, or the balance would break. */
  | { repaired: false; reason: 'refund_changed' | 'order_missing' | 'balance_broken' | 'order_busy' };

/** The pay order changed between reading and writing it (another refund's repair): try again. */
class OrderMoved extends Error {}
/** The refund's pay order row is missing. */
class OrderMissing extends Error {}
/** The change would break the balance rules; rolled back. */
class BalanceBroken extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

const ATTEMPTS = 5;

/** A second, whole: `finish_time` is DATETIME(0), which MySQL rounds and MariaDB truncates; the notification floors. */
function wholeSecond(time: Date): Date {
  return new Date(Math.floor(time.getTime() / 1000) * 1000);
}

/**
 * The pay order's refund status, recomputed from its refunds and balance, never taken from
 * the channel (refund-sync.md section 6).
 */
export function orderRefundStatus(refunds: Pick<RefundOrder, 'status'>[], balance: number, amount: number): PayRefundStatus {
  if (refunds.some((refund) => refund.status === RefundStatus.PROGRESS || refund.status === RefundStatus.FAIL)) return PayRefundStatus.REFUNDING;
  if (balance === 0) return PayRefundStatus.REFUNDED;
  if (balance < amount) return PayRefundStatus.PARTIAL_REFUND;
  return PayRefundStatus.NO_REFUND;
}

/**
 * The one place where a refund is repaired: the refund (if still the version synced), its
 * pay order's refund status and balance (guarded by the order's version, so two refunds of
 * one order repaired at once both count), the repair record, the sync record and, for a
 * refund that ends, its event and merchant notification, in one transaction.
 */
@Injectable()
export class RefundRepairService {
  private readonly logger = new Logger(RefundRepairService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly refunds: RefundOrderRepository,
    private readonly outbox: OutboxService,
    @Optional() private readonly metrics: UnipayMetrics = NO_METRICS,
  ) {}

  async repair(command: RefundRepairCommand): Promise<RefundRepairResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.transactions.run((manager) => this.apply(command, manager));
        if (result.repaired) {
          this.outbox.announceCommitted();
          this.metrics.repaired(command.change.way);
        }
        return result;
      } catch (error) {
        if (error instanceof OrderMoved) {
          if (attempt < ATTEMPTS) {
            // Other refunds of the order are being repaired: a short, uneven pause, then again.
            await new Promise((resolve) => setTimeout(resolve, 5 + randomInt(0, 20 * attempt)));
            continue;
          }
          await command.write({ ...command.record, errorCode: SyncReason.ORDER_CHANGED, errorMsg: REFUND_MESSAGES.REFUND_CHANGED });
          return { repaired: false, reason: 'order_busy' };
        }
        if (error instanceof OrderMissing) {
          await command.write({ ...command.record, errorCode: SyncReason.REPAIR_FAILED, errorMsg: REFUND_MESSAGES.ORDER_MISSING });
          return { repaired: false, reason: 'order_missing' };
        }
        if (error instanceof BalanceBroken) {
          this.logger.error({ msg: 'refund repair rolled back: it would break the balance', refundNo: command.refund.refundNo, detail: error.detail });
          await command.write({ ...command.record, errorCode: SyncReason.REPAIR_FAILED, errorMsg: REFUND_MESSAGES.BALANCE_BROKEN });
          return { repaired: false, reason: 'balance_broken' };
        }
        this.logger.error({ msg: 'refund repair rolled back', refundNo: command.refund.refundNo }, error as Error);
        await command.write({ ...command.record, errorCode: SyncReason.REPAIR_FAILED, errorMsg: '修复失败，已回滚' });
        throw error;
      }
    }
  }

  private async apply(command: RefundRepairCommand, manager: EntityManager): Promise<RefundRepairResult> {
    const { refund, change, now } = command;
    const after: Pick<RefundOrder, 'status' | 'finishTime' | 'outRefundNo' | 'errorMsg'> = {
      status: change.target,
      finishTime: change.target === RefundStatus.SUCCESS ? wholeSecond(change.finishTime ?? now) : refund.finishTime,
      outRefundNo: command.refundId || refund.outRefundNo,
      errorMsg: change.target === RefundStatus.CLOSE && change.errorMsg ? change.errorMsg.slice(0, 500) : refund.errorMsg,
    };
    const updated = await manager
      .createQueryBuilder()
      .update(RefundOrder)
      .set({ ...after, lastModifiedTime: now, version: () => 'version + 1' })
      .where('id = :id AND status = :status AND version = :version', { id: refund.id, status: refund.status, version: refund.version })
      .execute();
    if (updated.affected !== 1) {
      await command.write({ ...command.record, errorCode: SyncReason.ORDER_CHANGED, errorMsg: REFUND_MESSAGES.REFUND_CHANGED }, manager);
      return { repaired: false, reason: 'refund_changed' };
    }
    const order = await manager.getRepository(PayOrder).findOneBy({ id: refund.orderId });
    if (!order) throw new OrderMissing();
    const siblings = await this.refunds.ofOrder(order.id, manager);
    const balance = change.target === RefundStatus.CLOSE ? order.refundableBalance + refund.amount : order.refundableBalance;
    if (balance > order.amount || balance < 0) {
      throw new BalanceBroken(`order ${order.orderNo}: balance ${order.refundableBalance} → ${balance} of ${order.amount} on refund ${refund.refundNo} (${refund.amount})`);
    }
    const refundStatus = orderRefundStatus(siblings, balance, order.amount);
    const moved = await manager
      .createQueryBuilder()
      .update(PayOrder)
      .set({ refundStatus, refundableBalance: balance, lastModifiedTime: now, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: order.id, version: order.version })
      .execute();
    if (moved.affected !== 1) throw new OrderMoved();
    const repairNo = newRepairNo(now, 'RR');
    const record: Omit<RefundRepairRecord, 'id'> = {
      repairNo,
      refundId: refund.id,
      refundNo: refund.refundNo,
      orderId: order.id,
      orderNo: order.orderNo,
      channel: refund.channel,
      source: command.source,
      way: change.way,
      beforeStatus: refund.status,
      afterStatus: change.target,
      beforeOrderRefundStatus: order.refundStatus,
      afterOrderRefundStatus: refundStatus,
      beforeRefundableBalance: order.refundableBalance,
      afterRefundableBalance: balance,
      amount: refund.amount,
      createTime: now,
    };
    await manager.getRepository(RefundRepairRecord).insert(record);
    await command.write({ ...command.record, repaired: true, repairNo, outRefundNo: after.outRefundNo }, manager);
    if (change.target !== RefundStatus.PROGRESS) {
      await this.outbox.publish(
        {
          id: `evt_${repairNo}`,
          type: change.target === RefundStatus.SUCCESS ? UnipayEventType.REFUND_SUCCESS : UnipayEventType.REFUND_CLOSED,
          occurredAt: now,
          orderNo: order.orderNo,
          order: { ...snapshotOf(order), refundStatus },
          refund: refundSnapshotOf({ ...refund, ...after }),
          repair: { repairNo, way: change.way, source: command.source },
        },
        manager,
      );
    }
    return { repaired: true, repairNo };
  }
}
