import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { PrometheusMetrics } from './prometheus-metrics';
import { UnipayMetrics } from './unipay-metrics';

/**
 * Metrics for the platform: `GET /metrics` in the Prometheus text format, fed through the
 * `UnipayMetrics` port by the sync, the repair, the job, the notifier and the anomalies.
 * Global, so every module's services find the port; import it once, at the root.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [PrometheusMetrics, { provide: UnipayMetrics, useExisting: PrometheusMetrics }],
  exports: [UnipayMetrics, PrometheusMetrics],
})
export class ObservabilityModule {}
