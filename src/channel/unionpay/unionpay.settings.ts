import { IsBoolean, IsInt, IsNotEmpty, IsString, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { AsBool, AsInt, Trimmed } from '../../config/settings';
import { IsEndpointUrl, IsLoadable, IsTimeoutMs } from '../support/setting-decorators';
import { isLoadable, loadCertificate, loadPrivateKey } from '../support/rsa';
import { issuedBy } from './acp-certificate';

export const UNIONPAY_DEFAULT_QUERY_URL = 'https://gateway.95516.com/gateway/api/queryTrans.do';
export const UNIONPAY_DEFAULT_ORGANISATION = '中国银联股份有限公司';
/** UnionPay asks to take "no such trade" (respCode 34) as unknown for a while: a day by default. */
export const UNIONPAY_DEFAULT_REFUND_NOT_FOUND_GRACE_SECONDS = 86400;

const enabled = (settings: UnionPaySettings) => settings.UNIPAY_UNIONPAY_ENABLED === true;

/**
 * The certificate is issued by the one in `issuerSetting` (itself for a root). A certificate
 * that does not load is the loadability check's to report, not this one's.
 */
function IsIssuedBy(issuerSetting: keyof UnionPaySettings, message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isIssuedBy',
    validator: {
      validate: (value: unknown, args) => {
        const issuer = (args?.object as UnionPaySettings)[issuerSetting];
        if (typeof value !== 'string' || typeof issuer !== 'string') return true;
        if (!isLoadable(value, loadCertificate) || !isLoadable(issuer, loadCertificate)) return true;
        return issuedBy(loadCertificate(value), loadCertificate(issuer));
      },
      defaultMessage: () => message,
    },
  });
}

/** The UnionPay channel (`union_pay`, ACP 5.1.0); the rest is required only when it is enabled. */
export class UnionPaySettings {
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_UNIONPAY_ENABLED = false;

  /** The merchant number (merId), 15 characters. */
  @ValidateIf(enabled)
  @Matches(/^[0-9A-Za-z]{15}$/, { message: 'must be the 15-character UnionPay merchant number' })
  UNIPAY_UNIONPAY_MER_ID = '';

  /** The merchant's signing key (taken out of its .pfx), PEM text or the path of a PEM file. */
  @ValidateIf(enabled)
  @IsLoadable(loadPrivateKey, 'must be a PEM private key or the path of one')
  UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY = '';

  /** The serial number of the merchant's signing certificate, in decimal (UnionPay's certId). */
  @ValidateIf(enabled)
  @Trimmed()
  @Matches(/^\d{1,48}$/, { message: 'must be the decimal serial number of the signing certificate' })
  UNIPAY_UNIONPAY_SIGN_CERT_ID = '';

  /** UnionPay's root certificate (acp_prod_root.cer), PEM text or path. */
  @ValidateIf(enabled)
  @IsLoadable(loadCertificate, 'must be a PEM certificate or the path of one')
  @IsIssuedBy('UNIPAY_UNIONPAY_ROOT_CERT', 'must be a self-signed CA certificate')
  UNIPAY_UNIONPAY_ROOT_CERT = '';

  /** UnionPay's middle certificate (acp_prod_middle.cer), PEM text or path. */
  @ValidateIf(enabled)
  @IsLoadable(loadCertificate, 'must be a PEM certificate or the path of one')
  @IsIssuedBy('UNIPAY_UNIONPAY_ROOT_CERT', 'must be a CA certificate issued by UNIPAY_UNIONPAY_ROOT_CERT')
  UNIPAY_UNIONPAY_MIDDLE_CERT = '';

  @ValidateIf(enabled)
  @IsEndpointUrl()
  UNIPAY_UNIONPAY_QUERY_URL = UNIONPAY_DEFAULT_QUERY_URL;

  @ValidateIf(enabled)
  @IsTimeoutMs()
  UNIPAY_UNIONPAY_TIMEOUT_MS = 10000;

  /** The organisation the certificate that signs UnionPay's answers must belong to. */
  @ValidateIf(enabled)
  @IsString()
  @IsNotEmpty()
  UNIPAY_UNIONPAY_EXPECTED_SUBJECT = UNIONPAY_DEFAULT_ORGANISATION;

  /**
   * How long after a refund was sent UnionPay's "no such trade" still counts as unknown
   * (refund-sync.md section 6): within it a `fail` refund is not closed. Up to 30 days.
   */
  @ValidateIf(enabled)
  @AsInt()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0, { message: 'must be 0 or more' })
  @Max(2_592_000, { message: 'must be at most 2592000 (30 days)' })
  UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS = UNIONPAY_DEFAULT_REFUND_NOT_FOUND_GRACE_SECONDS;
}
