import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { isUniqueViolation } from '../common/unique-violation';
import { newPayOrder } from '../order/new-pay-order';
import { PayOrder } from '../order/pay-order.entity';
import { PayOrderRepository } from '../order/pay-order.repository';
import { PayRepairRecord } from '../sync/pay-repair-record.entity';
import { PayRepairRecordRepository } from '../sync/pay-repair-record.repository';
import { PaySyncRecord } from '../sync/pay-sync-record.entity';
import { PaySyncRecordRepository } from '../sync/pay-sync-record.repository';
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
    private readonly syncRecords: PaySyncRecordRepository,
    private readonly repairRecords: PayRepairRecordRepository,
  ) {}

  async createOrder(dto: CreateSandboxOrderDto): Promise<SandboxOrderView> {
    const now = new Date();
    const orderNo = dto.orderNo ?? newOrderNo('P');
    try {
      await this.orders.insert(
        newPayOrder(
          {
            orderNo,
            bizOrderNo: dto.bizOrderNo ?? newOrderNo('DEMO'),
            title: dto.title ?? 'sandbox demo order',
            channel: dto.channel ?? SANDBOX_CHANNEL,
            method: dto.channel ?? 'sandbox',
            amount: dto.amount,
            expiredTime: new Date(now.getTime() + (dto.expireSeconds ?? DEFAULT_EXPIRE_SECONDS) * 1000),
            ...(dto.status ? { status: dto.status } : {}),
            notifyUrl: dto.notifyUrl ?? null,
          },
          now,
        ),
      );
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
      this.syncRecords.findByOrderNo(orderNo),
      this.repairRecords.findByOrderNo(orderNo),
    ]);
    return { order, trade, syncRecords, repairRecords };
  }
}
