/**
 * DaxPay's notification schedule (spec section 8): 16 tries in all; when try n fails, try
 * n+1 is due at the start of try n plus the n-th delay. The 16th starts 24 h 4 min after
 * the first.
 */
export const NOTIFY_DELAYS_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600] as const;

export const MAX_TRIES = NOTIFY_DELAYS_SECONDS.length + 1;

/** When the next try is due after `triesDone` tries, the last one started at `lastStart`; null after the 16th. */
export function nextTryTime(triesDone: number, lastStart: Date): Date | null {
  if (triesDone < 1 || triesDone >= MAX_TRIES) return null;
  return new Date(lastStart.getTime() + NOTIFY_DELAYS_SECONDS[triesDone - 1] * 1000);
}
