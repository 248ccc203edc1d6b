import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, HttpException, HttpStatus, Logger, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ReadinessRegistry } from './unipay-readiness';

/** How long the database may take to answer the readiness ping. */
export const DATABASE_PING_TIMEOUT_MS = 3000;

/**
 * Health answers in terminus's own shape (`{status, info, error, details}`), 200 when up and
 * 503 with the reasons when down: probes read the status code, people the body. They are
 * platform routes, so they do not use the merchants' DaxPay envelope.
 */
@Catch()
export class HealthAnswerFilter implements ExceptionFilter {
  private readonly logger = new Logger('Health');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE).send(error.getResponse());
      return;
    }
    this.logger.error({ msg: 'health check failed unexpectedly' }, error instanceof Error ? error : new Error(String(error)));
    const down = { health: { status: 'down', message: 'the health check itself failed; see the log' } };
    void reply.status(HttpStatus.SERVICE_UNAVAILABLE).send({ status: 'error', info: {}, error: down, details: down });
  }
}

/**
 * `GET /health/live`: the process serves and still holds its database connection (a closed
 * one never comes back without a restart). `GET /health/ready`: the database answers, every
 * migration is applied, and each registered part (the sweep) says it is ready.
 */
@ApiTags('platform')
@Controller('health')
@UseFilters(HealthAnswerFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ReadinessRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process serves and holds its database connection', description: '503 with the reason when not; restart the instance.' })
  live() {
    return this.health.check([() => this.connectionOpen()]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the database answers, migrations are applied, the sweep is not stuck',
    description: '503 with the reasons when not; send no traffic to the instance until it is ready again.',
  })
  ready() {
    return this.health.check([
      () => (this.dataSource.isInitialized ? this.database.pingCheck('database').withTimeout(DATABASE_PING_TIMEOUT_MS) : this.connectionOpen()),
      () => this.migrationsApplied(),
      ...this.registry.entries().map(([name, check]) => () => this.registered(name, check)),
    ]);
  }

  private connectionOpen(): HealthIndicatorResult {
    const session = this.indicators.check('database');
    return this.dataSource.isInitialized ? session.up() : session.down('the database connection is closed');
  }

  /** Compares the migrations this code carries with those the database has recorded; changes nothing. */
  private async migrationsApplied(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('migrations');
    if (!this.dataSource.isInitialized) return session.down('the database connection is closed');
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    let recorded: Set<string>;
    try {
      const rows = (await this.dataSource.query(`SELECT name FROM ${this.dataSource.driver.escape(table)}`)) as { name: string }[];
      recorded = new Set(rows.map((row) => row.name));
    } catch {
      return session.down(`the migrations table ${table} cannot be read`);
    }
    const pending = this.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !recorded.has(name));
    return pending.length === 0
      ? session.up({ applied: this.dataSource.migrations.length })
      : session.down({ message: `${pending.length} migration(s) not applied`, pending });
  }

  private async registered(name: string, check: () => unknown): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(name);
    let problem: unknown;
    try {
      problem = await check();
    } catch (error) {
      problem = `the check failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    return typeof problem === 'string' ? session.down(problem) : session.up();
  }
}
