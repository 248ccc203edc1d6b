import { setTimeout as sleep } from 'node:timers/promises';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per channel: at most `rate` calls a second on average, with bursts up to
 * one second's worth. Per instance; with N instances a channel sees at most N times the rate.
 */
export class ChannelRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rateOf: (channel: string) => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before the next call on this channel may start (and takes it). */
  reserve(channel: string): number {
    const rate = this.rateOf(channel);
    const now = this.now();
    const bucket = this.buckets.get(channel) ?? { tokens: rate, updatedAt: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    bucket.tokens -= 1;
    this.buckets.set(channel, bucket);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / rate) * 1000);
  }

  async acquire(channel: string): Promise<void> {
    const wait = this.reserve(channel);
    if (wait > 0) await sleep(wait);
  }
}
