import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { AlipayOpenApiClient } from './alipay-openapi.client';
import { AlipayPayChannel } from './alipay-pay.channel';
import { AlipaySettings } from './alipay.settings';

/** The Alipay channel (`ali_pay`), mounted when UNIPAY_ALIPAY_ENABLED is true. */
@Module({})
export class AlipayModule {
  static readonly settings = AlipaySettings;

  static register(settings: AlipaySettings): DynamicModule | undefined {
    if (!settings.UNIPAY_ALIPAY_ENABLED) return undefined;
    return {
      module: AlipayModule,
      providers: [{ provide: AlipaySettings, useValue: settings }, ChannelHttp, AlipayOpenApiClient, AlipayPayChannel],
    };
  }
}
