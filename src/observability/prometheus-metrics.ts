import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ChannelCallLabels, NotificationResult, SyncLabels, UnipayMetrics } from './unipay-metrics';

/**
 * The metrics in the Prometheus text format, in a registry of this application's own (two
 * applications in one process, as in the tests, do not share counters). Every name starts
 * with `unipay_`, the process metrics included.
 */
@Injectable()
export class PrometheusMetrics extends UnipayMetrics {
  readonly registry = new Registry();
  private openAnomalies: () => Promise<number> = () => Promise.resolve(0);

  private readonly syncs = new Counter({
    name: 'unipay_syncs_total',
    help: 'Pay syncs by source, channel status and outcome',
    labelNames: ['source', 'status', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly repairs = new Counter({
    name: 'unipay_repairs_total',
    help: 'Pay orders repaired, by way',
    labelNames: ['way'] as const,
    registers: [this.registry],
  });

  private readonly channelCalls = new Histogram({
    name: 'unipay_channel_call_seconds',
    help: 'Channel calls by channel, operation and result',
    labelNames: ['channel', 'operation', 'result'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly busy = new Counter({
    name: 'unipay_sync_busy_total',
    help: 'Requests turned away because the order was being synced (10007)',
    registers: [this.registry],
  });

  private readonly rounds = new Histogram({
    name: 'unipay_sweep_round_seconds',
    help: 'Rounds of the scheduled sync and their duration',
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300],
    registers: [this.registry],
  });

  private readonly backlog = new Gauge({
    name: 'unipay_sweep_due_orders',
    help: 'Orders due for the scheduled sync at the start of the last round',
    registers: [this.registry],
  });

  private readonly notifications = new Counter({
    name: 'unipay_notifications_total',
    help: 'Merchant notification tries by result: delivered, failed (tried again later), exhausted (given up)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    super();
    const metrics = this;
    new Gauge({
      name: 'unipay_anomalies_open',
      help: 'Anomalies waiting for an operator',
      registers: [this.registry],
      async collect() {
        this.set(await metrics.openAnomalies());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'unipay_' });
  }

  syncFinished(labels: SyncLabels): void {
    this.syncs.inc({ ...labels });
  }

  repaired(way: string): void {
    this.repairs.inc({ way });
  }

  channelCall(labels: ChannelCallLabels, seconds: number): void {
    this.channelCalls.observe({ ...labels }, seconds);
  }

  turnedAwayBusy(): void {
    this.busy.inc();
  }

  sweepRound(seconds: number): void {
    this.rounds.observe(seconds);
  }

  dueBacklog(orders: number): void {
    this.backlog.set(orders);
  }

  notification(result: NotificationResult): void {
    this.notifications.inc({ result });
  }

  countOpenAnomaliesWith(count: () => Promise<number>): void {
    this.openAnomalies = count;
  }
}
