import { IsInt, IsNotEmpty, IsString, IsUrl, Matches, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { ConfigError, channelEnabled, configProblems, Env, envInt, envText } from '../../config/env-reader';
import { isLoadable, loadCertificate, loadPrivateKey } from '../support/rsa';
import { issuedBy } from './acp-certificate';

export const UNIONPAY_CONFIG = Symbol('UNIONPAY_CONFIG');

export const UNIONPAY_DEFAULT_QUERY_URL = 'https://gateway.95516.com/gateway/api/queryTrans.do';
export const UNIONPAY_DEFAULT_ORGANISATION = '中国银联股份有限公司';

/** The setting parses with `load` (PEM text or the path of a PEM file); the message never shows the value. */
function IsLoadableBy(load: (value: string) => unknown, what: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isLoadable', validator: { validate: (value) => typeof value === 'string' && isLoadable(value, load), defaultMessage: () => `must be ${what}` } },
    options,
  );
}

/** Settings of the UnionPay channel, validated at boot; required only when the channel is enabled. */
export class UnionPayConfig {
  /** The merchant number (merId), 15 characters. */
  @Matches(/^[0-9A-Za-z]{15}$/, { message: 'must be the 15-character UnionPay merchant number' })
  merId: string;

  /** The merchant's signing key (taken out of its .pfx), PEM text or the path of a PEM file. */
  @IsLoadableBy(loadPrivateKey, 'a PEM private key or the path of one')
  signPrivateKey: string;

  /** The serial number of the merchant's signing certificate, in decimal (UnionPay's certId). */
  @Matches(/^\d{1,48}$/, { message: 'must be the decimal serial number of the signing certificate' })
  signCertId: string;

  /** UnionPay's root certificate (acp_prod_root.cer), PEM text or path. */
  @IsLoadableBy(loadCertificate, 'a PEM certificate or the path of one')
  rootCert: string;

  /** UnionPay's middle certificate (acp_prod_middle.cer), PEM text or path. */
  @IsLoadableBy(loadCertificate, 'a PEM certificate or the path of one')
  middleCert: string;

  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  queryUrl: string;

  @IsInt()
  @Min(100)
  @Max(60000)
  timeoutMs: number;

  /** The organisation the certificate that signs UnionPay's answers must belong to. */
  @IsString()
  @IsNotEmpty()
  expectedSubject: string;
}

const SETTING_NAMES: Record<string, string> = {
  merId: 'UNIPAY_UNIONPAY_MER_ID',
  signPrivateKey: 'UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY',
  signCertId: 'UNIPAY_UNIONPAY_SIGN_CERT_ID',
  rootCert: 'UNIPAY_UNIONPAY_ROOT_CERT',
  middleCert: 'UNIPAY_UNIONPAY_MIDDLE_CERT',
  queryUrl: 'UNIPAY_UNIONPAY_QUERY_URL',
  timeoutMs: 'UNIPAY_UNIONPAY_TIMEOUT_MS',
  expectedSubject: 'UNIPAY_UNIONPAY_EXPECTED_SUBJECT',
};

/** A middle certificate that the root did not issue would refuse every answer: say so at boot. */
function chainProblems(config: UnionPayConfig): string[] {
  const root = loadCertificate(config.rootCert);
  const middle = loadCertificate(config.middleCert);
  const problems: string[] = [];
  if (!issuedBy(root, root)) problems.push(`${SETTING_NAMES.rootCert}: must be a self-signed CA certificate`);
  if (!issuedBy(middle, root)) problems.push(`${SETTING_NAMES.middleCert}: must be a CA certificate issued by ${SETTING_NAMES.rootCert}`);
  return problems;
}

/** Reads the UnionPay settings; undefined when UNIPAY_UNIONPAY_ENABLED is not true. */
export function loadUnionPayConfig(env: Env): UnionPayConfig | undefined {
  if (!channelEnabled(env, 'UNIPAY_UNIONPAY_ENABLED')) return undefined;
  const config = new UnionPayConfig();
  config.merId = envText(env, SETTING_NAMES.merId) ?? '';
  config.signPrivateKey = envText(env, SETTING_NAMES.signPrivateKey) ?? '';
  config.signCertId = envText(env, SETTING_NAMES.signCertId)?.trim() ?? '';
  config.rootCert = envText(env, SETTING_NAMES.rootCert) ?? '';
  config.middleCert = envText(env, SETTING_NAMES.middleCert) ?? '';
  config.queryUrl = envText(env, SETTING_NAMES.queryUrl) ?? UNIONPAY_DEFAULT_QUERY_URL;
  config.timeoutMs = envInt(env, SETTING_NAMES.timeoutMs, 10000);
  config.expectedSubject = envText(env, SETTING_NAMES.expectedSubject) ?? UNIONPAY_DEFAULT_ORGANISATION;
  const problems = configProblems(config, SETTING_NAMES);
  const certificatesLoad = !problems.some((problem) => problem.startsWith(`${SETTING_NAMES.rootCert}:`) || problem.startsWith(`${SETTING_NAMES.middleCert}:`));
  if (certificatesLoad) problems.push(...chainProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
