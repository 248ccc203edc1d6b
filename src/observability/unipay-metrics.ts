/** How a sync ended, as the metrics count it: low-cardinality labels, no order numbers. */
export interface SyncLabels {
  /** `manual`, `operator` or `scheduled`. */
  source: string;
  /** The channel status (`pay_success`…), or `none` when the sync got no answer. */
  status: string;
  /** The outcome's kind: `unchanged`, `repaired`, `anomaly`, `refund`, `failed`, `not_found`, `busy`. */
  outcome: string;
}

export interface ChannelCallLabels {
  channel: string;
  operation: 'query' | 'close' | 'refund_query';
  result: 'ok' | 'error';
}

export type NotificationResult = 'delivered' | 'failed' | 'exhausted';

/**
 * The port every service reports through: what happened, never how it is exported. The
 * module's services take it as optional, so a host that does not import
 * ObservabilityModule gets NO_METRICS and nothing else changes.
 */
export abstract class UnipayMetrics {
  abstract syncFinished(labels: SyncLabels): void;
  abstract repaired(way: string): void;
  abstract channelCall(labels: ChannelCallLabels, seconds: number): void;
  /** A request turned away with 10007. */
  abstract turnedAwayBusy(): void;
  abstract sweepRound(seconds: number): void;
  /** Due orders at the start of a round. */
  abstract dueBacklog(orders: number): void;
  abstract notification(result: NotificationResult): void;
  /** Registers how open anomalies are counted: asked at each scrape. */
  abstract countOpenAnomaliesWith(count: () => Promise<number>): void;
}

/** Reports nowhere. */
class NoMetrics extends UnipayMetrics {
  syncFinished(): void {}
  repaired(): void {}
  channelCall(): void {}
  turnedAwayBusy(): void {}
  sweepRound(): void {}
  dueBacklog(): void {}
  notification(): void {}
  countOpenAnomaliesWith(): void {}
}

export const NO_METRICS: UnipayMetrics = new NoMetrics();
