import { AlipaySdk } from 'alipay-sdk';
import { createPublicKey, verify } from 'node:crypto';
import { parseChinaTime } from '../src/channel/support/china-time';
import { AlipayEmulatedRefund, AlipayEmulatorFailure } from '../src/emulator/alipay/alipay-emulator';
import { generateAlipayKeySet } from '../src/emulator/alipay/alipay-key-set';
import { PayOrder } from '../src/order/pay-order.entity';
import { RefundOrder } from '../src/refund/refund-order.entity';
import { SyncSource } from '../src/sync/pay-sync-status';
import { PaySyncRecord } from '../src/sync/pay-sync-record.entity';
import { RefundRepairRecord } from '../src/sync/refund/refund-repair-record.entity';
import { RefundSyncService } from '../src/sync/refund/refund-sync.service';
import { alipayEnv, AlipayTestBed, keyFingerprint, TEST_ALIPAY_APP_ID } from './support/alipay-test-bed';
import { DaxEnvelope, SyncData, TestApp } from './support/test-app';

const UNVERIFIED = '查询订单验签失败';
const PAST_GRACE = 3600;
const WITHIN_GRACE = 60;

interface RefundView {
  refund: RefundOrder;
  order: PayOrder;
}

interface RefundFields {
  amount?: number;
  status?: 'progress' | 'fail' | 'success';
  sentSecondsAgo?: number;
  notifyUrl?: string;
}

/**
 * Alipay refund query (`alipay.trade.fastpay.refund.query`, refund-sync.md section 7) against
 * the Alipay emulator, through the real AppModule: every answer and every failure, with the
 * merchant's answer, the refund row, its pay order's refund fields, the sync and repair
 * records and the anomalies.
 */
describe('Alipay refund query (ali_pay) against the emulator', () => {
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

  /** A paid Alipay order of 10.00 yuan, whose trade Alipay knows. */
  async function paidOrder(app: TestApp = t, amount = 1000): Promise<PayOrder> {
    const order = await app.createOrder({ amount, status: 'success', channel: 'ali_pay' });
    bed.emulator.setTrade(order.orderNo, { trade_status: 'TRADE_SUCCESS', total_amount: (amount / 100).toFixed(2), trade_no: `2026TRADE${order.orderNo}` });
    return order;
  }

  /** Each refund's pay order as it stood once the refund was made. */
  const ordersAfterRefund = new Map<string, PayOrder>();

  /** A refund (default 4.00, `progress`, just sent) of the order, as the gateway writes it. */
  async function refundOf(order: PayOrder, fields: RefundFields = {}, app: TestApp = t): Promise<RefundOrder> {
    const response = await app.post<DaxEnvelope<RefundView>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 400, ...fields });
    if (response.body.code !== 0) throw new Error(`refund failed: ${response.text}`);
    ordersAfterRefund.set(response.body.data!.refund.refundNo, response.body.data!.order);
    return response.body.data!.refund;
  }

  /** Scripts what Alipay holds for the refund. */
  function alipayHolds(refund: RefundOrder, fields: Omit<AlipayEmulatedRefund, 'out_trade_no'> = {}): void {
    bed.emulator.setRefund(refund.refundNo, { out_trade_no: refund.orderNo, ...fields });
  }

  /** `POST /unipay/sync/refund` as a merchant sends it; the answer's signature is checked. */
  async function syncRefund(refund: RefundOrder, app: TestApp = t): Promise<SyncData> {
    const response = await app.post<DaxEnvelope<SyncData>>('/unipay/sync/refund', app.signedSyncBody({ refundNo: refund.refundNo }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: 0, msg: 'success' });
    const data = response.body.data!;
    expect(app.verifies(data)).toBe(true);
    return data;
  }

  function syncByService(refund: RefundOrder, app: TestApp = t) {
    return app.app.get(RefundSyncService).sync({ refundNo: refund.refundNo, source: SyncSource.MANUAL });
  }

  const refundRow = (refund: RefundOrder, app: TestApp = t) => app.dataSource.getRepository(RefundOrder).findOneByOrFail({ refundNo: refund.refundNo });
  const repairs = (refund: RefundOrder, app: TestApp = t) => app.dataSource.getRepository(RefundRepairRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });

  async function anomalies(refund: RefundOrder, app: TestApp = t): Promise<string[]> {
    const rows = (await app.dataSource.query('SELECT kind FROM unipay_anomaly WHERE refund_no = ? ORDER BY id', [refund.refundNo])) as { kind: string }[];
    return rows.map((row) => row.kind);
  }

  async function events(order: PayOrder, app: TestApp = t): Promise<string[]> {
    const rows = (await app.dataSource.query('SELECT type FROM unipay_outbox_event WHERE order_no = ? ORDER BY id', [order.orderNo])) as { type: string }[];
    return rows.map((row) => row.type);
  }

  /** The refund's single sync record, checked to hold no key material; `transcript` is Alipay's node text. */
  async function recordOf(refund: RefundOrder, app: TestApp = t): Promise<PaySyncRecord & { transcript: string }> {
    const records = await app.dataSource.getRepository(PaySyncRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({ syncType: 'refund', channel: 'ali_pay', source: 'manual', orderNo: refund.orderNo, lockRefundNo: null });
    const written = `${record.channelResponse ?? ''}\n${record.errorMsg ?? ''}`;
    expect(written).not.toContain('PRIVATE KEY');
    expect(written).not.toContain(keyFingerprint(bed.keys.merchantPrivateKey));
    expect(written).not.toContain(keyFingerprint(bed.keys.alipayPrivateKey));
    const channelResponse = record.channelResponse ? (JSON.parse(record.channelResponse) as Record<string, string>) : {};
    expect(Object.keys(channelResponse)).toEqual(record.channelResponse ? ['refund_query'] : []);
    return { ...record, transcript: channelResponse.refund_query ?? '' };
  }

  /**
   * The refund and its order are exactly as they were, and nothing was repaired or queued.
   * `filledRefundId`: the answer brought Alipay's trade number, which is stored whatever the
   * decision (refund-sync.md section 6), so only that column and the version moved.
   */
  async function expectUnchanged(before: RefundOrder, order: PayOrder, filledRefundId?: string, app: TestApp = t): Promise<void> {
    const after = await refundRow(before, app);
    expect(after).toMatchObject({
      status: before.status,
      amount: before.amount,
      errorMsg: before.errorMsg,
      finishTime: before.finishTime ? new Date(before.finishTime) : null,
      outRefundNo: filledRefundId ?? before.outRefundNo,
      version: before.version + (filledRefundId ? 1 : 0),
    });
    if (!filledRefundId) expect(after.lastModifiedTime.getTime()).toBe(new Date(before.lastModifiedTime).getTime());
    const orderBefore = ordersAfterRefund.get(before.refundNo)!;
    const orderAfter = await app.order(order.orderNo);
    expect(orderAfter).toMatchObject({ status: 'success', refundStatus: 'refunding', refundableBalance: order.amount - before.amount, version: orderBefore.version });
    expect(orderAfter.lastModifiedTime.getTime()).toBe(new Date(orderBefore.lastModifiedTime).getTime());
    expect(await repairs(before, app)).toEqual([]);
    expect(await events(order, app)).toEqual([]);
  }

  describe('REFUND_SUCCESS', () => {
    it.each([['progress'], ['fail']] as const)('%s refund: success with the amount in cents, gmt_refund_pay as UTC and trade_no as out_refund_no', async (status) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status, notifyUrl: 'http://127.0.0.1:9/refund-notify' });
      alipayHolds(refund, { refund_amount: '4.00', gmt_refund_pay: '2026-01-01 03:04:05' });

      expect(await syncRefund(refund)).toMatchObject({ status: 'refund_success', code: 0 });

      const after = await refundRow(refund);
      expect(after).toMatchObject({ status: 'success', outRefundNo: `2026TRADE${order.orderNo}`, version: refund.version + 1 });
      // 03:04:05 on 1 January in Beijing is 19:04:05 UTC the day before.
      expect(after.finishTime!.toISOString()).toBe('2025-12-31T19:04:05.000Z');
      // The gateway took the 4.00 off when it made the refund: success leaves the balance alone.
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', refundStatus: 'partial_refund', refundableBalance: 600 });
      const record = await recordOf(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_success', repaired: true, outRefundNo: `2026TRADE${order.orderNo}`, errorCode: null, errorMsg: null, anomaly: null, responseUnverified: false });
      // The record keeps Alipay's node exactly as it was signed.
      expect(JSON.parse(record.transcript)).toEqual({
        code: '10000',
        msg: 'Success',
        out_request_no: refund.refundNo,
        out_trade_no: order.orderNo,
        refund_amount: '4.00',
        total_amount: '10.00',
        trade_no: `2026TRADE${order.orderNo}`,
        refund_status: 'REFUND_SUCCESS',
        gmt_refund_pay: '2026-01-01 03:04:05',
      });
      expect(await repairs(refund)).toEqual([
        expect.objectContaining({
          repairNo: record.repairNo,
          way: 'refund_success',
          beforeStatus: status,
          afterStatus: 'success',
          beforeOrderRefundStatus: 'refunding',
          afterOrderRefundStatus: 'partial_refund',
          beforeRefundableBalance: 600,
          afterRefundableBalance: 600,
          amount: 400,
          channel: 'ali_pay',
          source: 'manual',
        }),
      ]);
      expect(await events(order)).toEqual(['refund_order.success']);
      expect(await anomalies(refund)).toEqual([]);
      expect(bed.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
    });

    it.each([
      ['0.29', 29],
      ['0.1', 10],
      ['1234567.89', 123456789],
    ])('refund_amount %s yuan matches a refund of %i cents exactly; a full refund leaves the order refunded', async (yuan, cents) => {
      const order = await paidOrder(t, cents);
      const refund = await refundOf(order, { amount: cents });
      alipayHolds(refund, { refund_amount: yuan });
      expect(await syncByService(refund)).toMatchObject({ kind: 'repaired', status: 'refund_success', repair: { way: 'refund_success' } });
      expect(await refundRow(refund)).toMatchObject({ status: 'success' });
      expect(await t.order(order.orderNo)).toMatchObject({ refundStatus: 'refunded', refundableBalance: 0 });
    });

    it('another amount: nothing changes but the trade number; anomaly refund_amount_mismatch', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      alipayHolds(refund, { refund_amount: '3.99' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'refund_success', code: 0 });
      await expectUnchanged(refund, order, `2026TRADE${order.orderNo}`);
      expect(await anomalies(refund)).toEqual(['refund_amount_mismatch']);
      const record = await recordOf(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_success', repaired: false, anomaly: 'refund_amount_mismatch', errorCode: 'ANOMALY' });
      expect(JSON.parse(record.transcript)).toMatchObject({ refund_amount: '3.99', refund_status: 'REFUND_SUCCESS' });
    });

    it('a refund already success here: nothing changes, no anomaly', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'success' });
      alipayHolds(refund, { refund_amount: '4.00' });
      expect(await syncByService(refund)).toEqual({ kind: 'unchanged', status: 'refund_success' });
      expect(await refundRow(refund)).toMatchObject({ status: 'success', outRefundNo: `2026TRADE${order.orderNo}` });
      expect(await repairs(refund)).toEqual([]);
      expect(await anomalies(refund)).toEqual([]);
    });
  });

  describe('no refund data: not found', () => {
    it.each([
      ['a refund Alipay never heard of', false],
      ['a refund set to not_received', true],
    ])('progress, %s, within the grace: pay_not_found, nothing changes, no anomaly', async (_, scripted) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { sentSecondsAgo: WITHIN_GRACE });
      if (scripted) alipayHolds(refund, { state: 'not_received' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      await expectUnchanged(refund, order);
      expect(await anomalies(refund)).toEqual([]);
      const record = await recordOf(refund);
      expect(record).toMatchObject({ syncStatus: 'pay_not_found', repaired: false, errorMsg: null, anomaly: null });
      expect(JSON.parse(record.transcript)).toEqual({ code: '10000', msg: 'Success' });
      expect(bed.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
    });

    it('progress past the grace: nothing changes (Alipay once took it); anomaly refund_not_found', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { sentSecondsAgo: PAST_GRACE });
      alipayHolds(refund, { state: 'not_received' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      await expectUnchanged(refund, order);
      expect(await anomalies(refund)).toEqual(['refund_not_found']);
      expect(await recordOf(refund)).toMatchObject({ syncStatus: 'pay_not_found', repaired: false, anomaly: 'refund_not_found' });
    });

    it('fail within the grace: nothing changes, the request may still land', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: WITHIN_GRACE });
      alipayHolds(refund, { state: 'not_received' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      await expectUnchanged(refund, order);
      expect(await anomalies(refund)).toEqual([]);
    });

    it('fail past the grace: closed, the amount given back to the order', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: PAST_GRACE, notifyUrl: 'http://127.0.0.1:9/refund-notify' });
      alipayHolds(refund, { state: 'not_received' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'close', outRefundNo: null, version: refund.version + 1 });
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', refundStatus: 'no_refund', refundableBalance: 1000 });
      expect(await repairs(refund)).toEqual([
        expect.objectContaining({ way: 'refund_fail', beforeStatus: 'fail', afterStatus: 'close', beforeRefundableBalance: 600, afterRefundableBalance: 1000, afterOrderRefundStatus: 'no_refund' }),
      ]);
      expect(await events(order)).toEqual(['refund_order.closed']);
      expect(await recordOf(refund)).toMatchObject({ syncStatus: 'pay_not_found', repaired: true });
    });
  });

  describe('refund data without refund_status: unconfirmed', () => {
    it('progress within the grace: refund_progress, only the trade number stored, no anomaly yet', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { sentSecondsAgo: WITHIN_GRACE });
      alipayHolds(refund, { state: 'unconfirmed', refund_amount: '4.00' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'refund_progress', code: 0 });
      await expectUnchanged(refund, order, `2026TRADE${order.orderNo}`);
      expect(await anomalies(refund)).toEqual([]);
      const record = await recordOf(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_progress', repaired: false, anomaly: null, errorMsg: null });
      const node = JSON.parse(record.transcript) as Record<string, unknown>;
      expect(node).toMatchObject({ code: '10000', out_request_no: refund.refundNo, refund_amount: '4.00' });
      expect(node).not.toHaveProperty('refund_status');
    });

    it('progress past the grace: refund_progress, nothing changes; anomaly refund_unconfirmed for a person', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { sentSecondsAgo: PAST_GRACE });
      alipayHolds(refund, { state: 'unconfirmed', refund_amount: '4.00' });
      expect(await syncByService(refund)).toEqual({ kind: 'unchanged', status: 'refund_progress', anomaly: 'refund_unconfirmed' });
      await expectUnchanged(refund, order, `2026TRADE${order.orderNo}`);
      expect(await anomalies(refund)).toEqual(['refund_unconfirmed']);
      expect(await recordOf(refund)).toMatchObject({ syncStatus: 'refund_progress', anomaly: 'refund_unconfirmed', errorCode: 'ANOMALY' });
    });

    it('fail: back to progress so the job follows it; the balance stays held', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: WITHIN_GRACE });
      alipayHolds(refund, { state: 'unconfirmed', refund_amount: '4.00' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'refund_progress', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', outRefundNo: `2026TRADE${order.orderNo}`, finishTime: null });
      expect(await t.order(order.orderNo)).toMatchObject({ refundStatus: 'refunding', refundableBalance: 600 });
      expect(await repairs(refund)).toEqual([expect.objectContaining({ way: 'refund_progress', beforeStatus: 'fail', afterStatus: 'progress', afterRefundableBalance: 600 })]);
      expect(await events(order)).toEqual([]);
    });
  });

  describe('failed queries never change the refund or its order', () => {
    // Each refund is `fail` and past the grace, and its true answer (or the tampered one)
    // would repair it: taken as an answer, any of these failures would change something.
    it.each<[AlipayEmulatorFailure, string, string, boolean, string[]]>([
      ['system_error', 'ACQ.SYSTEM_ERROR 系统错误', '"sub_code":"ACQ.SYSTEM_ERROR"', false, []],
      ['unavailable', 'isp.unknow-error 服务暂不可用（业务系统不可用）', '"code":"20000"', false, []],
      ['not_found', 'ACQ.TRADE_NOT_EXIST 交易不存在', '"sub_code":"ACQ.TRADE_NOT_EXIST"', false, ['refund_trade_unknown']],
      ['rate_limited', UNVERIFIED, 'Too Many Requests', true, []],
      ['server_error', UNVERIFIED, '502 Bad Gateway', true, []],
      ['slow', '通道请求超时（1000 ms）', '通道请求超时（1000 ms）', false, []],
      ['tampered_signature', UNVERIFIED, '"refund_status":"REFUND_SUCCESS","refund_amount":"0.01"', true, []],
      // An unsigned "trade not exist" is not Alipay's word: no anomaly either.
      ['unsigned_error', UNVERIFIED, '"sub_code":"ACQ.TRADE_NOT_EXIST"', true, []],
      ['malformed', UNVERIFIED, '{"alipay_trade_fastpay_refund_query_response":{', true, []],
    ])('%s: a signed business failure with "%s"', async (failure, message, recorded, unverified, anomalyKinds) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', amount: 1, sentSecondsAgo: PAST_GRACE });
      // The tampered answer claims 0.01 yuan refunded: exactly this refund.
      alipayHolds(refund, { state: failure === 'tampered_signature' ? 'not_received' : 'success', refund_amount: '0.01', failure, delayMs: failure === 'slow' ? 1500 : undefined });
      const started = Date.now();
      const data = await syncRefund(refund);
      if (failure === 'slow') expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(data).toEqual({ code: 1, msg: message, resTime: expect.any(Number), sign: expect.any(String) });

      const after = await refundRow(refund);
      expect(after).toMatchObject({ status: 'fail', outRefundNo: null, finishTime: null, errorMsg: null, version: refund.version });
      expect(after.lastModifiedTime.getTime()).toBe(new Date(refund.lastModifiedTime).getTime());
      expect(await t.order(order.orderNo)).toMatchObject({ refundStatus: 'refunding', refundableBalance: 999 });
      expect(await repairs(refund)).toEqual([]);
      expect(await events(order)).toEqual([]);
      expect(await anomalies(refund)).toEqual(anomalyKinds);

      const record = await recordOf(refund);
      expect(record).toMatchObject({ syncStatus: null, repaired: false, repairNo: null, errorCode: 'CHANNEL_ERROR', errorMsg: message, responseUnverified: unverified });
      expect(record.transcript).toContain(recorded);
      expect(bed.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
    });

    it('a trade Alipay never heard of answers ACQ.TRADE_NOT_EXIST: anomaly refund_trade_unknown, nothing changes', async () => {
      const order = await t.createOrder({ amount: 1000, status: 'success', channel: 'ali_pay' });
      const refund = await refundOf(order, { sentSecondsAgo: PAST_GRACE });
      expect(await syncByService(refund)).toEqual({ kind: 'failed', reason: 'CHANNEL_ERROR', message: 'ACQ.TRADE_NOT_EXIST 交易不存在' });
      await expectUnchanged(refund, order);
      expect(await anomalies(refund)).toEqual(['refund_trade_unknown']);
      const record = await recordOf(refund);
      expect(record.responseUnverified).toBe(false);
      expect(JSON.parse(record.transcript)).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST', out_trade_no: order.orderNo });
    });

    it('the same refund number set on another trade is not this refund: not found', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: WITHIN_GRACE });
      bed.emulator.setRefund(refund.refundNo, { out_trade_no: 'T-SOME-OTHER-ORDER', refund_amount: '4.00' });
      expect(await syncRefund(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      await expectUnchanged(refund, order);
    });
  });

  describe('request', () => {
    it('is an RSA2-signed form naming the trade, the refund and gmt_refund_pay', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      alipayHolds(refund, { refund_amount: '4.00' });
      const before = Date.now();
      await syncRefund(refund);
      const seen = bed.emulator.lastRequest()!;
      expect(seen.contentType).toBe('application/x-www-form-urlencoded;charset=utf-8');
      const { params } = seen;
      expect(Object.keys(params).sort()).toEqual(['app_id', 'biz_content', 'charset', 'format', 'method', 'sign', 'sign_type', 'timestamp', 'version']);
      expect(params).toMatchObject({ app_id: TEST_ALIPAY_APP_ID, method: 'alipay.trade.fastpay.refund.query', format: 'JSON', charset: 'utf-8', sign_type: 'RSA2', version: '1.0' });
      expect(JSON.parse(params.biz_content)).toEqual({ out_trade_no: order.orderNo, out_request_no: refund.refundNo, query_options: ['gmt_refund_pay'] });
      const stamped = parseChinaTime(params.timestamp)!.getTime();
      expect(stamped).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(stamped).toBeLessThanOrEqual(Date.now());
      // Checked independently of the code under test: sorted, non-empty, raw values, sign left out.
      const content = Object.keys(params)
        .filter((key) => key !== 'sign' && params[key] !== '')
        .sort()
        .map((key) => `${key}=${params[key]}`)
        .join('&');
      expect(verify('sha256', Buffer.from(content), createPublicKey(bed.keys.merchantPublicKey), Buffer.from(params.sign, 'base64'))).toBe(true);
    });

    it('signed with another merchant key: refused by Alipay (isv.invalid-signature), the refund never looked at, nothing changes', async () => {
      const other = await bed.startApp({ merchantPrivateKey: generateAlipayKeySet().merchantPrivateKey });
      try {
        const order = await paidOrder(other);
        const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: PAST_GRACE }, other);
        alipayHolds(refund, { refund_amount: '4.00' });
        const data = await syncRefund(refund, other);
        expect(data.code).toBe(1);
        expect(data.msg).toMatch(/^isv\.invalid-signature 验签出错/);
        expect(bed.emulator.callsOf(refund.refundNo)).toEqual({});
        expect(await refundRow(refund, other)).toMatchObject({ status: 'fail', version: refund.version });
        expect(await other.order(order.orderNo)).toMatchObject({ refundStatus: 'refunding', refundableBalance: 600 });
        const record = await recordOf(refund, other);
        expect(record).toMatchObject({ errorCode: 'CHANNEL_ERROR', responseUnverified: false });
        expect(JSON.parse(record.transcript)).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
      } finally {
        await other.close();
      }
    });

    it('a server that trusts another Alipay public key refuses even a genuine success', async () => {
      const other = await bed.startApp({ alipayPublicKey: generateAlipayKeySet().alipayPublicKey });
      try {
        const order = await paidOrder(other);
        const refund = await refundOf(order, {}, other);
        alipayHolds(refund, { refund_amount: '4.00' });
        expect(await syncRefund(refund, other)).toMatchObject({ code: 1, msg: UNVERIFIED });
        expect(await refundRow(refund, other)).toMatchObject({ status: 'progress', version: refund.version, outRefundNo: null });
        expect(await recordOf(refund, other)).toMatchObject({ responseUnverified: true, errorMsg: UNVERIFIED });
        expect(bed.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
      } finally {
        await other.close();
      }
    });
  });

  describe('UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS', () => {
    it('sets how long a fail refund Alipay has not received waits before it is closed', async () => {
      const quick = await TestApp.start({ ...alipayEnv(bed.keys, bed.url), UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS: '30' });
      try {
        // Sent 60 s ago: within the default 10 minutes, past a grace of 30 s.
        const waiting = await refundOf(await paidOrder(), { status: 'fail', sentSecondsAgo: 60 });
        const closing = await refundOf(await paidOrder(quick), { status: 'fail', sentSecondsAgo: 60 }, quick);
        expect(await syncRefund(waiting)).toMatchObject({ status: 'pay_not_found' });
        expect(await syncRefund(closing, quick)).toMatchObject({ status: 'pay_not_found' });
        expect(await refundRow(waiting)).toMatchObject({ status: 'fail' });
        expect(await refundRow(closing, quick)).toMatchObject({ status: 'close' });
        expect(await quick.order(closing.orderNo)).toMatchObject({ refundStatus: 'no_refund', refundableBalance: 1000 });
      } finally {
        await quick.close();
      }
    });
  });

  describe('emulator admin API for refunds', () => {
    it('sets, shows and forgets refunds over HTTP, and refuses a typo loudly', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      const put = await fetch(`${bed.url}/__emulator/refunds/${refund.refundNo}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ out_trade_no: order.orderNo, refund_amount: '4.00', gmt_refund_pay: '2026-11-27 00:05:09' }),
      });
      expect(put.status).toBe(200);
      expect(await syncRefund(refund)).toMatchObject({ status: 'refund_success' });
      expect((await refundRow(refund)).finishTime!.toISOString()).toBe('2026-11-26T16:05:09.000Z');

      const shown = (await (await fetch(`${bed.url}/__emulator/refunds/${refund.refundNo}`)).json()) as { refund: AlipayEmulatedRefund; calls: Record<string, number> };
      expect(shown).toMatchObject({ refund: { out_trade_no: order.orderNo, state: 'success', refund_amount: '4.00' }, calls: { refund_query: 1 } });

      const typo = await fetch(`${bed.url}/__emulator/refunds/${refund.refundNo}`, { method: 'PUT', body: JSON.stringify({ out_trade_no: order.orderNo, state: 'REFUND_SUCCESS' }) });
      expect(typo.status).toBe(500);
      expect(await typo.text()).toContain('state must be one of success, unconfirmed, not_received');

      expect((await fetch(`${bed.url}/__emulator/refunds`, { method: 'DELETE' })).status).toBe(204);
      expect(bed.emulator.refund(refund.refundNo)).toBeUndefined();
      expect(bed.emulator.callsOf(refund.refundNo)).toEqual({});
      // The admin calls are not protocol requests.
      expect(bed.emulator.lastRequest()!.params.method).toBe('alipay.trade.fastpay.refund.query');
    });
  });

  /** The official `alipay-sdk` (v4, RSA2, validateSign) reads the emulator's refund answers as Alipay's. */
  describe('the official alipay-sdk', () => {
    const sdk = () =>
      new AlipaySdk({
        appId: TEST_ALIPAY_APP_ID,
        privateKey: bed.keys.merchantPrivateKey,
        alipayPublicKey: bed.keys.alipayPublicKey,
        gateway: `${bed.url}/gateway.do`,
        signType: 'RSA2',
        keyType: 'PKCS8',
        timeout: 5000,
      });
    let serial = 0;
    const numbers = () => ({ outTradeNo: `SDKT${Date.now()}${serial}`, outRequestNo: `SDKR${Date.now()}${serial++}` });

    it('queries a successful refund with validateSign on and reads every field', async () => {
      const { outTradeNo, outRequestNo } = numbers();
      bed.emulator.setTrade(outTradeNo, { trade_status: 'TRADE_SUCCESS', total_amount: '88.88', trade_no: '2026112722001400000000000009' });
      bed.emulator.setRefund(outRequestNo, { out_trade_no: outTradeNo, refund_amount: '8.88', gmt_refund_pay: '2026-11-27 00:05:09', refund_reason: '正常退款' });
      const bizContent = { out_trade_no: outTradeNo, out_request_no: outRequestNo, query_options: ['gmt_refund_pay'] };
      const result = await sdk().exec('alipay.trade.fastpay.refund.query', { bizContent }, { validateSign: true });
      expect(result).toMatchObject({
        code: '10000',
        msg: 'Success',
        outTradeNo,
        outRequestNo,
        tradeNo: '2026112722001400000000000009',
        totalAmount: '88.88',
        refundAmount: '8.88',
        refundStatus: 'REFUND_SUCCESS',
        gmtRefundPay: '2026-11-27 00:05:09',
        refundReason: '正常退款',
      });
      expect(bed.emulator.callsOf(outRequestNo)).toEqual({ refund_query: 1 });
      expect(bed.emulator.lastRequest()!.params).toMatchObject({ app_id: TEST_ALIPAY_APP_ID, method: 'alipay.trade.fastpay.refund.query', sign_type: 'RSA2' });
      // Without query_options, Alipay leaves the completion time out.
      const plain = await sdk().exec('alipay.trade.fastpay.refund.query', { bizContent: { out_trade_no: outTradeNo, out_request_no: outRequestNo } }, { validateSign: true });
      expect(plain).toMatchObject({ refundStatus: 'REFUND_SUCCESS' });
      expect(plain).not.toHaveProperty('gmtRefundPay');
    });

    it('verifies the not-received, unconfirmed and trade-unknown answers too', async () => {
      const { outTradeNo, outRequestNo } = numbers();
      bed.emulator.setTrade(outTradeNo, { trade_status: 'TRADE_SUCCESS', total_amount: '10.00' });
      const query = (out_trade_no: string) => sdk().exec('alipay.trade.fastpay.refund.query', { bizContent: { out_trade_no, out_request_no: outRequestNo } }, { validateSign: true });
      const notReceived = await query(outTradeNo);
      expect(notReceived).toMatchObject({ code: '10000', msg: 'Success' });
      expect(notReceived).not.toHaveProperty('refundStatus');
      expect(notReceived).not.toHaveProperty('refundAmount');
      bed.emulator.setRefund(outRequestNo, { out_trade_no: outTradeNo, state: 'unconfirmed', refund_amount: '1.00' });
      const unconfirmed = await query(outTradeNo);
      expect(unconfirmed).toMatchObject({ code: '10000', outRequestNo, refundAmount: '1.00' });
      expect(unconfirmed).not.toHaveProperty('refundStatus');
      await expect(query(`${outTradeNo}X`)).resolves.toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
    });

    it('rejects a tampered refund answer when validateSign is on (and only then)', async () => {
      const { outTradeNo, outRequestNo } = numbers();
      bed.emulator.setRefund(outRequestNo, { out_trade_no: outTradeNo, state: 'not_received', failure: 'tampered_signature' });
      const bizContent = { out_trade_no: outTradeNo, out_request_no: outRequestNo };
      await expect(sdk().exec('alipay.trade.fastpay.refund.query', { bizContent }, { validateSign: true })).rejects.toThrow(/验签失败/);
      await expect(sdk().exec('alipay.trade.fastpay.refund.query', { bizContent }, { validateSign: false })).resolves.toMatchObject({ refundStatus: 'REFUND_SUCCESS', refundAmount: '0.01' });
    });
  });
});
