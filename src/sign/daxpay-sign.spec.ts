import { createHash } from 'node:crypto';
import { SPEC_SIGN_VECTORS } from '../../test/fixtures/spec-sign-vectors';
import { buildSignString, sign, verifySign } from './daxpay-sign';

// Test vectors from ../shared/spec/pay-sync.md section 3 (test/fixtures/spec-sign-vectors.ts).
const VECTORS = SPEC_SIGN_VECTORS.map((v) => ({ ...v, hmac: v.HMAC_SHA256, md5: v.MD5 }));

describe('DaxPay signature', () => {
  it.each(VECTORS)('builds the string to sign for $text', (v) => {
    expect(buildSignString(v.fields, v.secret)).toBe(v.text);
  });

  it.each(VECTORS)('matches the HMAC_SHA256 vector $hmac', (v) => {
    expect(sign(v.fields, v.secret, 'HMAC_SHA256')).toBe(v.hmac);
    expect(verifySign({ ...v.fields, sign: v.hmac }, v.secret, 'HMAC_SHA256')).toBe(true);
  });

  it.each(VECTORS)('matches the MD5 vector $md5', (v) => {
    expect(sign(v.fields, v.secret, 'MD5')).toBe(v.md5);
    expect(verifySign({ ...v.fields, sign: v.md5 }, v.secret, 'MD5')).toBe(true);
  });

  it('leaves out null and undefined fields and the sign itself', () => {
    expect(
      buildSignString({ b: null, a: undefined, sign: 'x', c: 1, B: true }, 'k'),
    ).toBe('B=true&c=1&key=k');
  });

  it('sorts keys by code unit, upper case before lower case', () => {
    expect(buildSignString({ b: '1', a: '2', Z: '3', _: '4' }, 'k')).toBe('Z=3&_=4&a=2&b=1&key=k');
  });

  it('strips quotes and backslashes from field values, not from the secret', () => {
    expect(buildSignString({ a: 'x"y\\z', n: { q: 1 } }, 'se"c\\')).toBe('a=xyz&n={q:1}&key=se"c\\');
  });

  it('signs a Date as epoch seconds', () => {
    expect(buildSignString({ t: new Date(1715500231999) }, 'k')).toBe('t=1715500231&key=k');
  });

  it('signs SM3 as the SM3 digest of the string to sign', () => {
    // GB/T 32905-2016 example: the digest in use is the standard SM3.
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    const v = VECTORS[0];
    expect(sign(v.fields, v.secret, 'SM3')).toBe(createHash('sm3').update(v.text).digest('hex'));
  });

  it.each([
    ['upper-cased', VECTORS[0].hmac.toUpperCase()],
    ['truncated', VECTORS[0].hmac.slice(0, 63)],
    ['extended', `${VECTORS[0].hmac}0`],
    ['empty', ''],
    ['another sign type', VECTORS[0].md5],
  ])('rejects a %s signature', (_label, given) => {
    expect(verifySign({ ...VECTORS[0].fields, sign: given }, '123456', 'HMAC_SHA256')).toBe(false);
  });

  it('rejects a missing or non-string signature', () => {
    expect(verifySign({ ...VECTORS[0].fields }, '123456', 'HMAC_SHA256')).toBe(false);
    expect(verifySign({ ...VECTORS[0].fields, sign: 42 }, '123456', 'HMAC_SHA256')).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    const forged = sign(VECTORS[0].fields, '1234567', 'HMAC_SHA256');
    expect(verifySign({ ...VECTORS[0].fields, sign: forged }, '123456', 'HMAC_SHA256')).toBe(false);
  });
});
