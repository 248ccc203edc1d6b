import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnomalyModule } from '../anomaly/anomaly.module';
import { configuredModule, SettingsFactory } from '../config/settings-providers';
import { ModuleSchema } from '../database/module-schema';
import { OutboxModule } from '../outbox/outbox.module';
import { MerchantHttp } from './merchant-http';
import { MerchantNotification } from './merchant-notification.entity';
import { MerchantNotifier } from './merchant-notifier.service';
import { CreateNotifications1764190000007 } from './migrations/1764190000007-create-notifications';
import { NotificationTry } from './notification-try.entity';
import { NotificationQueue } from './notification-queue';
import { NotificationRepository } from './notification.repository';
import { NotifyJob } from './notify.job';
import { NotifySettings } from './notify.settings';

const NOTIFY_SCHEMA: ModuleSchema = { entities: [MerchantNotification, NotificationTry], migrations: [CreateNotifications1764190000007] };

/**
 * The built-in merchant notifier (spec section 8): every repair of an order with a
 * notify_url queues a DaxPay notification in the repair's transaction, sent on DaxPay's
 * schedule from any instance. It signs with SyncModule's SignSettings and registers its
 * timer with the application's `ScheduleModule.forRoot()`. Configure it once at the root
 * with `forRoot`/`forRootAsync`.
 */
@Module({
  imports: [OutboxModule, AnomalyModule, TypeOrmModule.forFeature([...NOTIFY_SCHEMA.entities])],
  providers: [MerchantHttp, NotificationRepository, NotificationQueue, MerchantNotifier, NotifyJob],
  exports: [MerchantNotifier, NotificationRepository],
})
export class NotifyModule {
  static readonly schema = NOTIFY_SCHEMA;

  static forRoot(settings: Partial<NotifySettings> = {}): DynamicModule {
    return NotifyModule.forRootAsync({ useFactory: () => settings });
  }

  static forRootAsync(factory: SettingsFactory<Partial<NotifySettings>>): DynamicModule {
    return configuredModule(NotifyModule, [NotifySettings], factory);
  }
}
