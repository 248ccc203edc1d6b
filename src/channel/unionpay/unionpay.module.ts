import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { UNIONPAY_CONFIG, UnionPayConfig } from './unionpay.config';
import { UnionPayChannel } from './unionpay.channel';

export { UNIONPAY_CONFIG } from './unionpay.config';

/** The UnionPay channel (`union_pay`), mounted when UNIPAY_UNIONPAY_ENABLED is true. */
@Module({})
export class UnionPayModule {
  static forRoot(config: UnionPayConfig): DynamicModule {
    return {
      module: UnionPayModule,
      providers: [{ provide: UNIONPAY_CONFIG, useValue: config }, ChannelHttp, UnionPayChannel],
    };
  }
}
