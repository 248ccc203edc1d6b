import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { WECHAT_CONFIG, WechatPayConfig } from './wechat-pay.config';
import { WechatPayChannel } from './wechat-pay.channel';
import { WechatPayV3Client } from './wechat-pay-v3.client';

export { WECHAT_CONFIG } from './wechat-pay.config';

@Module({})
export class WechatPayModule {
  static forRoot(config: WechatPayConfig): DynamicModule {
    return {
      module: WechatPayModule,
      providers: [{ provide: WECHAT_CONFIG, useValue: config }, ChannelHttp, WechatPayV3Client, WechatPayChannel],
    };
  }
}
