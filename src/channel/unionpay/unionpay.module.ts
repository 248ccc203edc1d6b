import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { UnionPayConfig } from './unionpay.config';

export const UNIONPAY_CONFIG = Symbol('UNIONPAY_CONFIG');

@Module({})
export class UnionPayModule {
  static forRoot(config: UnionPayConfig): DynamicModule {
    return {
      module: UnionPayModule,
      providers: [{ provide: UNIONPAY_CONFIG, useValue: config }, ChannelHttp],
    };
  }
}
