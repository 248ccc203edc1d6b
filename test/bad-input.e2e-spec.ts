import { request as httpRequest } from 'node:http';
import { FixedSql } from '../src/database/fixed-sql';
import { randomBytes } from 'node:crypto';
import { PayOrder } from '../src/order/pay-order.entity';
import { sign } from '../src/sign/daxpay-sign';
import { DaxEnvelope, SyncData, TestApp, testSecret } from './support/test-app';

const PATH = '/unipay/sync/pay';

interface Raw {
  status: number;
  text: string;
  body: DaxEnvelope<SyncData> | undefined;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Sends exactly these bytes; the body is parsed only if it is JSON, so a non-JSON answer fails the assertions, not the helper. */
async function raw(t: TestApp, init: { method?: string; body?: string; headers?: Record<string, string> }): Promise<Raw> {
  const response = await fetch(`${t.url}${PATH}`, {
    method: init.method ?? 'POST',
    headers: init.headers ?? { 'content-type': 'application/json' },
    body: init.body,
  });
  const text = await response.text();
  let body: DaxEnvelope<SyncData> | undefined;
  try {
    body = JSON.parse(text) as DaxEnvelope<SyncData>;
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}

/**
 * One POST through Node's own http client on a fresh connection, the way DaxPay's Java SDK
 * uses HttpURLConnection: the body is written in full, in 64 KiB pieces with a pause between
 * them as over a real network, and only then is the answer read. A reset or a broken pipe
 * before the body is out, or before the answer is in, rejects: that client has lost it.
 */
function postOverHttp(url: string, body: Buffer): Promise<Raw> {
  const target = new URL(`${url}/unipay/sync/pay`);
  return new Promise((resolve, reject) => {
    let answer: Raw | undefined;
    let sent = false;
    // A server that stops reading leaves the client stuck writing: that answer is lost too.
    const deadline = setTimeout(() => {
      request.destroy();
      reject(new Error(`no complete exchange within 10 s (body sent: ${sent}, answer: ${answer ? 'yes' : 'no'})`));
    }, 10_000);
    const settle = () => {
      if (!answer || !sent) return;
      clearTimeout(deadline);
      resolve(answer);
    };
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: DaxEnvelope<SyncData> | undefined;
          try {
            parsed = JSON.parse(text) as DaxEnvelope<SyncData>;
          } catch {
            parsed = undefined;
          }
          answer = { status: response.statusCode ?? 0, text, body: parsed };
          settle();
        });
        response.on('error', fail);
      },
    );
    function fail(error: Error): void {
      clearTimeout(deadline);
      reject(error);
    }
    request.on('error', fail);
    void (async () => {
      const piece = 64 * 1024;
      for (let offset = 0; offset < body.length; offset += piece) {
        if (request.destroyed) return;
        if (!request.write(body.subarray(offset, offset + piece))) await new Promise((drained) => request.once('drain', drained));
        await new Promise((paused) => setTimeout(paused, 1));
      }
      request.end(() => {
        sent = true;
        settle();
      });
    })();
  });
}

function postJson(t: TestApp, body: unknown): Promise<Raw> {
  return raw(t, { body: JSON.stringify(body) });
}

/** HTTP 200 (unless told otherwise), the bare DaxPay envelope with `data` null, no stack trace. */
function expectEnvelope(response: Raw, code: number, msg: string | RegExp, httpStatus = 200): DaxEnvelope<SyncData> {
  expect(response.text).not.toContain('Error:');
  expect(response.text).not.toMatch(/\bat .*:\d+:\d+/);
  expect(response.text).not.toMatch(/\n\s+at /);
  expect(response.status).toBe(httpStatus);
  expect(response.body).toBeDefined();
  const body = response.body!;
  expect(Object.keys(body).sort()).toEqual(['code', 'data', 'msg', 'traceId']);
  expect(body.code).toBe(code);
  expect(body.data).toBeNull();
  expect(body.traceId).toMatch(/^[A-Za-z0-9]{12}$/);
  if (typeof msg === 'string') expect(body.msg).toBe(msg);
  else expect(body.msg).toMatch(msg);
  return body;
}

/** Contains the field's name: the message tells the caller what to fix. */
function naming(field: string): RegExp {
  return new RegExp(field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/**
 * Every bad input of POST /unipay/sync/pay: answered with HTTP 200 and the DaxPay envelope
 * (10006 validation, 20052 signature), a message naming the field, no stack trace, and no
 * write at all. The target order's channel says "paid", so any request that slipped through
 * to the sync would repair it and show up.
 */
describe('POST /unipay/sync/pay: bad input', () => {
  let t: TestApp;
  let target: PayOrder;
  let baseline: PayOrder;

  beforeAll(async () => {
    t = await TestApp.start();
    target = await t.createOrder({ amount: 1999 });
    await t.setTrade(target.orderNo, { state: 'success', tradeNo: 'SBX-BAD-INPUT' });
    baseline = await t.order(target.orderNo);
    expect(baseline.status).toBe('progress');
  });

  afterAll(async () => {
    await t.close();
  });

  /** The target order is exactly as created, and was never synced. */
  async function expectTargetUnchanged(): Promise<void> {
    expect(await t.order(target.orderNo)).toEqual(baseline);
    expect(await t.syncRecords(target.orderNo)).toHaveLength(0);
    expect(await t.repairRecords(target.orderNo)).toHaveLength(0);
  }

  /** Sends, checks the envelope, and proves that nothing was written. */
  async function expectRejected(send: () => Promise<Raw>, code: number, msg: string | RegExp, httpStatus = 200) {
    const before = await t.tableCounts();
    const response = await send();
    const body = expectEnvelope(response, code, msg, httpStatus);
    expect(await t.tableCounts()).toEqual(before);
    await expectTargetUnchanged();
    return body;
  }

  /** A body signed with the server's secret and type, over exactly these fields. */
  function signed(fields: Record<string, unknown>): Record<string, unknown> {
    return t.signedSyncBody(fields);
  }

  /** A fresh order whose channel says paid, for the requests that are meant to be accepted. */
  async function paidOrder(): Promise<PayOrder> {
    const order = await t.createOrder({ amount: 1999 });
    await t.setTrade(order.orderNo, { state: 'success' });
    return order;
  }

  describe('the body', () => {
    it('malformed JSON: 10006', async () => {
      await expectRejected(() => raw(t, { body: `{"orderNo":"${target.orderNo}","reqTime":` }), 10006, /JSON/);
    });

    it.each([
      ['an array', JSON.stringify([{ orderNo: 'x', reqTime: 1 }])],
      ['a string', JSON.stringify('orderNo=x')],
      ['a number', '42'],
      ['null', 'null'],
    ])('a body that is %s, not an object: 10006', async (_what, body) => {
      await expectRejected(() => raw(t, { body }), 10006, /请求体/);
    });

    it('an empty body with content-type json: 10006', async () => {
      await expectRejected(() => raw(t, { body: '' }), 10006, '请求体不能为空');
    });

    it.each([['text/plain'], ['application/xml']])('a properly signed JSON body sent as %s: 10006', async (contentType) => {
      const body = JSON.stringify(signed({ orderNo: target.orderNo }));
      await expectRejected(() => raw(t, { body, headers: { 'content-type': contentType } }), 10006, 'Content-Type 必须为 application/json');
    });

    it('a properly signed form-encoded body: 10006, only JSON is accepted', async () => {
      const fields = signed({ orderNo: target.orderNo });
      const body = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
      await expectRejected(
        () => raw(t, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        10006,
        'Content-Type 必须为 application/json',
      );
    });

    it('an oversize body from a real http client gets its 10006 answer every time, not a reset: 4 MiB and 200 kB, 20 times each', async () => {
      const before = await t.tableCounts();
      for (const size of [4 * 1024 * 1024, 200 * 1024]) {
        const body = Buffer.from(JSON.stringify(signed({ orderNo: target.orderNo, foo: 'x'.repeat(size) })));
        for (let i = 0; i < 20; i += 1) expectEnvelope(await postOverHttp(t.url, body), 10006, '请求体过大');
      }
      expect(await t.tableCounts()).toEqual(before);
    });

    it('a body over the size limit (16384 bytes): 10006', async () => {
      const body = JSON.stringify(signed({ orderNo: target.orderNo, foo: 'x'.repeat(17_000) }));
      expect(Buffer.byteLength(body)).toBeGreaterThan(16_384);
      await expectRejected(() => raw(t, { body }), 10006, '请求体过大');
    });

    it('a GET on the endpoint: HTTP 404 in the envelope', async () => {
      const before = await t.tableCounts();
      const response = await raw(t, { method: 'GET', headers: {} });
      const body = expectEnvelope(response, 1, '接口不存在', 404);
      expect(body.code).not.toBe(0);
      expect(await t.tableCounts()).toEqual(before);
    });
  });

  describe('reqTime', () => {
    it('missing: 10006 naming reqTime', async () => {
      const body = signed({ orderNo: target.orderNo, reqTime: undefined });
      expect(body).not.toHaveProperty('reqTime', expect.anything());
      await expectRejected(() => postJson(t, body), 10006, naming('reqTime'));
    });

    it.each([
      ['a string', () => String(nowSeconds())],
      ['a float', () => nowSeconds() + 0.5],
      ['negative', () => -nowSeconds()],
      ['zero', () => 0],
      ['a boolean', () => true],
      ['an object', () => ({ seconds: nowSeconds() })],
      ['an array', () => [nowSeconds()]],
    ])('%s: 10006 naming reqTime', async (_what, reqTime) => {
      const body = signed({ orderNo: target.orderNo, reqTime: reqTime() });
      await expectRejected(() => postJson(t, body), 10006, naming('reqTime'));
    });

    it('far in the past, properly signed: 10006, expired', async () => {
      const body = signed({ orderNo: target.orderNo, reqTime: nowSeconds() - 86_400 });
      await expectRejected(() => postJson(t, body), 10006, '请求已过期，请重新发送！');
    });

    it('far in the future, properly signed: 10006 naming reqTime', async () => {
      const body = signed({ orderNo: target.orderNo, reqTime: nowSeconds() + 86_400 });
      await expectRejected(() => postJson(t, body), 10006, naming('reqTime'));
    });

    it('in milliseconds (13 digits), properly signed: 10006 naming reqTime', async () => {
      const body = signed({ orderNo: target.orderNo, reqTime: Date.now() });
      expect(String(body.reqTime)).toMatch(/^\d{13}$/);
      await expectRejected(() => postJson(t, body), 10006, naming('reqTime'));
    });
  });

  describe('order numbers', () => {
    it('both missing: 10006', async () => {
      await expectRejected(() => postJson(t, signed({})), 10006, '支付订单号不能都为空');
    });

    it('both empty strings: 10006', async () => {
      await expectRejected(() => postJson(t, signed({ orderNo: '', bizOrderNo: '' })), 10006, '支付订单号不能都为空');
    });

    it.each([
      ["' OR 1=1 --"],
      ['<script>alert(1)</script>'],
      ['1; DROP TABLE pay_order'],
      ["x' UNION SELECT 1 --"],
    ])('%s, properly signed, is just an unknown order number', async (fragment) => {
      const ordersBefore = await t.tableCounts();
      for (const fields of [{ orderNo: fragment }, { bizOrderNo: fragment }]) {
        const response = await postJson(t, signed(fields));
        expect(response.status).toBe(200);
        expect(response.text).not.toContain('Error:');
        expect(response.body).toMatchObject({ code: 0, msg: 'success' });
        expect(response.body!.data).toMatchObject({ code: 1, msg: '支付订单不存在' });
        expect(response.body!.data).not.toHaveProperty('status');
        expect(t.verifies(response.body!.data!)).toBe(true);
      }
      // The table is still there, with the same rows; the target order was not touched.
      const counts = await t.tableCounts();
      expect(counts.pay_order).toBe(ordersBefore.pay_order);
      expect(counts.pay_repair_record).toBe(ordersBefore.pay_repair_record);
      expect(await t.order(target.orderNo)).toEqual(baseline);
      expect(await t.syncRecords(fragment)).toHaveLength(1);
    });
  });

  describe('field lengths', () => {
    it.each([
      ['orderNo', 33, 'A'],
      ['bizOrderNo', 101, 'B'],
      ['nonceStr', 33, 'n'],
    ])('%s of %i characters, properly signed: 10006 naming the field', async (field, length, char) => {
      const value = char.repeat(length);
      const fields: Record<string, unknown> = { orderNo: target.orderNo, [field]: value };
      await expectRejected(() => postJson(t, signed(fields)), 10006, naming(field));
    });

    it('clientIp of 65 characters (a valid IPv6 with a zone), properly signed: 10006 naming clientIp', async () => {
      const clientIp = `fe80::1%${'a'.repeat(57)}`;
      expect(clientIp).toHaveLength(65);
      await expectRejected(() => postJson(t, signed({ orderNo: target.orderNo, clientIp })), 10006, naming('clientIp'));
    });

    it('sign of 65 characters: 10006 naming sign', async () => {
      const body = signed({ orderNo: target.orderNo });
      body.sign = `${body.sign as string}0`;
      expect(body.sign).toHaveLength(65);
      await expectRejected(() => postJson(t, body), 10006, naming('sign'));
    });

    it('every field exactly at its limit is accepted', async () => {
      const body = signed({
        orderNo: 'O'.repeat(32),
        bizOrderNo: 'B'.repeat(100),
        clientIp: `fe80::1%${'a'.repeat(56)}`,
        nonceStr: randomBytes(16).toString('hex'),
      });
      expect(body.clientIp).toHaveLength(64);
      expect(body.nonceStr).toHaveLength(32);
      expect(body.sign).toHaveLength(64);
      const response = await postJson(t, body);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ code: 0 });
      expect(response.body!.data).toMatchObject({ code: 1, msg: '支付订单不存在' });
    });
  });

  describe('field types', () => {
    const wrong: [string, unknown][] = [
      ['a number', 12345],
      ['a boolean', true],
      ['an object', { value: 'x' }],
      ['an array', ['x']],
    ];
    const cases = ['orderNo', 'bizOrderNo', 'clientIp', 'nonceStr'].flatMap((field) =>
      wrong.map(([what, value]) => [field, what, value] as [string, string, unknown]),
    );

    it.each(cases)('%s as %s, properly signed: 10006 saying it must be a string', async (field, _what, value) => {
      // The other order number points at the target, so a body that got through would sync it.
      const fields: Record<string, unknown> =
        field === 'orderNo' ? { bizOrderNo: target.bizOrderNo } : { orderNo: target.orderNo };
      fields[field] = value;
      // Not "longer than …": the type is what is wrong.
      await expectRejected(() => postJson(t, signed(fields)), 10006, `${field} 必须是字符串`);
    });

    it.each(wrong)('sign as %s: 10006 saying sign must be a string', async (_what, value) => {
      const body = signed({ orderNo: target.orderNo });
      body.sign = value;
      await expectRejected(() => postJson(t, body), 10006, 'sign 必须是字符串');
    });
  });

  describe('clientIp', () => {
    it.each([['999.1.1.1'], ['localhost'], ['1.2.3'], ['1.2.3.4; DROP TABLE pay_order']])(
      '%s, properly signed: 10006 naming clientIp',
      async (clientIp) => {
        await expectRejected(() => postJson(t, signed({ orderNo: target.orderNo, clientIp })), 10006, naming('clientIp'));
      },
    );

    it('an empty clientIp is accepted, signed over as `clientIp=`', async () => {
      const order = await paidOrder();
      const body = signed({ orderNo: order.orderNo, clientIp: '' });
      expect(body.sign).not.toBe(signed({ orderNo: order.orderNo, reqTime: body.reqTime, nonceStr: body.nonceStr }).sign);
      const response = await postJson(t, body);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ code: 0, msg: 'success' });
      expect(response.body!.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect(t.verifies(response.body!.data!)).toBe(true);
      expect((await t.order(order.orderNo)).status).toBe('success');
    });

    it('an empty clientIp the sign was not computed over: 20052', async () => {
      const body = signed({ orderNo: target.orderNo });
      body.clientIp = '';
      await expectRejected(() => postJson(t, body), 20052, '验签失败');
    });
  });

  describe('unknown fields', () => {
    it('are ignored but signed over: signed with foo, accepted', async () => {
      const order = await paidOrder();
      const response = await postJson(t, signed({ orderNo: order.orderNo, foo: 'bar' }));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ code: 0, msg: 'success' });
      expect(response.body!.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect((await t.order(order.orderNo)).status).toBe('success');
    });

    it('a foo the sign was not computed over: 20052', async () => {
      const body = signed({ orderNo: target.orderNo });
      body.foo = 'bar';
      await expectRejected(() => postJson(t, body), 20052, '验签失败');
    });
  });

  describe('the signature', () => {
    function withoutSign(body: Record<string, unknown>): Record<string, unknown> {
      const { sign: _sign, ...rest } = body;
      return rest;
    }

    it('missing: 20052', async () => {
      await expectRejected(() => postJson(t, withoutSign(signed({ orderNo: target.orderNo }))), 20052, '验签失败');
    });

    it.each([
      ['wrong', (_body: Record<string, unknown>, good: string) => good.replace(/./g, (c) => (c === '0' ? '1' : '0'))],
      ['upper-cased', (_body: Record<string, unknown>, good: string) => good.toUpperCase()],
      ['truncated', (_body: Record<string, unknown>, good: string) => good.slice(0, 63)],
      ['empty', () => ''],
      ['made with MD5 while the server expects HMAC_SHA256', (body: Record<string, unknown>) => sign(body, t.secret, 'MD5')],
      ['made with another secret', (body: Record<string, unknown>) => sign(body, testSecret(), 'HMAC_SHA256')],
    ])('%s: 20052', async (_what, forge) => {
      expect(t.signType).toBe('HMAC_SHA256');
      const body = signed({ orderNo: target.orderNo });
      const good = body.sign as string;
      body.sign = forge(withoutSign(body), good);
      expect(body.sign).not.toBe(good);
      await expectRejected(() => postJson(t, body), 20052, '验签失败');
    });

    it('a replayed nonceStr: the first request is synced, the identical second one gets 10006 and changes nothing', async () => {
      const order = await t.createOrder({ amount: 1999 });
      const body = signed({ orderNo: order.orderNo });
      const first = await postJson(t, body);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ code: 0 });
      expect(first.body!.data).toMatchObject({ status: 'pay_progress', code: 0 });
      expect(await t.syncRecords(order.orderNo)).toHaveLength(1);

      // The channel now says paid: a replay that got through would repair the order.
      await t.setTrade(order.orderNo, { state: 'success' });
      const orderBefore = await t.order(order.orderNo);
      const before = await t.tableCounts();
      const second = await postJson(t, body);
      expectEnvelope(second, 10006, naming('nonceStr'));
      expect(await t.tableCounts()).toEqual(before);
      expect(await t.order(order.orderNo)).toEqual(orderBefore);
      expect(orderBefore.status).toBe('progress');
      expect(await t.syncRecords(order.orderNo)).toHaveLength(1);
    });
  });

  describe('nonces', () => {
    it('a replayed nonceStr of a request that found no order, or was turned away as busy, is still a replay', async () => {
      const missing = signed({ bizOrderNo: 'NO-SUCH-ORDER-FOR-NONCE' });
      expect((await postJson(t, missing)).body).toMatchObject({ code: 0, data: { code: 1 } });
      const before = await t.tableCounts();
      expectEnvelope(await postJson(t, missing), 10006, naming('nonceStr'));
      expect(await t.tableCounts()).toEqual(before);

      const order = await t.createOrder({ amount: 500 });
      await t.setTrade(order.orderNo, { state: 'success', delayMs: 600 });
      const running = t.syncPay({ orderNo: order.orderNo });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const busy = signed({ orderNo: order.orderNo });
      expect((await postJson(t, busy)).body).toMatchObject({ code: 10007 });
      expect((await running).data).toMatchObject({ status: 'pay_success' });
      const afterBusy = await t.tableCounts();
      expectEnvelope(await postJson(t, busy), 10006, naming('nonceStr'));
      expect(await t.tableCounts()).toEqual(afterBusy);
    });

    it('a nonceStr seen before outside the window may be used again (the spec refuses it only inside)', async () => {
      const order = await t.createOrder({ amount: 800 });
      const body = signed({ orderNo: order.orderNo });
      expect((await postJson(t, body)).body).toMatchObject({ code: 0 });
      // The first use is now older than the window (60 s ahead + 300 s behind, as configured).
      const sql = t.app.get(FixedSql);
      await t.dataSource.query('UPDATE pay_sync_record SET create_time = ? WHERE nonce_str = ?', [sql.time(new Date(Date.now() - 400_000)), body.nonceStr]);
      const again = signed({ orderNo: order.orderNo, nonceStr: body.nonceStr });
      expect((await postJson(t, again)).body).toMatchObject({ code: 0, data: { status: 'pay_progress', code: 0 } });
      const records = await t.syncRecords(order.orderNo);
      expect(records).toHaveLength(2);
      expect(records.map((record) => record.nonceStr)).toEqual([null, body.nonceStr]);
      // And inside the window of that second use it is a replay again.
      expectEnvelope(await postJson(t, signed({ orderNo: order.orderNo, nonceStr: body.nonceStr })), 10006, naming('nonceStr'));
    });
  });

  describe('the order of the checks: validation, signature, time', () => {
    it('an over-long orderNo with a bad sign: 10006, not 20052', async () => {
      const body = signed({ orderNo: 'A'.repeat(33), bizOrderNo: target.bizOrderNo });
      body.sign = '0'.repeat(64);
      await expectRejected(() => postJson(t, body), 10006, naming('orderNo'));
    });

    it('a far-past reqTime with a bad sign: 20052, not 10006', async () => {
      const body = signed({ orderNo: target.orderNo, reqTime: nowSeconds() - 86_400 });
      body.sign = '0'.repeat(64);
      await expectRejected(() => postJson(t, body), 20052, '验签失败');
    });
  });
});

describe('POST /unipay/sync/pay: signing disabled', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ UNIPAY_SIGN_ENABLED: 'false' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('an unsigned request is accepted and the answer carries no sign', async () => {
    const order = await t.createOrder({ amount: 1999 });
    await t.setTrade(order.orderNo, { state: 'success' });
    const response = await postJson(t, { orderNo: order.orderNo, reqTime: nowSeconds() });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: 0, msg: 'success' });
    expect(response.body!.data).toMatchObject({ status: 'pay_success', code: 0 });
    expect(response.body!.data).not.toHaveProperty('sign');
    expect(Object.keys(response.body!.data!)).toEqual(['status', 'code', 'resTime']);
    expect((await t.order(order.orderNo)).status).toBe('success');
  });

  it('validation still runs: a missing reqTime is 10006', async () => {
    const response = await postJson(t, { orderNo: 'ANY' });
    expectEnvelope(response, 10006, naming('reqTime'));
  });
});
