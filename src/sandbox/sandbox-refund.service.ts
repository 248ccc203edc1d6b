import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { isUniqueViolation } from '../common/unique-violation';
import { TransactionRunner } from '../database/transaction-runner';
import { PayOrder } from '../order/pay-order.entity';
import { PayStatus } from '../order/pay-status';
import { newRefundOrder } from '../refund/new-refund-order';
import { RefundOrder } from '../refund/refund-order.entity';
import { RefundOrderRepository } from '../refund/refund-order.repository';
import { RefundStatus } from '../refund/refund-status';
import { PaySyncRecord } from '../sync/pay-sync-record.entity';
import { PaySyncRecordRepository } from '../sync/pay-sync-record.repository';
import { RefundRepairRecord } from '../sync/refund/refund-repair-record.entity';
import { orderRefundStatus } from '../sync/refund/refund-repair.service';
import { CreateSandboxRefundDto, SetSandboxRefundDto } from './dto/sandbox-refund.dto';
import { SANDBOX_CHANNEL } from './sandbox-pay.channel';
import { SandboxRefund } from './sandbox-refund.entity';

export interface SandboxRefundView {
  refund: RefundOrder;
  order: PayOrder;
  channel: SandboxRefund | null;
  syncRecords: PaySyncRecord[];
  repairRecords: RefundRepairRecord[];
}

const invalid = (message: string) => new UnipayException(UnipayErrorCode.VALIDATION, message);

/** Demo refunds, written as the gateway writes them, and the sandbox channel's refund answers. */
@Injectable()
export class SandboxRefundService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly refunds: RefundOrderRepository,
    private readonly syncRecords: PaySyncRecordRepository,
    @InjectRepository(SandboxRefund) private readonly answers: Repository<SandboxRefund>,
    @InjectRepository(RefundRepairRecord) private readonly repairRecords: Repository<RefundRepairRecord>,
  ) {}

  /**
   * Creates a refund of a paid order and takes its amount off the order's refundable balance
   * (a closed one gives nothing to take), in one transaction, as the gateway does.
   */
  async createRefund(dto: CreateSandboxRefundDto): Promise<SandboxRefundView> {
    const now = new Date();
    const refundNo = dto.refundNo ?? `R${Date.now()}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
    const status = dto.status ?? RefundStatus.PROGRESS;
    try {
      await this.transactions.run(async (manager) => {
        const order = await manager.getRepository(PayOrder).findOneBy({ orderNo: dto.orderNo });
        if (!order) throw invalid('支付订单不存在');
        if (order.status !== PayStatus.SUCCESS) throw invalid('只有已支付的订单可以退款');
        const held = status === RefundStatus.CLOSE ? 0 : dto.amount;
        if (held > order.refundableBalance) throw invalid(`退款金额超过可退余额 ${order.refundableBalance}`);
        const refund = newRefundOrder(
          order,
          {
            refundNo,
            bizRefundNo: dto.bizRefundNo ?? `DEMO${refundNo}`,
            amount: dto.amount,
            status,
            reason: dto.reason ?? null,
            notifyUrl: dto.notifyUrl ?? null,
            finishTime: status === RefundStatus.SUCCESS ? now : null,
          },
          new Date(now.getTime() - (dto.sentSecondsAgo ?? 0) * 1000),
        );
        await manager.getRepository(RefundOrder).insert(refund);
        const balance = order.refundableBalance - held;
        const siblings = await this.refunds.ofOrder(order.id, manager);
        // Guarded by the order's version, as a gateway would: a repair committed meanwhile is not overwritten.
        const updated = await manager.getRepository(PayOrder).update(
          { id: order.id, version: order.version },
          { refundableBalance: balance, refundStatus: orderRefundStatus(siblings, balance, order.amount), lastModifiedTime: now, version: order.version + 1 },
        );
        if (updated.affected !== 1) throw invalid('支付订单正被修改，请重试');
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw invalid('退款号已存在');
      throw error;
    }
    const refund = (await this.refunds.findByNumbers(refundNo))!;
    if (refund.channel === SANDBOX_CHANNEL) await this.setAnswer(refundNo, { state: 'processing' });
    return this.view(refundNo);
  }

  async setAnswer(refundNo: string, dto: SetSandboxRefundDto): Promise<SandboxRefund> {
    const refund = await this.refunds.findByNumbers(refundNo);
    if (!refund) throw invalid('未查询到退款订单');
    const existing = await this.answers.findOneBy({ refundNo });
    return this.answers.save(
      this.answers.create({
        refundNo,
        state: dto.state,
        amount: dto.amount ?? null,
        refundId: dto.refundId ?? existing?.refundId ?? null,
        finishTime: dto.state === 'success' ? (existing?.finishTime ?? new Date(Math.floor(Date.now() / 1000) * 1000)) : null,
        errorMsg: dto.errorMsg ?? null,
        delayMs: dto.delayMs ?? 0,
        queryCount: existing?.queryCount ?? 0,
        updateTime: new Date(),
      }),
    );
  }

  async view(refundNo: string): Promise<SandboxRefundView> {
    const refund = await this.refunds.findByNumbers(refundNo);
    if (!refund) throw invalid('未查询到退款订单');
    const [order, channel, syncRecords, repairRecords] = await Promise.all([
      this.refunds.orderOf(refund),
      this.answers.findOneBy({ refundNo }),
      this.syncRecords.findByRefundNo(refundNo),
      this.repairRecords.find({ where: { refundNo }, order: { id: 'ASC' } }),
    ]);
    return { refund, order: order!, channel, syncRecords, repairRecords };
  }
}
