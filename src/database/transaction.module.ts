import { Module } from '@nestjs/common';
import { TransactionRunner } from './transaction-runner';

/**
 * The one TransactionRunner of the application, over whichever data source it has (the
 * standalone server's or a host's). One instance matters: on SQLite it queues every
 * transaction of the process.
 */
@Module({
  providers: [TransactionRunner],
  exports: [TransactionRunner],
})
export class TransactionModule {}
