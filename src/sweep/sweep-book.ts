import { Logger } from '@nestjs/common';
import { PaySyncRecordRepository, SyncRecordDraft } from '../sync/pay-sync-record.repository';
import { PaySyncScheduleRepository, Reschedule } from './pay-sync-schedule.repository';

/** Most rows one flush writes; the rest waits for the next. */
const MAX_ROWS = 200;

/**
 * What a round of the job writes after its syncs, kept and written in batches: the sync
 * records in one multi-row INSERT, then the reschedules (which give the claims back) in one
 * UPDATE, then the claims handed back untouched. A flush starts when a batch is full or
 * `delayMs` after the first row waiting, and flushes run one at a time, in order, so an
 * order's record is always written before its claim is given back.
 *
 * A record the job writes is not an answer to anyone: a crash before the flush loses the
 * records of syncs that changed nothing, and their claims come back after the lease, so the
 * orders are synced again. Repairs never wait here: each is written with its record in its
 * own transaction.
 */
export class SweepBook {
  private readonly logger = new Logger(SweepBook.name);
  private records: SyncRecordDraft[] = [];
  private reschedules: Reschedule[] = [];
  private releases: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  /** Statements written so far. */
  statements = 0;

  constructor(
    private readonly owner: string,
    private readonly syncRecords: PaySyncRecordRepository,
    private readonly schedule: PaySyncScheduleRepository,
    private readonly delayMs: number,
  ) {}

  record(draft: SyncRecordDraft): void {
    this.records.push(draft);
    this.soon();
  }

  reschedule(order: Reschedule): void {
    this.reschedules.push(order);
    this.soon();
  }

  release(orderId: number): void {
    this.releases.push(orderId);
    this.soon();
  }

  /** Writes everything kept so far; rejects if any flush of this book failed. */
  async close(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
  }

  private soon(): void {
    if (this.records.length >= MAX_ROWS || this.reschedules.length >= MAX_ROWS) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  private flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const records = this.records.splice(0, this.records.length);
    const reschedules = this.reschedules.splice(0, this.reschedules.length);
    const releases = this.releases.splice(0, this.releases.length);
    this.chain = this.chain.then(() => this.write(records, reschedules, releases));
    return this.chain;
  }

  private async write(records: SyncRecordDraft[], reschedules: Reschedule[], releases: number[]): Promise<void> {
    try {
      for (let i = 0; i < records.length; i += MAX_ROWS) {
        await this.syncRecords.insertMany(records.slice(i, i + MAX_ROWS));
        this.statements += 1;
      }
      for (let i = 0; i < reschedules.length; i += MAX_ROWS) {
        await this.schedule.rescheduleMany(this.owner, reschedules.slice(i, i + MAX_ROWS));
        this.statements += 1;
      }
      if (releases.length > 0) {
        await this.schedule.release(releases, this.owner);
        this.statements += 1;
      }
    } catch (error) {
      // The claims stay until their lease ends; the orders are then synced again.
      this.logger.error(`writing ${records.length} sync records and ${reschedules.length} reschedules failed: ${String(error)}`);
      this.failure ??= error;
    }
  }
}
