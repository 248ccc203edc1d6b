import { IsInt, IsString, IsUrl, Matches, Max, Min, ValidateBy } from 'class-validator';
import { ConfigError, channelEnabled, configProblems, Env, envInt as int, envText as text } from '../../config/env-reader';
import { isLoadable, loadPrivateKey, loadPublicKey } from '../support/rsa';

/** The Nest token of the validated {@link WechatPayConfig}. */
export const WECHAT_CONFIG = Symbol('WECHAT_CONFIG');

export const WECHAT_DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com';

/** An RSA key given as PEM text or a path to a PEM file. The message never repeats the value. */
function IsRsaKey(load: (value: string) => { asymmetricKeyType?: string }, kind: string): PropertyDecorator {
  return ValidateBy({
    name: 'isRsaKey',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && isLoadable(value, (text) => {
          if (load(text).asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
        }),
      defaultMessage: () => `must be an RSA ${kind} as PEM text or the path of a PEM file`,
    },
  });
}

/**
 * Settings of the WeChat Pay APIv3 channel in public-key mode (微信支付公钥), validated at
 * boot; required only when the channel is enabled.
 */
export class WechatPayConfig {
  /** 商户号. */
  @IsString()
  @Matches(/^\d{1,32}$/, { message: 'must be the merchant number (digits)' })
  mchId: string;

  /** The serial number of the merchant API certificate (商户API证书序列号). */
  @IsString()
  @Matches(/^[0-9A-Fa-f]{1,64}$/, { message: 'must be the hexadecimal serial number of the merchant API certificate' })
  merchantSerialNo: string;

  /** 商户API私钥 (apiclient_key.pem): PEM text or a path. */
  @IsRsaKey(loadPrivateKey, 'private key')
  merchantPrivateKey: string;

  /** 微信支付公钥ID, sent back by WeChat Pay as `Wechatpay-Serial`. */
  @IsString()
  @Matches(/^PUB_KEY_ID_\w+$/, { message: 'must be a WeChat Pay public key ID (PUB_KEY_ID_…)' })
  wechatPayPublicKeyId: string;

  /** 微信支付公钥: PEM text or a path. */
  @IsRsaKey(loadPublicKey, 'public key')
  wechatPayPublicKey: string;

  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  baseUrl: string;

  @IsInt()
  @Min(100)
  @Max(60000)
  timeoutMs: number;

  /** How far `Wechatpay-Timestamp` may be from our clock before an answer is refused. */
  @IsInt()
  @Min(1)
  @Max(3600)
  maxClockSkewSeconds: number;
}

const SETTING_NAMES: Record<keyof WechatPayConfig, string> = {
  mchId: 'UNIPAY_WECHAT_MCH_ID',
  merchantSerialNo: 'UNIPAY_WECHAT_MERCHANT_SERIAL_NO',
  merchantPrivateKey: 'UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY',
  wechatPayPublicKeyId: 'UNIPAY_WECHAT_PUBLIC_KEY_ID',
  wechatPayPublicKey: 'UNIPAY_WECHAT_PUBLIC_KEY',
  baseUrl: 'UNIPAY_WECHAT_BASE_URL',
  timeoutMs: 'UNIPAY_WECHAT_TIMEOUT_MS',
  maxClockSkewSeconds: 'UNIPAY_WECHAT_MAX_CLOCK_SKEW_SECONDS',
};

/** Reads the WeChat Pay settings; undefined when UNIPAY_WECHAT_ENABLED is not true. */
export function loadWechatPayConfig(env: Env): WechatPayConfig | undefined {
  if (!channelEnabled(env, 'UNIPAY_WECHAT_ENABLED')) return undefined;
  const config = new WechatPayConfig();
  config.mchId = text(env, SETTING_NAMES.mchId)?.trim() ?? '';
  config.merchantSerialNo = text(env, SETTING_NAMES.merchantSerialNo)?.trim() ?? '';
  config.merchantPrivateKey = text(env, SETTING_NAMES.merchantPrivateKey) ?? '';
  config.wechatPayPublicKeyId = text(env, SETTING_NAMES.wechatPayPublicKeyId)?.trim() ?? '';
  config.wechatPayPublicKey = text(env, SETTING_NAMES.wechatPayPublicKey) ?? '';
  config.baseUrl = (text(env, SETTING_NAMES.baseUrl)?.trim() ?? WECHAT_DEFAULT_BASE_URL).replace(/\/+$/, '');
  config.timeoutMs = int(env, SETTING_NAMES.timeoutMs, 10000);
  config.maxClockSkewSeconds = int(env, SETTING_NAMES.maxClockSkewSeconds, 300);
  const problems = configProblems(config, SETTING_NAMES);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
