import { IsBoolean, IsInt, IsNotEmpty, IsString, Max, Min, ValidateIf } from 'class-validator';
import { AsBool, AsInt, Trimmed } from '../../config/settings';
import { IsEndpointUrl, IsLoadable, IsTimeoutMs } from '../support/setting-decorators';
import { loadPrivateKey, loadPublicKey } from '../support/rsa';

export const ALIPAY_DEFAULT_GATEWAY_URL = 'https://openapi.alipay.com/gateway.do';

const enabled = (settings: AlipaySettings) => settings.UNIPAY_ALIPAY_ENABLED === true;

/** The Alipay channel (`ali_pay`); the rest is required only when it is enabled. */
export class AlipaySettings {
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_ALIPAY_ENABLED = false;

  /** The application id (`app_id`) from the Alipay open platform. */
  @ValidateIf(enabled)
  @Trimmed()
  @IsString()
  @IsNotEmpty()
  UNIPAY_ALIPAY_APP_ID = '';

  /** The merchant application's RSA private key, which signs every request. */
  @ValidateIf(enabled)
  @IsLoadable(loadPrivateKey, 'must be a PKCS#8 RSA private key (PEM text, a path to a PEM file, or bare base64)')
  UNIPAY_ALIPAY_PRIVATE_KEY = '';

  /** Alipay's public key, which verifies every answer. */
  @ValidateIf(enabled)
  @IsLoadable(loadPublicKey, 'must be a RSA public key or certificate (PEM text, a path to a PEM file, or bare base64)')
  UNIPAY_ALIPAY_PUBLIC_KEY = '';

  @ValidateIf(enabled)
  @Trimmed()
  @IsEndpointUrl()
  UNIPAY_ALIPAY_GATEWAY_URL = ALIPAY_DEFAULT_GATEWAY_URL;

  @ValidateIf(enabled)
  @IsTimeoutMs()
  UNIPAY_ALIPAY_TIMEOUT_MS = 10000;

  /**
   * How long after a refund request went to Alipay an answer of "no such refund" may still
   * turn into a refund (refund-sync.md section 6): a `fail` refund is closed only after it,
   * a `progress` one gets the `refund_not_found` anomaly only after it, and a refund Alipay
   * holds without a status gets `refund_unconfirmed` only after it. At most 30 days.
   */
  @ValidateIf(enabled)
  @AsInt()
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS = 600;
}
