import { MAX_TRIES, nextTryTime } from './notify-schedule';

const START = new Date('2026-12-01T00:00:00Z');

describe('the notification schedule', () => {
  it.each([
    [1, 15],
    [2, 15],
    [3, 30],
    [4, 180],
    [5, 600],
    [6, 1200],
    [7, 1800],
    [8, 1800],
    [9, 1800],
    [10, 3600],
    [11, 10800],
    [12, 10800],
    [13, 10800],
    [14, 21600],
    [15, 21600],
  ])('after try %i fails, the next starts %i s after it started', (tries, seconds) => {
    expect(nextTryTime(tries, START)!.getTime() - START.getTime()).toBe(seconds * 1000);
  });

  it('has 16 tries, and none after the 16th', () => {
    expect(MAX_TRIES).toBe(16);
    expect(nextTryTime(16, START)).toBeNull();
    expect(nextTryTime(0, START)).toBeNull();
  });

  it('starts the 16th try 24 h 4 min after the first, when each try starts on time', () => {
    let start = START;
    for (let tries = 1; tries < 16; tries += 1) start = nextTryTime(tries, start)!;
    expect(start.getTime() - START.getTime()).toBe((24 * 3600 + 4 * 60) * 1000);
  });
});
