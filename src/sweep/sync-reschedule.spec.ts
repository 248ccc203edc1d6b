import { PayStatus } from '../order/pay-status';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { PaySyncStatus } from '../sync/pay-sync-status';
import { RepairWay } from '../sync/repair-way';
import { SyncReason } from '../sync/sync-reason';
import { nextSync, RescheduleRules, ScheduledOrder, SweepResult } from './sync-reschedule';

const NOW = new Date('2026-11-26T12:00:00Z');
const RULES: RescheduleRules = { delaysSeconds: [60, 120, 300], lateCheckDelaysSeconds: [600, 3600], busyRetrySeconds: 30 };
const IN_A_DAY = new Date(NOW.getTime() + 86_400_000);
const IN_90_S = new Date(NOW.getTime() + 90_000);

const repaired = (way: RepairWay, status: PaySyncStatus): SweepResult => ({ kind: 'repaired', status, repair: { repairNo: 'R1', way } });
const unchanged: SweepResult = { kind: 'unchanged', status: PaySyncStatus.PROGRESS };
const changedMeanwhile: SweepResult = { kind: 'unchanged', status: PaySyncStatus.SUCCESS, reason: SyncReason.ORDER_CHANGED };
const failed: SweepResult = { kind: 'failed', status: PaySyncStatus.FAIL, reason: SyncReason.CHANNEL_ERROR, message: 'timeout' };
const anomaly: SweepResult = { kind: 'anomaly', status: PaySyncStatus.SUCCESS, reason: SyncReason.ANOMALY, anomaly: AnomalyKind.AMOUNT_MISMATCH, message: 'x' };
const refund: SweepResult = { kind: 'refund', status: PaySyncStatus.REFUND, reason: SyncReason.REFUND, message: 'x' };
const notFound: SweepResult = { kind: 'not_found', reason: SyncReason.ORDER_NOT_FOUND, message: 'x' };
const busy: SweepResult = { kind: 'busy', reason: SyncReason.BUSY };
const error: SweepResult = { kind: 'error' };

const order = (status: PayStatus, syncCount: number, expiredTime = IN_A_DAY): ScheduledOrder => ({ status, syncCount, expiredTime });

const lateUnpaid: SweepResult = { kind: 'unchanged', status: PaySyncStatus.TIMEOUT };
const lateClosedAtChannel: SweepResult = { kind: 'unchanged', status: PaySyncStatus.CLOSED };

/** [case, order, result, seconds from now to the next sync (null: never), new count, given up] */
const TABLE: [string, ScheduledOrder, SweepResult, number | null, number, boolean?][] = [
  ['paid: done', order(PayStatus.PROGRESS, 2), repaired(RepairWay.PAY_SUCCESS, PaySyncStatus.SUCCESS), null, 2],
  ['closed at the channel: done', order(PayStatus.PROGRESS, 2), repaired(RepairWay.CLOSE_GATEWAY, PaySyncStatus.TIMEOUT), null, 2],
  ['closed because the channel closed it: done', order(PayStatus.PROGRESS, 2), repaired(RepairWay.CLOSE_LOCAL, PaySyncStatus.CLOSED), null, 2],
  ['expired, closed here only (no close API): first late check', order(PayStatus.PROGRESS, 4), repaired(RepairWay.CLOSE_LOCAL, PaySyncStatus.TIMEOUT), 600, 0],
  ['still waiting: first delay', order(PayStatus.PROGRESS, 0), unchanged, 60, 1],
  ['still waiting: the delays grow', order(PayStatus.PROGRESS, 1), unchanged, 120, 2],
  ['still waiting: the last delay repeats', order(PayStatus.PROGRESS, 7), unchanged, 300, 8],
  ['still waiting near expiry: synced when it expires', order(PayStatus.PROGRESS, 7, IN_90_S), unchanged, 90, 8],
  ['channel failed: backs off like waiting', order(PayStatus.PROGRESS, 1), failed, 120, 2],
  ['changed by the gateway meanwhile: backs off like waiting', order(PayStatus.PROGRESS, 0), changedMeanwhile, 60, 1],
  ['late check, still unpaid: the next late check', order(PayStatus.CLOSE, 0), unchanged, 3600, 1],
  ['late check failed: the next late check', order(PayStatus.CLOSE, 0), failed, 3600, 1],
  ['last late check, the channel still waits: never again, given up', order(PayStatus.CLOSE, 1), unchanged, null, 2, true],
  ['last late check, the trade unpaid and expired at the channel: given up', order(PayStatus.CLOSE, 1), lateUnpaid, null, 2, true],
  ['last late check, the channel closed the trade: never again, not given up', order(PayStatus.CLOSE, 1), lateClosedAtChannel, null, 2, false],
  ['last late check failed: never again, given up', order(PayStatus.CLOSE, 1), failed, null, 2, true],
  ['an order neither waiting nor closed: never again', order(PayStatus.SUCCESS, 3), unchanged, null, 3],
  ['anomaly: left to an operator', order(PayStatus.PROGRESS, 3), anomaly, null, 4],
  ['paid after a local close: left to an operator', order(PayStatus.CLOSE, 0), anomaly, null, 1],
  ['refund: left to refund sync', order(PayStatus.PROGRESS, 3), refund, null, 4],
  ['order gone: never again', order(PayStatus.PROGRESS, 0), notFound, null, 1],
  ['busy: again shortly, not counted', order(PayStatus.PROGRESS, 3), busy, 30, 3],
  ['busy in a late check: again shortly, not counted', order(PayStatus.CLOSE, 1), busy, 30, 1],
  ['the sync threw: backs off like a failure', order(PayStatus.PROGRESS, 2), error, 300, 3],
  ['the sync threw in a late check: same late check again', order(PayStatus.CLOSE, 1), error, 3600, 1],
  ['the sync threw after the last late check: never again, given up', order(PayStatus.CLOSE, 2), error, null, 2, true],
];

describe('nextSync: the scheduled job rescheduling rules', () => {
  it.each(TABLE)('%s', (_case, scheduled, result, seconds, count, givenUp = false) => {
    const next = nextSync(scheduled, result, NOW, RULES);
    expect(next.count).toBe(count);
    expect(next.at === null ? null : (next.at.getTime() - NOW.getTime()) / 1000).toBe(seconds);
    expect(next.givenUp).toBe(givenUp);
  });

  it('covers every kind of outcome', () => {
    const kinds = new Set(TABLE.map(([, , result]) => result.kind));
    expect([...kinds].sort()).toEqual(['anomaly', 'busy', 'error', 'failed', 'not_found', 'refund', 'repaired', 'unchanged']);
  });
});
