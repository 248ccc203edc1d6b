import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChannelRegistry } from '../channel/channel-registry.service';
import { TransactionRunner } from '../database/transaction-runner';
import { Lease } from '../lease/lease.entity';
import { LeaseRepository } from '../lease/lease.repository';
import { OrderModule } from '../order/order.module';
import { PayOrder } from '../order/pay-order.entity';
import { PayRepairRecord } from '../repair/pay-repair-record.entity';
import { PayRepairService } from '../repair/pay-repair.service';
import { PaySyncJob } from '../sweep/pay-sync.job';
import { PaySyncScheduleRepository } from '../sweep/pay-sync-schedule.repository';
import { PaySyncSweeper } from '../sweep/pay-sync-sweeper.service';
import { SWEEP_OPTIONS, SweepOptions } from '../sweep/sweep-options';
import { ApiRequestVerifier } from './api-request-verifier.service';
import { ApiSignGuard } from './api-sign.guard';
import { PaySyncController } from './pay-sync.controller';
import { PaySyncRecord } from './pay-sync-record.entity';
import { PaySyncRecordRepository } from './pay-sync-record.repository';
import { PaySyncService } from './pay-sync.service';
import { SYNC_OPTIONS, type SyncModuleOptions } from './sync-options';

export interface SyncModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: never[] | unknown[];
  useFactory: (...args: never[]) => SyncModuleOptions | Promise<SyncModuleOptions>;
}

/**
 * Pay sync for a DaxPay-compatible gateway: `POST /unipay/sync/pay` and PaySyncService.
 * The host registers SYNC_ENTITIES with TypeORM (and runs SYNC_MIGRATIONS) and imports the
 * modules of the channels it uses; each marks its channel with `@PayChannelProvider()`.
 */
@Module({})
export class SyncModule {
  static forRoot(options: SyncModuleOptions): DynamicModule {
    return SyncModule.build({ provide: SYNC_OPTIONS, useValue: options }, []);
  }

  static forRootAsync(options: SyncModuleAsyncOptions): DynamicModule {
    return SyncModule.build(
      { provide: SYNC_OPTIONS, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] },
      options.imports ?? [],
    );
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return {
      module: SyncModule,
      imports: [
        ...imports,
        DiscoveryModule,
        ScheduleModule.forRoot(),
        OrderModule,
        TypeOrmModule.forFeature([PayOrder, PaySyncRecord, PayRepairRecord, Lease]),
      ],
      controllers: [PaySyncController],
      providers: [
        optionsProvider,
        {
          provide: SWEEP_OPTIONS,
          useFactory: (options: SyncModuleOptions): SweepOptions | { enabled: false } => options.sweep ?? { enabled: false },
          inject: [SYNC_OPTIONS],
        },
        ApiRequestVerifier,
        ApiSignGuard,
        ChannelRegistry,
        LeaseRepository,
        PayRepairService,
        PaySyncRecordRepository,
        PaySyncService,
        TransactionRunner,
        PaySyncScheduleRepository,
        PaySyncSweeper,
        PaySyncJob,
      ],
      exports: [PaySyncService, PaySyncSweeper, ChannelRegistry],
    };
  }
}
