import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sign } from '../src/sign/daxpay-sign';
import { DaxEnvelope, signedSyncBody, SyncData, TestApp } from './support/test-app';

const run = promisify(execFile);
const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

/** refund-sync.md section 3, secret 123456. */
const R1 = { refundNo: 'DEVR24061216000001000021', clientIp: '127.0.0.1', reqTime: 1718179212 };
const R2 = { refundNo: 'DEVR24061216000001000021', bizRefundNo: 'SHOP-RF-0042-1', clientIp: '', nonceStr: '5f3c1a9e7b2d4c80', reqTime: 1718179212 };
const A1 = { status: 'refund_success', code: 0, resTime: 1718179213 };
const A2 = { code: 1, msg: '未查询到退款订单', resTime: 1718179213 };
const A3 = { status: 'close', code: 0, resTime: 1718179213 };

describe('refund sync: the spec vectors', () => {
  it.each([
    ['R1', R1, 'HMAC_SHA256', 'c724148f280d5fa239948dd498c128416b4f21607b204957bc7bfecf1232ea13'],
    ['R2', R2, 'MD5', 'd49180de3650408672929b378f19f889'],
    ['A1', A1, 'HMAC_SHA256', '8471f3b0bea3ef8cbf2182de57266a99ac600651b2377cd6b8c04c26d0d7fc27'],
    ['A2', A2, 'HMAC_SHA256', 'e12c5250beeb5f97e1dab709e46534e2f4ad0116e98899ae258590918b96ad5b'],
    ['A3', A3, 'HMAC_SHA256', '467700dfe5fb8cc05f62eeecf311d5f23c97ddd02bb8f113ee4c397c9c3ea902'],
    ['R1 (MD5)', R1, 'MD5', '5f32c670389995242dd27ecc3a59837b'],
    ['R2 (HMAC_SHA256)', R2, 'HMAC_SHA256', '10585f64c257a8ac5ea84884296200bcb684181952c51a76e887bb287da3604d'],
    ['A1 (MD5)', A1, 'MD5', 'a2287da04e1fd4a3a6ae054b28c09be5'],
    ['A2 (MD5)', A2, 'MD5', 'd71e860ab7c2b1b717183bcf72c3a639'],
  ] as const)('%s signs as the spec says', (_name, object, type, expected) => {
    expect(sign(object, '123456', type)).toBe(expected);
  });

  it.each([
    ['R1', R1, 'HMAC_SHA256', 'c724148f280d5fa239948dd498c128416b4f21607b204957bc7bfecf1232ea13'],
    ['R2', R2, 'MD5', 'd49180de3650408672929b378f19f889'],
  ] as const)('%s is signed so by `unipay sign`', async (_name, object, type, expected) => {
    const { stdout } = await run(process.execPath, [CLI, 'sign', '--json', JSON.stringify(object), '--secret', '123456', '--sign-type', type]);
    expect(stdout.trim().split('\n').pop()).toBe(expected);
  });

  it.each([
    ['R1', R1, 'HMAC_SHA256', 'c724148f280d5fa239948dd498c128416b4f21607b204957bc7bfecf1232ea13'],
    ['R2', R2, 'MD5', 'd49180de3650408672929b378f19f889'],
  ] as const)('%s passes the endpoint\'s signature check (and is then too old), a changed sign does not', async (_name, object, type, signature) => {
    const t = await TestApp.start({ UNIPAY_SIGN_SECRET: '123456', UNIPAY_SIGN_TYPE: type });
    try {
      const genuine = await t.post<DaxEnvelope>('/unipay/sync/refund', { ...object, sign: signature });
      expect(genuine.body).toMatchObject({ code: 10006, msg: '验证参数错误\n请求已过期，请重新发送！', data: null });
      const forged = await t.post<DaxEnvelope>('/unipay/sync/refund', { ...object, sign: signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')) });
      expect(forged.body).toMatchObject({ code: 20052, msg: '验签失败', data: null });
    } finally {
      await t.close();
    }
  });

  it("answers as A2 does, signed with the server's secret, and `unipay sync --refund-no` verifies it", async () => {
    const t = await TestApp.start({ UNIPAY_SIGN_SECRET: '123456' });
    try {
      const answer = await t.post<DaxEnvelope<SyncData>>('/unipay/sync/refund', signedSyncBody({ refundNo: 'NO-SUCH' }, '123456'));
      const data = answer.body.data!;
      expect(data).toEqual({ code: 1, msg: '未查询到退款订单', resTime: expect.any(Number), sign: sign({ ...A2, resTime: data.resTime }, '123456', 'HMAC_SHA256') });
      const cli = await run(process.execPath, [CLI, 'sync', '--url', t.url, '--refund-no', 'NO-SUCH', '--secret', '123456']);
      expect(cli.stdout).toContain('"msg": "未查询到退款订单"');
      expect(cli.stdout).toContain('signature: verified');
    } finally {
      await t.close();
    }
  });
});

describe('refund sync: bad input gets a clear answer and changes nothing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  async function expectRefused(body: unknown, code: number, msg: string): Promise<void> {
    const before = await t.tableCounts();
    const response = await t.post<DaxEnvelope>('/unipay/sync/refund', body);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ code, msg, data: null, traceId: expect.any(String) });
    expect(response.text).not.toMatch(/\bat \w|Error:/);
    expect(await t.tableCounts()).toEqual(before);
  }

  const signed = (fields: Record<string, unknown>) => t.signedSyncBody(fields);

  it.each([
    ['a refundNo over 100', { refundNo: 'R'.repeat(101) }, '验证参数错误\n退款号不可超过100位\n'],
    ['a bizRefundNo over 100', { bizRefundNo: 'B'.repeat(101) }, '验证参数错误\n商户退款号不可超过100位\n'],
    ['a clientIp over 64', { refundNo: 'R1', clientIp: '1'.repeat(65) }, '验证参数错误\n客户端ip不可超过64位\n'],
    ['a clientIp that is no IP', { refundNo: 'R1', clientIp: '999.1.1.1' }, '验证参数错误\nIP地址不合法！\n'],
    ['a nonceStr over 32', { refundNo: 'R1', nonceStr: 'n'.repeat(33) }, '验证参数错误\n随机数不可超过32位\n'],
    ['several rules at once', { refundNo: 'R'.repeat(101), nonceStr: 'n'.repeat(33) }, '验证参数错误\n退款号不可超过100位\n随机数不可超过32位\n'],
  ])('%s: 10006 in DaxPay 2.0.8 words', async (_name, fields, msg) => {
    await expectRefused(signed(fields), 10006, msg);
  });

  it('a sign over 64 and a missing reqTime: 10006, each on its own line', async () => {
    await expectRefused({ refundNo: 'R1', sign: 's'.repeat(65) }, 10006, '验证参数错误\n签名不可超过64位\n请求时间必填\n');
  });

  it.each([
    ['refundNo', 12345],
    ['bizRefundNo', ['a']],
    ['clientIp', { ip: '1.1.1.1' }],
    ['nonceStr', true],
    ['sign', 1],
  ])('a %s of the wrong type: 10006 that says it must be text', async (field, value) => {
    await expectRefused({ ...signed({ refundNo: 'R1' }), [field]: value }, 10006, `${field} 必须是字符串`);
  });

  it('a body that is no JSON: 10006', async () => {
    await expectRefused('{"refundNo":', 10006, '请求体不是合法的JSON');
  });

  it('reqTime too far ahead or too old: 10006 after the signature, in DaxPay 2.0.8 words', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(signed({ refundNo: 'R1', reqTime: now + 120 }), 10006, '验证参数错误\n请求时间晚于服务器接收到的时间，请检查');
    await expectRefused(signed({ refundNo: 'R1', reqTime: now - 3600 }), 10006, '验证参数错误\n请求已过期，请重新发送！');
  });

  it('a missing or wrong signature: 20052 验签失败', async () => {
    const { sign: _sign, ...unsigned } = signed({ refundNo: 'R1' });
    await expectRefused(unsigned, 20052, '验签失败');
    await expectRefused({ ...signed({ refundNo: 'R1' }), bizRefundNo: 'added-after-signing' }, 20052, '验签失败');
  });

  it('a nonceStr used again inside the window: 10006, and the second request changes nothing', async () => {
    const order = await t.createOrder({ amount: 1000, status: 'success' });
    const created = await t.post<DaxEnvelope<{ refund: { refundNo: string } }>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 100 });
    const body = signed({ refundNo: created.body.data!.refund.refundNo });
    expect((await t.post<DaxEnvelope<SyncData>>('/unipay/sync/refund', body)).body.data).toMatchObject({ status: 'refund_progress' });
    await expectRefused(body, 10006, '重复的请求：nonceStr 已被使用');
  });
});
