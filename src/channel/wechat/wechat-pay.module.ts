import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { WechatPayChannel } from './wechat-pay.channel';
import { WechatPaySettings } from './wechat-pay.settings';
import { WechatPayV3Client } from './wechat-pay-v3.client';

/** The WeChat Pay channel (`wechat_pay`), mounted when UNIPAY_WECHAT_ENABLED is true. */
@Module({})
export class WechatPayModule {
  static readonly settings = WechatPaySettings;

  static register(settings: WechatPaySettings): DynamicModule | undefined {
    if (!settings.UNIPAY_WECHAT_ENABLED) return undefined;
    return {
      module: WechatPayModule,
      providers: [{ provide: WechatPaySettings, useValue: settings }, ChannelHttp, WechatPayV3Client, WechatPayChannel],
    };
  }
}
