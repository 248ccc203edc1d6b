import { ArrayMaxSize, ArrayNotEmpty, IsBoolean, IsInt, Max, Min } from 'class-validator';
import { AsBool, AsInt, AsIntList } from '../config/settings';

/** Delivery of repair events to the host gateway's handlers. */
export class OutboxSettings {
  /** Deliver events from this instance (every instance may; each event is claimed by one). */
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_EVENTS_ENABLED = true;

  /** How often pending events are looked for; a repair in this instance starts a round at once. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(3600)
  UNIPAY_EVENTS_INTERVAL_SECONDS = 5;

  /** Delays after a handler failed, by failures so far; the last repeats, and nothing is dropped. */
  @AsIntList()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  UNIPAY_EVENTS_RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 1800, 3600];

  /** Events claimed per query. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(10000)
  UNIPAY_EVENTS_BATCH_SIZE = 100;

  /** How long a claim holds; must exceed the slowest handler. A crashed instance's events come back after it. */
  @AsInt()
  @IsInt()
  @Min(5)
  @Max(86400)
  UNIPAY_EVENTS_LEASE_SECONDS = 60;
}
