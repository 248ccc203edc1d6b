import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SweepModule, SyncModule, UNIPAY_SCHEMA } from 'unipay-sync';
import { CreateWalletPayment1764300000000 } from './create-wallet-payment.migration';
import { GatewayConfig, GatewayConfigModule } from './gateway-config';
import { WalletModule } from './wallet.module';
import { WalletPayment } from './wallet-payment.entity';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    // One module object, imported wherever the config is needed: Nest shares it.
    const configModule = GatewayConfigModule.forRoot(config);
    return {
      module: GatewayModule,
      imports: [
        configModule,
        TypeOrmModule.forRootAsync({
          imports: [configModule],
          inject: [GatewayConfig],
          useFactory: (gateway: GatewayConfig) => ({
            ...gateway.database,
            entities: [WalletPayment, ...UNIPAY_SCHEMA.entities],
            migrations: [CreateWalletPayment1764300000000, ...UNIPAY_SCHEMA.migrations],
            migrationsRun: true,
          }),
        }),
        ScheduleModule.forRoot(),
        SyncModule.forRootAsync({
          imports: [configModule],
          inject: [GatewayConfig],
          useFactory: (gateway: GatewayConfig) => ({
            UNIPAY_SIGN_SECRET: gateway.merchantSignSecret,
            UNIPAY_REQ_TIME_BEHIND_SECONDS: 120,
          }),
        }),
        SweepModule.forRootAsync({
          imports: [configModule],
          inject: [GatewayConfig],
          useFactory: (gateway: GatewayConfig) => ({
            UNIPAY_SWEEP_ENABLED: gateway.stuckOrderSweepSeconds !== null,
            UNIPAY_SWEEP_INTERVAL_SECONDS: gateway.stuckOrderSweepSeconds ?? undefined,
          }),
        }),
        WalletModule,
      ],
    };
  }
}
