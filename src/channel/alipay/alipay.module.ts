import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { ALIPAY_CONFIG, AlipayConfig } from './alipay.config';
import { AlipayOpenApiClient } from './alipay-openapi.client';
import { AlipayPayChannel } from './alipay-pay.channel';

export { ALIPAY_CONFIG } from './alipay.config';

/** The Alipay channel (`ali_pay`); imported by the host only when the channel is enabled. */
@Module({})
export class AlipayModule {
  static forRoot(config: AlipayConfig): DynamicModule {
    return {
      module: AlipayModule,
      providers: [{ provide: ALIPAY_CONFIG, useValue: config }, ChannelHttp, AlipayOpenApiClient, AlipayPayChannel],
    };
  }
}
