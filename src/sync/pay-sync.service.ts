import { Injectable, Logger, Optional } from '@nestjs/common';
import { countedSync, keepingNonce, openAttempt } from './sync-attempt';
import { NO_METRICS, UnipayMetrics } from '../observability/unipay-metrics';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { AnomalyRepository } from '../anomaly/anomaly.repository';
import { ChannelRegistry } from '../channel/channel-registry.service';
import { ChannelCloseOutcome, ChannelError, ChannelQueryResult, PayChannel } from '../channel/pay-channel';
import { PayOrder } from '../order/pay-order.entity';
import { PayOrderRepository } from '../order/pay-order.repository';
import { PayStatus } from '../order/pay-status';
import { PayRepairService } from './pay-repair.service';
import { decide, SyncDecision } from './pay-sync-decision';
import { PaySyncOutcome } from './pay-sync-outcome';
import { PaySyncRecordRepository, RecordWriter, SyncRecordDraft } from './pay-sync-record.repository';
import { PaySyncStatus, SyncSource } from './pay-sync-status';
import { RepairWay } from './repair-way';
import { SYNC_MESSAGES, SyncFailureReason, SyncReason } from './sync-reason';
import { SyncSettings } from './sync.settings';

export interface PaySyncCommand {
  orderNo?: string;
  bizOrderNo?: string;
  clientIp?: string;
  /** The merchant's nonce: kept with the attempt's record, a second use inside the window is refused. */
  nonceStr?: string;
  source: SyncSource;
}

const NOT_FOUND = { errorCode: SyncReason.ORDER_NOT_FOUND, errorMsg: SYNC_MESSAGES[SyncReason.ORDER_NOT_FOUND] };
const BUSY = { errorCode: SyncReason.BUSY, errorMsg: SYNC_MESSAGES[SyncReason.BUSY] };

/** A decision the sync carries out: the close at the channel has been done by then. */
type FinalDecision = Exclude<SyncDecision, { kind: 'close_at_channel' }>;

/** What the channel said during one sync, for the record. */
interface ChannelTranscript {
  query?: string;
  close?: string;
  requery?: string;
  /** A step's text failed the channel's signature check: not the channel's word. */
  unverified?: boolean;
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

function channelFailure(error: unknown, fallback: string, transcript: ChannelTranscript, step: 'query' | 'close' | 'requery'): SyncFailure {
  if (error instanceof ChannelError) {
    transcript[step] = error.raw ?? error.message;
    if (error.unverified) transcript.unverified = true;
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
    private readonly channels: ChannelRegistry,
    private readonly repairs: PayRepairService,
    private readonly records: PaySyncRecordRepository,
    private readonly anomalies: AnomalyRepository,
    @Optional() private readonly metrics: UnipayMetrics = NO_METRICS,
  ) {}

  private inFlight = 0;

  /** Merchants' and operators' syncs running now in this process; the job yields to them. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** A merchant's or an operator's sync: takes the order's lock, reads it, syncs it. */
  async sync(command: PaySyncCommand): Promise<PaySyncOutcome> {
    this.inFlight += 1;
    try {
      return this.counted(command.source, await this.syncRequested(command));
    } finally {
      this.inFlight -= 1;
    }
  }

  private counted(source: SyncSource, outcome: PaySyncOutcome): PaySyncOutcome {
    return countedSync(this.metrics, source, outcome);
  }


  private async syncRequested(command: PaySyncCommand): Promise<PaySyncOutcome> {
    const started = Date.now();
    if (command.orderNo) return this.syncUnderLock(command.orderNo, null, command, started);
    // Known by the merchant's number only: the lock is keyed by the order number, so read first.
    const found = await this.orders.findByNumbers(undefined, command.bizOrderNo);
    if (!found) {
      await this.keepingNonce(command, () => this.records.insert({ ...this.blankRecord(command, started), bizOrderNo: command.bizOrderNo ?? null, ...NOT_FOUND }));
      return { kind: 'not_found', reason: SyncReason.ORDER_NOT_FOUND, message: NOT_FOUND.errorMsg };
    }
    return this.syncUnderLock(found.orderNo, found, command, started);
  }

  /**
   * The scheduled job's sync of an order it has claimed: the claim is the lock (a merchant's
   * sync of a claimed order is turned away, and the job does not claim an order whose lock a
   * merchant holds), and the order was read by the claim. `write` keeps the record.
   */
  async syncClaimed(order: PayOrder, write: RecordWriter): Promise<PaySyncOutcome> {
    return this.counted(SyncSource.SCHEDULED, await this.syncLocked(order, { orderNo: order.orderNo, source: SyncSource.SCHEDULED }, Date.now(), write));
  }

  /**
   * The lock is the attempt's own record, opened with the order number (unique while it
   * runs) and finished, lock released, in one statement. No re-read under the lock: the
   * order is read once, after the lock, unless it had to be found by the merchant's number;
   * either way the repair only applies to the version that was read.
   */
  private async syncUnderLock(orderNo: string, found: PayOrder | null, command: PaySyncCommand, started: number): Promise<PaySyncOutcome> {
    const lock = await this.lock(orderNo, command, started);
    if (lock === null) {
      const record = found ? this.orderRecord(found, command, started) : { ...this.blankRecord(command, started), orderNo };
      await this.keepingNonce(command, () => this.records.insert({ ...record, ...BUSY }));
      return { kind: 'busy', reason: SyncReason.BUSY };
    }
    let finished = false;
    const write: RecordWriter = async (draft, manager) => {
      await this.records.finish(lock, draft, manager);
      if (!manager) finished = true;
    };
    try {
      const order = found ?? (await this.orders.findByNumbers(orderNo));
      if (!order) {
        await write({ ...this.blankRecord(command, started), orderNo, ...NOT_FOUND });
        return { kind: 'not_found', reason: SyncReason.ORDER_NOT_FOUND, message: NOT_FOUND.errorMsg };
      }
      if (order.syncLeaseOwner && order.syncLeaseUntil && order.syncLeaseUntil.getTime() > Date.now()) {
        // The scheduled job has claimed it and syncs it now or in a moment.
        await write({ ...this.orderRecord(order, command, started), ...BUSY });
        return { kind: 'busy', reason: SyncReason.BUSY };
      }
      const outcome = await this.syncLocked(order, command, started, write);
      finished = true;
      return outcome;
    } finally {
      if (!finished) {
        const reason = SyncReason.INTERRUPTED;
        await write({ ...this.blankRecord(command, started), orderNo, errorCode: reason, errorMsg: SYNC_MESSAGES[reason] }).catch((error: unknown) =>
          this.logger.error(`sync record ${lock} of ${orderNo} could not be closed; its lock expires on its own: ${String(error)}`),
        );
      }
    }
  }

  /** Opens the attempt's record holding the order, taking over a lock whose holder died. */
  private lock(orderNo: string, command: PaySyncCommand, started: number): Promise<number | null> {
    return openAttempt(this.records, this.settings, 'order', orderNo, command, started);
  }


  private keepingNonce<T>(command: PaySyncCommand, write: () => Promise<T>): Promise<T> {
    return keepingNonce(this.records, this.settings, command.nonceStr, write);
  }

  private async syncLocked(order: PayOrder, command: PaySyncCommand, started: number, write: RecordWriter): Promise<PaySyncOutcome> {
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
      await write({
        ...this.orderRecord(order, command, started),
        syncStatus: PaySyncStatus.FAIL,
        channelResponse: this.transcriptText(transcript),
        responseUnverified: transcript.unverified === true,
        errorCode: error.reason,
        errorMsg: error.message,
      });
      return { kind: 'failed', status: PaySyncStatus.FAIL, reason: error.reason, message: error.message };
    }
    return this.conclude(order, command, started, decided.decision, decided.answer, transcript, write);
  }

  /**
   * A channel call that failed: at warn, with the channel, the order, the step and the
   * channel's own code; a channel implementation that threw something else is a bug (error).
   */
  private channelFailed(channel: PayChannel, order: PayOrder, step: 'query' | 'close' | 'requery', error: unknown): void {
    if (error instanceof ChannelError) {
      this.logger.warn({
        msg: `channel ${step} failed: ${error.message}`,
        channel: channel.code,
        orderNo: order.orderNo,
        step,
        channelCode: error.code ?? null,
        unverified: error.unverified,
      });
    } else {
      this.logger.error({ msg: `channel ${step} threw`, channel: channel.code, orderNo: order.orderNo, step }, error as Error);
    }
  }

  private async query(
    channel: PayChannel,
    order: PayOrder,
    transcript: ChannelTranscript,
    step: 'query' | 'requery',
  ): Promise<ChannelQueryResult> {
    const started = performance.now();
    try {
      const answer = await channel.query(order);
      this.channelCalled(channel, 'query', 'ok', started);
      transcript[step] = answer.raw;
      return answer;
    } catch (error) {
      this.channelCalled(channel, 'query', 'error', started);
      this.channelFailed(channel, order, step, error);
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
    const started = performance.now();
    try {
      const closed = await channel.close(order);
      this.channelCalled(channel, 'close', 'ok', started);
      transcript.close = closed.raw;
      outcome = closed.outcome;
    } catch (error) {
      this.channelCalled(channel, 'close', 'error', started);
      this.channelFailed(channel, order, 'close', error);
      throw channelFailure(error, SYNC_MESSAGES.CLOSE_FAILED, transcript, 'close');
    }
    if (outcome === ChannelCloseOutcome.PAID) {
      const requeried = await this.query(channel, order, transcript, 'requery');
      const decision = decide(order, requeried, new Date());
      if (decision.kind === 'close_at_channel') throw new SyncFailure(SYNC_MESSAGES[SyncReason.CLOSE_REFUSED], SyncReason.CLOSE_REFUSED);
      return { decision, answer: requeried };
    }
    // Closed at the channel, or here only (no close API, or no trade there to close).
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
    write: RecordWriter,
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
          write,
        });
        return result.repaired
          ? { kind: 'repaired', status: decision.status, repair: { repairNo: result.repairNo, way: decision.way } }
          : { kind: 'unchanged', status: decision.status, reason: SyncReason.ORDER_CHANGED };
      }
      case 'anomaly': {
        const message = SYNC_MESSAGES[decision.anomaly];
        this.logger.warn(`anomaly ${decision.anomaly} on order ${order.orderNo}: left for an operator`);
        await write({ ...record, anomaly: decision.anomaly, errorCode: SyncReason.ANOMALY, errorMsg: message });
        await this.anomalies.record({ kind: decision.anomaly, orderNo: order.orderNo, detail: this.anomalyDetail(decision.anomaly, order, answer) });
        return { kind: 'anomaly', status: decision.status, reason: SyncReason.ANOMALY, anomaly: decision.anomaly, message };
      }
      case 'refund': {
        const message = SYNC_MESSAGES[SyncReason.REFUND];
        await write({ ...record, errorCode: SyncReason.REFUND, errorMsg: message });
        await this.anomalies.record({
          kind: AnomalyKind.CHANNEL_REFUND,
          orderNo: order.orderNo,
          detail: `${order.channel} reports the trade refunded (order ${order.status}); sync the refund order`,
        });
        return { kind: 'refund', status: decision.status, reason: SyncReason.REFUND, message };
      }
      case 'keep':
        await write(record);
        return { kind: 'unchanged', status: decision.status };
    }
  }

  private channelCalled(channel: PayChannel, operation: 'query' | 'close', result: 'ok' | 'error', started: number): void {
    this.metrics.channelCall({ channel: channel.code, operation, result }, (performance.now() - started) / 1000);
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
      nonceStr: command.nonceStr || null,
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
    const { unverified: _unverified, ...steps } = transcript;
    return Object.keys(steps).length === 0 ? null : JSON.stringify(steps);
  }
}
