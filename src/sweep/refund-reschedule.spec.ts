import { nextRefundSync, NEVER } from './refund-reschedule';

const SENT = new Date('2026-12-02T00:00:00Z');
const at = (seconds: number) => new Date(SENT.getTime() + seconds * 1000);
const MAX = 30 * 86400;

describe('the refund sync ladder (refund-sync.md section 9)', () => {
  it.each([
    [60, 60],
    [240, 60],
    [300, 300],
    [600, 600],
    [1200, 1200],
    [2400, 1800],
    [4200, 3600],
    [23 * 3600, 3600],
    [24 * 3600, 6 * 3600],
    [29 * 86400, 6 * 3600],
  ])('at %is after the request, the next sync is %is later', (age, delay) => {
    expect(nextRefundSync(SENT, 3, at(age), MAX)).toEqual({ at: at(age + delay), count: 4, exhausted: false });
  });

  it('stops at the maximum age', () => {
    expect(nextRefundSync(SENT, 40, at(MAX), MAX)).toEqual({ at: NEVER, count: 41, exhausted: true });
  });
});
