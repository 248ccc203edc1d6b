import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WechatEmulatedTrade, WechatPayEmulatorFailure } from '../src/emulator/wechat/wechat-pay-emulated-trade';
import { startWechatPayEmulator } from '../src/emulator/wechat/wechat-pay-emulator-start';
import { startWechatPayEmulatorForQuickStart } from '../src/emulator/wechat';
import { PayOrder } from '../src/order/pay-order.entity';
import { PaySyncRecord } from '../src/sync/pay-sync-record.entity';
import { PaySyncService } from '../src/sync/pay-sync.service';
import { SyncSource } from '../src/sync/pay-sync-status';
import { TestApp } from './support/test-app';
import { messageOf, repairNoOf } from './support/outcomes';
import {
  parseAuthorization,
  requestSignatureVerifies,
  startWechatPaySuite,
  strangerPrivateKeyPem,
  WechatPaySuite,
  wechatTestEnv,
} from './support/wechat-pay-test-kit';

const REFUND_MSG = '支付订单为退款状态，请通过执行对应的退款订单进行同步';
const AMOUNT_MISMATCH_MSG = '通道支付金额与订单金额不一致，已记录异常待人工处理';

/**
 * The WeChat Pay APIv3 channel against the emulator, through the real sync service and
 * database: every trade state, every way an answer can fail, and the close at expiry.
 */
describe('WeChat Pay APIv3 channel', () => {
  let suite: WechatPaySuite;
  let t: TestApp;

  beforeAll(async () => {
    suite = await startWechatPaySuite();
    t = suite.t;
  });

  afterAll(async () => {
    await suite.close();
  });

  const expired = () => ({ expiredTime: new Date(Date.now() - 60_000) });

  async function wechatOrder(trade: WechatEmulatedTrade | null, fields: Partial<PayOrder> = {}): Promise<PayOrder> {
    const order = await t.insertOrder({ channel: 'wechat_pay', ...fields });
    if (trade) suite.emulator.setTrade(order.orderNo, trade);
    return order;
  }

  function sync(order: PayOrder) {
    return t.app.get(PaySyncService).sync({ orderNo: order.orderNo, source: SyncSource.MANUAL });
  }

  async function onlyRecord(order: PayOrder): Promise<PaySyncRecord> {
    const records = await t.syncRecords(order.orderNo);
    expect(records).toHaveLength(1);
    return records[0];
  }

  /** What the channel answered, per step, as stored for an operator; never any key material. */
  function transcript(record: PaySyncRecord): Record<string, string> {
    const text = record.channelResponse ?? '{}';
    expect(text).not.toMatch(/PRIVATE KEY|PUBLIC KEY|WECHATPAY2-SHA256-RSA2048|signature/i);
    for (const pem of [suite.keys.merchantPrivateKeyPem, suite.keys.platformPrivateKeyPem]) {
      const body = pem.split('\n')[5];
      expect(body.length).toBeGreaterThan(40);
      expect(text).not.toContain(body);
    }
    return JSON.parse(text) as Record<string, string>;
  }

  /** The order row is as it was, and was never repaired. */
  async function expectUnchanged(before: PayOrder) {
    const after = await t.order(before.orderNo);
    expect(after).toMatchObject({ status: 'progress', version: before.version, payTime: null, closeTime: null, outOrderNo: null });
    expect(after.lastModifiedTime.getTime()).toBe(before.lastModifiedTime.getTime());
    expect(await t.repairRecords(before.orderNo)).toHaveLength(0);
  }

  describe('paid', () => {
    it('SUCCESS with the same amount: success, transaction_id as out_order_no, the success_time instant, exact cents', async () => {
      const order = await wechatOrder(
        { trade_state: 'SUCCESS', total: 123456789, transaction_id: '4200002345202603051234567890', success_time: '2026-03-05T14:07:09+08:00' },
        { amount: 123456789 },
      );
      const outcome = await sync(order);
      expect(outcome).toMatchObject({ kind: 'repaired', status: 'pay_success' });

      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'success', outOrderNo: '4200002345202603051234567890', amount: 123456789, closeTime: null, version: order.version + 1 });
      expect(after.payTime!.toISOString()).toBe('2026-03-05T06:07:09.000Z');

      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: true, repairNo: repairNoOf(outcome), channel: 'wechat_pay', outOrderNo: '4200002345202603051234567890', errorMsg: null });
      expect(JSON.parse(transcript(record).query)).toMatchObject({
        out_trade_no: order.orderNo,
        mchid: suite.keys.mchId,
        appid: suite.keys.appId,
        trade_state: 'SUCCESS',
        transaction_id: '4200002345202603051234567890',
        amount: { total: 123456789, payer_total: 123456789, currency: 'CNY' },
      });
      const repairs = await t.repairRecords(order.orderNo);
      expect(repairs).toHaveLength(1);
      expect(repairs[0]).toMatchObject({ repairNo: repairNoOf(outcome), way: 'pay_success', beforeStatus: 'progress', afterStatus: 'success', amount: 123456789, channel: 'wechat_pay' });
      expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it('one fen is one cent', async () => {
      const order = await wechatOrder({ trade_state: 'SUCCESS', total: 1 }, { amount: 1 });
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_success' });
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', amount: 1 });
    });

    it('SUCCESS with another amount: nothing changes, an amount anomaly for an operator', async () => {
      const order = await wechatOrder({ trade_state: 'SUCCESS', total: 1998 }, { amount: 1999 });
      expect(await sync(order)).toEqual({ kind: 'anomaly', status: 'pay_success', reason: 'ANOMALY', anomaly: 'amount_mismatch', message: AMOUNT_MISMATCH_MSG });
      await expectUnchanged(order);
      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: false, repairNo: null, anomaly: 'amount_mismatch', errorCode: 'ANOMALY' });
      expect(JSON.parse(transcript(record).query)).toMatchObject({ amount: { total: 1998 } });
    });

    it('REFUND: nothing changes, the merchant is told to use refund sync', async () => {
      const order = await wechatOrder({ trade_state: 'REFUND', total: 1999 });
      expect(await sync(order)).toEqual({ kind: 'refund', status: 'pay_refund', reason: 'REFUND', message: REFUND_MSG });
      await expectUnchanged(order);
      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_refund', repaired: false, errorCode: 'REFUND', errorMsg: REFUND_MSG });
      expect(JSON.parse(transcript(record).query)).toMatchObject({ trade_state: 'REFUND' });
    });

    it('over POST /unipay/sync/pay: a signed pay_success and a repaired order', async () => {
      const order = await wechatOrder({ trade_state: 'SUCCESS', total: 1999, transaction_id: '4200000000000000000000000001' });
      const answer = await t.syncPay({ orderNo: order.orderNo });
      expect(answer.code).toBe(0);
      expect(answer.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect(t.verifies(answer.data!)).toBe(true);
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', outOrderNo: '4200000000000000000000000001' });
      expect((await onlyRecord(order)).source).toBe('manual');
    });
  });

  describe('closed or unknown at WeChat Pay: closed locally', () => {
    it.each([['CLOSED'], ['REVOKED'], ['PAYERROR']])('%s', async (state) => {
      const order = await wechatOrder({ trade_state: state, total: 1999 });
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_closed' });
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'close', payTime: null, outOrderNo: null, version: order.version + 1 });
      expect(after.closeTime).toBeInstanceOf(Date);
      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_closed', repaired: true, errorMsg: null });
      expect(JSON.parse(transcript(record).query)).toMatchObject({ trade_state: state });
      const repairs = await t.repairRecords(order.orderNo);
      expect(repairs).toHaveLength(1);
      expect(repairs[0]).toMatchObject({ repairNo: record.repairNo, way: 'close_local', beforeStatus: 'progress', afterStatus: 'close' });
      expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it.each([
      ['a trade WeChat Pay never had', null],
      ['an answer ORDER_NOT_EXIST', { trade_state: 'NOTPAY', failure: 'not_found' } as WechatEmulatedTrade],
    ])('%s: pay_not_found, closed locally', async (_, trade) => {
      const order = await wechatOrder(trade);
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_not_found' });
      expect((await t.order(order.orderNo)).status).toBe('close');
      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_not_found', repaired: true });
      expect(JSON.parse(transcript(record).query)).toEqual({ code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      const [repair] = await t.repairRecords(order.orderNo);
      expect(repair).toMatchObject({ way: 'close_local', afterStatus: 'close' });
      expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });
  });

  describe('waiting for the buyer', () => {
    it.each([['NOTPAY'], ['USERPAYING']])('%s before expiry: nothing changes, no close', async (state) => {
      const order = await wechatOrder({ trade_state: state, total: 1999 });
      expect(await sync(order)).toEqual({ kind: 'unchanged', status: 'pay_progress' });
      await expectUnchanged(order);
      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_progress', repaired: false, repairNo: null, errorMsg: null });
      expect(JSON.parse(transcript(record).query)).toMatchObject({ trade_state: state });
      expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it.each([['NOTPAY'], ['USERPAYING']])('%s after expiry: closed at WeChat Pay first (204), then locally', async (state) => {
      const order = await wechatOrder({ trade_state: state, total: 1999 }, expired());
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_timeout' });
      expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1, close: 1 });
      expect(suite.emulator.tradeOf(order.orderNo)?.trade_state).toBe('CLOSED');
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'close', payTime: null, version: order.version + 1 });
      expect(after.closeTime).toBeInstanceOf(Date);
      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_timeout', repaired: true });
      const steps = transcript(record);
      expect(Object.keys(steps)).toEqual(['query', 'close']);
      expect(steps.close).toBe('HTTP 204');
      const repairs = await t.repairRecords(order.orderNo);
      expect(repairs).toHaveLength(1);
      expect(repairs[0]).toMatchObject({ repairNo: record.repairNo, way: 'close_gateway', beforeStatus: 'progress', afterStatus: 'close' });
    });

    it('after expiry, and the close is refused with ORDERPAID: queried again, success', async () => {
      const order = await wechatOrder({ trade_state: 'NOTPAY', total: 1999, close: 'paid' }, expired());
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_success' });
      expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 2, close: 1 });
      const trade = suite.emulator.tradeOf(order.orderNo)!;
      expect(trade.trade_state).toBe('SUCCESS');
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'success', outOrderNo: trade.transaction_id, closeTime: null });
      expect(Math.floor(after.payTime!.getTime() / 1000)).toBe(new Date(trade.success_time!).getTime() / 1000);
      const record = await onlyRecord(order);
      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: true, outOrderNo: trade.transaction_id });
      const steps = transcript(record);
      expect(Object.keys(steps)).toEqual(['query', 'close', 'requery']);
      expect(JSON.parse(steps.close)).toEqual({ code: 'ORDERPAID', message: '订单已支付' });
      expect(JSON.parse(steps.requery)).toMatchObject({ trade_state: 'SUCCESS' });
      const [repair] = await t.repairRecords(order.orderNo);
      expect(repair).toMatchObject({ way: 'pay_success', afterStatus: 'success' });
    });

    it('after expiry, and the close is refused with the APIv3 code ORDER_PAID and no Chinese words: queried again, success', async () => {
      const order = await wechatOrder({ trade_state: 'NOTPAY', total: 1999, close: 'paid_order_paid' }, expired());
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_success' });
      expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 2, close: 1 });
      const record = await onlyRecord(order);
      expect(JSON.parse(transcript(record).close)).toEqual({ code: 'ORDER_PAID', message: 'The order has been paid' });
      expect((await t.order(order.orderNo)).status).toBe('success');
    });

    it.each([
      ['a close that fails (500 SYSTEM_ERROR)', { close: 'fail' }, /^SYSTEM_ERROR 系统错误$/, 'SYSTEM_ERROR'],
      ['a close answered 429', { closeFailure: 'rate_limited' }, /^FREQUENCY_LIMITED 频率超限$/, 'FREQUENCY_LIMITED'],
      ['a 204 with a tampered signature', { closeFailure: 'tampered_signature' }, /验签失败/, undefined],
      ['an unsigned ORDER_NOT_EXIST to the close', { closeFailure: 'unsigned_error' }, /未签名/, 'ORDER_NOT_EXIST'],
    ] as [string, WechatEmulatedTrade, RegExp, string | undefined][])(
      'after expiry, %s: nothing changes, the failure is recorded',
      async (_, closeSwitch, message, inBody) => {
        const order = await wechatOrder({ trade_state: 'NOTPAY', total: 1999, ...closeSwitch }, expired());
        const outcome = await sync(order);
        expect(outcome).toMatchObject({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR' });
        expect(messageOf(outcome)).toMatch(message);
        await expectUnchanged(order);
        expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1, close: 1 });
        const record = await onlyRecord(order);
        expect(record).toMatchObject({ syncStatus: 'pay_fail', repaired: false, errorCode: 'CHANNEL_ERROR', errorMsg: messageOf(outcome) });
        const steps = transcript(record);
        expect(Object.keys(steps)).toEqual(['query', 'close']);
        if (inBody) expect(steps.close).toContain(inBody);
      },
    );
  });

  describe('an answer that cannot be trusted or used: pay_fail, nothing changes', () => {
    const failures: [WechatPayEmulatorFailure | 'unknown trade_state', RegExp][] = [
      ['slow', /^通道请求超时（1000 ms）$/],
      ['rate_limited', /^FREQUENCY_LIMITED 频率超限$/],
      ['server_error', /^SYSTEM_ERROR 系统错误$/],
      ['tampered_signature', /^微信支付应答验签失败（HTTP 200）$/],
      ['wrong_serial', /^微信支付应答的 Wechatpay-Serial 不是配置的微信支付公钥ID: PUB_KEY_ID_01/],
      ['stale_timestamp', /^微信支付应答的 Wechatpay-Timestamp 与本机时间相差超过 300 秒/],
      ['signtest_probe', /^微信支付应答是签名探测（WECHATPAY\/SIGNTEST），不可信（HTTP 200）$/],
      ['unsigned_error', /^微信支付应答未签名，缺少 wechatpay-timestamp, wechatpay-nonce, wechatpay-signature, wechatpay-serial（HTTP 404）$/],
      ['malformed', /^微信支付应答不是有效的 JSON$/],
      ['unknown trade_state', /^微信支付返回未知的交易状态: TRANSFERRING$/],
    ];
    const setups: [string, WechatEmulatedTrade, Partial<PayOrder>][] = [
      ['an expired order, trade NOTPAY', { trade_state: 'NOTPAY', total: 1999 }, { expiredTime: new Date(0) }],
      ['a paid trade', { trade_state: 'SUCCESS', total: 1999 }, {}],
    ];

    describe.each(setups)('%s', (_, trade, orderFields) => {
      it.each(failures)('%s', async (failure, message) => {
        const switches: WechatEmulatedTrade =
          failure === 'unknown trade_state' ? { trade_state: 'TRANSFERRING' } : { failure, delayMs: failure === 'slow' ? 1500 : undefined };
        const order = await wechatOrder({ ...trade, ...switches }, orderFields);
        const outcome = await sync(order);
        expect(outcome).toMatchObject({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR' });
        expect(messageOf(outcome)).toMatch(message);
        await expectUnchanged(order);
        expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
        expect(suite.emulator.tradeOf(order.orderNo)?.trade_state).toBe(switches.trade_state ?? trade.trade_state);

        const record = await onlyRecord(order);
        expect(record).toMatchObject({ syncStatus: 'pay_fail', repaired: false, repairNo: null, errorCode: 'CHANNEL_ERROR', errorMsg: messageOf(outcome) });
        const body = transcript(record).query;
        if (failure === 'slow') {
          // No answer came: the record keeps the reason instead.
          expect(body).toBe(messageOf(outcome));
        } else if (failure === 'malformed') {
          expect(body).toMatch(/^\{"amount":/);
          expect(() => JSON.parse(body)).toThrow();
        } else if (['rate_limited', 'server_error', 'unsigned_error'].includes(failure)) {
          expect(JSON.parse(body).code).toBe({ rate_limited: 'FREQUENCY_LIMITED', server_error: 'SYSTEM_ERROR', unsigned_error: 'ORDER_NOT_EXIST' }[failure as string]);
        } else {
          expect(JSON.parse(body)).toMatchObject({ out_trade_no: order.orderNo, trade_state: switches.trade_state ?? trade.trade_state });
        }
      });
    });

    it('over POST /unipay/sync/pay: a signed business failure with the reason', async () => {
      const order = await wechatOrder({ trade_state: 'SUCCESS', total: 1999, failure: 'tampered_signature' });
      const answer = await t.syncPay({ orderNo: order.orderNo });
      expect(answer.code).toBe(0);
      expect(answer.data).toMatchObject({ code: 1, msg: '微信支付应答验签失败（HTTP 200）' });
      expect(answer.data!.status).toBeUndefined();
      expect(t.verifies(answer.data!)).toBe(true);
      await expectUnchanged(order);
      expect(await onlyRecord(order)).toMatchObject({ syncStatus: 'pay_fail' });
    });
  });

  describe('request signing', () => {
    it('the query carries a well-formed Authorization that verifies with the merchant public key', async () => {
      const order = await wechatOrder({ trade_state: 'NOTPAY' });
      const before = Math.floor(Date.now() / 1000);
      await sync(order);
      const request = suite.emulator.lastRequest!;
      expect(request.method).toBe('GET');
      expect(request.url).toBe(`/v3/pay/transactions/out-trade-no/${order.orderNo}?mchid=${suite.keys.mchId}`);
      expect(request.body).toBe('');
      expect(request.headers.accept).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/\S/);
      expect(request.headers.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="\d+",nonce_str="[0-9a-f]{32}",signature="[A-Za-z0-9+/]+={0,2}",timestamp="\d{10}",serial_no="[0-9A-F]{40}"$/);
      const auth = parseAuthorization(request.headers.authorization)!;
      expect(auth).toMatchObject({ mchid: suite.keys.mchId, serial_no: suite.keys.merchantSerialNo });
      expect(Math.abs(Number(auth.timestamp) - before)).toBeLessThanOrEqual(5);
      expect(requestSignatureVerifies(auth, request, suite.keys.merchantPublicKeyPem)).toBe(true);
      expect(requestSignatureVerifies(auth, { ...request, method: 'POST' }, suite.keys.merchantPublicKeyPem)).toBe(false);
    });

    it('the close is a signed POST of {"mchid"} whose body is part of the signature', async () => {
      const order = await wechatOrder({ trade_state: 'NOTPAY' }, expired());
      await sync(order);
      const request = suite.emulator.lastRequest!;
      expect(request.method).toBe('POST');
      expect(request.url).toBe(`/v3/pay/transactions/out-trade-no/${order.orderNo}/close`);
      expect(request.body).toBe(JSON.stringify({ mchid: suite.keys.mchId }));
      expect(request.headers['content-type']).toBe('application/json');
      const auth = parseAuthorization(request.headers.authorization)!;
      expect(auth).toBeDefined();
      expect(requestSignatureVerifies(auth, request, suite.keys.merchantPublicKeyPem)).toBe(true);
      expect(requestSignatureVerifies(auth, { ...request, body: '' }, suite.keys.merchantPublicKeyPem)).toBe(false);
    });

    it.each([
      ['another merchant private key', () => ({ UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY: strangerPrivateKeyPem() }), /^SIGN_ERROR 错误的签名，验签失败$/],
      ['another merchant serial number', () => ({ UNIPAY_WECHAT_MERCHANT_SERIAL_NO: 'ABCDEF0123456789' }), /^SIGN_ERROR 商户证书序列号有误/],
    ])('a server configured with %s is refused (401 SIGN_ERROR): nothing changes', async (_, overrides, message) => {
      const other = await TestApp.start(wechatTestEnv(suite.keys, suite.url, overrides()));
      try {
        const order = await other.insertOrder({ channel: 'wechat_pay', expiredTime: new Date(0) });
        suite.emulator.setTrade(order.orderNo, { trade_state: 'CLOSED' });
        const outcome = await other.app.get(PaySyncService).sync({ orderNo: order.orderNo, source: SyncSource.SCHEDULED });
        expect(outcome).toMatchObject({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR' });
        expect(messageOf(outcome)).toMatch(message);
        expect(await other.order(order.orderNo)).toMatchObject({ status: 'progress', version: order.version, closeTime: null });
        expect(await other.repairRecords(order.orderNo)).toHaveLength(0);
        const [record] = await other.syncRecords(order.orderNo);
        expect(record).toMatchObject({ syncStatus: 'pay_fail', source: 'scheduled', errorCode: 'CHANNEL_ERROR' });
        expect(JSON.parse(JSON.parse(record.channelResponse!).query)).toMatchObject({ code: 'SIGN_ERROR' });
        expect(suite.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
      } finally {
        await other.close();
      }
    });
  });

  describe('quick start', () => {
    it('keeps its keys in a folder and hands back settings (keys as paths) that a server syncs with', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'unipay-wechat-qs-'));
      try {
        const first = await startWechatPayEmulatorForQuickStart(join(dir, 'wechat'), 0);
        await first.emulator.stop();
        const started = await startWechatPayEmulatorForQuickStart(join(dir, 'wechat'), 0);
        try {
          expect(started.keys).toEqual(first.keys);
          const keyFile = started.env.UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY;
          expect(keyFile).toBe(join(dir, 'wechat', 'apiclient_key.pem'));
          expect(statSync(keyFile).mode & 0o077).toBe(0);
          expect(started.env.UNIPAY_WECHAT_PUBLIC_KEY).toBe(join(dir, 'wechat', 'pub_key.pem'));
          expect(started.env).toMatchObject({ UNIPAY_WECHAT_ENABLED: 'true', UNIPAY_WECHAT_BASE_URL: started.url, UNIPAY_WECHAT_PUBLIC_KEY_ID: started.keys.publicKeyId });

          const app = await TestApp.start(started.env);
          try {
            const order = await app.insertOrder({ channel: 'wechat_pay' });
            started.emulator.setTrade(order.orderNo, { trade_state: 'SUCCESS', total: order.amount });
            expect(await app.syncPay({ orderNo: order.orderNo })).toMatchObject({ code: 0, data: { status: 'pay_success' } });
            expect((await app.order(order.orderNo)).status).toBe('success');
          } finally {
            await app.close();
          }
        } finally {
          await started.emulator.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('trades can be set over the admin API', async () => {
      const { emulator, url } = await startWechatPayEmulator(suite.keys);
      try {
        const put = await fetch(`${url}/__emulator/trades/T123456`, { method: 'PUT', body: JSON.stringify({ trade_state: 'USERPAYING', total: 5 }) });
        expect(put.status).toBe(200);
        expect(emulator.tradeOf('T123456')).toEqual({ trade_state: 'USERPAYING', total: 5 });
      } finally {
        await emulator.stop();
      }
    });
  });
});
