import { buildSignString, sign, verifySign } from '../src/sign/daxpay-sign';
import { SignType } from '../src/sign/sign-type';
import { DaxEnvelope, SyncData, TestApp } from './support/test-app';

/**
 * The signature test vectors of spec section 3, sent through POST /unipay/sync/pay as a
 * DaxPay client would: the vector object exactly as published plus its `sign`.
 *
 * TEST-ONLY secrets: '123456' and 's3cr"et' are the spec's published test-vector secrets,
 * never to be used outside these tests.
 */
const VECTOR_SECRET = '123456'; // test-only: the spec's published vector secret
const QUOTE_SECRET = 's3cr"et'; // test-only: the spec's published vector secret (the quote stays in)

/** The vectors' reqTime is 1715500231 (May 2024): the window must reach back that far. */
const TEN_YEARS = '315360000';

interface Vector {
  name: string;
  object: Record<string, unknown>;
  signString: string;
  hex: Record<'HMAC_SHA256' | 'MD5', string>;
  /** The order the vector names, created before it is sent. */
  order: { orderNo: string; bizOrderNo?: string };
}

const VECTORS_123456: Vector[] = [
  {
    name: 'vector 1 (bizOrderNo only)',
    object: { bizOrderNo: 'SDK_1715341621498', reqTime: 1715500231 },
    signString: 'bizOrderNo=SDK_1715341621498&reqTime=1715500231&key=123456',
    hex: {
      HMAC_SHA256: '8bcaee4a71a9ca6b7a3ab8a7caa35a7604d2a84753763c2f7e984ab4b9f5c6cd',
      MD5: '38ca233d11623c4adfae47d1bbbf9e0d',
    },
    order: { orderNo: 'VEC1ORDER0001', bizOrderNo: 'SDK_1715341621498' },
  },
  {
    name: 'vector 2 (every field, with a nonceStr)',
    object: {
      orderNo: '1753370980523384832',
      bizOrderNo: 'P0001',
      clientIp: '127.0.0.1',
      nonceStr: 'd112892e382a7093',
      reqTime: 1715500231,
    },
    signString:
      'bizOrderNo=P0001&clientIp=127.0.0.1&nonceStr=d112892e382a7093&orderNo=1753370980523384832&reqTime=1715500231&key=123456',
    hex: {
      HMAC_SHA256: 'd38874fbc5a9b8fa46dc1511229b2ed38d92a8fdb02b3d3b502af944e8eaab85',
      MD5: 'ee4db045f9151b49689d05a96801f857',
    },
    order: { orderNo: '1753370980523384832', bizOrderNo: 'P0001' },
  },
];

const VECTORS_QUOTE: Vector[] = [
  {
    name: 'vector 3 (empty clientIp, a quote in the secret)',
    object: { orderNo: '1753370980523384832', clientIp: '', reqTime: 1715500231 },
    signString: 'clientIp=&orderNo=1753370980523384832&reqTime=1715500231&key=s3cr"et',
    hex: {
      HMAC_SHA256: 'f836e4b69d9472bd9da0fe8e544d32783b7c8a7578f3426203a8cd001ec5b50e',
      MD5: '658ce49638f0dd1ce5e9ac8fa3b2bbad',
    },
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

const SUITES: [string, Vector[]][] = [
  [VECTOR_SECRET, VECTORS_123456],
  [QUOTE_SECRET, VECTORS_QUOTE],
];

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
      const hex = vector.hex[type];
      // The library agrees with the spec, so a failure below is the endpoint's, not the algorithm's.
      expect(buildSignString(vector.object, secret)).toBe(vector.signString);
      expect(sign(vector.object, secret, type as SignType)).toBe(hex);

      // A tampered signature first: rejected before the nonce is remembered.
      const forged = await post(t, { ...vector.object, sign: tamper(hex) });
      expect(forged).toMatchObject({ code: 20000, msg: '未通过签名验证', data: null });
      expect(await t.syncRecords(vector.order.orderNo)).toHaveLength(0);

      const answer = await post(t, { ...vector.object, sign: hex });
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

      // The same body with the last hex digit changed, after the real one: still 20000.
      const again = await post(t, { ...vector.object, sign: tamper(hex) });
      expect(again).toMatchObject({ code: 20000, msg: '未通过签名验证', data: null });
      expect(await t.syncRecords(vector.order.orderNo)).toHaveLength(1);
    });
  });
});
