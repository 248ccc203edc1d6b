import { buildSignString, sign, verifySign } from '../src/sign/daxpay-sign';
import { SignType } from '../src/sign/sign-type';
import { SPEC_SIGN_VECTORS, SpecSignVector } from './fixtures/spec-sign-vectors';
import { DaxEnvelope, SyncData, TestApp } from './support/test-app';

/**
 * The signature test vectors of spec section 3 (test/fixtures/spec-sign-vectors.ts, test-only
 * secrets), sent through POST /unipay/sync/pay as a DaxPay client would: the vector object
 * exactly as published plus its `sign`.
 */

/** The vectors' reqTime is 1715500231 (May 2024): the window must reach back that far. */
const TEN_YEARS = '315360000';

interface Vector extends SpecSignVector {
  name: string;
  /** The order the vector names, created before it is sent. */
  order: { orderNo: string; bizOrderNo?: string };
}

const [VECTOR_1, VECTOR_2, VECTOR_3] = SPEC_SIGN_VECTORS;

const VECTORS: Vector[] = [
  {
    ...VECTOR_1,
    name: 'vector 1 (bizOrderNo only)',
    order: { orderNo: 'VEC1ORDER0001', bizOrderNo: 'SDK_1715341621498' },
  },
  {
    ...VECTOR_2,
    name: 'vector 2 (every field, with a nonceStr)',
    order: { orderNo: '1753370980523384832', bizOrderNo: 'P0001' },
  },
  {
    ...VECTOR_3,
    name: 'vector 3 (empty clientIp, a quote in the secret)',
    order: { orderNo: '1753370980523384832' },
  },
];

/** The same hex with its last digit changed. */
function tamper(hex: string): string {
  const last = hex[hex.length - 1];
  return hex.slice(0, -1) + (last === '0' ? '1' : '0');
}

async function post(t: TestApp, body: Record<string, unknown>) {
  const response = await t.post<DaxEnvelope<SyncData>>('/unipay/sync/pay', body);
  expect(response.status).toBe(200);
  expect(response.text).not.toContain('Error:');
  return response.body;
}

/** The vectors grouped by secret ('123456', then 's3cr"et'), in their published order. */
const SUITES: [string, Vector[]][] = [...new Set(VECTORS.map((vector) => vector.secret))].map((secret) => [
  secret,
  VECTORS.filter((vector) => vector.secret === secret),
]);

describe.each(['HMAC_SHA256', 'MD5'] as const)('signature test vectors over HTTP: %s', (type: 'HMAC_SHA256' | 'MD5') => {
  // One app (and database) per secret: vectors 2 and 3 name the same orderNo.
  describe.each(SUITES)('secret %p', (secret, vectors) => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({
        UNIPAY_SIGN_SECRET: secret,
        UNIPAY_SIGN_TYPE: type,
        UNIPAY_REQ_TIME_BEHIND_SECONDS: TEN_YEARS,
      });
      expect(t.secret).toBe(secret);
      expect(t.signType).toBe(type);
      for (const vector of vectors) await t.createOrder({ amount: 100, ...vector.order });
    });

    afterAll(async () => {
      await t.close();
    });

    it.each(vectors.map((vector) => [vector.name, vector] as [string, Vector]))('%s', async (_name, vector) => {
      const hex = vector[type];
      // The library agrees with the spec, so a failure below is the endpoint's, not the algorithm's.
      expect(buildSignString(vector.fields, secret)).toBe(vector.text);
      expect(sign(vector.fields, secret, type as SignType)).toBe(hex);

      // A tampered signature first: rejected before the nonce is remembered.
      const forged = await post(t, { ...vector.fields, sign: tamper(hex) });
      expect(forged).toMatchObject({ code: 20052, msg: '验签失败', data: null });
      expect(await t.syncRecords(vector.order.orderNo)).toHaveLength(0);

      const answer = await post(t, { ...vector.fields, sign: hex });
      expect(answer).toMatchObject({ code: 0, msg: 'success' });
      expect(answer.data).toMatchObject({ status: 'pay_progress', code: 0 });
      expect(Object.keys(answer.data!)).toEqual(['status', 'code', 'resTime', 'sign']);
      expect(verifySign(answer.data! as unknown as Record<string, unknown>, secret, type)).toBe(true);
      // ...and not under the other type or another secret.
      expect(verifySign(answer.data! as unknown as Record<string, unknown>, secret, type === 'MD5' ? 'HMAC_SHA256' : 'MD5')).toBe(false);
      expect(verifySign(answer.data! as unknown as Record<string, unknown>, `${secret}x`, type)).toBe(false);

      const [record] = await t.syncRecords(vector.order.orderNo);
      expect(record).toMatchObject({ syncStatus: 'pay_progress', source: 'manual' });
      expect((await t.order(vector.order.orderNo)).status).toBe('progress');

      // The same body with the last hex digit changed, after the real one: still 20052.
      const again = await post(t, { ...vector.fields, sign: tamper(hex) });
      expect(again).toMatchObject({ code: 20052, msg: '验签失败', data: null });
      expect(await t.syncRecords(vector.order.orderNo)).toHaveLength(1);
    });
  });
});
