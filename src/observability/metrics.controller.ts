import { Controller, Get, Header } from '@nestjs/common';
import { PrometheusMetrics } from './prometheus-metrics';

/** `GET /metrics` for the platform's scraper; keep it off the merchants' listener (README, "Operating it"). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PrometheusMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
