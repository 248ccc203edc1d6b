/**
 * When the scheduled job syncs a still-waiting order next: the delays grow with each sync
 * (the last one repeats), and an order is never scheduled past its expiry, so an expired
 * order is due at once and gets closed.
 */
export function nextSyncTime(syncCount: number, now: Date, expiredTime: Date, delaysSeconds: readonly number[]): Date {
  const delay = delaysSeconds[Math.min(syncCount, delaysSeconds.length - 1)] * 1000;
  return new Date(Math.min(now.getTime() + delay, Math.max(expiredTime.getTime(), now.getTime())));
}

/**
 * The late checks of an order closed locally on a channel that cannot close a trade: the
 * buyer may still pay it, so it is looked at again after each delay, then never again.
 */
export function nextLateCheckTime(checksDone: number, now: Date, delaysSeconds: readonly number[]): Date | null {
  if (checksDone >= delaysSeconds.length) return null;
  return new Date(now.getTime() + delaysSeconds[checksDone] * 1000);
}
