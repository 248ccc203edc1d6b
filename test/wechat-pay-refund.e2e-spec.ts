import { createPublicKey, verify } from 'node:crypto';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { ChannelRegistry } from '../src/channel/channel-registry.service';
import { WechatEmulatedRefund } from '../src/emulator/wechat/wechat-pay-emulated-refund';
import { WechatPayEmulatorFailure } from '../src/emulator/wechat/wechat-pay-emulated-trade';
import { startWechatPayEmulator, StartedWechatPayEmulator } from '../src/emulator/wechat/wechat-pay-emulator-start';
import { PayOrder } from '../src/order/pay-order.entity';
import { RefundOrder } from '../src/refund/refund-order.entity';
import { PaySyncRecord } from '../src/sync/pay-sync-record.entity';
import { SyncSource } from '../src/sync/pay-sync-status';
import { RefundRepairRecord } from '../src/sync/refund/refund-repair-record.entity';
import { RefundSyncService } from '../src/sync/refund/refund-sync.service';
import { DaxEnvelope, SyncData, TestApp } from './support/test-app';
import {
  parseAuthorization,
  requestSignatureVerifies,
  startWechatPaySuite,
  strangerPrivateKeyPem,
  WechatPaySuite,
  wechatTestEnv,
} from './support/wechat-pay-test-kit';

const UNVERIFIED_MSG = '查询订单验签失败';
const CLOSED_REASON = '微信支付已关闭该退款（CLOSED）';

/**
 * WeChat Pay's refund query (GET /v3/refund/domestic/refunds/{out_refund_no}) against the
 * emulator, through the real AppModule, refund sync service and database: every refund
 * status, not found within and past the grace, and every way an answer can fail, which
 * must leave the refund and its pay order exactly as they were.
 */
describe('WeChat Pay APIv3 refund query', () => {
  let suite: WechatPaySuite;
  let t: TestApp;

  beforeAll(async () => {
    suite = await startWechatPaySuite();
    t = suite.t;
  });

  afterAll(async () => {
    await suite.close();
  });

  /** A paid order of 10.00 yuan on wechat_pay. */
  function paidOrder(amount = 1000): Promise<PayOrder> {
    return t.createOrder({ amount, status: 'success', channel: 'wechat_pay' });
  }

  /** A refund as the gateway writes it (4.00 yuan by default), its amount taken off the balance. */
  async function refundOf(order: PayOrder, fields: Record<string, unknown> = {}): Promise<RefundOrder> {
    const response = await t.post<DaxEnvelope<{ refund: RefundOrder }>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 400, ...fields });
    if (response.body.code !== 0) throw new Error(`refund failed: ${response.text}`);
    return refundRow(response.body.data!.refund);
  }

  /** What WeChat Pay has for the refund: by default the refund itself, of its own trade. */
  function script(refund: RefundOrder, fields: Partial<WechatEmulatedRefund>): void {
    suite.emulator.setRefund(refund.refundNo, { out_trade_no: refund.orderNo, refund: refund.amount, total: refund.orderAmount, ...fields });
  }

  function sync(refund: RefundOrder) {
    return t.app.get(RefundSyncService).sync({ refundNo: refund.refundNo, source: SyncSource.MANUAL });
  }

  async function syncOverHttp(refund: RefundOrder): Promise<SyncData> {
    const response = await t.post<DaxEnvelope<SyncData>>('/unipay/sync/refund', t.signedSyncBody({ refundNo: refund.refundNo }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: 0, msg: 'success' });
    const data = response.body.data!;
    expect(t.verifies(data)).toBe(true);
    return data;
  }

  const refundRow = (refund: RefundOrder) => t.dataSource.getRepository(RefundOrder).findOneByOrFail({ refundNo: refund.refundNo });
  const repairs = (refund: RefundOrder) => t.dataSource.getRepository(RefundRepairRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });

  async function onlyRecord(refund: RefundOrder): Promise<PaySyncRecord> {
    const records = await t.dataSource.getRepository(PaySyncRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });
    expect(records).toHaveLength(1);
    return records[0];
  }

  async function anomalies(refund: RefundOrder): Promise<string[]> {
    const rows = (await t.dataSource.query('SELECT kind FROM unipay_anomaly WHERE refund_no = ? ORDER BY id', [refund.refundNo])) as { kind: string }[];
    return rows.map((row) => row.kind);
  }

  async function events(order: PayOrder): Promise<string[]> {
    const rows = (await t.dataSource.query('SELECT type FROM unipay_outbox_event WHERE order_no = ? ORDER BY id', [order.orderNo])) as { type: string }[];
    return rows.map((row) => row.type);
  }

  async function notificationBodies(order: PayOrder): Promise<Record<string, unknown>[]> {
    const rows = (await t.dataSource.query('SELECT kind, body FROM unipay_notification WHERE order_no = ? ORDER BY id', [order.orderNo])) as { kind: string; body: string }[];
    expect(rows.every((row) => row.kind === 'refund')).toBe(true);
    return rows.map((row) => JSON.parse(row.body) as Record<string, unknown>);
  }

  /** What WeChat Pay answered, as stored for an operator; never any key material or request signature. */
  function answerOf(record: PaySyncRecord): string {
    const text = record.channelResponse ?? '{}';
    expect(text).not.toMatch(/PRIVATE KEY|PUBLIC KEY|WECHATPAY2-SHA256-RSA2048|signature/i);
    for (const pem of [suite.keys.merchantPrivateKeyPem, suite.keys.platformPrivateKeyPem]) {
      const line = pem.split('\n')[5];
      expect(line.length).toBeGreaterThan(40);
      expect(text).not.toContain(line);
    }
    const steps = JSON.parse(text) as Record<string, string>;
    expect(Object.keys(steps)).toEqual(['refund_query']);
    return steps.refund_query;
  }

  /**
   * Both rows exactly as they were read after the refund was made (version and modification
   * time included), and nothing written beside them.
   */
  async function expectUntouched(refund: RefundOrder, order: PayOrder): Promise<void> {
    expect(await refundRow(refund)).toEqual(refund);
    expect(await t.order(order.orderNo)).toEqual(order);
    expect(await repairs(refund)).toEqual([]);
    expect(await events(order)).toEqual([]);
    expect(await notificationBodies(order)).toEqual([]);
  }

  describe('SUCCESS', () => {
    it.each([['progress'], ['fail']])('%s, the same amount: success, refund_id and success_time kept, the balance stays held, one notification', async (status) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status, notifyUrl: 'http://127.0.0.1:9/refund-notify' });
      script(refund, { status: 'SUCCESS', refund_id: '50300001032026030512345678901', success_time: '2026-03-05T14:07:09+08:00' });

      expect(await syncOverHttp(refund)).toEqual({ status: 'refund_success', code: 0, resTime: expect.any(Number), sign: expect.any(String) });

      const after = await refundRow(refund);
      expect(after).toMatchObject({ status: 'success', outRefundNo: '50300001032026030512345678901', amount: 400, errorMsg: null, version: refund.version + 1 });
      expect(after.finishTime!.toISOString()).toBe('2026-03-05T06:07:09.000Z');
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', refundableBalance: 600, refundStatus: 'partial_refund' });
      expect(await repairs(refund)).toEqual([
        expect.objectContaining({
          way: 'refund_success',
          beforeStatus: status,
          afterStatus: 'success',
          beforeOrderRefundStatus: 'refunding',
          afterOrderRefundStatus: 'partial_refund',
          beforeRefundableBalance: 600,
          afterRefundableBalance: 600,
          amount: 400,
          channel: 'wechat_pay',
          source: 'manual',
        }),
      ]);
      expect(await events(order)).toEqual(['refund_order.success']);
      const notes = await notificationBodies(order);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ refundNo: refund.refundNo, status: 'success', amount: 400, outRefundNo: '50300001032026030512345678901' });

      const record = await onlyRecord(refund);
      expect(record).toMatchObject({
        syncType: 'refund',
        channel: 'wechat_pay',
        syncStatus: 'refund_success',
        repaired: true,
        outRefundNo: '50300001032026030512345678901',
        responseUnverified: false,
        errorCode: null,
        errorMsg: null,
      });
      expect(JSON.parse(answerOf(record))).toMatchObject({
        out_refund_no: refund.refundNo,
        out_trade_no: order.orderNo,
        refund_id: '50300001032026030512345678901',
        status: 'SUCCESS',
        success_time: '2026-03-05T14:07:09+08:00',
        amount: { refund: 400, total: 1000, payer_refund: 400, currency: 'CNY' },
        user_received_account: '支付用户零钱',
      });
      expect(await anomalies(refund)).toEqual([]);
      expect(suite.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
    });

    it('the whole amount: the order is refunded', async () => {
      const order = await paidOrder(1999);
      const refund = await refundOf(order, { amount: 1999 });
      script(refund, { status: 'SUCCESS' });
      expect(await sync(refund)).toMatchObject({ kind: 'repaired', status: 'refund_success', repair: { way: 'refund_success' } });
      expect(await refundRow(refund)).toMatchObject({ status: 'success', outRefundNo: suite.emulator.refundOf(refund.refundNo)!.refund_id });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 0, refundStatus: 'refunded' });
    });

    it('another amount: nothing changes but the refund id; anomaly refund_amount_mismatch', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      const held = await t.order(order.orderNo);
      script(refund, { status: 'SUCCESS', refund: 399, refund_id: '50300001032026030500000000399' });
      expect(await sync(refund)).toEqual({ kind: 'unchanged', status: 'refund_success', anomaly: 'refund_amount_mismatch' });
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', finishTime: null, outRefundNo: '50300001032026030500000000399' });
      expect(await t.order(order.orderNo)).toEqual(held);
      expect(await repairs(refund)).toEqual([]);
      expect(await anomalies(refund)).toEqual(['refund_amount_mismatch']);
      expect(await onlyRecord(refund)).toMatchObject({ syncStatus: 'refund_success', repaired: false, anomaly: 'refund_amount_mismatch', errorCode: 'ANOMALY' });
    });

    it('a refund that is success here: nothing changes', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'success' });
      const held = await t.order(order.orderNo);
      script(refund, { status: 'SUCCESS', refund_id: '50300001032026030500000000777' });
      expect(await sync(refund)).toEqual({ kind: 'unchanged', status: 'refund_success' });
      expect(await refundRow(refund)).toMatchObject({ status: 'success', outRefundNo: '50300001032026030500000000777' });
      expect(await t.order(order.orderNo)).toEqual(held);
      expect(await anomalies(refund)).toEqual([]);
    });
  });

  describe('PROCESSING and ABNORMAL', () => {
    it('progress, PROCESSING: refund_progress, nothing changes but the refund id', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      const held = await t.order(order.orderNo);
      script(refund, { status: 'PROCESSING' });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_progress', code: 0 });
      const refundId = suite.emulator.refundOf(refund.refundNo)!.refund_id!;
      expect(refundId).toMatch(/^50\d{27}$/);
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', finishTime: null, errorMsg: null, outRefundNo: refundId });
      expect(await t.order(order.orderNo)).toEqual(held);
      expect(await repairs(refund)).toEqual([]);
      expect(await anomalies(refund)).toEqual([]);
      const record = await onlyRecord(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_progress', repaired: false, outRefundNo: refundId, errorCode: null });
      const body = JSON.parse(answerOf(record)) as Record<string, unknown>;
      expect(body).toMatchObject({ status: 'PROCESSING', refund_id: refundId, out_refund_no: refund.refundNo });
      expect(body).not.toHaveProperty('success_time');
    });

    it('fail, PROCESSING: back to progress so the job follows it; no notification', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', notifyUrl: 'http://127.0.0.1:9/refund-notify' });
      script(refund, { status: 'PROCESSING' });
      expect(await sync(refund)).toMatchObject({ kind: 'repaired', status: 'refund_progress', repair: { way: 'refund_progress' } });
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', version: refund.version + 1 });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'refunding' });
      expect(await repairs(refund)).toEqual([expect.objectContaining({ way: 'refund_progress', beforeStatus: 'fail', afterStatus: 'progress' })]);
      expect(await notificationBodies(order)).toEqual([]);
    });

    it.each([['progress'], ['fail']])('%s, ABNORMAL: processing, not closed and nothing given back; anomaly refund_abnormal at once', async (status) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status });
      script(refund, { status: 'ABNORMAL', user_received_account: '招商银行信用卡0403' });
      const outcome = await sync(refund);
      expect(outcome).toMatchObject({ status: 'refund_progress', anomaly: 'refund_abnormal' });
      // A fail refund goes back to progress (the job follows it); a progress one is left as it is.
      expect(outcome.kind).toBe(status === 'fail' ? 'repaired' : 'unchanged');
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', finishTime: null, errorMsg: null });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'refunding', status: 'success' });
      expect((await repairs(refund)).map((repair) => repair.way)).toEqual(status === 'fail' ? ['refund_progress'] : []);
      expect(await anomalies(refund)).toEqual(['refund_abnormal']);
      const record = await onlyRecord(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_progress', repaired: status === 'fail' });
      expect(JSON.parse(answerOf(record))).toMatchObject({ status: 'ABNORMAL', user_received_account: '招商银行信用卡0403' });
      expect(await notificationBodies(order)).toEqual([]);
    });

    it('progress, ABNORMAL over POST /unipay/sync/refund: refund_progress, the record names the anomaly', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      script(refund, { status: 'ABNORMAL' });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_progress', code: 0 });
      expect(await onlyRecord(refund)).toMatchObject({ syncStatus: 'refund_progress', anomaly: 'refund_abnormal', errorCode: 'ANOMALY', repaired: false });
      expect(await anomalies(refund)).toEqual(['refund_abnormal']);
    });
  });

  describe('CLOSED', () => {
    it.each([['progress'], ['fail']])('%s: close, the amount given back, the reason kept, one notification', async (status) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status, notifyUrl: 'http://127.0.0.1:9/refund-notify' });
      script(refund, { status: 'CLOSED' });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_fail', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'close', errorMsg: CLOSED_REASON, finishTime: null, version: refund.version + 1 });
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', refundableBalance: 1000, refundStatus: 'no_refund' });
      expect(await repairs(refund)).toEqual([
        expect.objectContaining({ way: 'refund_fail', beforeStatus: status, afterStatus: 'close', beforeRefundableBalance: 600, afterRefundableBalance: 1000, afterOrderRefundStatus: 'no_refund' }),
      ]);
      expect(await events(order)).toEqual(['refund_order.closed']);
      const notes = await notificationBodies(order);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ refundNo: refund.refundNo, status: 'close', errorMsg: CLOSED_REASON });
      const record = await onlyRecord(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_fail', repaired: true });
      expect(JSON.parse(answerOf(record))).toMatchObject({ status: 'CLOSED', out_refund_no: refund.refundNo });
    });

    it('a refund that is success here: nothing changes; anomaly refund_success_disputed', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'success' });
      const held = await t.order(order.orderNo);
      script(refund, { status: 'CLOSED', refund_id: '50300001032026030500000000888' });
      expect(await sync(refund)).toMatchObject({ kind: 'unchanged', status: 'refund_fail', anomaly: 'refund_success_disputed' });
      expect(await refundRow(refund)).toMatchObject({ status: 'success', errorMsg: null });
      expect(await t.order(order.orderNo)).toEqual(held);
      expect(await anomalies(refund)).toEqual(['refund_success_disputed']);
    });
  });

  describe('404 RESOURCE_NOT_EXISTS', () => {
    const notFound = { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' };

    it.each([
      ['a refund WeChat Pay never had', null],
      ['the not_found switch', { status: 'SUCCESS', failure: 'not_found' } as Partial<WechatEmulatedRefund>],
    ])('fail past the grace (%s): close, the amount given back', async (_, scripted) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: 601 });
      if (scripted) script(refund, scripted);
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'close', outRefundNo: null });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 1000, refundStatus: 'no_refund' });
      expect(await repairs(refund)).toEqual([expect.objectContaining({ way: 'refund_fail', beforeStatus: 'fail', afterStatus: 'close' })]);
      const record = await onlyRecord(refund);
      expect(record).toMatchObject({ syncStatus: 'pay_not_found', repaired: true, responseUnverified: false });
      expect(JSON.parse(answerOf(record))).toEqual(notFound);
      expect(suite.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
    });

    it('fail within the grace: nothing changes (the request may still land)', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: 30 });
      const held = await t.order(order.orderNo);
      expect(await sync(refund)).toEqual({ kind: 'unchanged', status: 'pay_not_found' });
      await expectUntouched(refund, held);
      expect(await anomalies(refund)).toEqual([]);
    });

    it('progress: never closed; past the grace, anomaly refund_not_found', async () => {
      const order = await paidOrder();
      const fresh = await refundOf(order, { amount: 100, sentSecondsAgo: 30 });
      const old = await refundOf(order, { amount: 100, sentSecondsAgo: 601 });
      const before = await t.order(order.orderNo);
      expect(await sync(fresh)).toEqual({ kind: 'unchanged', status: 'pay_not_found' });
      expect(await sync(old)).toEqual({ kind: 'unchanged', status: 'pay_not_found', anomaly: 'refund_not_found' });
      expect(await refundRow(fresh)).toEqual(fresh);
      expect(await refundRow(old)).toEqual(old);
      expect(await t.order(order.orderNo)).toEqual(before);
      expect(before).toMatchObject({ refundableBalance: 800, refundStatus: 'refunding' });
      expect(await anomalies(fresh)).toEqual([]);
      expect(await anomalies(old)).toEqual(['refund_not_found']);
    });

    it('the grace is UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS (default 600)', async () => {
      expect(t.app.get(ChannelRegistry).find('wechat_pay')?.refundNotFoundGraceSeconds).toBe(600);
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: 120 });
      expect(await sync(refund)).toEqual({ kind: 'unchanged', status: 'pay_not_found' });

      const shortGrace = await TestApp.start(wechatTestEnv(suite.keys, suite.url, { UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS: '60' }));
      try {
        expect(shortGrace.app.get(ChannelRegistry).find('wechat_pay')?.refundNotFoundGraceSeconds).toBe(60);
        const other = await shortGrace.createOrder({ amount: 1000, status: 'success', channel: 'wechat_pay' });
        const created = await shortGrace.post<DaxEnvelope<{ refund: RefundOrder }>>('/sandbox/refunds', { orderNo: other.orderNo, amount: 400, status: 'fail', sentSecondsAgo: 120 });
        const refundNo = created.body.data!.refund.refundNo;
        expect(await shortGrace.app.get(RefundSyncService).sync({ refundNo, source: SyncSource.MANUAL })).toMatchObject({ kind: 'repaired', status: 'pay_not_found' });
        expect(await shortGrace.dataSource.getRepository(RefundOrder).findOneByOrFail({ refundNo })).toMatchObject({ status: 'close' });
        expect(await shortGrace.order(other.orderNo)).toMatchObject({ refundableBalance: 1000, refundStatus: 'no_refund' });
      } finally {
        await shortGrace.close();
      }
    });
  });

  describe('an answer that cannot be trusted or used: the failure is answered and recorded, nothing changes', () => {
    type Scripted = Partial<WechatEmulatedRefund>;
    const failure = (name: WechatPayEmulatorFailure, extra: Scripted = {}): Scripted => ({ status: 'SUCCESS', failure: name, ...extra });
    /** [case, what WeChat Pay has, message of the outcome, whether the answer failed its signature, what the record keeps] */
    const cases: [string, Scripted, string | RegExp, boolean, (body: string, refund: RefundOrder) => void][] = [
      ['429 FREQUENCY_LIMITED', failure('rate_limited'), 'FREQUENCY_LIMITED 频率超限', false, (body) => expect(JSON.parse(body)).toEqual({ code: 'FREQUENCY_LIMITED', message: '频率超限' })],
      ['500 SYSTEM_ERROR', failure('server_error'), 'SYSTEM_ERROR 系统错误', false, (body) => expect(JSON.parse(body)).toEqual({ code: 'SYSTEM_ERROR', message: '系统错误' })],
      ['401 SIGN_ERROR', failure('unauthorized'), 'SIGN_ERROR 错误的签名，验签失败', false, (body) => expect(JSON.parse(body)).toMatchObject({ code: 'SIGN_ERROR' })],
      ['403 NO_AUTH', failure('forbidden'), 'NO_AUTH 商户无权限', false, (body) => expect(JSON.parse(body)).toEqual({ code: 'NO_AUTH', message: '商户无权限' })],
      ['a timeout', failure('slow', { delayMs: 1500 }), '通道请求超时（1000 ms）', false, (body) => expect(body).toBe('通道请求超时（1000 ms）')],
      ['a tampered signature', failure('tampered_signature'), UNVERIFIED_MSG, true, (body, refund) => expect(JSON.parse(body)).toMatchObject({ out_refund_no: refund.refundNo, status: 'SUCCESS' })],
      ['another Wechatpay-Serial', failure('wrong_serial'), UNVERIFIED_MSG, true, (body) => expect(JSON.parse(body)).toMatchObject({ status: 'SUCCESS' })],
      ['a stale Wechatpay-Timestamp', failure('stale_timestamp'), UNVERIFIED_MSG, true, (body) => expect(JSON.parse(body)).toMatchObject({ status: 'SUCCESS' })],
      ['the WECHATPAY/SIGNTEST probe', failure('signtest_probe'), UNVERIFIED_MSG, true, (body) => expect(JSON.parse(body)).toMatchObject({ status: 'SUCCESS' })],
      ['an unsigned RESOURCE_NOT_EXISTS', failure('unsigned_error'), UNVERIFIED_MSG, true, (body) => expect(JSON.parse(body)).toEqual({ code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' })],
      ['a body cut in half', failure('malformed'), '微信支付应答不是有效的 JSON', false, (body) => expect(() => JSON.parse(body)).toThrow()],
      ['an unknown status', { status: 'REFUNDING' }, '微信支付返回未知的退款状态: REFUNDING', false, (body) => expect(JSON.parse(body)).toMatchObject({ status: 'REFUNDING' })],
      ['a refund of another trade', { status: 'CLOSED', out_trade_no: 'P-SOMEONE-ELSES-ORDER' }, '微信支付应答的商户退款单号或商户订单号与请求不符', false, (body) => expect(JSON.parse(body)).toMatchObject({ out_trade_no: 'P-SOMEONE-ELSES-ORDER' })],
      ['SUCCESS with an unreadable success_time', { status: 'SUCCESS', success_time: '2026-03-05 14:07:09' }, /^微信支付应答的 success_time 无法识别: 2026-03-05 14:07:09$/, false, (body) => expect(JSON.parse(body)).toMatchObject({ success_time: '2026-03-05 14:07:09' })],
      ['SUCCESS with a fraction of a fen', { status: 'SUCCESS', refund: 399.5 }, '通道返回的金额无法识别: 399.5', false, (body) => expect(JSON.parse(body)).toMatchObject({ amount: { refund: 399.5 } })],
    ];

    // A fail refund past the grace is the one any answer but ERROR would change.
    describe.each([
      ['fail, sent long ago', { status: 'fail', sentSecondsAgo: 6000 }],
      ['progress, sent long ago', { sentSecondsAgo: 6000 }],
    ])('%s', (_, refundFields) => {
      it.each(cases)('%s', async (_name, scripted, message, unverified, keeps) => {
        const order = await paidOrder();
        const refund = await refundOf(order, refundFields);
        const heldOrder = await t.order(order.orderNo);
        script(refund, scripted);

        const outcome = await sync(refund);
        expect(outcome).toMatchObject({ kind: 'failed', reason: 'CHANNEL_ERROR' });
        const said = 'message' in outcome ? outcome.message : undefined;
        expect(said).toMatch(message);

        await expectUntouched(refund, heldOrder);
        expect(await anomalies(refund)).toEqual([]);
        const record = await onlyRecord(refund);
        expect(record).toMatchObject({ syncType: 'refund', syncStatus: null, repaired: false, repairNo: null, errorCode: 'CHANNEL_ERROR', errorMsg: said, responseUnverified: unverified, outRefundNo: null });
        keeps(answerOf(record), refund);
        expect(suite.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
      });
    });

    it.each([
      ['a tampered signature', failure('tampered_signature'), UNVERIFIED_MSG],
      ['429 FREQUENCY_LIMITED', failure('rate_limited'), 'FREQUENCY_LIMITED 频率超限'],
    ])('over POST /unipay/sync/refund, %s: a signed business failure with the reason', async (_, scripted, message) => {
      const order = await paidOrder();
      const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: 6000 });
      const heldOrder = await t.order(order.orderNo);
      script(refund, scripted);
      expect(await syncOverHttp(refund)).toEqual({ code: 1, msg: message, resTime: expect.any(Number), sign: expect.any(String) });
      await expectUntouched(refund, heldOrder);
    });

    it('a server whose merchant key WeChat Pay does not know is refused (401 SIGN_ERROR): nothing changes', async () => {
      const other = await TestApp.start(wechatTestEnv(suite.keys, suite.url, { UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY: strangerPrivateKeyPem() }));
      try {
        const order = await other.createOrder({ amount: 1000, status: 'success', channel: 'wechat_pay' });
        const created = await other.post<DaxEnvelope<{ refund: RefundOrder }>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 400, status: 'fail', sentSecondsAgo: 6000 });
        const refund = created.body.data!.refund;
        const refunds = other.dataSource.getRepository(RefundOrder);
        const before = await refunds.findOneByOrFail({ refundNo: refund.refundNo });
        script(before, { status: 'CLOSED' });
        const outcome = await other.app.get(RefundSyncService).sync({ refundNo: refund.refundNo, source: SyncSource.SCHEDULED });
        expect(outcome).toEqual({ kind: 'failed', reason: 'CHANNEL_ERROR', message: 'SIGN_ERROR 错误的签名，验签失败' });
        expect(await refunds.findOneByOrFail({ refundNo: refund.refundNo })).toEqual(before);
        expect(await other.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'refunding' });
        expect(suite.emulator.callsOf(refund.refundNo)).toEqual({ refund_query: 1 });
      } finally {
        await other.close();
      }
    });
  });

  describe('the request', () => {
    it('is a signed GET of /v3/refund/domestic/refunds/{out_refund_no}, without a body or a query', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      script(refund, { status: 'PROCESSING' });
      const before = Math.floor(Date.now() / 1000);
      await sync(refund);
      const request = suite.emulator.lastRequest!;
      expect(request.method).toBe('GET');
      expect(request.url).toBe(`/v3/refund/domestic/refunds/${refund.refundNo}`);
      expect(request.body).toBe('');
      expect(request.headers.accept).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/\S/);
      expect(request.headers.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="\d+",nonce_str="[0-9a-f]{32}",signature="[A-Za-z0-9+/]+={0,2}",timestamp="\d{10}",serial_no="[0-9A-F]{40}"$/);
      const auth = parseAuthorization(request.headers.authorization)!;
      expect(auth).toMatchObject({ mchid: suite.keys.mchId, serial_no: suite.keys.merchantSerialNo });
      expect(Math.abs(Number(auth.timestamp) - before)).toBeLessThanOrEqual(5);
      expect(requestSignatureVerifies(auth, request, suite.keys.merchantPublicKeyPem)).toBe(true);
      // The path is what is signed: the same signature does not cover another refund.
      expect(requestSignatureVerifies(auth, { ...request, url: `/v3/refund/domestic/refunds/${refund.refundNo}X` }, suite.keys.merchantPublicKeyPem)).toBe(false);
    });
  });

  describe('the emulator admin API for refunds', () => {
    it('sets a refund, shows it with its call counts, refuses one without its trade, and forgets them all', async () => {
      const order = await paidOrder();
      const refund = await refundOf(order);
      const admin = `${suite.url}/__emulator/refunds/${refund.refundNo}`;

      const bad = await fetch(admin, { method: 'PUT', body: JSON.stringify({ status: 'SUCCESS' }) });
      expect(bad.status).toBe(400);
      const put = await fetch(admin, { method: 'PUT', body: JSON.stringify({ out_trade_no: order.orderNo, status: 'CLOSED', refund: 400 }) });
      expect(put.status).toBe(200);
      expect(suite.emulator.refundOf(refund.refundNo)).toEqual({ out_trade_no: order.orderNo, status: 'CLOSED', refund: 400 });

      expect(await sync(refund)).toMatchObject({ kind: 'repaired', status: 'refund_fail' });
      const shown = (await (await fetch(admin)).json()) as { refund: WechatEmulatedRefund; calls: Record<string, number> };
      expect(shown.calls).toEqual({ refund_query: 1 });
      expect(shown.refund).toMatchObject({ status: 'CLOSED', refund_id: expect.stringMatching(/^50\d{27}$/) });
      // Admin calls are not protocol requests.
      expect(suite.emulator.lastRequest!.url).toBe(`/v3/refund/domestic/refunds/${refund.refundNo}`);

      expect((await fetch(`${suite.url}/__emulator/refunds`, { method: 'DELETE' })).status).toBe(204);
      expect(suite.emulator.refundOf(refund.refundNo)).toBeUndefined();
      expect(suite.emulator.callsOf(refund.refundNo)).toEqual({});
    });
  });
});

/**
 * The emulator's refund query must be WeChat Pay's: the official Node SDK
 * (wechatpay-axios-plugin, public-key mode) signs a request the emulator accepts, verifies
 * the answer with its own code and reads the v3 fields; it refuses answers that do not verify.
 */
describe('WeChat Pay emulator refund query driven by the official SDK (wechatpay-axios-plugin)', () => {
  let started: StartedWechatPayEmulator;

  beforeAll(async () => {
    started = await startWechatPayEmulator();
  });

  afterAll(async () => {
    await started.emulator.stop();
  });

  function sdk(privateKey = started.keys.merchantPrivateKeyPem): Wechatpay {
    const { keys } = started;
    return new Wechatpay({
      mchid: keys.mchId,
      serial: keys.merchantSerialNo,
      privateKey,
      certs: { [keys.publicKeyId]: keys.platformPublicKeyPem },
      baseURL: `${started.url}/`,
    });
  }

  function queryRefund(wxpay: Wechatpay, outRefundNo: string) {
    return wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ out_refund_no: outRefundNo });
  }

  interface SdkError {
    isAxiosError: boolean;
    code?: string;
    response?: { status: number; data: unknown };
  }

  async function rejection(promise: Promise<unknown>): Promise<SdkError> {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown as SdkError,
    );
    expect(error?.isAxiosError).toBe(true);
    return error!;
  }

  it('a SUCCESS refund: the SDK verifies the answer and reads the v3 body', async () => {
    started.emulator.setTrade('SDK_TRADE_1', { trade_state: 'REFUND', total: 2500, transaction_id: '4200000000000000000000000888' });
    started.emulator.setRefund('SDK_REFUND_1', {
      out_trade_no: 'SDK_TRADE_1',
      status: 'SUCCESS',
      refund: 1000,
      total: 2500,
      refund_id: '50000000382019052709732678859',
      create_time: '2026-05-01T12:00:00+08:00',
      success_time: '2026-05-01T12:00:05+08:00',
    });
    const response = await queryRefund(sdk(), 'SDK_REFUND_1');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      amount: { currency: 'CNY', discount_refund: 0, from: [], payer_refund: 1000, payer_total: 2500, refund: 1000, settlement_refund: 1000, settlement_total: 2500, total: 2500 },
      channel: 'ORIGINAL',
      create_time: '2026-05-01T12:00:00+08:00',
      funds_account: 'AVAILABLE',
      out_refund_no: 'SDK_REFUND_1',
      out_trade_no: 'SDK_TRADE_1',
      promotion_detail: [],
      refund_id: '50000000382019052709732678859',
      status: 'SUCCESS',
      success_time: '2026-05-01T12:00:05+08:00',
      transaction_id: '4200000000000000000000000888',
      user_received_account: '支付用户零钱',
    });
    // Independently of the SDK: the signature covers timestamp, nonce and the body as sent.
    const headers = response.headers as Record<string, string>;
    expect(headers['wechatpay-serial']).toBe(started.keys.publicKeyId);
    const message = `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${JSON.stringify(response.data)}\n`;
    expect(verify('sha256', Buffer.from(message), createPublicKey(started.keys.platformPublicKeyPem), Buffer.from(headers['wechatpay-signature'], 'base64'))).toBe(true);
    // The SDK's request (its own Authorization layout) was accepted as the merchant's.
    expect(started.emulator.lastRequest).toMatchObject({ method: 'GET', url: '/v3/refund/domestic/refunds/SDK_REFUND_1' });
    expect(started.emulator.callsOf('SDK_REFUND_1')).toEqual({ refund_query: 1 });
  });

  it.each([['PROCESSING'], ['ABNORMAL'], ['CLOSED']])('a %s refund: the SDK reads the status, without success_time', async (status) => {
    started.emulator.setRefund(`SDK_${status}`, { out_trade_no: 'SDK_TRADE_2', status, refund: 300 });
    const { data } = await queryRefund(sdk(), `SDK_${status}`);
    expect(data).toMatchObject({ out_refund_no: `SDK_${status}`, out_trade_no: 'SDK_TRADE_2', status, amount: { refund: 300, total: 300 } });
    expect(data).not.toHaveProperty('success_time');
    expect(data.refund_id).toMatch(/^50\d{27}$/);
  });

  it.each([
    ['tampered_signature', 'EV3_RES_HEADER_SIGNATURE_DIGEST'],
    ['signtest_probe', 'EV3_RES_HEADER_SIGNATURE_DIGEST'],
    ['wrong_serial', 'EV3_RES_HEADER_PLATFORM_SERIAL'],
    ['stale_timestamp', 'EV3_RES_HEADER_TIMESTAMP_OFFSET'],
  ] as [WechatPayEmulatorFailure, string][])('the SDK rejects a %s answer (%s)', async (failure, code) => {
    started.emulator.setRefund(`SDK_${failure}`, { out_trade_no: 'SDK_TRADE_3', status: 'SUCCESS', failure });
    const error = await rejection(queryRefund(sdk(), `SDK_${failure}`));
    expect(error.code).toBe(code);
    expect(error.response?.status).toBe(200);
  });

  it.each([
    ['an unknown refund', undefined, 404, { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' }],
    ['the not_found switch', 'not_found', 404, { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' }],
    ['a rate-limited query', 'rate_limited', 429, { code: 'FREQUENCY_LIMITED', message: '频率超限' }],
    ['a failing server', 'server_error', 500, { code: 'SYSTEM_ERROR', message: '系统错误' }],
    ['an unauthorized call', 'unauthorized', 401, { code: 'SIGN_ERROR', message: '错误的签名，验签失败' }],
    ['a forbidden call', 'forbidden', 403, { code: 'NO_AUTH', message: '商户无权限' }],
  ] as [string, WechatPayEmulatorFailure | undefined, number, object][])('%s is an HTTP error with the v3 error body', async (_, failure, status, body) => {
    const id = `SDK_ERR_${failure ?? 'unknown'}`;
    if (failure) started.emulator.setRefund(id, { out_trade_no: 'SDK_TRADE_4', status: 'SUCCESS', failure });
    const error = await rejection(queryRefund(sdk(), id));
    expect(error.response?.status).toBe(status);
    expect(error.response?.data).toEqual(body);
  });

  it('a request signed with another merchant key is refused with 401 SIGN_ERROR', async () => {
    started.emulator.setRefund('SDK_STRANGER', { out_trade_no: 'SDK_TRADE_5', status: 'SUCCESS' });
    const error = await rejection(queryRefund(sdk(strangerPrivateKeyPem()), 'SDK_STRANGER'));
    expect(error.response?.status).toBe(401);
    expect(error.response?.data).toEqual({ code: 'SIGN_ERROR', message: '错误的签名，验签失败' });
    expect(started.emulator.refundOf('SDK_STRANGER')).toEqual({ out_trade_no: 'SDK_TRADE_5', status: 'SUCCESS' });
  });
});
