import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChinaTime } from '../src/channel/support/china-time';
import { AlipayEmulatedTrade, AlipayEmulatorFailure } from '../src/emulator/alipay/alipay-emulator';
import { ALIPAY_KEY_FILES, startAlipayEmulatorForQuickStart } from '../src/emulator/alipay/alipay-emulator-quick-start';
import { generateAlipayKeySet } from '../src/emulator/alipay/alipay-key-set';
import { PayOrder } from '../src/order/pay-order.entity';
import { PaySyncRecord } from '../src/sync/pay-sync-record.entity';
import { PaySyncService } from '../src/sync/pay-sync.service';
import { SyncSource } from '../src/sync/pay-sync-status';
import { alipayEnv, AlipayTestBed, keyFingerprint, TEST_ALIPAY_APP_ID } from './support/alipay-test-bed';
import { ServerProcess } from './support/server-process';
import { signedSyncBody, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { messageOf } from './support/outcomes';

const REFUND_MSG = '支付订单为退款状态，请通过执行对应的退款订单进行同步';
const AMOUNT_MISMATCH_MSG = '通道支付金额与订单金额不一致，已记录异常待人工处理';

interface Transcript {
  query?: string;
  close?: string;
  requery?: string;
}

/**
 * The Alipay channel against the Alipay emulator: every trade state and every failure of
 * spec sections 6 and 7, through PaySyncService and over `POST /unipay/sync/pay`, with the
 * order row, the sync record and the repair record.
 */
describe('Alipay channel (ali_pay) against the emulator', () => {
  let bed: AlipayTestBed;
  let t: TestApp;

  beforeAll(async () => {
    bed = await AlipayTestBed.start();
    t = await bed.startApp();
  });

  afterAll(async () => {
    await t?.close();
    await bed?.stop();
  });

  const expired = () => ({ expiredTime: new Date(Date.now() - 60_000) });

  async function orderOn(trade: AlipayEmulatedTrade | null, fields: Partial<PayOrder> = {}, app: TestApp = t): Promise<PayOrder> {
    const order = await app.insertOrder({ channel: 'ali_pay', amount: 1999, ...fields });
    if (trade) bed.emulator.setTrade(order.orderNo, trade);
    return order;
  }

  function sync(order: PayOrder, app: TestApp = t) {
    return app.app.get(PaySyncService).sync({ orderNo: order.orderNo, source: SyncSource.MANUAL });
  }

  /** The single sync record of the order, checked to hold no key material. */
  async function recordOf(order: PayOrder, app: TestApp = t): Promise<PaySyncRecord & { transcript: Transcript }> {
    const records = await app.syncRecords(order.orderNo);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record.channel).toBe('ali_pay');
    expect(record.source).toBe('manual');
    const written = `${record.channelResponse ?? ''}\n${record.errorMsg ?? ''}`;
    expect(written).not.toContain('PRIVATE KEY');
    expect(written).not.toContain(keyFingerprint(bed.keys.merchantPrivateKey));
    expect(written).not.toContain(keyFingerprint(bed.keys.alipayPrivateKey));
    return { ...record, transcript: record.channelResponse ? (JSON.parse(record.channelResponse) as Transcript) : {} };
  }

  /** The order row is exactly as it was and nothing was repaired. */
  async function expectUnchanged(before: PayOrder, app: TestApp = t) {
    const after = await app.order(before.orderNo);
    expect(after.status).toBe(before.status);
    expect(after.version).toBe(before.version);
    expect(after.payTime).toBeNull();
    expect(after.closeTime).toBeNull();
    expect(after.outOrderNo).toBeNull();
    expect(after.lastModifiedTime.getTime()).toBe(before.lastModifiedTime.getTime());
    expect(await app.repairRecords(before.orderNo)).toHaveLength(0);
  }

  describe('paid', () => {
    it('TRADE_SUCCESS: success with trade_no as out_order_no, exact cents and the Beijing pay time as a UTC instant', async () => {
      const tradeNo = '2026010122001412345678901234';
      const order = await orderOn({ trade_status: 'TRADE_SUCCESS', total_amount: '19.99', trade_no: tradeNo, send_pay_date: '2026-01-01 03:04:05' });

      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_success' });

      const after = await t.order(order.orderNo);
      expect(after.status).toBe('success');
      expect(after.outOrderNo).toBe(tradeNo);
      // 03:04:05 on 1 January in Beijing is 19:04:05 UTC the day before.
      expect(after.payTime!.toISOString()).toBe('2025-12-31T19:04:05.000Z');
      expect(after.closeTime).toBeNull();
      expect(after.version).toBe(order.version + 1);

      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: true, outOrderNo: tradeNo, errorCode: null, errorMsg: null, anomaly: null });
      expect(Object.keys(record.transcript)).toEqual(['query']);
      // The record keeps Alipay's node as it was signed, nested fund list included.
      expect(JSON.parse(record.transcript.query!)).toMatchObject({
        code: '10000',
        out_trade_no: order.orderNo,
        trade_no: tradeNo,
        trade_status: 'TRADE_SUCCESS',
        total_amount: '19.99',
        send_pay_date: '2026-01-01 03:04:05',
        fund_bill_list: [{ amount: '19.99', fund_channel: 'ALIPAYACCOUNT' }],
      });
      const [repair] = await t.repairRecords(order.orderNo);
      expect(repair).toMatchObject({ repairNo: record.repairNo, way: 'pay_success', beforeStatus: 'progress', afterStatus: 'success', amount: 1999, channel: 'ali_pay', source: 'manual' });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it.each([
      ['TRADE_FINISHED', '0.29', 29],
      ['TRADE_SUCCESS', '0.1', 10],
      ['TRADE_FINISHED', '1234567.89', 123456789],
    ] as const)('%s for %s yuan matches an order of %i cents exactly', async (status, yuan, cents) => {
      const order = await orderOn({ trade_status: status, total_amount: yuan }, { amount: cents });
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_success' });
      expect((await t.order(order.orderNo)).status).toBe('success');
      expect((await t.repairRecords(order.orderNo))[0]).toMatchObject({ way: 'pay_success', amount: cents });
    });

    it('paid with another amount: nothing changes, an amount anomaly is recorded', async () => {
      const order = await orderOn({ trade_status: 'TRADE_SUCCESS', total_amount: '19.98' });
      expect(await sync(order)).toMatchObject({ kind: 'anomaly', status: 'pay_success', anomaly: 'amount_mismatch', message: AMOUNT_MISMATCH_MSG });
      await expectUnchanged(order);
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: false, repairNo: null, anomaly: 'amount_mismatch', errorCode: 'ANOMALY' });
      expect(JSON.parse(record.transcript.query!)).toMatchObject({ total_amount: '19.98' });
    });
  });

  describe('not paid', () => {
    it('WAIT_BUYER_PAY before expiry: nothing changes and nothing is closed', async () => {
      const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY', total_amount: '19.99' });
      expect(await sync(order)).toMatchObject({ kind: 'unchanged', status: 'pay_progress' });
      await expectUnchanged(order);
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_progress', repaired: false, errorMsg: null });
      expect(JSON.parse(record.transcript.query!)).toMatchObject({ trade_status: 'WAIT_BUYER_PAY' });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
      expect(bed.emulator.trade(order.orderNo)?.trade_status).toBe('WAIT_BUYER_PAY');
    });

    it('TRADE_CLOSED without send_pay_date: closed locally, not at the channel', async () => {
      const order = await orderOn({ trade_status: 'TRADE_CLOSED', total_amount: '19.99' });
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_closed' });
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'close', payTime: null, outOrderNo: null, version: order.version + 1 });
      expect(after.closeTime).toBeInstanceOf(Date);
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_closed', repaired: true });
      const [repair] = await t.repairRecords(order.orderNo);
      expect(repair).toMatchObject({ repairNo: record.repairNo, way: 'close_local', beforeStatus: 'progress', afterStatus: 'close' });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it('TRADE_CLOSED with send_pay_date (refunded): nothing changes, the refund-sync message', async () => {
      const order = await orderOn({ trade_status: 'TRADE_CLOSED', total_amount: '19.99', send_pay_date: '2026-01-01 03:04:05' });
      expect(await sync(order)).toMatchObject({ kind: 'refund', status: 'pay_refund', message: REFUND_MSG });
      await expectUnchanged(order);
      expect(await recordOf(order)).toMatchObject({ syncStatus: 'pay_refund', repaired: false, errorCode: 'REFUND', errorMsg: REFUND_MSG });
    });

    it.each([
      ['a trade set to not_found', { failure: 'not_found' } as AlipayEmulatedTrade],
      ['a trade the emulator never heard of', null],
    ])('ACQ.TRADE_NOT_EXIST before expiry (%s): not_found_unknown, nothing changes', async (_, trade) => {
      const order = await orderOn(trade);
      expect(await sync(order)).toMatchObject({ kind: 'unchanged', status: 'pay_not_found_unknown' });
      await expectUnchanged(order);
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_not_found_unknown', repaired: false, errorMsg: null });
      expect(JSON.parse(record.transcript.query!)).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST', out_trade_no: order.orderNo });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });
  });

  describe('expired orders', () => {
    it('WAIT_BUYER_PAY after expiry: closed at the channel first, then locally (close_gateway)', async () => {
      const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY', total_amount: '19.99' }, expired());
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_timeout' });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1, close: 1 });
      expect(bed.emulator.trade(order.orderNo)?.trade_status).toBe('TRADE_CLOSED');
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'close', payTime: null, version: order.version + 1 });
      expect(after.closeTime).toBeInstanceOf(Date);
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_timeout', repaired: true });
      expect(Object.keys(record.transcript)).toEqual(['query', 'close']);
      expect(JSON.parse(record.transcript.close!)).toMatchObject({ code: '10000', out_trade_no: order.orderNo });
      const [repair] = await t.repairRecords(order.orderNo);
      expect(repair).toMatchObject({ repairNo: record.repairNo, way: 'close_gateway', beforeStatus: 'progress', afterStatus: 'close' });
    });

    it.each([
      ['no trade at Alipay (query and close: ACQ.TRADE_NOT_EXIST)', { failure: 'not_found' } as AlipayEmulatedTrade],
      ['a waiting trade whose close answers ACQ.TRADE_NOT_EXIST', { trade_status: 'WAIT_BUYER_PAY', close: 'not_exist' } as AlipayEmulatedTrade],
    ])('%s: closed here only, like a channel without a close API, so the job checks it again later', async (_, trade) => {
      const order = await orderOn(trade, expired());
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_timeout' });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1, close: 1 });
      expect((await t.order(order.orderNo)).status).toBe('close');
      const record = await recordOf(order);
      expect(JSON.parse(record.transcript.close!)).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' });
      // The buyer may still create and pay that trade: a local close, which the job checks again.
      expect((await t.repairRecords(order.orderNo))[0]).toMatchObject({ way: 'close_local', afterStatus: 'close' });
    });

    it('close answered ACQ.TRADE_STATUS_ERROR (paid meanwhile): queried again, ends success', async () => {
      const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY', total_amount: '19.99', trade_no: '2026PAIDMEANWHILE', close: 'status_error' }, expired());
      expect(await sync(order)).toMatchObject({ kind: 'repaired', status: 'pay_success' });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 2, close: 1 });
      const paidAt = parseChinaTime(bed.emulator.trade(order.orderNo)!.send_pay_date)!;
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'success', outOrderNo: '2026PAIDMEANWHILE', closeTime: null });
      expect(after.payTime!.getTime()).toBe(paidAt.getTime());
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: true });
      expect(Object.keys(record.transcript)).toEqual(['query', 'close', 'requery']);
      expect(JSON.parse(record.transcript.close!)).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_STATUS_ERROR' });
      expect(JSON.parse(record.transcript.requery!)).toMatchObject({ trade_status: 'TRADE_SUCCESS' });
      expect((await t.repairRecords(order.orderNo))[0]).toMatchObject({ way: 'pay_success', afterStatus: 'success' });
    });

    it('the close fails at Alipay: nothing changes, the failure is recorded', async () => {
      const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY', total_amount: '19.99', close: 'fail' }, expired());
      expect(await sync(order)).toMatchObject({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message: 'ACQ.SYSTEM_ERROR 系统错误' });
      await expectUnchanged(order);
      expect(bed.emulator.trade(order.orderNo)?.trade_status).toBe('WAIT_BUYER_PAY');
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_fail', repaired: false, errorCode: 'CHANNEL_ERROR', errorMsg: 'ACQ.SYSTEM_ERROR 系统错误' });
      expect(JSON.parse(record.transcript.close!)).toMatchObject({ sub_code: 'ACQ.SYSTEM_ERROR' });
    });
  });

  describe('failed queries never change an order, not even an expired one', () => {
    // Each trade is paid at Alipay: any failure taken as an answer would repair the order.
    // The last column: whether the recorded text failed Alipay's signature check (its own column in the record).
    it.each<[AlipayEmulatorFailure, string, string, boolean]>([
      ['system_error', 'ACQ.SYSTEM_ERROR 系统错误', '"sub_code":"ACQ.SYSTEM_ERROR"', false],
      ['unavailable', 'isp.unknow-error 服务暂不可用（业务系统不可用）', '"code":"20000"', false],
      ['rate_limited', '支付宝网关返回 HTTP 429', 'Too Many Requests', true],
      ['server_error', '支付宝网关返回 HTTP 502', '502 Bad Gateway', true],
      ['slow', '通道请求超时（1000 ms）', '通道请求超时', false],
      ['tampered_signature', '支付宝应答验签失败，不予采信', '"total_amount":"0.01"', true],
      ['unsigned_error', '支付宝应答未签名，不予采信', '"sub_code":"ACQ.TRADE_NOT_EXIST"', true],
      ['malformed', '支付宝应答无法解析', '{"alipay_trade_query_response":{', true],
    ])('%s: pay_fail with "%s"', async (failure, message, recorded, unverified) => {
      const order = await orderOn({ trade_status: 'TRADE_SUCCESS', total_amount: '19.99', failure, delayMs: failure === 'slow' ? 1500 : undefined }, expired());
      const started = Date.now();
      expect(await sync(order)).toEqual({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message });
      if (failure === 'slow') expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      await expectUnchanged(order);
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
      const record = await recordOf(order);
      expect(record).toMatchObject({ syncStatus: 'pay_fail', repaired: false, repairNo: null, errorCode: 'CHANNEL_ERROR', errorMsg: message });
      expect(record.responseUnverified).toBe(unverified);
      expect(Object.keys(record.transcript)).toEqual(['query']);
      expect(record.transcript.query).toContain(recorded);
    });

    it('an unknown trade_status is a failure, not a guess', async () => {
      const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY' }, expired());
      // What a newer Alipay might send: set behind the admin API's back on purpose.
      (bed.emulator.trade(order.orderNo) as AlipayEmulatedTrade).trade_status = 'TRADE_PENDING' as never;
      expect(await sync(order)).toMatchObject({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message: '支付宝返回未知的交易状态: TRADE_PENDING' });
      await expectUnchanged(order);
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });
  });

  describe('request', () => {
    /** The parameters Alipay received for the last call, checked against the protocol. */
    function expectProtocolRequest(order: PayOrder, before: number, after: number): void {
      const seen = bed.emulator.lastRequest()!;
      expect(seen.contentType).toBe('application/x-www-form-urlencoded;charset=utf-8');
      const { params } = seen;
      expect(Object.keys(params).sort()).toEqual(['app_id', 'biz_content', 'charset', 'format', 'method', 'sign', 'sign_type', 'timestamp', 'version']);
      expect(params).toMatchObject({ app_id: TEST_ALIPAY_APP_ID, method: 'alipay.trade.query', format: 'JSON', charset: 'utf-8', sign_type: 'RSA2', version: '1.0' });
      expect(JSON.parse(params.biz_content)).toEqual({ out_trade_no: order.orderNo });
      expect(params.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      // Read as Beijing time, the stamp is the moment of the call; local time would be hours off.
      const stamped = parseChinaTime(params.timestamp)!.getTime();
      expect(stamped).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(stamped).toBeLessThanOrEqual(after);
      // Checked independently of the code under test: sorted, non-empty, raw values, sign left out.
      const content = Object.keys(params)
        .filter((key) => key !== 'sign' && params[key] !== '')
        .sort()
        .map((key) => `${key}=${params[key]}`)
        .join('&');
      expect(verify('sha256', Buffer.from(content), createPublicKey(bed.keys.merchantPublicKey), Buffer.from(params.sign, 'base64'))).toBe(true);
    }

    it('is an RSA2-signed form of the documented parameters, stamped in Beijing time', async () => {
      const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY' });
      const before = Date.now();
      await sync(order);
      expectProtocolRequest(order, before, Date.now());
      const shown = (await (await fetch(`${bed.url}/__emulator/last-request`)).json()) as { params: Record<string, string> };
      expect(shown.params).toEqual(bed.emulator.lastRequest()!.params);
    });

    // Jest gives each test file a copy of process.env, so TZ is set on a real server process
    // (the built dist/src/main.js) sharing the database with an in-process app.
    it.each([['America/Los_Angeles'], ['Pacific/Kiritimati']])('is stamped in Beijing time by a server process running in %s', async (zone) => {
      const database = await createTestDatabase();
      const local = await bed.startApp({}, database);
      let server: ServerProcess | undefined;
      try {
        server = await ServerProcess.start({ ...database.env, ...alipayEnv(bed.keys, bed.url), UNIPAY_SIGN_SECRET: local.secret, TZ: zone });
        const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY' }, {}, local);
        const before = Date.now();
        const response = await fetch(`${server.url}/unipay/sync/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(signedSyncBody({ orderNo: order.orderNo }, local.secret)),
        });
        expect(await response.json()).toMatchObject({ code: 0, data: { status: 'pay_progress', code: 0 } });
        expectProtocolRequest(order, before, Date.now());
        expect(await local.syncRecords(order.orderNo)).toMatchObject([{ syncStatus: 'pay_progress', channel: 'ali_pay' }]);
      } finally {
        await server?.stop();
        await local.close();
        await database.drop();
      }
    });

    it('signed with another merchant key is refused by Alipay (isv.invalid-signature): pay_fail, nothing changes', async () => {
      const other = await bed.startApp({ merchantPrivateKey: generateAlipayKeySet().merchantPrivateKey });
      try {
        const order = await orderOn({ trade_status: 'TRADE_SUCCESS', total_amount: '19.99' }, expired(), other);
        const outcome = await sync(order, other);
        expect(outcome).toMatchObject({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR' });
        expect(messageOf(outcome)).toMatch(/^isv\.invalid-signature 验签出错/);
        await expectUnchanged(order, other);
        // Refused at the gateway: the trade was never looked at.
        expect(bed.emulator.callsOf(order.orderNo)).toEqual({});
        const records = await other.syncRecords(order.orderNo);
        expect(records).toMatchObject([{ syncStatus: 'pay_fail', errorCode: 'CHANNEL_ERROR' }]);
        expect(JSON.parse(JSON.parse(records[0].channelResponse!).query)).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
      } finally {
        await other.close();
      }
    });

    it('a server that trusts another Alipay public key refuses even genuine answers', async () => {
      const other = await bed.startApp({ alipayPublicKey: generateAlipayKeySet().alipayPublicKey });
      try {
        const order = await orderOn({ trade_status: 'TRADE_SUCCESS', total_amount: '19.99' }, {}, other);
        expect(await sync(order, other)).toMatchObject({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message: '支付宝应答验签失败，不予采信' });
        await expectUnchanged(order, other);
        expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
      } finally {
        await other.close();
      }
    });
  });

  describe('POST /unipay/sync/pay', () => {
    it('a paid Alipay trade: signed pay_success, the order repaired', async () => {
      const order = await orderOn({ trade_status: 'TRADE_SUCCESS', total_amount: '19.99', trade_no: '2026HTTPPAID', send_pay_date: '2026-11-27 00:05:09' });
      const answer = await t.syncPay({ orderNo: order.orderNo });
      expect(answer.code).toBe(0);
      expect(answer.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect(t.verifies(answer.data!)).toBe(true);
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'success', outOrderNo: '2026HTTPPAID' });
      expect(after.payTime!.toISOString()).toBe('2026-11-26T16:05:09.000Z');
    });

    it('by bizOrderNo, an expired waiting trade: pay_timeout, closed at Alipay and here', async () => {
      const order = await orderOn({ trade_status: 'WAIT_BUYER_PAY' }, expired());
      const answer = await t.syncPay({ bizOrderNo: order.bizOrderNo });
      expect(answer.data).toMatchObject({ status: 'pay_timeout', code: 0 });
      expect(bed.emulator.callsOf(order.orderNo)).toEqual({ query: 1, close: 1 });
      expect((await t.order(order.orderNo)).status).toBe('close');
    });

    it('a badly signed answer: a signed business failure with the reason, nothing changes', async () => {
      const order = await orderOn({ trade_status: 'TRADE_SUCCESS', total_amount: '19.99', failure: 'tampered_signature' });
      const answer = await t.syncPay({ orderNo: order.orderNo });
      expect(answer.code).toBe(0);
      expect(answer.data).toMatchObject({ code: 1, msg: '支付宝应答验签失败，不予采信' });
      expect(t.verifies(answer.data!)).toBe(true);
      await expectUnchanged(order);
    });
  });

  describe('emulator quick start', () => {
    let dir: string;

    beforeEach(() => {
      dir = join(mkdtempSync(join(tmpdir(), 'alipay-quick-')), 'data', 'emulators', 'alipay');
    });

    afterEach(() => {
      rmSync(join(dir, '..', '..', '..'), { recursive: true, force: true });
    });

    it('writes a key set once, reuses it, and returns settings a server can run on', async () => {
      const first = await startAlipayEmulatorForQuickStart(dir, 0);
      const written = Object.values(ALIPAY_KEY_FILES).map((file) => readFileSync(join(dir, file), 'utf8'));
      try {
        expect(statSync(join(dir, ALIPAY_KEY_FILES.merchantPrivateKey)).mode & 0o777).toBe(0o600);
        expect(first.env.UNIPAY_ALIPAY_PRIVATE_KEY).toBe(join(dir, ALIPAY_KEY_FILES.merchantPrivateKey));
        expect(first.env.UNIPAY_ALIPAY_GATEWAY_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gateway\.do$/);
        const app = await TestApp.start(first.env);
        try {
          const order = await app.insertOrder({ channel: 'ali_pay', amount: 500 });
          first.emulator.setTrade(order.orderNo, { trade_status: 'TRADE_SUCCESS', total_amount: '5.00' });
          expect(await sync(order, app)).toMatchObject({ kind: 'repaired', status: 'pay_success' });
        } finally {
          await app.close();
        }
      } finally {
        await first.emulator.stop();
      }

      const second = await startAlipayEmulatorForQuickStart(dir, 0);
      await second.emulator.stop();
      expect(Object.values(ALIPAY_KEY_FILES).map((file) => readFileSync(join(dir, file), 'utf8'))).toEqual(written);
    });

    it('refuses a folder holding part of a key set rather than overwriting it', async () => {
      const started = await startAlipayEmulatorForQuickStart(dir, 0);
      await started.emulator.stop();
      unlinkSync(join(dir, ALIPAY_KEY_FILES.alipayPublicKey));
      await expect(startAlipayEmulatorForQuickStart(dir, 0)).rejects.toThrow(/missing alipay-public\.pem/);
    });
  });
});
