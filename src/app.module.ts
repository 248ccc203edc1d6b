import { DynamicModule, Module } from '@nestjs/common';
import { SandboxModule } from './channel/sandbox/sandbox.module';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { SyncModule } from './sync/sync.module';

/** The standalone server: the database, the SyncModule and the enabled channels. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config),
        SyncModule.forRoot({
          sign: { enabled: config.signEnabled, type: config.signType, secret: config.signSecret },
          reqTimeAheadSeconds: config.reqTimeAheadSeconds,
          reqTimeBehindSeconds: config.reqTimeBehindSeconds,
          syncLockSeconds: config.syncLockSeconds,
        }),
        ...(config.sandboxEnabled ? [SandboxModule] : []),
      ],
    };
  }
}
