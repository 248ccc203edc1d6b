import { Injectable, Logger, Optional } from '@nestjs/common';
import { NO_METRICS, UnipayMetrics } from '../observability/unipay-metrics';
import { randomUUID } from 'node:crypto';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { AnomalyRepository } from '../anomaly/anomaly.repository';
import { PayOrder } from '../order/pay-order.entity';
import { PaySyncService } from '../sync/pay-sync.service';
import { PaySyncRecordRepository } from '../sync/pay-sync-record.repository';
import { ChannelRateLimiter } from './channel-rate-limiter';
import { PaySyncScheduleRepository } from './pay-sync-schedule.repository';
import { SweepBook } from './sweep-book';
import { SweepSettings } from './sweep.settings';
import { nextSync, RescheduleRules, SweepResult } from './sync-reschedule';

/** What one round did, for the log and the operator command. */
export interface SweepSummary {
  due: number;
  synced: number;
  repaired: number;
  failed: number;
}

/** Claims left this much before their lease ends are handed back rather than started. */
const LEASE_MARGIN_MS = 5_000;
/** How long a finished sync's record and reschedule wait for others to share their statements. */
const FLUSH_DELAY_MS = 200;
/** How often a worker held back for merchants' requests looks again. */
const GATE_RECHECK_MS = 20;

/**
 * One round of the scheduled sync: claim due orders in bounded batches, ahead of the
 * workers, sync each through PaySyncService with bounded concurrency and a per-channel
 * rate, and write the records and reschedules in batches (SweepBook).
 */
@Injectable()
export class PaySyncSweeper {
  private readonly logger = new Logger(PaySyncSweeper.name);
  private readonly instance = randomUUID();
  /** Channel queries a second, per channel: shared with the refund half of the round. */
  readonly limiter: ChannelRateLimiter;
  private readonly rules: RescheduleRules;
  private stopping = false;
  /**
   * Statements the job has sent for its claims, records and reschedules since start (a
   * repair's transaction is the repair's own): what it costs the shared database.
   */
  statements = 0;
  /** The job's syncs running now, and where workers wait while requests have the room. */
  private active = 0;
  private gate: { opened: Promise<void>; open: () => void; timer: NodeJS.Timeout } | undefined;
  /** When a round last finished or an order of the round in flight was last synced (epoch ms). */
  private progressAt = Date.now();

  constructor(
    private readonly settings: SweepSettings,
    private readonly schedule: PaySyncScheduleRepository,
    private readonly paySync: PaySyncService,
    private readonly records: PaySyncRecordRepository,
    private readonly anomalies: AnomalyRepository,
    @Optional() private readonly metrics: UnipayMetrics = NO_METRICS,
  ) {
    this.limiter = new ChannelRateLimiter((channel) => settings.UNIPAY_SWEEP_CHANNEL_RATES[channel] ?? settings.UNIPAY_SWEEP_RATE_PER_SECOND);
    this.rules = {
      delaysSeconds: settings.UNIPAY_SWEEP_DELAYS_SECONDS,
      lateCheckDelaysSeconds: settings.UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS,
      busyRetrySeconds: settings.UNIPAY_SWEEP_BUSY_RETRY_SECONDS,
    };
  }

  /** The job's syncs running now in this instance. */
  get activeSyncs(): number {
    return this.active;
  }

  /** Seconds since a round finished or an order of the round in flight was synced: the readiness check's measure. */
  secondsWithoutProgress(now = Date.now()): number {
    return Math.max(0, (now - this.progressAt) / 1000);
  }

  /** A sync of the round in flight ended (the refund half reports its own here). */
  noteProgress(): void {
    this.progressAt = Date.now();
  }

  /** Stop claiming; orders already claimed but not started are handed back. */
  stop(): void {
    this.stopping = true;
  }

  async runRound(): Promise<SweepSummary> {
    const summary: SweepSummary = { due: 0, synced: 0, repaired: 0, failed: 0 };
    // Orders rescheduled during this round are due after its start, so none is synced twice.
    const roundStart = new Date();
    const timer = performance.now();
    const dueWindow = {
      dueBy: roundStart,
      createdBy: new Date(roundStart.getTime() - this.settings.UNIPAY_SWEEP_GRACE_SECONDS * 1000),
    };
    this.metrics.dueBacklog(await this.schedule.countDue(dueWindow));
    this.statements += 1;
    const book = new SweepBook(this.instance, this.records, this.schedule, FLUSH_DELAY_MS);
    const concurrency = this.settings.UNIPAY_SWEEP_CONCURRENCY;
    const queue: { order: PayOrder; leaseUntil: number }[] = [];
    let exhausted = false;
    let claimFailure: unknown;
    let claiming: Promise<void> | undefined;

    const claim = async () => {
      const now = new Date();
      const leaseUntil = new Date(now.getTime() + this.settings.UNIPAY_SWEEP_LEASE_SECONDS * 1000);
      try {
        const window = {
          ...dueWindow,
          owner: this.instance,
          now,
          leaseUntil,
          limit: this.settings.UNIPAY_SWEEP_BATCH_SIZE,
        };
        const ids = await this.schedule.findDue(window);
        this.statements += 1;
        const claimed = await this.schedule.claim(ids, window);
        this.statements += ids.length > 0 ? 2 : 0;
        // A short claim does not mean nothing is left (another instance may have won part
        // of it): only an empty one ends the round. Orders rescheduled now are not due.
        if (ids.length === 0) exhausted = true;
        summary.due += claimed.length;
        for (const order of claimed) queue.push({ order, leaseUntil: leaseUntil.getTime() });
      } catch (error) {
        claimFailure ??= error;
        exhausted = true;
      }
    };
    /** Claims the next batch while the workers still have orders: they never wait for a batch to drain. */
    const claimAhead = (): Promise<void> | undefined => {
      if (!claiming && !exhausted && !this.stopping && queue.length < concurrency) {
        claiming = claim().finally(() => (claiming = undefined));
      }
      return claiming;
    };
    const worker = async () => {
      for (;;) {
        const pending = claimAhead();
        // No await between this check and taking the slot below: workers cannot all pass at once.
        while (this.yielding()) await this.gateOpened();
        const next = queue.shift();
        if (!next) {
          if (!pending) return;
          await pending;
          continue;
        }
        if (this.stopping || Date.now() > next.leaseUntil - LEASE_MARGIN_MS) {
          book.release(next.order.id);
          continue;
        }
        this.active += 1;
        try {
          await this.syncOne(next.order, summary, book);
        } finally {
          this.active -= 1;
          this.progressAt = Date.now();
          this.openGate();
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // Stopped with orders still queued: hand them back.
    for (const left of queue.splice(0, queue.length)) book.release(left.order.id);
    await book.close().finally(() => (this.statements += book.statements));
    this.metrics.sweepRound((performance.now() - timer) / 1000);
    if (claimFailure) throw claimFailure;
    this.progressAt = Date.now();
    return summary;
  }

  /**
   * Yields to merchants: while this process serves their syncs, no more than
   * UNIPAY_SWEEP_CONCURRENCY_UNDER_LOAD of the job's run at once. Waiting workers are let
   * through when one of the job's syncs ends, or look again after a short while.
   */
  private yielding(): boolean {
    return this.paySync.requestsInFlight > 0 && this.active >= this.settings.UNIPAY_SWEEP_CONCURRENCY_UNDER_LOAD && !this.stopping;
  }

  private gateOpened(): Promise<void> {
    if (!this.gate) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      this.gate = { opened, open, timer: setTimeout(() => this.openGate(), GATE_RECHECK_MS) };
    }
    return this.gate.opened;
  }

  private openGate(): void {
    const gate = this.gate;
    if (!gate) return;
    this.gate = undefined;
    clearTimeout(gate.timer);
    gate.open();
  }

  private async syncOne(order: PayOrder, summary: SweepSummary, book: SweepBook): Promise<void> {
    await this.limiter.acquire(order.channel);
    const result = await this.sync(order, book);
    if (result.kind === 'busy' || result.kind === 'error' || result.kind === 'failed') summary.failed += 1;
    if (result.kind !== 'busy' && result.kind !== 'error') summary.synced += 1;
    if (result.kind === 'repaired') summary.repaired += 1;
    const next = nextSync({ ...order, syncCount: order.syncCount ?? 0 }, result, new Date(), this.rules);
    book.reschedule({ id: order.id, next: next.at, count: next.count });
    if (next.givenUp) {
      const answer = 'status' in result ? result.status : 'no answer';
      await this.anomalies.record({
        kind: AnomalyKind.SYNC_GIVEN_UP,
        orderNo: order.orderNo,
        detail: `closed here on expiry; after ${next.count} late checks ${order.channel} still gives ${answer}, so a late payment would go unseen`,
      });
    }
  }

  private async sync(order: PayOrder, book: SweepBook): Promise<SweepResult> {
    try {
      // Records of syncs that changed nothing wait for the book; a repair writes its own.
      return await this.paySync.syncClaimed(order, (draft, manager) => (manager ? this.records.insert(draft, manager) : Promise.resolve(book.record(draft))));
    } catch (error) {
      this.logger.error(`scheduled sync of ${order.orderNo} failed: ${String(error)}`);
      return { kind: 'error' };
    }
  }
}
