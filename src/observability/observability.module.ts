import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { PrometheusMetrics } from './prometheus-metrics';
import { UnipayMetrics } from './unipay-metrics';
import { ReadinessRegistry, UnipayReadiness } from './unipay-readiness';

/**
 * What the platform watches: `GET /metrics` in the Prometheus text format, fed through the
 * `UnipayMetrics` port by the sync, the repair, the job, the notifier and the anomalies; and
 * `GET /health/live` and `GET /health/ready` (terminus), with the parts that register
 * through the `UnipayReadiness` port. Global, so every module's services find the ports;
 * import it once, at the root, beside the TypeORM data source.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [MetricsController, HealthController],
  providers: [
    PrometheusMetrics,
    { provide: UnipayMetrics, useExisting: PrometheusMetrics },
    ReadinessRegistry,
    { provide: UnipayReadiness, useExisting: ReadinessRegistry },
  ],
  exports: [UnipayMetrics, PrometheusMetrics, UnipayReadiness],
})
export class ObservabilityModule {}
