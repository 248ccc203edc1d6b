import { AlipayModule } from './channel/alipay/alipay.module';
import { ChannelRegistration } from './channel/channel-registration';
import { UnionPayModule } from './channel/unionpay/unionpay.module';
import { WechatPayModule } from './channel/wechat/wechat-pay.module';
import { SandboxModule } from './sandbox/sandbox.module';

/**
 * The channels the standalone server can run, one line each. Each is switched on by its
 * own settings (UNIPAY_<CHANNEL>_ENABLED) and reads its own variables.
 */
export const CHANNELS: readonly ChannelRegistration[] = [SandboxModule, AlipayModule, WechatPayModule, UnionPayModule];
