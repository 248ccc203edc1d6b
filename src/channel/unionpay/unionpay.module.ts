import { DynamicModule, Module } from '@nestjs/common';
import { ChannelHttp } from '../support/channel-http';
import { UnionPayChannel } from './unionpay.channel';
import { UnionPaySettings } from './unionpay.settings';

/** The UnionPay channel (`union_pay`), mounted when UNIPAY_UNIONPAY_ENABLED is true. */
@Module({})
export class UnionPayModule {
  static readonly settings = UnionPaySettings;

  static register(settings: UnionPaySettings): DynamicModule | undefined {
    if (!settings.UNIPAY_UNIONPAY_ENABLED) return undefined;
    return {
      module: UnionPayModule,
      providers: [{ provide: UnionPaySettings, useValue: settings }, ChannelHttp, UnionPayChannel],
    };
  }
}
