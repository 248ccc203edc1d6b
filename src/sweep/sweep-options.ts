export const SWEEP_OPTIONS = Symbol('SWEEP_OPTIONS');

/** Settings of the scheduled sync of stuck orders. */
export interface SweepOptions {
  /** Run the job at all (an instance may serve only the endpoint). */
  enabled: boolean;
  /** How often a round starts, when the previous one is over. */
  intervalSeconds: number;
  /** A new order is left to its channel callback this long before the job looks at it. */
  graceSeconds: number;
  /** Orders claimed per query; a round claims batch after batch until nothing is due. */
  batchSize: number;
  /** Syncs running at once in this instance. */
  concurrency: number;
  /** How long a claim holds; a crashed instance's claims are taken over after it. */
  leaseSeconds: number;
  /** Delays between syncs of a still-waiting order; the last one repeats until expiry. */
  delaysSeconds: number[];
  /** Checks of an order closed locally on a channel that cannot close a trade. */
  lateCheckDelaysSeconds: number[];
  /** When the order is being synced by someone else right now, try again after this. */
  busyRetrySeconds: number;
  /** Channel queries a second per instance, by channel code, and for any other channel. */
  channelRates: Record<string, number>;
  defaultRatePerSecond: number;
}
