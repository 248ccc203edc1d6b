import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ObservabilityModule } from './observability/observability.module';
import { AdminModule } from './admin/admin.module';
import { AdminSettings } from './admin/admin.settings';
import { AppSettings } from './app-settings';
import { CHANNELS } from './channels';
import { DatabaseModule } from './database/database.module';
import { DatabaseSettings } from './database/database.settings';
import { mergeSchemas } from './database/module-schema';
import { NotifyModule } from './notify/notify.module';
import { NotifySettings } from './notify/notify.settings';
import { OutboxSettings } from './outbox/outbox.settings';
import { SignSettings } from './sign/sign.settings';
import { SweepModule } from './sweep/sweep.module';
import { SweepSettings } from './sweep/sweep.settings';
import { SyncModule } from './sync/sync.module';
import { SyncSettings } from './sync/sync.settings';
import { UNIPAY_SCHEMA } from './unipay-schema';

/** Every table of the standalone server: pay sync's and those of the channels it can run. */
export const APP_SCHEMA = mergeSchemas([UNIPAY_SCHEMA, ...CHANNELS.flatMap((channel) => channel.schema ?? [])]);

/**
 * The standalone server: the database, the SyncModule, the scheduled job, the merchant
 * notifier, the operator API when it has a token, and the enabled channels.
 */
@Module({})
export class AppModule {
  /** `extra`: further modules, such as a host's own channels (the benchmarks add one). */
  static forRoot(settings: AppSettings, extra: NonNullable<ModuleMetadata['imports']> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(settings.of(DatabaseSettings), APP_SCHEMA),
        ScheduleModule.forRoot(),
        ObservabilityModule,
        SyncModule.forRoot({ ...settings.of(SignSettings), ...settings.of(SyncSettings), ...settings.of(OutboxSettings) }),
        SweepModule.forRoot(settings.of(SweepSettings)),
        NotifyModule.forRoot(settings.of(NotifySettings)),
        ...(settings.of(AdminSettings).UNIPAY_ADMIN_TOKEN ? [AdminModule.forRoot(settings.of(AdminSettings))] : []),
        ...CHANNELS.flatMap((channel) => channel.register(settings.of(channel.settings)) ?? []),
        ...extra,
      ],
    };
  }
}
