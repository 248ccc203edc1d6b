import { formatChinaCompact } from '../src/channel/support/china-time';
import { UnionPayEmulatedRefund, UnionPayEmulator, UnionPayFailure, UnionPayTestPki, generateUnionPayTestPki } from '../src/emulator/unionpay';
import { PayOrder } from '../src/order/pay-order.entity';
import { RefundOrder } from '../src/refund/refund-order.entity';
import { PaySyncRecord } from '../src/sync/pay-sync-record.entity';
import { SyncSource } from '../src/sync/pay-sync-status';
import { RefundRepairRecord } from '../src/sync/refund/refund-repair-record.entity';
import { RefundSyncService } from '../src/sync/refund/refund-sync.service';
import { DaxEnvelope, SyncData, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { expectNoSecretsIn, recordedRefundQuery, unionPayServerEnv } from './support/unionpay-test-kit';

const HOUR = 3600;
const DAY = 24 * HOUR;
const UNVERIFIED = '查询订单验签失败';

interface RefundView {
  refund: RefundOrder;
}

/**
 * UnionPay refund sync (退货 queried with `queryTrans.do`) against the emulator, through the
 * real AppModule: every answer and failure, with the sync's answer, the refund row, the pay
 * order's refund fields, the sync and repair records. The emulator finds a refund only by
 * its orderId and the txnTime of its request, as UnionPay does.
 */
describe('UnionPay refund query (queryTrans.do 5.1.0)', () => {
  let pki: UnionPayTestPki;
  let emulator: UnionPayEmulator;
  let emulatorUrl: string;
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    pki = await generateUnionPayTestPki();
    emulator = new UnionPayEmulator(pki);
    emulatorUrl = await emulator.start(0, '127.0.0.1');
    database = await createTestDatabase();
    t = await TestApp.start(unionPayServerEnv(pki, emulatorUrl), database);
  });

  afterAll(async () => {
    await t?.close();
    await emulator?.stop();
    await database?.drop();
  });

  /** A paid UnionPay order of 10.00 yuan. */
  function paidOrder(amount = 1000): Promise<PayOrder> {
    return t.createOrder({ amount, status: 'success', channel: 'union_pay' });
  }

  /** A refund of the order as the gateway writes it (4.00 yuan, progress, sent now, unless told). */
  async function refundOf(order: PayOrder, fields: Record<string, unknown> = {}): Promise<RefundOrder> {
    const response = await t.post<DaxEnvelope<RefundView>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 400, ...fields });
    if (response.body.code !== 0) throw new Error(`refund failed: ${response.text}`);
    return refundRow(response.body.data!.refund);
  }

  /** A paid order with one refund of it: the order as it is once the refund holds its amount. */
  async function orderWithRefund(fields: Record<string, unknown> = {}): Promise<{ order: PayOrder; refund: RefundOrder }> {
    const paid = await paidOrder();
    const refund = await refundOf(paid, fields);
    return { order: await t.order(paid.orderNo), refund };
  }

  /** The refund's request time as UnionPay knows it: channel_req_time in Beijing time. */
  const txnTimeOf = (refund: RefundOrder) => formatChinaCompact(refund.channelReqTime);

  /** UnionPay holds the refund as it was sent (its amount, its txnTime), answering as `fields` say. */
  function atUnionPay(refund: RefundOrder, fields: Partial<UnionPayEmulatedRefund> = {}): void {
    emulator.setRefund(refund.refundNo, { txnAmt: refund.amount, txnTime: txnTimeOf(refund), ...fields });
  }

  const refundRow = (refund: Pick<RefundOrder, 'refundNo'>) => t.dataSource.getRepository(RefundOrder).findOneByOrFail({ refundNo: refund.refundNo });
  const repairs = (refund: RefundOrder) => t.dataSource.getRepository(RefundRepairRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });
  const records = (refund: RefundOrder) => t.dataSource.getRepository(PaySyncRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });
  async function anomalies(refund: RefundOrder): Promise<string[]> {
    const rows = (await t.dataSource.query('SELECT kind FROM unipay_anomaly WHERE refund_no = ? ORDER BY id', [refund.refundNo])) as { kind: string }[];
    return rows.map((row) => row.kind);
  }
  async function events(order: PayOrder): Promise<string[]> {
    const rows = (await t.dataSource.query('SELECT type FROM unipay_outbox_event WHERE order_no = ? ORDER BY id', [order.orderNo])) as { type: string }[];
    return rows.map((row) => row.type);
  }

  /** `POST /unipay/sync/refund`: the signed `data`. */
  async function syncOverHttp(refund: RefundOrder): Promise<SyncData> {
    const response = await t.post<DaxEnvelope<SyncData>>('/unipay/sync/refund', t.signedSyncBody({ refundNo: refund.refundNo }));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: 0, msg: 'success' });
    expect(t.verifies(response.body.data!)).toBe(true);
    return response.body.data!;
  }

  function syncByService(refund: RefundOrder) {
    return t.app.get(RefundSyncService).sync({ refundNo: refund.refundNo, source: SyncSource.MANUAL });
  }

  /** The one sync record of the refund, with no key, certificate or signature in it. */
  async function theRecord(refund: RefundOrder): Promise<PaySyncRecord> {
    const all = await records(refund);
    expect(all).toHaveLength(1);
    expectNoSecretsIn(all[0], pki);
    return all[0];
  }

  /** Neither the refund nor its order (both as read before the sync) changed, and nothing was repaired or announced. */
  async function expectUntouched(refund: RefundOrder, order: PayOrder): Promise<void> {
    expect(await refundRow(refund)).toEqual(refund);
    expect(await t.order(order.orderNo)).toEqual(order);
    expect(await repairs(refund)).toEqual([]);
    expect(await events(order)).toEqual([]);
  }

  describe('answers', () => {
    it('refunded (00/00) over HTTP: refund_success, queryId kept, finished now, the balance left as it is', async () => {
      const { order, refund } = await orderWithRefund();
      atUnionPay(refund, { queryId: '772601011200000004001', origQryId: '772512312359580012345' });
      const before = Date.now();

      expect(await syncOverHttp(refund)).toEqual({ status: 'refund_success', code: 0, resTime: expect.any(Number), sign: expect.any(String) });

      const after = await refundRow(refund);
      expect(after).toMatchObject({ status: 'success', outRefundNo: '772601011200000004001', amount: 400, errorMsg: null, version: refund.version + 1 });
      // The answer has no completion time: the sync's clock (second precision in the database).
      expect(after.finishTime!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(after.finishTime!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', refundableBalance: 600, refundStatus: 'partial_refund' });
      expect(await repairs(refund)).toEqual([
        expect.objectContaining({ way: 'refund_success', beforeStatus: 'progress', afterStatus: 'success', beforeRefundableBalance: 600, afterRefundableBalance: 600, afterOrderRefundStatus: 'partial_refund' }),
      ]);
      expect(await events(order)).toEqual(['refund_order.success']);

      const record = await theRecord(refund);
      expect(record).toMatchObject({ syncType: 'refund', channel: 'union_pay', syncStatus: 'refund_success', repaired: true, outRefundNo: '772601011200000004001', responseUnverified: false, errorCode: null });
      const text = recordedRefundQuery(record.channelResponse);
      expect(text).toContain(`orderId=${refund.refundNo}`);
      expect(text).toContain('origQryId=772512312359580012345');
      expect(text).toContain('origRespCode=00');
      expect(text).toContain('queryId=772601011200000004001');
      expect(text).toContain('txnAmt=400');
      expect(text).toContain('txnType=04');
    });

    it('the query is the signed ACP form naming the refund by its orderId and the txnTime of its request', async () => {
      const { refund } = await orderWithRefund({ sentSecondsAgo: 90 });
      atUnionPay(refund);
      await syncByService(refund);
      expect(emulator.lastRequest).toEqual({
        url: '/gateway/api/queryTrans.do',
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
        signatureValid: true,
        fields: {
          version: '5.1.0',
          encoding: 'UTF-8',
          signMethod: '01',
          txnType: '00',
          txnSubType: '00',
          bizType: '000000',
          accessType: '0',
          channelType: '07',
          merId: '777290058110048',
          orderId: refund.refundNo,
          txnTime: txnTimeOf(refund),
          certId: pki.merchantSign.certId,
          signature: expect.stringMatching(/^[A-Za-z0-9+/]{342}==$/),
        },
      });
      // Beijing time, not the query's own clock.
      expect(txnTimeOf(refund)).toBe(formatChinaCompact(new Date(refund.channelReqTime.getTime())));
      expect(txnTimeOf(refund)).not.toBe(formatChinaCompact(new Date()));
      expect(emulator.callsOf(refund.refundNo)).toEqual({ query: 1 });
    });

    it('a refund whose request was sent hours ago is still found, because the query carries its own txnTime', async () => {
      const { order, refund } = await orderWithRefund({ status: 'fail', sentSecondsAgo: 5 * HOUR });
      atUnionPay(refund, { queryId: '772601010700000000005' });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_success', code: 0 });
      expect(emulator.lastRequest?.fields.txnTime).toBe(txnTimeOf(refund));
      expect(await refundRow(refund)).toMatchObject({ status: 'success', outRefundNo: '772601010700000000005' });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'partial_refund' });
    });

    it('UnionPay knows the refund under another txnTime only: respCode 34, not found, nothing changes', async () => {
      const { order, refund } = await orderWithRefund({ status: 'fail', sentSecondsAgo: HOUR });
      // One second off: UnionPay names a transaction by orderId and txnTime together.
      emulator.setRefund(refund.refundNo, { txnAmt: 400, txnTime: formatChinaCompact(new Date(refund.channelReqTime.getTime() + 1000)) });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      await expectUntouched(refund, order);
      expect(recordedRefundQuery((await theRecord(refund)).channelResponse)).toContain('respCode=34');
    });

    it('the whole amount refunded from a fail refund: success, the order refunded', async () => {
      const { order, refund } = await orderWithRefund({ amount: 1000, status: 'fail' });
      atUnionPay(refund, { txnAmt: '1000' });
      expect(await syncByService(refund)).toMatchObject({ kind: 'repaired', status: 'refund_success', repair: { way: 'refund_success' } });
      expect(await refundRow(refund)).toMatchObject({ status: 'success' });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 0, refundStatus: 'refunded' });
    });

    it('refunded with another amount: nothing changes but the refund id; anomaly refund_amount_mismatch', async () => {
      const { order, refund } = await orderWithRefund();
      atUnionPay(refund, { txnAmt: '399', queryId: '772601010000000000399' });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_success', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', finishTime: null, outRefundNo: '772601010000000000399' });
      expect(await t.order(order.orderNo)).toEqual(order);
      expect(await repairs(refund)).toEqual([]);
      expect(await anomalies(refund)).toEqual(['refund_amount_mismatch']);
      expect(await theRecord(refund)).toMatchObject({ syncStatus: 'refund_success', repaired: false, anomaly: 'refund_amount_mismatch' });
    });

    it.each(['03', '04', '05'])('in process (origRespCode %s) on a progress refund: refund_progress, nothing changes but the refund id', async (origRespCode) => {
      const { order, refund } = await orderWithRefund();
      atUnionPay(refund, { origRespCode, queryId: `7726010100000000000${origRespCode}` });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_progress', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', finishTime: null, outRefundNo: `7726010100000000000${origRespCode}` });
      expect(await t.order(order.orderNo)).toEqual(order);
      expect(await repairs(refund)).toEqual([]);
      const record = await theRecord(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_progress', repaired: false, responseUnverified: false, errorMsg: null });
      expect(recordedRefundQuery(record.channelResponse)).toContain(`origRespCode=${origRespCode}`);
    });

    it('in process on a fail refund: back to progress so the job follows it; the balance stays held', async () => {
      const { order, refund } = await orderWithRefund({ status: 'fail' });
      atUnionPay(refund, { origRespCode: '05' });
      expect(await syncByService(refund)).toMatchObject({ kind: 'repaired', status: 'refund_progress', repair: { way: 'refund_progress' } });
      expect(await refundRow(refund)).toMatchObject({ status: 'progress' });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'refunding' });
      expect(await repairs(refund)).toEqual([expect.objectContaining({ way: 'refund_progress', beforeStatus: 'fail', afterStatus: 'progress' })]);
      expect(await events(order)).toEqual([]);
    });

    it.each(['progress', 'fail'])('failed (origRespCode 35) on a %s refund: refund_fail, closed with origRespMsg, the amount given back', async (status) => {
      const { order, refund } = await orderWithRefund({ status });
      atUnionPay(refund, { origRespCode: '35', origRespMsg: '原交易状态不正确[3500035]' });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_fail', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'close', errorMsg: '原交易状态不正确[3500035]', version: refund.version + 1 });
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', refundableBalance: 1000, refundStatus: 'no_refund' });
      expect(await repairs(refund)).toEqual([
        expect.objectContaining({ way: 'refund_fail', beforeStatus: status, afterStatus: 'close', beforeRefundableBalance: 600, afterRefundableBalance: 1000, afterOrderRefundStatus: 'no_refund' }),
      ]);
      expect(await events(order)).toEqual(['refund_order.closed']);
      const record = await theRecord(refund);
      expect(record).toMatchObject({ syncStatus: 'refund_fail', repaired: true, responseUnverified: false });
      expect(recordedRefundQuery(record.channelResponse)).toContain('origRespMsg=原交易状态不正确[3500035]');
    });

    it('a slow answer within the timeout is answered', async () => {
      const { refund } = await orderWithRefund();
      atUnionPay(refund, { failure: 'slow', delayMs: 300 });
      expect(await syncByService(refund)).toMatchObject({ kind: 'repaired', status: 'refund_success' });
    });
  });

  describe('no such refund (respCode 34) and the 24-hour grace', () => {
    it('a fail refund sent an hour ago (past the 10-minute default, within UnionPay’s day): nothing changes', async () => {
      const { order, refund } = await orderWithRefund({ status: 'fail', sentSecondsAgo: HOUR });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      await expectUntouched(refund, order);
      expect(await anomalies(refund)).toEqual([]);
      const record = await theRecord(refund);
      expect(record).toMatchObject({ syncStatus: 'pay_not_found', repaired: false, responseUnverified: false, errorMsg: null });
      expect(recordedRefundQuery(record.channelResponse)).toContain('respCode=34');
    });

    it('a fail refund sent just over a day ago: closed, the amount given back', async () => {
      const { order, refund } = await orderWithRefund({ status: 'fail', sentSecondsAgo: DAY + 60 });
      atUnionPay(refund, { failure: 'not_found' });
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'pay_not_found', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'close', version: refund.version + 1 });
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 1000, refundStatus: 'no_refund' });
      expect(await repairs(refund)).toEqual([expect.objectContaining({ way: 'refund_fail', beforeStatus: 'fail', afterStatus: 'close' })]);
      expect(await events(order)).toEqual(['refund_order.closed']);
      expect(await theRecord(refund)).toMatchObject({ syncStatus: 'pay_not_found', repaired: true });
    });

    it('a progress refund is never closed by not found: within the day nothing, past it an anomaly', async () => {
      const order = await paidOrder();
      const fresh = await refundOf(order, { amount: 100, sentSecondsAgo: HOUR });
      const old = await refundOf(order, { amount: 100, sentSecondsAgo: 2 * DAY });
      const orderBefore = await t.order(order.orderNo);
      for (const refund of [fresh, old]) {
        expect(await syncByService(refund)).toEqual({ kind: 'unchanged', status: 'pay_not_found', ...(refund === old ? { anomaly: 'refund_not_found' } : {}) });
        expect(await refundRow(refund)).toEqual(refund);
      }
      expect(await t.order(order.orderNo)).toEqual(orderBefore);
      expect(orderBefore).toMatchObject({ refundableBalance: 800, refundStatus: 'refunding' });
      expect(await anomalies(fresh)).toEqual([]);
      expect(await anomalies(old)).toEqual(['refund_not_found']);
    });
  });

  describe('failures: the query failed, and neither the refund nor the order changes', () => {
    type Case = [string, Partial<UnionPayEmulatedRefund>, string, { unverified: boolean; recorded: string }];
    const refused = (respCode: string, failure: Partial<UnionPayEmulatedRefund>, message: string): Case => [
      `respCode ${respCode}`,
      failure,
      message,
      { unverified: false, recorded: `respCode=${respCode}` },
    ];
    const unverified = (failure: UnionPayFailure, recorded = 'respCode=00'): Case => [failure, { failure }, UNVERIFIED, { unverified: true, recorded }];

    it.each<Case>([
      refused('03', { failure: 'busy', busyCode: '03' }, '交易通讯超时，请发起查询交易[2000003]'),
      refused('04', { failure: 'busy', busyCode: '04' }, '交易状态未明，请查询对账结果[2000004]'),
      refused('05', { failure: 'busy', busyCode: '05' }, '交易已受理，请稍后查询交易结果[2000005]'),
      refused('06', { failure: 'error' }, '系统繁忙，请稍后再试[1000006]'),
      refused('37', { failure: 'error', errorCode: '37' }, '已超过最大查询次数或操作过于频繁[6100037]'),
      unverified('tampered_signature'),
      unverified('tampered_body'),
      unverified('expired_cert'),
      unverified('foreign_cert'),
      unverified('wrong_subject'),
      unverified('unsigned'),
      unverified('malformed', '<html><body>系统繁忙'),
      unverified('server_error', 'HTTP 500: <html>'),
      ['slow (past the 1000 ms timeout)', { failure: 'slow', delayMs: 1500 }, '通道请求超时（1000 ms）', { unverified: false, recorded: '通道请求超时（1000 ms）' }],
    ])('%s', async (_, failure, message, expected) => {
      // A fail refund past the grace whose refund failed at UnionPay: any answer that leaked
      // through (failed, or not found) would close it and give the amount back.
      const { order, refund } = await orderWithRefund({ status: 'fail', sentSecondsAgo: 2 * DAY });
      atUnionPay(refund, { origRespCode: '35', ...failure });

      expect(await syncByService(refund)).toEqual({ kind: 'failed', reason: 'CHANNEL_ERROR', message });

      expect(order).toMatchObject({ refundableBalance: 600, refundStatus: 'refunding' });
      await expectUntouched(refund, order);
      expect(await anomalies(refund)).toEqual([]);
      const record = await theRecord(refund);
      expect(record).toMatchObject({ syncType: 'refund', syncStatus: null, repaired: false, errorCode: 'CHANNEL_ERROR', errorMsg: message, responseUnverified: expected.unverified });
      expect(recordedRefundQuery(record.channelResponse)).toContain(expected.recorded);
      expect(emulator.callsOf(refund.refundNo)).toEqual({ query: 1 });
    });

    it('over HTTP: code 1 with UnionPay’s respMsg, signed; the refund stays as it was', async () => {
      const { order, refund } = await orderWithRefund();
      atUnionPay(refund, { failure: 'busy', busyCode: '04' });
      expect(await syncOverHttp(refund)).toEqual({ code: 1, msg: '交易状态未明，请查询对账结果[2000004]', resTime: expect.any(Number), sign: expect.any(String) });
      await expectUntouched(refund, order);
    });

    it('over HTTP, an unverified answer: code 1 查询订单验签失败, recorded as unverified', async () => {
      const { order, refund } = await orderWithRefund();
      atUnionPay(refund, { failure: 'tampered_signature' });
      expect(await syncOverHttp(refund)).toMatchObject({ code: 1, msg: UNVERIFIED });
      await expectUntouched(refund, order);
      expect(await theRecord(refund)).toMatchObject({ responseUnverified: true, errorMsg: UNVERIFIED });
    });
  });

  describe('the emulator admin route for refunds', () => {
    it('PUT /__emulator/refunds/<orderId> sets the refund the sync then finds; GET shows it with its calls', async () => {
      const { refund } = await orderWithRefund();
      const url = `${emulatorUrl}/__emulator/refunds/${refund.refundNo}`;

      const missing = await fetch(url, { method: 'PUT', body: JSON.stringify({ txnAmt: 400 }) });
      expect(missing.status).toBe(400);

      const put = await fetch(url, { method: 'PUT', body: JSON.stringify({ txnAmt: 400, txnTime: txnTimeOf(refund), queryId: '772601010000000000777' }) });
      expect(put.status).toBe(200);
      expect(await syncOverHttp(refund)).toMatchObject({ status: 'refund_success', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'success', outRefundNo: '772601010000000000777' });

      const shown = (await (await fetch(url)).json()) as { refund: UnionPayEmulatedRefund; calls: Record<string, number> };
      expect(shown.refund).toMatchObject({ txnAmt: 400, txnTime: txnTimeOf(refund), txnType: '04', queryId: '772601010000000000777' });
      expect(shown.calls).toEqual({ query: 1 });
    });
  });
});
