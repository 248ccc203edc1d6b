import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ChannelRegistry } from '../channel/channel-registry.service';
import {
  ChannelCloseOutcome,
  ChannelError,
  ChannelQueryResult,
  PayChannel,
} from '../channel/pay-channel';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { LeaseRepository } from '../lease/lease.repository';
import { PayOrder } from '../order/pay-order.entity';
import { PayOrderRepository } from '../order/pay-order.repository';
import { PayStatus } from '../order/pay-status';
import { PayRepairService } from '../repair/pay-repair.service';
import { RepairWay } from '../repair/repair-way';
import { decide, SyncDecision } from './pay-sync-decision';
import { PaySyncRecordRepository, SyncRecordDraft } from './pay-sync-record.repository';
import { PaySyncStatus, SyncAnomaly, SyncSource } from './pay-sync-status';
import { SYNC_OPTIONS, type SyncModuleOptions } from './sync-options';

export interface PaySyncCommand {
  orderNo?: string;
  bizOrderNo?: string;
  clientIp?: string;
  source: SyncSource;
}

/** The result of one sync: `code` 0 when it completed, 1 with `msg` when it could not. */
export interface PaySyncOutcome {
  code: 0 | 1;
  status?: PaySyncStatus;
  msg?: string;
  repaired: boolean;
  repairNo?: string;
  /** How the order was repaired, when it was. */
  repairWay?: RepairWay;
}

export const SYNC_MESSAGES = {
  ORDER_NOT_FOUND: '支付订单不存在',
  REFUND: '支付订单为退款状态，请通过执行对应的退款订单进行同步',
  UNKNOWN_CHANNEL: '不支持的支付通道',
  CHANNEL_FAILED: '支付通道查询失败',
  CLOSE_FAILED: '支付通道关闭订单失败',
  CLOSE_REFUSED: '支付通道拒绝关闭订单，且交易仍未支付，稍后重试',
  [SyncAnomaly.AMOUNT_MISMATCH]: '通道支付金额与订单金额不一致，已记录异常待人工处理',
  [SyncAnomaly.PAID_AFTER_CLOSE]: '订单已关闭但通道显示已支付，已记录异常待人工处理',
} as const;

/** What the channel said during one sync, for the record. */
interface ChannelTranscript {
  query?: string;
  close?: string;
  requery?: string;
}

/** A sync that could not reach a decision: recorded as `pay_fail`, nothing changes. */
class SyncFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function channelFailure(error: unknown, fallback: string, transcript: ChannelTranscript, step: keyof ChannelTranscript): SyncFailure {
  if (error instanceof ChannelError) {
    transcript[step] = error.raw ?? error.message;
    return new SyncFailure(error.message || fallback, 'CHANNEL_ERROR');
  }
  return new SyncFailure(fallback, 'CHANNEL_ERROR');
}

/**
 * The one sync path, shared by the merchant endpoint and the scheduled job: lock the order
 * across processes, ask its channel, apply the decision table, record what happened.
 */
@Injectable()
export class PaySyncService {
  private readonly logger = new Logger(PaySyncService.name);

  constructor(
    @Inject(SYNC_OPTIONS) private readonly options: SyncModuleOptions,
    private readonly orders: PayOrderRepository,
    private readonly leases: LeaseRepository,
    private readonly channels: ChannelRegistry,
    private readonly repairs: PayRepairService,
    private readonly records: PaySyncRecordRepository,
  ) {}

  async sync(command: PaySyncCommand): Promise<PaySyncOutcome> {
    const started = Date.now();
    const found = await this.orders.findByNumbers(command.orderNo, command.bizOrderNo);
    if (!found) {
      await this.records.insert({
        ...this.blankRecord(command, started),
        orderNo: command.orderNo || null,
        bizOrderNo: command.orderNo ? null : (command.bizOrderNo ?? null),
        errorCode: 'ORDER_NOT_FOUND',
        errorMsg: SYNC_MESSAGES.ORDER_NOT_FOUND,
      });
      return { code: 1, msg: SYNC_MESSAGES.ORDER_NOT_FOUND, repaired: false };
    }

    const lockKey = `pay-sync:${found.orderNo}`;
    const owner = randomUUID();
    const acquired = await this.leases.tryAcquire(lockKey, owner, started + this.options.syncLockSeconds * 1000, started);
    if (!acquired) {
      await this.records.insert({
        ...this.orderRecord(found, command, started),
        errorCode: String(UnipayErrorCode.SYNC_IN_PROGRESS),
        errorMsg: '支付同步处理中，请勿重复操作',
      });
      throw new UnipayException(UnipayErrorCode.SYNC_IN_PROGRESS);
    }
    try {
      // Read again under the lock: a sync that finished just before ours may have repaired it.
      const order = (await this.orders.findById(found.id)) ?? found;
      return await this.syncLocked(order, command, started);
    } finally {
      await this.leases.release(lockKey, owner);
    }
  }

  private async syncLocked(order: PayOrder, command: PaySyncCommand, started: number): Promise<PaySyncOutcome> {
    const transcript: ChannelTranscript = {};
    const channel = this.channels.find(order.channel);
    let decision: SyncDecision;
    let answer: ChannelQueryResult | undefined;
    try {
      if (!channel) throw new SyncFailure(`${SYNC_MESSAGES.UNKNOWN_CHANNEL}: ${order.channel}`, 'UNKNOWN_CHANNEL');
      answer = await this.query(channel, order, transcript, 'query');
      decision = decide(order, answer, new Date());
      if (decision.kind === 'close_at_channel') {
        ({ decision, answer } = await this.closeAtChannel(channel, order, answer, transcript));
      }
    } catch (error) {
      if (!(error instanceof SyncFailure)) throw error;
      await this.records.insert({
        ...this.orderRecord(order, command, started),
        syncStatus: PaySyncStatus.FAIL,
        channelResponse: this.transcriptText(transcript),
        errorCode: error.code,
        errorMsg: error.message,
      });
      return { code: 1, status: PaySyncStatus.FAIL, msg: error.message, repaired: false };
    }
    return this.conclude(order, command, started, decision, answer, transcript);
  }

  private async query(
    channel: PayChannel,
    order: PayOrder,
    transcript: ChannelTranscript,
    step: 'query' | 'requery',
  ): Promise<ChannelQueryResult> {
    try {
      const answer = await channel.query(order);
      transcript[step] = answer.raw;
      return answer;
    } catch (error) {
      if (!(error instanceof ChannelError)) this.logger.error(`query of ${order.orderNo} on ${channel.code} threw`, error as Error);
      throw channelFailure(error, SYNC_MESSAGES.CHANNEL_FAILED, transcript, step);
    }
  }

  /**
   * The order expired while the channel still waits: close the trade at the channel so the
   * buyer can no longer pay, then close locally. A channel that refuses because the trade
   * was paid meanwhile is asked again, once, and its new answer decides.
   */
  private async closeAtChannel(
    channel: PayChannel,
    order: PayOrder,
    answer: ChannelQueryResult,
    transcript: ChannelTranscript,
  ): Promise<{ decision: SyncDecision; answer: ChannelQueryResult }> {
    let outcome: ChannelCloseOutcome;
    try {
      const closed = await channel.close(order);
      transcript.close = closed.raw;
      outcome = closed.outcome;
    } catch (error) {
      if (!(error instanceof ChannelError)) this.logger.error(`close of ${order.orderNo} on ${channel.code} threw`, error as Error);
      throw channelFailure(error, SYNC_MESSAGES.CLOSE_FAILED, transcript, 'close');
    }
    if (outcome === ChannelCloseOutcome.PAID) {
      const requeried = await this.query(channel, order, transcript, 'requery');
      const decision = decide(order, requeried, new Date());
      if (decision.kind === 'close_at_channel') throw new SyncFailure(SYNC_MESSAGES.CLOSE_REFUSED, 'CLOSE_REFUSED');
      return { decision, answer: requeried };
    }
    const way = outcome === ChannelCloseOutcome.CLOSED ? RepairWay.CLOSE_GATEWAY : RepairWay.CLOSE_LOCAL;
    return { decision: { kind: 'repair', status: PaySyncStatus.TIMEOUT, way, target: PayStatus.CLOSE }, answer };
  }

  private async conclude(
    order: PayOrder,
    command: PaySyncCommand,
    started: number,
    decision: SyncDecision,
    answer: ChannelQueryResult,
    transcript: ChannelTranscript,
  ): Promise<PaySyncOutcome> {
    const record: SyncRecordDraft = {
      ...this.orderRecord(order, command, started),
      syncStatus: decision.status,
      outOrderNo: answer.tradeNo ?? order.outOrderNo,
      channelResponse: this.transcriptText(transcript),
    };
    switch (decision.kind) {
      case 'repair': {
        const result = await this.repairs.repair({
          order,
          way: decision.way,
          target: decision.target,
          source: command.source,
          now: new Date(),
          payTime: answer.payTime,
          tradeNo: answer.tradeNo,
          record,
        });
        return { code: 0, status: decision.status, ...result, ...(result.repaired ? { repairWay: decision.way } : {}) };
      }
      case 'anomaly':
        this.logger.warn(`anomaly ${decision.anomaly} on order ${order.orderNo}: left for an operator`);
        await this.records.insert({ ...record, anomaly: decision.anomaly, errorCode: 'ANOMALY', errorMsg: SYNC_MESSAGES[decision.anomaly] });
        return { code: 1, status: decision.status, msg: SYNC_MESSAGES[decision.anomaly], repaired: false };
      case 'refund':
        await this.records.insert({ ...record, errorCode: 'REFUND', errorMsg: SYNC_MESSAGES.REFUND });
        return { code: 1, status: decision.status, msg: SYNC_MESSAGES.REFUND, repaired: false };
      default:
        await this.records.insert(record);
        return { code: 0, status: decision.status, repaired: false };
    }
  }

  private blankRecord(command: PaySyncCommand, started: number): SyncRecordDraft {
    return {
      orderId: null,
      orderNo: null,
      bizOrderNo: null,
      outOrderNo: null,
      channel: null,
      syncStatus: null,
      channelResponse: null,
      anomaly: null,
      errorCode: null,
      errorMsg: null,
      clientIp: command.clientIp || null,
      source: command.source,
      durationMs: Date.now() - started,
    };
  }

  private orderRecord(order: PayOrder, command: PaySyncCommand, started: number): SyncRecordDraft {
    return {
      ...this.blankRecord(command, started),
      orderId: order.id,
      orderNo: order.orderNo,
      bizOrderNo: order.bizOrderNo,
      outOrderNo: order.outOrderNo,
      channel: order.channel,
    };
  }

  private transcriptText(transcript: ChannelTranscript): string | null {
    return Object.keys(transcript).length === 0 ? null : JSON.stringify(transcript);
  }
}
