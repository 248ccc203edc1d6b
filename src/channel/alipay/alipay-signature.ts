import { KeyObject } from 'node:crypto';
import { rsaSha256Sign, rsaSha256Verify } from '../support/rsa';

/** Request parameters of the Alipay OpenAPI (v1 gateway), as sent in the form. */
export type AlipayParams = Record<string, string | undefined>;

/**
 * The string Alipay signs a request over: every non-empty parameter except `sign`, sorted
 * by key, joined as `k=v&...` with raw (not URL-encoded) values.
 */
export function alipaySignContent(params: AlipayParams): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== undefined && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** RSA2 (SHA256withRSA) signature of a request, base64. */
export function signAlipayParams(params: AlipayParams, privateKey: KeyObject): string {
  return rsaSha256Sign(alipaySignContent(params), privateKey);
}

/** True when the request's `sign` is a valid RSA2 signature of its other parameters. */
export function verifyAlipayParams(params: AlipayParams, publicKey: KeyObject): boolean {
  return rsaSha256Verify(alipaySignContent(params), params.sign ?? '', publicKey);
}

/** The key of an answer's node: `alipay.trade.query` answers in `alipay_trade_query_response`. */
export function alipayResponseKey(method: string): string {
  return `${method.replace(/\./g, '_')}_response`;
}
