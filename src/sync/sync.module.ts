import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChannelModule } from '../channel/channel.module';
import { configuredModule, SettingsFactory } from '../config/settings-providers';
import { ModuleSchema } from '../database/module-schema';
import { TransactionModule } from '../database/transaction.module';
import { OrderModule } from '../order/order.module';
import { OutboxDeliveryModule } from '../outbox/outbox-delivery.module';
import { OutboxModule } from '../outbox/outbox.module';
import { OutboxSettings } from '../outbox/outbox.settings';
import { AnomalyModule } from '../anomaly/anomaly.module';
import { SignSettings } from '../sign/sign.settings';
import { ApiRequestVerifier } from './api-request-verifier.service';
import { ApiSignGuard } from './api-sign.guard';
import { Lease } from './lease.entity';
import { CreateSyncRecords1764190000003 } from './migrations/1764190000003-create-sync-records';
import { CreateUnipayLease1764190000004 } from './migrations/1764190000004-create-unipay-lease';
import { AddSyncRecordLock1764190000008 } from './migrations/1764190000008-add-sync-record-lock';
import { AddSyncRecordNonce1764190000009 } from './migrations/1764190000009-add-sync-record-nonce';
import { AddSyncRecordResponseUnverified1764190000010 } from './migrations/1764190000010-add-sync-record-response-unverified';
import { AddRefundSyncRecords1764190000013 } from './migrations/1764190000013-add-refund-sync-records';
import { RefundRepairRecord } from './refund/refund-repair-record.entity';
import { RefundRepairService } from './refund/refund-repair.service';
import { RefundSignGuard } from './refund/refund-sign.guard';
import { RefundSyncController } from './refund/refund-sync.controller';
import { RefundSyncService } from './refund/refund-sync.service';
import { RefundModule } from '../refund/refund.module';
import { PayRepairRecord } from './pay-repair-record.entity';
import { PayRepairRecordRepository } from './pay-repair-record.repository';
import { PayRepairService } from './pay-repair.service';
import { PaySyncController } from './pay-sync.controller';
import { PaySyncRecord } from './pay-sync-record.entity';
import { PaySyncRecordRepository } from './pay-sync-record.repository';
import { PaySyncService } from './pay-sync.service';
import { SyncSettings } from './sync.settings';

/** The SyncModule's settings by variable name; what is left out takes its default. */
export type SyncModuleSettings = Partial<SignSettings & SyncSettings & OutboxSettings>;

const SYNC_SCHEMA: ModuleSchema = {
  entities: [PaySyncRecord, PayRepairRecord, RefundRepairRecord, Lease],
  migrations: [CreateSyncRecords1764190000003, CreateUnipayLease1764190000004, AddSyncRecordLock1764190000008, AddSyncRecordNonce1764190000009, AddSyncRecordResponseUnverified1764190000010, AddRefundSyncRecords1764190000013],
};

/**
 * Pay sync for a DaxPay-compatible gateway: `POST /unipay/sync/pay` and PaySyncService over
 * the gateway's pay orders and the channels it registers (`@PayChannelProvider()`); each
 * repair's event goes through the outbox to the gateway's `@UnipayEventListener()`s.
 * Configure it once at the root with `forRoot` or `forRootAsync`; import the class itself
 * wherever PaySyncService is needed. Its delivery timer needs the application's
 * `ScheduleModule.forRoot()`.
 */
@Module({
  imports: [
    OrderModule,
    RefundModule,
    ChannelModule,
    TransactionModule,
    OutboxModule,
    OutboxDeliveryModule,
    AnomalyModule,
    TypeOrmModule.forFeature([...SYNC_SCHEMA.entities]),
  ],
  controllers: [PaySyncController, RefundSyncController],
  providers: [
    ApiRequestVerifier,
    ApiSignGuard,
    PayRepairRecordRepository,
    PayRepairService,
    PaySyncRecordRepository,
    PaySyncService,
    RefundRepairService,
    RefundSignGuard,
    RefundSyncService,
  ],
  exports: [PaySyncService, RefundSyncService, PaySyncRecordRepository, PayRepairRecordRepository, RefundModule],
})
export class SyncModule {
  /** The sync and repair records and the lease table; the pay order is OrderModule's. */
  static readonly schema = SYNC_SCHEMA;

  static forRoot(settings: SyncModuleSettings = {}): DynamicModule {
    return SyncModule.forRootAsync({ useFactory: () => settings });
  }

  /** Settings from the host's own providers, e.g. its config service. */
  static forRootAsync(factory: SettingsFactory<SyncModuleSettings>): DynamicModule {
    return configuredModule(SyncModule, [SignSettings, SyncSettings, OutboxSettings], factory);
  }
}
