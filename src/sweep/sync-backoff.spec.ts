import { nextLateCheckTime, nextSyncTime } from './sync-backoff';

const DELAYS = [60, 120, 300, 600, 1800, 3600];
const NOW = new Date('2026-11-26T12:00:00Z');
const FAR = new Date('2026-11-30T12:00:00Z');

describe('nextSyncTime', () => {
  it.each([
    [0, 60],
    [1, 120],
    [2, 300],
    [3, 600],
    [4, 1800],
    [5, 3600],
    [6, 3600],
    [40, 3600],
  ])('after %i syncs waits %i s', (count, seconds) => {
    expect(nextSyncTime(count, NOW, FAR, DELAYS).getTime() - NOW.getTime()).toBe(seconds * 1000);
  });

  it('never schedules past the expiry, so an expiring order is synced when it expires', () => {
    const expiry = new Date(NOW.getTime() + 90_000);
    expect(nextSyncTime(5, NOW, expiry, DELAYS)).toEqual(expiry);
  });

  it('an order already expired (its close failed) backs off like any failure', () => {
    const expired = new Date(NOW.getTime() - 1000);
    expect(nextSyncTime(0, NOW, expired, DELAYS).getTime() - NOW.getTime()).toBe(60_000);
    expect(nextSyncTime(3, NOW, expired, DELAYS).getTime() - NOW.getTime()).toBe(600_000);
  });

  it('an abandoned 24-hour order costs a handful of queries, not one a minute', () => {
    const expiry = new Date(NOW.getTime() + 24 * 3600_000);
    let at = NOW;
    let queries = 0;
    while (at < expiry) {
      at = nextSyncTime(queries, at, expiry, DELAYS);
      queries += 1;
    }
    expect(queries).toBeLessThan(30);
  });
});

describe('nextLateCheckTime', () => {
  const LATE = [600, 3600, 86400];

  it('checks again after each delay, then stops', () => {
    expect(nextLateCheckTime(0, NOW, LATE)!.getTime() - NOW.getTime()).toBe(600_000);
    expect(nextLateCheckTime(1, NOW, LATE)!.getTime() - NOW.getTime()).toBe(3_600_000);
    expect(nextLateCheckTime(2, NOW, LATE)!.getTime() - NOW.getTime()).toBe(86_400_000);
    expect(nextLateCheckTime(3, NOW, LATE)).toBeNull();
  });
});
