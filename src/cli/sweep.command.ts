import { CliError } from './cli.error';
import { CliEnv, CliIo } from './cli-io';
import { SWEEP_USAGE } from './cli-usage';
import { ExitCode } from './exit-code';

/**
 * `unipay sweep`: one round of the scheduled sync, now, with the server's own settings and
 * database. It claims due orders like any instance, so it is safe beside running servers.
 */
export class SweepCommand {
  static readonly usage = SWEEP_USAGE;
  static readonly flags = {};

  constructor(
    private readonly io: CliIo,
    private readonly env: CliEnv,
  ) {}

  async run(): Promise<ExitCode> {
    // Loaded here so that `sign` and `sync` do not pay for booting Nest and TypeORM.
    require('reflect-metadata');
    const { AppSettings } = require('../app-settings') as typeof import('../app-settings');
    const { ConfigError } = require('../config/settings') as typeof import('../config/settings');
    let settings;
    try {
      // This process runs its one round itself and no timer: the notifications and events
      // its repairs queue are sent by the running servers.
      settings = AppSettings.load({ ...this.env, UNIPAY_SWEEP_ENABLED: 'false', UNIPAY_NOTIFY_ENABLED: 'false', UNIPAY_EVENTS_ENABLED: 'false' });
    } catch (error) {
      if (error instanceof ConfigError) throw CliError.usage(error.problems.join('; '));
      throw error;
    }
    const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
    const { AppModule } = require('../app.module') as typeof import('../app.module');
    const { PaySyncJob } = require('../sweep/pay-sync.job') as typeof import('../sweep/pay-sync.job');
    const { UnipayLogger } = require('../observability/unipay-logger') as typeof import('../observability/unipay-logger');
    const { ServerSettings } = require('../server.settings') as typeof import('../server.settings');
    const { default: pino } = require('pino') as typeof import('pino');
    const log = settings.of(ServerSettings);
    // Standard output is the round's summary; what went wrong goes to standard error, in the server's log format.
    const logger = new UnipayLogger({ level: 'warn', format: log.UNIPAY_LOG_FORMAT, redact: log.UNIPAY_LOG_REDACT, destination: pino.destination({ fd: 2, sync: true }) });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(settings), { logger });
    try {
      const summary = await app.get(PaySyncJob).runRound();
      this.io.out(`due ${summary.due}, synced ${summary.synced}, repaired ${summary.repaired}, failed ${summary.failed}`);
      const { refunds } = summary;
      if (refunds.due > 0) this.io.out(`refunds: due ${refunds.due}, synced ${refunds.synced}, repaired ${refunds.repaired}, failed ${refunds.failed}`);
      return ExitCode.OK;
    } finally {
      await app.close();
    }
  }
}
