import { ConfigError, channelEnabled, configProblems, Env } from '../../config/env-reader';

/** Settings of the WechatPay channel, validated at boot; required only when the channel is enabled. */
export class WechatPayConfig {}

const SETTING_NAMES: Record<string, string> = {};

/** Reads the WechatPay settings; undefined when UNIPAY_WECHAT_ENABLED is not true. */
export function loadWechatPayConfig(env: Env): WechatPayConfig | undefined {
  if (!channelEnabled(env, 'UNIPAY_WECHAT_ENABLED')) return undefined;
  const config = new WechatPayConfig();
  const problems = configProblems(config, SETTING_NAMES);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
