import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

const MIGRATION_LOCK = 'unipay_migrations';
const LOCK_WAIT_SECONDS = 120;

/**
 * Runs the checked-in migrations at boot. On MySQL several instances may boot at once, so
 * the run holds a named database lock: the first migrates, the others wait and find
 * nothing left to do.
 */
@Injectable()
export class DatabaseMigrator implements OnModuleInit {
  private readonly logger = new Logger(DatabaseMigrator.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    if (this.dataSource.options.type !== 'mysql') {
      await this.migrateRetrying();
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      const [row] = (await runner.query('SELECT GET_LOCK(?, ?) AS taken', [MIGRATION_LOCK, LOCK_WAIT_SECONDS])) as {
        taken: number | string | null;
      }[];
      if (Number(row?.taken) !== 1) throw new Error(`could not take the ${MIGRATION_LOCK} lock in ${LOCK_WAIT_SECONDS}s`);
      try {
        await this.migrate();
      } finally {
        await runner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * SQLite has no named lock: two processes starting on one file may race to create the
   * migrations table. Its DDL is transactional, so the loser changed nothing; it tries again
   * and finds the work done.
   */
  private async migrateRetrying(attempts = 10): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.migrate();
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        this.logger.warn(`migration attempt ${attempt} failed (${String(error)}); trying again`);
        await sleep(200 * attempt);
      }
    }
  }

  private async migrate(): Promise<void> {
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
  }
}
