import { ConfigError, channelEnabled, configProblems, Env } from '../../config/env-reader';

/** Settings of the UnionPay channel, validated at boot; required only when the channel is enabled. */
export class UnionPayConfig {}

const SETTING_NAMES: Record<string, string> = {};

/** Reads the UnionPay settings; undefined when UNIPAY_UNIONPAY_ENABLED is not true. */
export function loadUnionPayConfig(env: Env): UnionPayConfig | undefined {
  if (!channelEnabled(env, 'UNIPAY_UNIONPAY_ENABLED')) return undefined;
  const config = new UnionPayConfig();
  const problems = configProblems(config, SETTING_NAMES);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
