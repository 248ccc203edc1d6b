import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { AnomalyRepository } from '../anomaly/anomaly.repository';
import { ChannelRegistry } from '../channel/channel-registry.service';
import { ChannelCloseOutcome, ChannelError, ChannelQueryResult, PayChannel } from '../channel/pay-channel';
import { PayOrder } from '../order/pay-order.entity';
import { PayOrderRepository } from '../order/pay-order.repository';
import { PayStatus } from '../order/pay-status';
import { LeaseRepository } from './lease.repository';
import { PayRepairService } from './pay-repair.service';
import { decide, SyncDecision } from './pay-sync-decision';
import { PaySyncOutcome } from './pay-sync-outcome';
import { PaySyncRecordRepository, SyncRecordDraft } from './pay-sync-record.repository';
import { PaySyncStatus, SyncSource } from './pay-sync-status';
import { RepairWay } from './repair-way';
import { SYNC_MESSAGES, SyncFailureReason, SyncReason } from './sync-reason';
import { SyncSettings } from './sync.settings';

export interface PaySyncCommand {
  orderNo?: string;
  bizOrderNo?: string;
  clientIp?: string;
  source: SyncSource;
}

/** A decision the sync carries out: the close at the channel has been done by then. */
type FinalDecision = Exclude<SyncDecision, { kind: 'close_at_channel' }>;

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
    readonly reason: SyncFailureReason,
  ) {
    super(message);
  }
}

function channelFailure(error: unknown, fallback: string, transcript: ChannelTranscript, step: keyof ChannelTranscript): SyncFailure {
  if (error instanceof ChannelError) {
    transcript[step] = error.raw ?? error.message;
    return new SyncFailure(error.message || fallback, SyncReason.CHANNEL_ERROR);
  }
  return new SyncFailure(fallback, SyncReason.CHANNEL_ERROR);
}

/**
 * The one sync path, shared by the merchant endpoint and the scheduled job: lock the order
 * across processes, ask its channel, apply the decision table, record what happened, and
 * say what it came to. What the merchant is answered is the endpoint's business.
 */
@Injectable()
export class PaySyncService {
  private readonly logger = new Logger(PaySyncService.name);

  constructor(
    private readonly settings: SyncSettings,
    private readonly orders: PayOrderRepository,
    private readonly leases: LeaseRepository,
    private readonly channels: ChannelRegistry,
    private readonly repairs: PayRepairService,
    private readonly records: PaySyncRecordRepository,
    private readonly anomalies: AnomalyRepository,
  ) {}

  async sync(command: PaySyncCommand): Promise<PaySyncOutcome> {
    const started = Date.now();
    const found = await this.orders.findByNumbers(command.orderNo, command.bizOrderNo);
    if (!found) {
      const message = SYNC_MESSAGES[SyncReason.ORDER_NOT_FOUND];
      await this.records.insert({
        ...this.blankRecord(command, started),
        orderNo: command.orderNo || null,
        bizOrderNo: command.orderNo ? null : (command.bizOrderNo ?? null),
        errorCode: SyncReason.ORDER_NOT_FOUND,
        errorMsg: message,
      });
      return { kind: 'not_found', reason: SyncReason.ORDER_NOT_FOUND, message };
    }

    const lockKey = `pay-sync:${found.orderNo}`;
    const owner = randomUUID();
    const acquired = await this.leases.tryAcquire(lockKey, owner, started + this.settings.UNIPAY_SYNC_LOCK_SECONDS * 1000, started);
    if (!acquired) {
      await this.records.insert({
        ...this.orderRecord(found, command, started),
        errorCode: SyncReason.BUSY,
        errorMsg: SYNC_MESSAGES[SyncReason.BUSY],
      });
      return { kind: 'busy', reason: SyncReason.BUSY };
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
    let decided: { decision: FinalDecision; answer: ChannelQueryResult };
    try {
      if (!channel) throw new SyncFailure(`${SYNC_MESSAGES[SyncReason.UNKNOWN_CHANNEL]}: ${order.channel}`, SyncReason.UNKNOWN_CHANNEL);
      const answer = await this.query(channel, order, transcript, 'query');
      const decision = decide(order, answer, new Date());
      decided = decision.kind === 'close_at_channel' ? await this.closeAtChannel(channel, order, answer, transcript) : { decision, answer };
    } catch (error) {
      if (!(error instanceof SyncFailure)) throw error;
      await this.records.insert({
        ...this.orderRecord(order, command, started),
        syncStatus: PaySyncStatus.FAIL,
        channelResponse: this.transcriptText(transcript),
        errorCode: error.reason,
        errorMsg: error.message,
      });
      return { kind: 'failed', status: PaySyncStatus.FAIL, reason: error.reason, message: error.message };
    }
    return this.conclude(order, command, started, decided.decision, decided.answer, transcript);
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
      throw channelFailure(error, SYNC_MESSAGES[SyncReason.CHANNEL_ERROR], transcript, step);
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
  ): Promise<{ decision: FinalDecision; answer: ChannelQueryResult }> {
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
      if (decision.kind === 'close_at_channel') throw new SyncFailure(SYNC_MESSAGES[SyncReason.CLOSE_REFUSED], SyncReason.CLOSE_REFUSED);
      return { decision, answer: requeried };
    }
    const way = outcome === ChannelCloseOutcome.CLOSED ? RepairWay.CLOSE_GATEWAY : RepairWay.CLOSE_LOCAL;
    return { decision: { kind: 'repair', status: PaySyncStatus.TIMEOUT, way, target: PayStatus.CLOSE }, answer };
  }

  private async conclude(
    order: PayOrder,
    command: PaySyncCommand,
    started: number,
    decision: FinalDecision,
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
        return result.repaired
          ? { kind: 'repaired', status: decision.status, repair: { repairNo: result.repairNo, way: decision.way } }
          : { kind: 'unchanged', status: decision.status, reason: SyncReason.ORDER_CHANGED };
      }
      case 'anomaly': {
        const message = SYNC_MESSAGES[decision.anomaly];
        this.logger.warn(`anomaly ${decision.anomaly} on order ${order.orderNo}: left for an operator`);
        await this.records.insert({ ...record, anomaly: decision.anomaly, errorCode: SyncReason.ANOMALY, errorMsg: message });
        await this.anomalies.record({ kind: decision.anomaly, orderNo: order.orderNo, detail: this.anomalyDetail(decision.anomaly, order, answer) });
        return { kind: 'anomaly', status: decision.status, reason: SyncReason.ANOMALY, anomaly: decision.anomaly, message };
      }
      case 'refund': {
        const message = SYNC_MESSAGES[SyncReason.REFUND];
        await this.records.insert({ ...record, errorCode: SyncReason.REFUND, errorMsg: message });
        await this.anomalies.record({
          kind: AnomalyKind.CHANNEL_REFUND,
          orderNo: order.orderNo,
          detail: `${order.channel} reports the trade refunded (order ${order.status}); sync the refund order`,
        });
        return { kind: 'refund', status: decision.status, reason: SyncReason.REFUND, message };
      }
      case 'keep':
        await this.records.insert(record);
        return { kind: 'unchanged', status: decision.status };
    }
  }

  /** What the operator is told of an anomaly: the facts, in cents, without secrets. */
  private anomalyDetail(kind: AnomalyKind, order: PayOrder, answer: ChannelQueryResult): string {
    const trade = answer.tradeNo ? ` (trade ${answer.tradeNo})` : '';
    return kind === AnomalyKind.AMOUNT_MISMATCH
      ? `${order.channel} reports ${answer.amount ?? '?'} cents paid${trade}; the order is ${order.amount} cents`
      : `${order.channel} reports the order paid${trade}; it is ${order.status} here`;
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
