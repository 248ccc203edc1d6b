import { DynamicModule, Module } from '@nestjs/common';
import { AnomalyModule } from '../anomaly/anomaly.module';
import { configuredModule, SettingsFactory } from '../config/settings-providers';
import { NotifyModule } from '../notify/notify.module';
import { OutboxModule } from '../outbox/outbox.module';
import { SyncModule } from '../sync/sync.module';
import { AdminController } from './admin.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminService } from './admin.service';
import { AdminSettings } from './admin.settings';

/**
 * The operator API under `/admin`. It reads and acts through SyncModule, NotifyModule,
 * AnomalyModule and the outbox, so those are configured at the root too.
 */
@Module({
  imports: [SyncModule, NotifyModule, AnomalyModule, OutboxModule],
  controllers: [AdminController],
  providers: [AdminService, AdminTokenGuard],
})
export class AdminModule {
  static forRoot(settings: Partial<AdminSettings> = {}): DynamicModule {
    return AdminModule.forRootAsync({ useFactory: () => settings });
  }

  static forRootAsync(factory: SettingsFactory<Partial<AdminSettings>>): DynamicModule {
    return configuredModule(AdminModule, [AdminSettings], factory);
  }
}
