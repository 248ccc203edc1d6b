import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusMetrics } from './prometheus-metrics';

/** `GET /metrics` for the platform's scraper; keep it off the merchants' listener (README, "Operating it"). */
@ApiTags('platform')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PrometheusMetrics) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (unipay_* and the process metrics)', description: 'For the platform scraper, not for merchants.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'the Prometheus text exposition format', schema: { type: 'string' } })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
