import { DynamicModule, Module } from '@nestjs/common';
import { DataSourceOptions } from 'typeorm';

/** The gateway's own settings, as its config provider hands them out. */
export class GatewayConfig {
  readonly database: DataSourceOptions;
  /** The secret the gateway's merchants sign with (DaxPay platform secret). */
  readonly merchantSignSecret: string;
  /** How often this instance syncs stuck orders; null: it leaves that to other instances. */
  readonly stuckOrderSweepSeconds: number | null;
  /** Whether this instance delivers events and merchant notifications. */
  readonly delivers: boolean;
  /** Whether merchants' notify URLs may point into private networks (a merchant on this host). */
  readonly notifyPrivateNetworks: boolean;

  constructor(values: GatewayConfig) {
    Object.assign(this, values);
  }
}

@Module({})
export class GatewayConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: GatewayConfigModule, providers: [{ provide: GatewayConfig, useValue: config }], exports: [GatewayConfig] };
  }
}
