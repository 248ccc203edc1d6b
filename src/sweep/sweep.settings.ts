import { ArrayMaxSize, ArrayNotEmpty, IsBoolean, IsInt, Max, Min, ValidateBy } from 'class-validator';
import { Transform } from 'class-transformer';
import { isJsonObject } from '../common/json-object';
import { AsBool, AsInt, AsIntList } from '../config/settings';

/** `ali_pay=10,wechat_pay=20` → {ali_pay: 10, wechat_pay: 20}; anything else is kept, for validation to name. */
function AsChannelRates(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const rates: Record<string, number> = {};
    for (const pair of value.split(',').filter((item) => item.trim() !== '')) {
      const match = /^\s*([a-z0-9_]{1,32})\s*=\s*(\d{1,6})\s*$/.exec(pair);
      if (!match) return value;
      rates[match[1]] = Number(match[2]);
    }
    return rates;
  });
}

function IsChannelRates(): PropertyDecorator {
  return ValidateBy({
    name: 'isChannelRates',
    validator: {
      validate: (value: unknown) =>
        isJsonObject(value) &&
        Object.entries(value).every(([code, rate]) => /^[a-z0-9_]{1,32}$/.test(code) && Number.isInteger(rate) && (rate as number) >= 1),
      defaultMessage: () => 'expected channel=rate pairs such as ali_pay=10,wechat_pay=20',
    },
  });
}

/** The scheduled sync of stuck orders. */
export class SweepSettings {
  /** Run the job at all (an instance may serve only the endpoint). */
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_SWEEP_ENABLED = true;

  /** How often a round starts, when the previous one is over. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(86400)
  UNIPAY_SWEEP_INTERVAL_SECONDS = 30;

  /**
   * The instance is not ready (`GET /health/ready`) when no round has finished and no order
   * of the round in flight has been synced for this long: the sweep is stuck. Must be longer
   * than the interval.
   */
  @AsInt()
  @IsInt()
  @Min(2)
  @Max(604800)
  @ValidateBy({
    name: 'longerThanInterval',
    validator: {
      validate: (value: unknown, args) => typeof value === 'number' && value > (args?.object as SweepSettings).UNIPAY_SWEEP_INTERVAL_SECONDS,
      defaultMessage: () => 'must be longer than UNIPAY_SWEEP_INTERVAL_SECONDS',
    },
  })
  UNIPAY_SWEEP_STUCK_SECONDS = 300;

  /** A new order is left to its channel callback this long before the job looks at it. */
  @AsInt()
  @IsInt()
  @Min(0)
  @Max(86400)
  UNIPAY_SWEEP_GRACE_SECONDS = 60;

  /** Orders claimed per query; a round claims batch after batch until nothing is due. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(10000)
  UNIPAY_SWEEP_BATCH_SIZE = 200;

  /** Syncs running at once in this instance. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  UNIPAY_SWEEP_CONCURRENCY = 16;

  /**
   * Syncs running at once while this instance is serving merchants' syncs: the job yields to
   * requests, and takes its full concurrency back when none is in flight.
   */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  UNIPAY_SWEEP_CONCURRENCY_UNDER_LOAD = 4;

  /** How long a claim holds; a crashed instance's claims are taken over after it. */
  @AsInt()
  @IsInt()
  @Min(10)
  @Max(86400)
  UNIPAY_SWEEP_LEASE_SECONDS = 300;

  /** Delays between syncs of a still-waiting order; the last one repeats until expiry. */
  @AsIntList()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  UNIPAY_SWEEP_DELAYS_SECONDS = [60, 120, 300, 600, 1800, 3600];

  /** Checks of an order closed locally on a channel that cannot close a trade. */
  @AsIntList()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS = [600, 3600, 86400];

  /** When the order is being synced by someone else right now, try again after this. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(86400)
  UNIPAY_SWEEP_BUSY_RETRY_SECONDS = 30;

  /** A refund still in progress this long after its request is no longer followed (anomaly refund_sync_exhausted). */
  @AsInt()
  @IsInt()
  @Min(3600)
  @Max(31536000)
  UNIPAY_SWEEP_REFUND_MAX_AGE_SECONDS = 2592000;

  /** Channel queries a second per instance, for a channel without its own rate. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(100000)
  UNIPAY_SWEEP_RATE_PER_SECOND = 20;

  /** Channel queries a second per instance, by channel code: `ali_pay=10,wechat_pay=20`. */
  @AsChannelRates()
  @IsChannelRates()
  UNIPAY_SWEEP_CHANNEL_RATES: Record<string, number> = {};
}
