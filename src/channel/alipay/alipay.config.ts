import { ConfigError, channelEnabled, configProblems, Env } from '../../config/env-reader';

/** Settings of the Alipay channel, validated at boot; required only when the channel is enabled. */
export class AlipayConfig {}

const SETTING_NAMES: Record<string, string> = {};

/** Reads the Alipay settings; undefined when UNIPAY_ALIPAY_ENABLED is not true. */
export function loadAlipayConfig(env: Env): AlipayConfig | undefined {
  if (!channelEnabled(env, 'UNIPAY_ALIPAY_ENABLED')) return undefined;
  const config = new AlipayConfig();
  const problems = configProblems(config, SETTING_NAMES);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
