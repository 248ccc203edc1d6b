import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnomalyModule } from '../anomaly/anomaly.module';
import { configuredModule, SettingsFactory } from '../config/settings-providers';
import { TransactionModule } from '../database/transaction.module';
import { PayOrder } from '../order/pay-order.entity';
import { SyncModule } from '../sync/sync.module';
import { PaySyncScheduleRepository } from './pay-sync-schedule.repository';
import { PaySyncSweeper } from './pay-sync-sweeper.service';
import { PaySyncJob } from './pay-sync.job';
import { RefundSweeper } from './refund-sweeper.service';
import { RefundSyncScheduleRepository } from './refund-sync-schedule.repository';
import { RefundOrder } from '../refund/refund-order.entity';
import { SweepSettings } from './sweep.settings';

/**
 * The scheduled sync of stuck orders: claims due pay orders and syncs each through
 * SyncModule's PaySyncService. Its timer is registered with @nestjs/schedule, so the
 * application imports `ScheduleModule.forRoot()` once, at its root.
 */
@Module({
  imports: [SyncModule, AnomalyModule, TransactionModule, TypeOrmModule.forFeature([PayOrder, RefundOrder])],
  providers: [PaySyncScheduleRepository, PaySyncSweeper, RefundSyncScheduleRepository, RefundSweeper, PaySyncJob],
  exports: [PaySyncJob],
})
export class SweepModule {
  static forRoot(settings: Partial<SweepSettings> = {}): DynamicModule {
    return SweepModule.forRootAsync({ useFactory: () => settings });
  }

  /** Settings from the host's own providers, e.g. its config service. */
  static forRootAsync(factory: SettingsFactory<Partial<SweepSettings>>): DynamicModule {
    return configuredModule(SweepModule, [SweepSettings], factory);
  }
}
