import { IsInt, IsNotEmpty, IsString, IsUrl, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { ConfigError, channelEnabled, configProblems, Env, envInt, envText } from '../../config/env-reader';
import { isLoadable, loadPrivateKey, loadPublicKey } from '../support/rsa';

export const ALIPAY_CONFIG = Symbol('ALIPAY_CONFIG');

export const ALIPAY_DEFAULT_GATEWAY_URL = 'https://openapi.alipay.com/gateway.do';
export const ALIPAY_DEFAULT_TIMEOUT_MS = 10000;

/** A key setting that must load; the message never repeats the value. */
function IsLoadableKey(load: (value: string) => unknown, kind: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLoadableKey',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isLoadable(value, load),
        defaultMessage: () => `must be a ${kind} (PEM text, a path to a PEM file, or bare base64)`,
      },
    },
    options,
  );
}

/** Settings of the Alipay channel, validated at boot; required only when the channel is enabled. */
export class AlipayConfig {
  /** The application id (`app_id`) from the Alipay open platform. */
  @IsString()
  @IsNotEmpty()
  appId: string;

  /** The merchant application's RSA private key, which signs every request. */
  @IsLoadableKey(loadPrivateKey, 'PKCS#8 RSA private key')
  privateKey: string;

  /** Alipay's public key, which verifies every answer. */
  @IsLoadableKey(loadPublicKey, 'RSA public key or certificate')
  alipayPublicKey: string;

  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  gatewayUrl: string;

  @IsInt()
  @Min(100)
  @Max(60000)
  timeoutMs: number;
}

const SETTING_NAMES: Record<keyof AlipayConfig, string> = {
  appId: 'UNIPAY_ALIPAY_APP_ID',
  privateKey: 'UNIPAY_ALIPAY_PRIVATE_KEY',
  alipayPublicKey: 'UNIPAY_ALIPAY_PUBLIC_KEY',
  gatewayUrl: 'UNIPAY_ALIPAY_GATEWAY_URL',
  timeoutMs: 'UNIPAY_ALIPAY_TIMEOUT_MS',
};

/** Reads the Alipay settings; undefined when UNIPAY_ALIPAY_ENABLED is not true. */
export function loadAlipayConfig(env: Env): AlipayConfig | undefined {
  if (!channelEnabled(env, 'UNIPAY_ALIPAY_ENABLED')) return undefined;
  const config = new AlipayConfig();
  config.appId = envText(env, SETTING_NAMES.appId)?.trim() ?? '';
  config.privateKey = envText(env, SETTING_NAMES.privateKey) ?? '';
  config.alipayPublicKey = envText(env, SETTING_NAMES.alipayPublicKey) ?? '';
  config.gatewayUrl = envText(env, SETTING_NAMES.gatewayUrl)?.trim() ?? ALIPAY_DEFAULT_GATEWAY_URL;
  config.timeoutMs = envInt(env, SETTING_NAMES.timeoutMs, ALIPAY_DEFAULT_TIMEOUT_MS);
  const problems = configProblems(config, SETTING_NAMES);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
