import { ConfigError, loadConfig } from '../config/app-config';
import { CliError } from './cli.error';
import { CliEnv, CliIo } from './cli-io';
import { SWEEP_USAGE } from './cli-usage';
import { ExitCode } from './exit-code';
import { parseFlags } from './parse-flags';

const FLAGS = {
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `unipay sweep`: one round of the scheduled sync, now, with the server's own settings and
 * database. It claims due orders like any instance, so it is safe beside running servers.
 */
export class SweepCommand {
  constructor(
    private readonly io: CliIo,
    private readonly env: CliEnv,
  ) {}

  async run(args: string[]): Promise<ExitCode> {
    const flags = parseFlags(args, FLAGS);
    if (flags.help) {
      this.io.out(SWEEP_USAGE);
      return ExitCode.OK;
    }
    let config;
    try {
      // This process runs its one round itself; its own timer stays off.
      config = loadConfig({ ...this.env, UNIPAY_SWEEP_ENABLED: 'false' });
    } catch (error) {
      if (error instanceof ConfigError) throw CliError.usage(error.problems.join('; '));
      throw error;
    }
    // Loaded here so that `sign` and `sync` do not pay for booting Nest and TypeORM.
    await import('reflect-metadata');
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../app.module.js');
    const { PaySyncSweeper } = await import('../sweep/pay-sync-sweeper.service.js');
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
    try {
      const summary = await app.get(PaySyncSweeper).runRound();
      this.io.out(`due ${summary.due}, synced ${summary.synced}, repaired ${summary.repaired}, failed ${summary.failed}`);
      return ExitCode.OK;
    } finally {
      await app.close();
    }
  }
}
