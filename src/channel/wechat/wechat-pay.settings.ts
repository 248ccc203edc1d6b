import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { AsBool, AsInt, Trimmed } from '../../config/settings';
import { IsEndpointUrl, IsLoadable, IsTimeoutMs } from '../support/setting-decorators';
import { loadPrivateKey, loadPublicKey } from '../support/rsa';

export const WECHAT_DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com';

const enabled = (settings: WechatPaySettings) => settings.UNIPAY_WECHAT_ENABLED === true;

/** A loader that accepts RSA keys only. */
function rsa(load: (value: string) => { asymmetricKeyType?: string }): (value: string) => void {
  return (value) => {
    if (load(value).asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  };
}

/**
 * The WeChat Pay APIv3 channel (`wechat_pay`) in public-key mode (微信支付公钥); the rest is
 * required only when it is enabled.
 */
export class WechatPaySettings {
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_WECHAT_ENABLED = false;

  /** 商户号. */
  @ValidateIf(enabled)
  @Trimmed()
  @IsString()
  @Matches(/^\d{1,32}$/, { message: 'must be the merchant number (digits)' })
  UNIPAY_WECHAT_MCH_ID = '';

  /** The serial number of the merchant API certificate (商户API证书序列号). */
  @ValidateIf(enabled)
  @Trimmed()
  @IsString()
  @Matches(/^[0-9A-Fa-f]{1,64}$/, { message: 'must be the hexadecimal serial number of the merchant API certificate' })
  UNIPAY_WECHAT_MERCHANT_SERIAL_NO = '';

  /** 商户API私钥 (apiclient_key.pem): PEM text or a path. */
  @ValidateIf(enabled)
  @IsLoadable(rsa(loadPrivateKey), 'must be an RSA private key as PEM text or the path of a PEM file')
  UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY = '';

  /** 微信支付公钥ID, sent back by WeChat Pay as `Wechatpay-Serial`. */
  @ValidateIf(enabled)
  @Trimmed()
  @IsString()
  @Matches(/^PUB_KEY_ID_\w+$/, { message: 'must be a WeChat Pay public key ID (PUB_KEY_ID_…)' })
  UNIPAY_WECHAT_PUBLIC_KEY_ID = '';

  /** 微信支付公钥: PEM text or a path. */
  @ValidateIf(enabled)
  @IsLoadable(rsa(loadPublicKey), 'must be an RSA public key as PEM text or the path of a PEM file')
  UNIPAY_WECHAT_PUBLIC_KEY = '';

  @ValidateIf(enabled)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\/+$/, '') : value))
  @IsEndpointUrl()
  UNIPAY_WECHAT_BASE_URL = WECHAT_DEFAULT_BASE_URL;

  @ValidateIf(enabled)
  @IsTimeoutMs()
  UNIPAY_WECHAT_TIMEOUT_MS = 10000;

  /** How far `Wechatpay-Timestamp` may be from our clock before an answer is refused. */
  @ValidateIf(enabled)
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(3600)
  UNIPAY_WECHAT_MAX_CLOCK_SKEW_SECONDS = 300;

  /**
   * How long after the refund request a refund WeChat Pay cannot find (404 RESOURCE_NOT_EXISTS)
   * may still appear there: a request that timed out may yet land (refund-sync.md section 6).
   */
  @ValidateIf(enabled)
  @AsInt()
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS = 600;
}
