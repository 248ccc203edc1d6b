import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { AsBool, AsInt } from '../config/settings';

/** The merchant notifier: its timer, its claims, and the safety of its outbound requests. */
export class NotifySettings {
  /** Send due notifications from this instance (every instance may; each try is claimed by one). */
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_NOTIFY_ENABLED = true;

  /** How often due tries are looked for; a repair in this instance sends its first try at once. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(3600)
  UNIPAY_NOTIFY_INTERVAL_SECONDS = 5;

  /** Notifications claimed per query. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(10000)
  UNIPAY_NOTIFY_BATCH_SIZE = 50;

  /** Requests in flight at once per instance. */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  UNIPAY_NOTIFY_CONCURRENCY = 8;

  /** How long a claim holds; must exceed the connect and read timeouts together. */
  @AsInt()
  @IsInt()
  @Min(5)
  @Max(3600)
  UNIPAY_NOTIFY_LEASE_SECONDS = 60;

  /** Time to connect to the merchant (DaxPay: 5 s). */
  @AsInt()
  @IsInt()
  @Min(100)
  @Max(60000)
  UNIPAY_NOTIFY_CONNECT_TIMEOUT_MS = 5000;

  /** Time, once connected, for the whole answer (DaxPay: a 5 s read timeout). */
  @AsInt()
  @IsInt()
  @Min(100)
  @Max(60000)
  UNIPAY_NOTIFY_READ_TIMEOUT_MS = 5000;

  /** A longer answer is cut off and counts as a failed try (a delivered answer is `SUCCESS`). */
  @AsInt()
  @IsInt()
  @Min(16)
  @Max(10485760)
  UNIPAY_NOTIFY_MAX_RESPONSE_BYTES = 65536;

  /**
   * Refuse notify URLs whose host is, or resolves to, a private, loopback, link-local or
   * otherwise non-public address, so a notify_url cannot reach the gateway's own network.
   * On by default; the SQLite demo turns it off for a merchant server on localhost.
   */
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES = true;
}
