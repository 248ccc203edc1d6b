import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { AlipayConfig } from './alipay.config';

export const ALIPAY_CONFIG = Symbol('ALIPAY_CONFIG');

@Module({})
export class AlipayModule {
  static forRoot(config: AlipayConfig): DynamicModule {
    return {
      module: AlipayModule,
      providers: [{ provide: ALIPAY_CONFIG, useValue: config }, ChannelHttp],
    };
  }
}
