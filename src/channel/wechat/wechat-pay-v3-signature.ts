import { KeyObject } from 'node:crypto';
import { rsaSha256Sign, rsaSha256Verify } from '../support/rsa';

/** The signature scheme named in the APIv3 `Authorization` header. */
export const WECHATPAY_AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** A signature WeChat Pay sends on purpose to check that merchants really verify answers. */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';

export interface RequestSignInput {
  method: 'GET' | 'POST';
  /** Path and query of the request, exactly as sent. */
  canonicalUrl: string;
  timestamp: number;
  nonce: string;
  /** The request body; empty for GET. */
  body: string;
}

/** `METHOD\nURL\ntimestamp\nnonce\nbody\n`: what the merchant signs for each request. */
export function requestSignMessage(input: RequestSignInput): string {
  return `${input.method}\n${input.canonicalUrl}\n${input.timestamp}\n${input.nonce}\n${input.body}\n`;
}

/** `timestamp\nnonce\nbody\n`: what WeChat Pay signs for each answer (empty body for a 204). */
export function responseSignMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export interface MerchantIdentity {
  mchId: string;
  serialNo: string;
  privateKey: KeyObject;
}

/** The `Authorization` header of one APIv3 request. */
export function authorizationHeader(merchant: MerchantIdentity, input: RequestSignInput): string {
  const signature = rsaSha256Sign(requestSignMessage(input), merchant.privateKey);
  return (
    `${WECHATPAY_AUTH_SCHEMA} mchid="${merchant.mchId}",nonce_str="${input.nonce}",` +
    `signature="${signature}",timestamp="${input.timestamp}",serial_no="${merchant.serialNo}"`
  );
}

export interface ResponseTrust {
  publicKeyId: string;
  publicKey: KeyObject;
  maxClockSkewSeconds: number;
  nowSeconds: number;
}

const SIGNATURE_HEADERS = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;

/**
 * Why an answer cannot be trusted, or undefined when its signature verifies. Headers are
 * keyed in lower case. Every answer is checked, errors and 204 included.
 */
export function responseDistrust(headers: Record<string, string>, body: string, trust: ResponseTrust): string | undefined {
  const missing = SIGNATURE_HEADERS.filter((name) => !headers[name]);
  if (missing.length > 0) return `微信支付应答未签名，缺少 ${missing.join(', ')}`;
  const timestamp = headers['wechatpay-timestamp'];
  const serial = headers['wechatpay-serial'];
  const signature = headers['wechatpay-signature'];
  if (serial !== trust.publicKeyId) return `微信支付应答的 Wechatpay-Serial 不是配置的微信支付公钥ID: ${serial.slice(0, 64)}`;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(trust.nowSeconds - Number(timestamp)) > trust.maxClockSkewSeconds) {
    return `微信支付应答的 Wechatpay-Timestamp 与本机时间相差超过 ${trust.maxClockSkewSeconds} 秒: ${timestamp.slice(0, 16)}`;
  }
  if (signature.startsWith(SIGNTEST_PREFIX)) return '微信支付应答是签名探测（WECHATPAY/SIGNTEST），不可信';
  if (!rsaSha256Verify(responseSignMessage(timestamp, headers['wechatpay-nonce'], body), signature, trust.publicKey)) {
    return '微信支付应答验签失败';
  }
  return undefined;
}
