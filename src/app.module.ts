import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { AlipayModule } from './channel/alipay/alipay.module';
import { SandboxModule } from './channel/sandbox/sandbox.module';
import { UnionPayModule } from './channel/unionpay/unionpay.module';
import { WechatPayModule } from './channel/wechat/wechat-pay.module';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { SyncModule } from './sync/sync.module';

/** The standalone server: the database, the SyncModule and the enabled channels. */
@Module({})
export class AppModule {
  /** `extra`: further modules, such as a host's own channels (the benchmarks add one). */
  static forRoot(config: AppConfig, extra: NonNullable<ModuleMetadata['imports']> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config),
        SyncModule.forRoot({
          sign: { enabled: config.signEnabled, type: config.signType, secret: config.signSecret },
          reqTimeAheadSeconds: config.reqTimeAheadSeconds,
          reqTimeBehindSeconds: config.reqTimeBehindSeconds,
          syncLockSeconds: config.syncLockSeconds,
          sweep: {
            enabled: config.sweepEnabled,
            intervalSeconds: config.sweepIntervalSeconds,
            graceSeconds: config.sweepGraceSeconds,
            batchSize: config.sweepBatchSize,
            concurrency: config.sweepConcurrency,
            leaseSeconds: config.sweepLeaseSeconds,
            delaysSeconds: config.sweepDelaysSeconds,
            lateCheckDelaysSeconds: config.sweepLateCheckDelaysSeconds,
            busyRetrySeconds: config.sweepBusyRetrySeconds,
            channelRates: config.sweepChannelRates,
            defaultRatePerSecond: config.sweepRatePerSecond,
          },
        }),
        ...(config.sandboxEnabled ? [SandboxModule] : []),
        ...(config.alipay ? [AlipayModule.forRoot(config.alipay)] : []),
        ...(config.wechat ? [WechatPayModule.forRoot(config.wechat)] : []),
        ...(config.unionpay ? [UnionPayModule.forRoot(config.unionpay)] : []),
        ...extra,
      ],
    };
  }
}
