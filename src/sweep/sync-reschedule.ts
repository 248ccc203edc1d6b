import { PayStatus } from '../order/pay-status';
import { PaySyncOutcome } from '../sync/pay-sync-outcome';
import { PaySyncStatus } from '../sync/pay-sync-status';
import { RepairWay } from '../sync/repair-way';
import { nextLateCheckTime, nextSyncTime } from './sync-backoff';

/** The order as the job claimed it. */
export interface ScheduledOrder {
  status: PayStatus;
  /** Scheduled syncs so far in the current phase (waiting, or late checks after a local close). */
  syncCount: number;
  expiredTime: Date;
}

/** What the sync came to, or `error` when it threw (the database failed, say). */
export type SweepResult = PaySyncOutcome | { kind: 'error' };

export interface RescheduleRules {
  delaysSeconds: readonly number[];
  lateCheckDelaysSeconds: readonly number[];
  busyRetrySeconds: number;
}

/** When the job syncs the order next (null: never on its own again), and its new count. */
export interface NextSync {
  at: Date | null;
  count: number;
  /** The job stops while the trade may still be paid: an operator should know. */
  givenUp: boolean;
}

/** Answers that leave the trade open at the channel: it may still be paid. */
const STILL_WAITING = new Set<PaySyncStatus>([PaySyncStatus.PROGRESS, PaySyncStatus.NOT_FOUND_UNKNOWN, PaySyncStatus.TIMEOUT]);

function stillWaiting(result: SweepResult): boolean {
  return result.kind === 'error' || result.kind === 'failed' || (result.kind === 'unchanged' && STILL_WAITING.has(result.status));
}

/**
 * The job's rescheduling rules, by what the sync came to:
 * - repaired: done, unless it was closed here only because the channel cannot close (the
 *   buyer may still pay it): then late checks, counted from zero;
 * - anomaly, refund, no such order: the order now waits for an operator or for refund
 *   sync, not for the job; counted, so it is not taken for a new order;
 * - busy: someone else is syncing it; again shortly, not counted;
 * - unchanged or failed: the next delay while it waits, the next late check when closed;
 * - error: backed off like a failure, without spending a late check.
 * When the late checks run out while the channel still waits (or could not be asked), the
 * job has given up on an order that may yet be paid.
 */
export function nextSync(order: ScheduledOrder, result: SweepResult, now: Date, rules: RescheduleRules): NextSync {
  const next = schedule(order, result, now, rules);
  return { ...next, givenUp: next.at === null && order.status === PayStatus.CLOSE && stillWaiting(result) };
}

function schedule(order: ScheduledOrder, result: SweepResult, now: Date, rules: RescheduleRules): Omit<NextSync, 'givenUp'> {
  const count = order.syncCount;
  switch (result.kind) {
    case 'repaired': {
      const closedHereOnly = result.repair.way === RepairWay.CLOSE_LOCAL && result.status === PaySyncStatus.TIMEOUT;
      return closedHereOnly ? { at: nextLateCheckTime(0, now, rules.lateCheckDelaysSeconds), count: 0 } : { at: null, count };
    }
    case 'anomaly':
    case 'refund':
    case 'not_found':
      return { at: null, count: count + 1 };
    case 'busy':
      return { at: new Date(now.getTime() + rules.busyRetrySeconds * 1000), count };
    case 'error':
      if (order.status !== PayStatus.PROGRESS) return { at: nextLateCheckTime(count, now, rules.lateCheckDelaysSeconds), count };
      return { at: nextSyncTime(count, now, order.expiredTime, rules.delaysSeconds), count: count + 1 };
    case 'unchanged':
    case 'failed':
      if (order.status === PayStatus.CLOSE) return { at: nextLateCheckTime(count + 1, now, rules.lateCheckDelaysSeconds), count: count + 1 };
      if (order.status === PayStatus.PROGRESS) return { at: nextSyncTime(count, now, order.expiredTime, rules.delaysSeconds), count: count + 1 };
      return { at: null, count };
  }
}
