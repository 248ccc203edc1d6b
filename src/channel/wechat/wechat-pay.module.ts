import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { WechatPayConfig } from './wechat-pay.config';

export const WECHAT_CONFIG = Symbol('WECHAT_CONFIG');

@Module({})
export class WechatPayModule {
  static forRoot(config: WechatPayConfig): DynamicModule {
    return {
      module: WechatPayModule,
      providers: [{ provide: WECHAT_CONFIG, useValue: config }, ChannelHttp],
    };
  }
}
