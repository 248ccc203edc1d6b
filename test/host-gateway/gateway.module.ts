import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotifyModule, SweepModule, SyncModule, UNIPAY_SCHEMA } from 'unipay-sync';
import { CreateGatewayTables1764300000000 } from './create-gateway-tables.migration';
import { GatewayConfig, GatewayConfigModule } from './gateway-config';
import { Shipment } from './shipment.entity';
import { ShippingModule } from './shipping.module';
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
            entities: [WalletPayment, Shipment, ...UNIPAY_SCHEMA.entities],
            migrations: [CreateGatewayTables1764300000000, ...UNIPAY_SCHEMA.migrations],
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
            UNIPAY_EVENTS_ENABLED: gateway.delivers,
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
        NotifyModule.forRootAsync({
          imports: [configModule],
          inject: [GatewayConfig],
          useFactory: (gateway: GatewayConfig) => ({
            UNIPAY_NOTIFY_ENABLED: gateway.delivers,
            UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES: !gateway.notifyPrivateNetworks,
          }),
        }),
        WalletModule,
        ShippingModule,
      ],
    };
  }
}
