import { DynamicModule, Module } from '@nestjs/common';
import { DataSourceOptions } from 'typeorm';

/** The gateway's own settings, as its config provider hands them out. */
export class GatewayConfig {
  constructor(
    readonly database: DataSourceOptions,
    /** The secret the gateway's merchants sign with (DaxPay platform secret). */
    readonly merchantSignSecret: string,
    /** How often this instance syncs stuck orders; null: it leaves that to other instances. */
    readonly stuckOrderSweepSeconds: number | null,
  ) {}
}

@Module({})
export class GatewayConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: GatewayConfigModule, providers: [{ provide: GatewayConfig, useValue: config }], exports: [GatewayConfig] };
  }
}
