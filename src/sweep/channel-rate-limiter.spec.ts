import { ChannelRateLimiter } from './channel-rate-limiter';

describe('ChannelRateLimiter', () => {
  it('lets a burst of one second through, then spaces calls at the rate', () => {
    let now = 0;
    const limiter = new ChannelRateLimiter(() => 5, () => now);
    const waits = Array.from({ length: 8 }, () => limiter.reserve('ali_pay'));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(5)).toEqual([200, 400, 600]);
    now = 10_000;
    expect(limiter.reserve('ali_pay')).toBe(0);
  });

  it('over any window, starts no more calls than the rate allows', () => {
    let now = 0;
    const limiter = new ChannelRateLimiter(() => 20, () => now);
    const starts: number[] = [];
    for (let i = 0; i < 500; i += 1) starts.push(now + limiter.reserve('wechat_pay'));
    const lastSecond = starts.filter((at) => at >= starts[starts.length - 1] - 1000);
    expect(lastSecond.length).toBeLessThanOrEqual(21);
    expect(starts[starts.length - 1]).toBeGreaterThanOrEqual(((500 - 20) / 20) * 1000 - 1);
  });

  it('keeps channels apart, each at its own rate', () => {
    const limiter = new ChannelRateLimiter((channel) => (channel === 'slow' ? 1 : 100), () => 0);
    expect(limiter.reserve('slow')).toBe(0);
    expect(limiter.reserve('slow')).toBe(1000);
    for (let i = 0; i < 100; i += 1) expect(limiter.reserve('fast')).toBe(0);
  });
});
