import { Module } from '@nestjs/common';
import { FixedSql } from './fixed-sql';
import { TransactionRunner } from './transaction-runner';

/**
 * The one TransactionRunner of the application, over whichever data source it has (the
 * standalone server's or a host's). One instance matters: on SQLite it queues every
 * transaction of the process. With it, the fixed SQL of the hot paths.
 */
@Module({
  providers: [TransactionRunner, FixedSql],
  exports: [TransactionRunner, FixedSql],
})
export class TransactionModule {}
