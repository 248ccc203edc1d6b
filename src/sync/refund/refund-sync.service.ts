import { Injectable, Logger, Optional } from '@nestjs/common';
import { countedSync, keepingNonce, openAttempt } from '../sync-attempt';
import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { AnomalyRepository } from '../../anomaly/anomaly.repository';
import { ChannelRegistry } from '../../channel/channel-registry.service';
import { ChannelError, ChannelRefundResult, PayChannel } from '../../channel/pay-channel';
import { NO_METRICS, UnipayMetrics } from '../../observability/unipay-metrics';
import { PayOrderRepository } from '../../order/pay-order.repository';
import { RefundOrder } from '../../refund/refund-order.entity';
import { blank, RefundOrderRepository } from '../../refund/refund-order.repository';
import { RefundStatus } from '../../refund/refund-status';
import { SyncSource } from '../pay-sync-status';
import { PaySyncRecordRepository, RecordWriter, SyncRecordDraft } from '../pay-sync-record.repository';
import { SYNC_MESSAGES, SyncReason } from '../sync-reason';
import { SyncSettings } from '../sync.settings';
import { RefundRepairService } from './refund-repair.service';
import { decideRefund, RefundDecision } from './refund-sync-decision';
import { REFUND_MESSAGES, RefundSyncOutcome } from './refund-sync-outcome';
import { RefundSyncStatus } from './refund-sync-status';

/** Who asks to sync which refund; `refundNo` wins over `bizRefundNo` unless blank. */
export interface RefundSyncCommand {
  refundNo?: string;
  bizRefundNo?: string;
  clientIp?: string;
  nonceStr?: string;
  source: SyncSource;
}

/** The not-found grace of a channel that names none: 10 minutes (refund-sync.md section 6). */
export const DEFAULT_REFUND_NOT_FOUND_GRACE_SECONDS = 600;

/**
 * The one refund sync path, shared by the endpoint and the scheduled job: lock the refund
 * across processes (its attempt's record holds `lock_refund_no`), ask its channel, apply the
 * decision table, repair in one transaction, record the attempt.
 */
@Injectable()
export class RefundSyncService {
  private readonly logger = new Logger(RefundSyncService.name);
  private inFlight = 0;

  constructor(
    private readonly settings: SyncSettings,
    private readonly refunds: RefundOrderRepository,
    private readonly orders: PayOrderRepository,
    private readonly channels: ChannelRegistry,
    private readonly repairs: RefundRepairService,
    private readonly records: PaySyncRecordRepository,
    private readonly anomalies: AnomalyRepository,
    @Optional() private readonly metrics: UnipayMetrics = NO_METRICS,
  ) {}

  /** Merchants' and operators' refund syncs running now in this process. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  async sync(command: RefundSyncCommand): Promise<RefundSyncOutcome> {
    this.inFlight += 1;
    try {
      return this.counted(command.source, await this.syncRequested(command));
    } finally {
      this.inFlight -= 1;
    }
  }

  /** The scheduled job's sync of a refund it has claimed (the claim is the lock); `write` keeps the record. */
  async syncClaimed(refund: RefundOrder, write: RecordWriter): Promise<RefundSyncOutcome> {
    const command: RefundSyncCommand = { refundNo: refund.refundNo, source: SyncSource.SCHEDULED };
    const started = Date.now();
    let written = false;
    const writing: RecordWriter = async (draft, manager) => {
      await write(draft, manager);
      written = true;
    };
    try {
      return this.counted(SyncSource.SCHEDULED, await this.syncLocked(refund, command, started, writing));
    } catch (error) {
      // Every attempt is recorded, a thrown one too (unless its record was already written).
      if (!written) {
        const reason = SyncReason.INTERRUPTED;
        await write({ ...this.refundRecord(refund, command, started), errorCode: reason, errorMsg: SYNC_MESSAGES[reason] }).catch(() => undefined);
      }
      throw error;
    }
  }

  private counted(source: SyncSource, outcome: RefundSyncOutcome): RefundSyncOutcome {
    return countedSync(this.metrics, source, outcome);
  }


  /**
   * Given its own number, the refund is locked first and read under the lock, as pay sync
   * does with the order; given only the merchant's number, it is read to learn its number,
   * locked, and read again under the lock (the job may have claimed it in between).
   */
  private async syncRequested(command: RefundSyncCommand): Promise<RefundSyncOutcome> {
    const started = Date.now();
    const notFound: RefundSyncOutcome = { kind: 'not_found', message: REFUND_MESSAGES.NOT_FOUND };
    const ownNumber = !blank(command.refundNo) && command.refundNo!.length <= 32 ? command.refundNo! : undefined;
    const known = ownNumber ? undefined : await this.refunds.findByNumbers(command.refundNo, command.bizRefundNo);
    const refundNo = ownNumber ?? known?.refundNo;
    // No refund, no record (refund-sync.md section 2).
    if (!refundNo) return notFound;
    const lock = await this.lock(refundNo, command, started);
    if (lock === null) {
      const busy = known ?? (await this.refunds.findByNumbers(refundNo));
      if (!busy) return notFound;
      await this.keepingNonce(command, () => this.records.insert({ ...this.refundRecord(busy, command, started), errorCode: SyncReason.BUSY, errorMsg: REFUND_MESSAGES.BUSY }));
      return { kind: 'busy', reason: SyncReason.BUSY };
    }
    const found = await this.refunds.findByNumbers(refundNo).catch(async (error: unknown) => {
      await this.records.discard(lock).catch(() => undefined);
      throw error;
    });
    if (!found) {
      // Locked a number no refund has: the attempt leaves no record.
      await this.records.discard(lock);
      return notFound;
    }
    let finished = false;
    const write: RecordWriter = async (draft, manager) => {
      await this.records.finish(lock, draft, manager);
      if (!manager) finished = true;
    };
    try {
      const refund = found;
      if (refund.syncLeaseOwner && refund.syncLeaseUntil && refund.syncLeaseUntil.getTime() > Date.now()) {
        await write({ ...this.refundRecord(refund, command, started), errorCode: SyncReason.BUSY, errorMsg: REFUND_MESSAGES.BUSY });
        return { kind: 'busy', reason: SyncReason.BUSY };
      }
      const outcome = await this.syncLocked(refund, command, started, write);
      // A repair finishes the record inside its transaction; either way it is written now.
      finished = true;
      return outcome;
    } finally {
      if (!finished) {
        const reason = SyncReason.INTERRUPTED;
        await write({ ...this.refundRecord(found, command, started), errorCode: reason, errorMsg: SYNC_MESSAGES[reason] }).catch((error: unknown) =>
          this.logger.error(`sync record ${lock} of refund ${found.refundNo} could not be closed; its lock expires on its own: ${String(error)}`),
        );
      }
    }
  }

  private lock(refundNo: string, command: RefundSyncCommand, started: number): Promise<number | null> {
    return openAttempt(this.records, this.settings, 'refund', refundNo, command, started);
  }


  private keepingNonce<T>(command: RefundSyncCommand, write: () => Promise<T>): Promise<T> {
    return keepingNonce(this.records, this.settings, command.nonceStr, write);
  }

  private async syncLocked(refund: RefundOrder, command: RefundSyncCommand, started: number, writeRecord: RecordWriter): Promise<RefundSyncOutcome> {
    const record = this.refundRecord(refund, command, started);
    // The attempt's duration is taken when its record is written, the channel call and the repair included.
    const write: RecordWriter = (draft, manager) => writeRecord({ ...draft, durationMs: Date.now() - started }, manager);
    const failed = async (reason: SyncReason, message: string, extra: Partial<SyncRecordDraft> = {}): Promise<RefundSyncOutcome> => {
      await write({ ...record, ...extra, errorCode: reason, errorMsg: message });
      return { kind: 'failed', reason, message };
    };
    // A closed refund is final: nothing is asked, the answer says so.
    if (refund.status === RefundStatus.CLOSE) {
      await write({ ...record, syncStatus: RefundSyncStatus.CLOSE });
      return { kind: 'unchanged', status: RefundSyncStatus.CLOSE };
    }
    const channel = this.channels.find(refund.channel);
    if (!channel?.queryRefund) return failed(SyncReason.UNKNOWN_CHANNEL, REFUND_MESSAGES.UNSUPPORTED);
    if (!(await this.orders.exists(refund.orderId))) return failed(SyncReason.ORDER_NOT_FOUND, REFUND_MESSAGES.ORDER_MISSING);

    let answer: ChannelRefundResult;
    const asked = performance.now();
    try {
      answer = await channel.queryRefund(refund);
      this.metrics.channelCall({ channel: channel.code, operation: 'refund_query', result: 'ok' }, (performance.now() - asked) / 1000);
    } catch (error) {
      this.metrics.channelCall({ channel: channel.code, operation: 'refund_query', result: 'error' }, (performance.now() - asked) / 1000);
      return this.channelFailed(channel, refund, error, record, write);
    }
    const decision = decideRefund(refund, answer, new Date(), channel.refundNotFoundGraceSeconds ?? DEFAULT_REFUND_NOT_FOUND_GRACE_SECONDS);
    const answered: SyncRecordDraft = {
      ...record,
      syncStatus: decision.status,
      outRefundNo: answer.refundId ?? refund.outRefundNo,
      channelResponse: answer.raw ? JSON.stringify({ refund_query: answer.raw }) : null,
    };
    if (decision.anomaly) await this.recordAnomaly(decision.anomaly, refund, answer, decision);
    if (!decision.change) {
      await this.refunds.fill(refund, answer);
      await write(decision.anomaly ? { ...answered, anomaly: decision.anomaly, errorCode: SyncReason.ANOMALY } : answered);
      return { kind: 'unchanged', status: decision.status, ...(decision.anomaly ? { anomaly: decision.anomaly } : {}) };
    }
    const repairRecord: SyncRecordDraft = decision.anomaly ? { ...answered, anomaly: decision.anomaly } : answered;
    const result = await this.repairs.repair({ refund, change: decision.change, refundId: answer.refundId, source: command.source, now: new Date(), record: repairRecord, write });
    if (result.repaired) return { kind: 'repaired', status: decision.status, repair: { repairNo: result.repairNo, way: decision.change.way }, ...(decision.anomaly ? { anomaly: decision.anomaly } : {}) };
    // A channel refund id is kept whatever came of the decision (spec section 6).
    if (result.reason !== 'refund_changed') await this.refunds.fill(refund, answer);
    if (result.reason === 'order_missing') return { kind: 'failed', reason: SyncReason.ORDER_NOT_FOUND, message: REFUND_MESSAGES.ORDER_MISSING };
    if (result.reason === 'balance_broken') {
      await this.anomalies.record({ kind: AnomalyKind.REFUND_BALANCE_BROKEN, orderNo: refund.orderNo, refundNo: refund.refundNo, detail: `repairing refund ${refund.refundNo} to ${decision.change.target} would break order ${refund.orderNo}'s refundable balance` });
      return { kind: 'failed', reason: SyncReason.REPAIR_FAILED, message: REFUND_MESSAGES.BALANCE_BROKEN };
    }
    return { kind: 'unchanged', status: decision.status, reason: SyncReason.ORDER_CHANGED };
  }

  /** A failed query: recorded, logged at warn, never a change; the channel's words for the merchant. */
  private async channelFailed(channel: PayChannel, refund: RefundOrder, error: unknown, record: SyncRecordDraft, write: RecordWriter): Promise<RefundSyncOutcome> {
    if (!(error instanceof ChannelError)) {
      this.logger.error({ msg: 'channel refund_query threw', channel: channel.code, refundNo: refund.refundNo, step: 'refund_query' }, error as Error);
      await write({ ...record, errorCode: SyncReason.CHANNEL_ERROR, errorMsg: REFUND_MESSAGES.CHANNEL_ERROR });
      return { kind: 'failed', reason: SyncReason.CHANNEL_ERROR, message: REFUND_MESSAGES.CHANNEL_ERROR };
    }
    this.logger.warn({
      msg: `channel refund_query failed: ${error.message}`,
      channel: channel.code,
      orderNo: refund.orderNo,
      refundNo: refund.refundNo,
      step: 'refund_query',
      channelCode: error.code ?? null,
      unverified: error.unverified,
    });
    if (error.anomaly) {
      await this.anomalies.record({ kind: error.anomaly, orderNo: refund.orderNo, refundNo: refund.refundNo, detail: `${channel.code}: ${error.message}`.slice(0, 1000) });
    }
    const message = error.unverified ? REFUND_MESSAGES.UNVERIFIED : error.message || REFUND_MESSAGES.CHANNEL_ERROR;
    await write({
      ...record,
      channelResponse: JSON.stringify({ refund_query: error.raw ?? error.message }),
      responseUnverified: error.unverified,
      errorCode: SyncReason.CHANNEL_ERROR,
      errorMsg: message,
    });
    return { kind: 'failed', reason: SyncReason.CHANNEL_ERROR, message };
  }

  private async recordAnomaly(kind: AnomalyKind, refund: RefundOrder, answer: ChannelRefundResult, decision: RefundDecision): Promise<void> {
    const said = `${refund.channel} answers ${decision.status}${answer.amount !== undefined ? ` for ${answer.amount} cents` : ''}${answer.refundId ? ` (refund ${answer.refundId})` : ''}`;
    this.logger.warn({ msg: `anomaly ${kind}: left for an operator`, orderNo: refund.orderNo, refundNo: refund.refundNo, channel: refund.channel });
    await this.anomalies.record({ kind, orderNo: refund.orderNo, refundNo: refund.refundNo, detail: `${said}; the refund is ${refund.status} here, ${refund.amount} cents` });
  }

  private refundRecord(refund: RefundOrder, command: RefundSyncCommand, started: number): SyncRecordDraft {
    return {
      syncType: 'refund',
      refundNo: refund.refundNo,
      bizRefundNo: refund.bizRefundNo,
      outRefundNo: refund.outRefundNo,
      orderId: refund.orderId,
      orderNo: refund.orderNo,
      bizOrderNo: refund.bizOrderNo,
      outOrderNo: refund.outOrderNo,
      channel: refund.channel,
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
}
