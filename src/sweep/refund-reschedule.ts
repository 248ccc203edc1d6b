/** When the job syncs a progress refund next (refund-sync.md section 9), from the age of its request. */
export interface RefundNextSync {
  at: Date;
  count: number;
  /** Past the maximum age: the job stops following it (an anomaly says so). */
  exhausted: boolean;
}

/** The first check waits this long after the refund request, as Alipay and WeChat Pay advise. */
export const FIRST_REFUND_CHECK_SECONDS = 60;

/** A refund the job has stopped following: never due again (its sync_next_time). */
export const NEVER = new Date('9999-12-31T00:00:00.000Z');

/**
 * Every minute up to 5 minutes after the request, then after 5, 10, 20 and 30 minutes, then
 * hourly up to 24 hours, then every 6 hours. The delay by age of the request (seconds).
 */
const LADDER: [number, number][] = [
  [5 * 60, 60],
  [10 * 60, 5 * 60],
  [20 * 60, 10 * 60],
  [40 * 60, 20 * 60],
  [70 * 60, 30 * 60],
  [24 * 3600, 3600],
];
const AFTER_A_DAY = 6 * 3600;

export function nextRefundSync(channelReqTime: Date, syncCount: number, now: Date, maxAgeSeconds: number): RefundNextSync {
  const ageSeconds = (now.getTime() - channelReqTime.getTime()) / 1000;
  const count = syncCount + 1;
  if (ageSeconds >= maxAgeSeconds) return { at: NEVER, count, exhausted: true };
  const delay = LADDER.find(([until]) => ageSeconds < until)?.[1] ?? AFTER_A_DAY;
  return { at: new Date(now.getTime() + delay * 1000), count, exhausted: false };
}
