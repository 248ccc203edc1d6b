import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignType } from './sign-type';

function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000));
  return JSON.stringify(value);
}

/**
 * The DaxPay 2.0.x string to sign: every non-null field but `sign`, keys in code-unit
 * order, `k=v` joined with `&`, quotes and backslashes removed, then `&key=<secret>`.
 */
export function buildSignString(fields: Record<string, unknown>, secret: string): string {
  const joined = Object.keys(fields)
    .filter((key) => key !== 'sign' && fields[key] !== null && fields[key] !== undefined)
    .sort()
    .map((key) => `${key}=${fieldText(fields[key])}`)
    .join('&')
    .replace(/["\\]/g, '');
  return `${joined}&key=${secret}`;
}

function digest(text: string, secret: string, type: SignType): string {
  switch (type) {
    case 'HMAC_SHA256':
      return createHmac('sha256', Buffer.from(secret, 'utf8')).update(text, 'utf8').digest('hex');
    case 'MD5':
      return createHash('md5').update(text, 'utf8').digest('hex');
    case 'SM3':
      return createHash('sm3').update(text, 'utf8').digest('hex');
  }
}

/** Signs an object the DaxPay way: the lowercase hex signature. */
export function sign(fields: Record<string, unknown>, secret: string, type: SignType): string {
  return digest(buildSignString(fields, secret), secret, type);
}

/** Constant-time check of `fields.sign` against the signature of the other fields. */
export function verifySign(
  fields: Record<string, unknown>,
  secret: string,
  type: SignType,
): boolean {
  const given = fields.sign;
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(sign(fields, secret, type), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  // Compare equal-length buffers either way so the time taken does not reveal the length.
  const same = timingSafeEqual(expected, actual.length === expected.length ? actual : expected);
  return same && actual.length === expected.length;
}
