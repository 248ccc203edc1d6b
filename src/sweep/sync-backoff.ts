/**
 * When the scheduled job syncs a still-waiting order next: the delays grow with each sync
 * (the last one repeats), and an order is never scheduled past a coming expiry, so it is
 * synced (and closed) when it expires. An order already expired whose sync failed (the
 * close at the channel, say) backs off on the same schedule rather than every round.
 */
export function nextSyncTime(syncCount: number, now: Date, expiredTime: Date, delaysSeconds: readonly number[]): Date {
  const next = now.getTime() + delaysSeconds[Math.min(syncCount, delaysSeconds.length - 1)] * 1000;
  const expiry = expiredTime.getTime();
  return new Date(expiry > now.getTime() ? Math.min(next, expiry) : next);
}

/**
 * The late checks of an order closed locally on a channel that cannot close a trade: the
 * buyer may still pay it, so it is looked at again after each delay, then never again.
 */
export function nextLateCheckTime(checksDone: number, now: Date, delaysSeconds: readonly number[]): Date | null {
  if (checksDone >= delaysSeconds.length) return null;
  return new Date(now.getTime() + delaysSeconds[checksDone] * 1000);
}
