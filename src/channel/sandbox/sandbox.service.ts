import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { UnipayErrorCode } from '../../common/unipay-error-code';
import { UnipayException } from '../../common/unipay.exception';
import { isUniqueViolation } from '../../common/unique-violation';
import { PayOrder } from '../../order/pay-order.entity';
import { PayOrderRepository } from '../../order/pay-order.repository';
import { PayRefundStatus, PayStatus } from '../../order/pay-status';
import { PayRepairRecord } from '../../repair/pay-repair-record.entity';
import { PaySyncRecord } from '../../sync/pay-sync-record.entity';
import { CreateSandboxOrderDto } from './dto/create-sandbox-order.dto';
import { SetSandboxTradeDto } from './dto/set-sandbox-trade.dto';
import { SANDBOX_CHANNEL } from './sandbox-pay.channel';
import { SandboxTrade } from './sandbox-trade.entity';

const DEFAULT_EXPIRE_SECONDS = 900;

function newOrderNo(prefix: string): string {
  return `${prefix}${Date.now()}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

export interface SandboxOrderView {
  order: PayOrder;
  trade: SandboxTrade | null;
  syncRecords: PaySyncRecord[];
  repairRecords: PayRepairRecord[];
}

/** Demo orders and the sandbox channel's answers, for the quick start and manual tests. */
@Injectable()
export class SandboxService {
  constructor(
    private readonly orders: PayOrderRepository,
    @InjectRepository(SandboxTrade) private readonly trades: Repository<SandboxTrade>,
    @InjectRepository(PaySyncRecord) private readonly syncRecords: Repository<PaySyncRecord>,
    @InjectRepository(PayRepairRecord) private readonly repairRecords: Repository<PayRepairRecord>,
  ) {}

  async createOrder(dto: CreateSandboxOrderDto): Promise<SandboxOrderView> {
    const now = new Date();
    const orderNo = dto.orderNo ?? newOrderNo('P');
    try {
      await this.orders.insert({
        orderNo,
        bizOrderNo: dto.bizOrderNo ?? newOrderNo('DEMO'),
        outOrderNo: null,
        title: dto.title ?? 'sandbox demo order',
        channel: dto.channel ?? SANDBOX_CHANNEL,
        method: dto.channel ?? 'sandbox',
        amount: dto.amount,
        status: dto.status ?? PayStatus.PROGRESS,
        refundStatus: PayRefundStatus.NO_REFUND,
        payTime: null,
        closeTime: null,
        expiredTime: new Date(now.getTime() + (dto.expireSeconds ?? DEFAULT_EXPIRE_SECONDS) * 1000),
        notifyUrl: dto.notifyUrl ?? null,
        attach: null,
        errorCode: null,
        errorMsg: null,
        clientIp: null,
        createTime: now,
        lastModifiedTime: now,
        version: 0,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new UnipayException(UnipayErrorCode.VALIDATION, '订单号已存在');
      throw error;
    }
    if ((dto.channel ?? SANDBOX_CHANNEL) === SANDBOX_CHANNEL) await this.setTrade(orderNo, { state: 'progress' });
    return this.view(orderNo);
  }

  async setTrade(orderNo: string, dto: SetSandboxTradeDto): Promise<SandboxTrade> {
    const order = await this.orders.findByNumbers(orderNo);
    if (!order) throw new UnipayException(UnipayErrorCode.VALIDATION, '支付订单不存在');
    const existing = await this.trades.findOneBy({ orderNo });
    const trade = this.trades.create({
      orderNo,
      state: dto.state,
      amount: dto.amount ?? null,
      tradeNo: dto.tradeNo ?? existing?.tradeNo ?? `SBX${orderNo}`,
      payTime: dto.state === 'success' ? (existing?.payTime ?? new Date()) : null,
      closeAnswer: dto.closeAnswer ?? 'closed',
      errorMsg: dto.errorMsg ?? null,
      delayMs: dto.delayMs ?? 0,
      queryCount: existing?.queryCount ?? 0,
      closeCount: existing?.closeCount ?? 0,
      updateTime: new Date(),
    });
    return this.trades.save(trade);
  }

  async view(orderNo: string): Promise<SandboxOrderView> {
    const order = await this.orders.findByNumbers(orderNo);
    if (!order) throw new UnipayException(UnipayErrorCode.VALIDATION, '支付订单不存在');
    const [trade, syncRecords, repairRecords] = await Promise.all([
      this.trades.findOneBy({ orderNo }),
      this.syncRecords.find({ where: { orderNo }, order: { id: 'ASC' } }),
      this.repairRecords.find({ where: { orderNo }, order: { id: 'ASC' } }),
    ]);
    return { order, trade, syncRecords, repairRecords };
  }
}
