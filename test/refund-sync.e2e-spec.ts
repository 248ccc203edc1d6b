import { PayOrder } from '../src/order/pay-order.entity';
import { RefundOrder } from '../src/refund/refund-order.entity';
import { RefundRepairRecord } from '../src/sync/refund/refund-repair-record.entity';
import { PaySyncRecord } from '../src/sync/pay-sync-record.entity';
import { DaxEnvelope, SyncData, TestApp } from './support/test-app';

interface RefundView {
  refund: RefundOrder;
  order: PayOrder;
  channel: { queryCount: number } | null;
}

interface Row {
  kind: string;
  payload: string;
}

/**
 * Refund sync over HTTP, through the real AppModule on the sandbox channel: each row of the
 * decision table (refund-sync.md section 6), with the answer and its signature, the refund,
 * the pay order's refund status and balance, the repair record and the outbox event.
 */
describe('POST /unipay/sync/refund: the decision table', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  /** A paid order of 10.00 yuan (and, by default, one refund of 4.00 of it). */
  async function paidOrder(notifyUrl?: string): Promise<PayOrder> {
    return t.createOrder({ amount: 1000, status: 'success', ...(notifyUrl ? { notifyUrl } : {}) });
  }

  async function refundOf(order: PayOrder, fields: Record<string, unknown> = {}): Promise<RefundOrder> {
    const response = await t.post<DaxEnvelope<RefundView>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 400, ...fields });
    if (response.body.code !== 0) throw new Error(`refund failed: ${response.text}`);
    return response.body.data!.refund;
  }

  async function answer(refund: RefundOrder, fields: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${t.url}/sandbox/refund-answers/${refund.refundNo}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    expect(((await response.json()) as DaxEnvelope).code).toBe(0);
  }

  async function syncRefund(fields: Record<string, unknown>): Promise<SyncData> {
    const response = await t.post<DaxEnvelope<SyncData>>('/unipay/sync/refund', t.signedSyncBody(fields));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: 0, msg: 'success' });
    const data = response.body.data!;
    expect(t.verifies(data)).toBe(true);
    return data;
  }

  const refundRow = (refund: RefundOrder) => t.dataSource.getRepository(RefundOrder).findOneByOrFail({ refundNo: refund.refundNo });
  const repairs = (refund: RefundOrder) => t.dataSource.getRepository(RefundRepairRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });
  const records = (refund: RefundOrder) => t.dataSource.getRepository(PaySyncRecord).find({ where: { refundNo: refund.refundNo }, order: { id: 'ASC' } });
  async function events(order: PayOrder): Promise<string[]> {
    const rows = (await t.dataSource.query('SELECT type FROM unipay_outbox_event WHERE order_no = ? ORDER BY id', [order.orderNo])) as { type: string }[];
    return rows.map((row) => row.type);
  }
  async function notifications(order: PayOrder): Promise<Row[]> {
    return (await t.dataSource.query('SELECT kind, body AS payload FROM unipay_notification WHERE order_no = ? ORDER BY id', [order.orderNo])) as Row[];
  }
  async function anomalies(refund: RefundOrder): Promise<string[]> {
    const rows = (await t.dataSource.query('SELECT kind FROM unipay_anomaly WHERE refund_no = ? ORDER BY id', [refund.refundNo])) as { kind: string }[];
    return rows.map((row) => row.kind);
  }

  /**
   * The refund kept its status and times, its order its refund fields, and no repair, event
   * or notification was written. (A channel refund id the answer brings is stored whatever
   * the decision, as the spec says.)
   */
  async function expectUnchanged(refund: RefundOrder, order: PayOrder, before: { balance: number; refundStatus: string }): Promise<void> {
    expect(await refundRow(refund)).toMatchObject({ status: refund.status, finishTime: refund.finishTime ? new Date(refund.finishTime) : null, errorMsg: refund.errorMsg });
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: before.balance, refundStatus: before.refundStatus });
    expect(await repairs(refund)).toEqual([]);
    expect(await events(order)).toEqual([]);
  }

  it('holds the amount when the gateway creates the refund (the sandbox does as the gateway does)', async () => {
    const order = await paidOrder();
    await refundOf(order);
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'refunding' });
  });

  it.each([['progress'], ['fail']])('%s, channel SUCCESS with the same amount → success, finish time the channel\'s, one refund notification', async (status) => {
    const order = await paidOrder('http://127.0.0.1:9/notify');
    const refund = await refundOf(order, { status, notifyUrl: 'http://127.0.0.1:9/refund-notify' });
    await answer(refund, { state: 'success', refundId: 'CH-REFUND-1' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_success', code: 0 });
    const after = await refundRow(refund);
    expect(after).toMatchObject({ status: 'success', outRefundNo: 'CH-REFUND-1', version: refund.version + 1 });
    expect(after.finishTime).toBeInstanceOf(Date);
    // Whole seconds, as the column keeps them and the notification sends them.
    expect(after.finishTime!.getTime() % 1000).toBe(0);
    // The gateway took the amount off when it made the refund: success leaves the balance alone.
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'partial_refund', status: 'success' });
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
        source: 'manual',
      }),
    ]);
    expect(await events(order)).toEqual(['refund_order.success']);
    const notes = await notifications(order);
    expect(notes).toHaveLength(1);
    expect(notes[0].kind).toBe('refund');
    const body = JSON.parse(notes[0].payload) as Record<string, unknown>;
    expect(body).toMatchObject({ refundNo: refund.refundNo, status: 'success', amount: 400, orderAmount: 1000, outRefundNo: 'CH-REFUND-1', refundTime: null });
    expect(t.verifies(body)).toBe(true);
    expect(await records(refund)).toEqual([expect.objectContaining({ syncType: 'refund', syncStatus: 'refund_success', repaired: true, lockRefundNo: null })]);
  });

  it('progress, channel SUCCESS with another amount → nothing changes; anomaly refund_amount_mismatch', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order);
    await answer(refund, { state: 'success', amount: 399, refundId: 'CH-MISMATCH' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_success', code: 0 });
    await expectUnchanged(refund, order, { balance: 600, refundStatus: 'refunding' });
    expect(await refundRow(refund)).toMatchObject({ outRefundNo: 'CH-MISMATCH' });
    expect(await anomalies(refund)).toEqual(['refund_amount_mismatch']);
  });

  it('progress, channel PROCESSING → nothing changes', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order);
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_progress', code: 0 });
    await expectUnchanged(refund, order, { balance: 600, refundStatus: 'refunding' });
    expect(await anomalies(refund)).toEqual([]);
  });

  it('fail, channel PROCESSING → progress, so the job follows it; no notification', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'fail', notifyUrl: 'http://127.0.0.1:9/refund-notify' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_progress', code: 0 });
    expect(await refundRow(refund)).toMatchObject({ status: 'progress' });
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'refunding' });
    expect(await repairs(refund)).toEqual([expect.objectContaining({ way: 'refund_progress', beforeStatus: 'fail', afterStatus: 'progress' })]);
    expect(await events(order)).toEqual([]);
    expect(await notifications(order)).toEqual([]);
  });

  it('fail, channel ABNORMAL → progress, and the anomaly is on the repair\'s sync record too', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'fail' });
    await answer(refund, { state: 'abnormal' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_progress', code: 0 });
    expect(await refundRow(refund)).toMatchObject({ status: 'progress' });
    expect(await anomalies(refund)).toEqual(['refund_abnormal']);
    expect(await records(refund)).toEqual([expect.objectContaining({ repaired: true, anomaly: 'refund_abnormal' })]);
  });

  it('progress, channel ABNORMAL (WeChat Pay) → processing, nothing changes; anomaly refund_abnormal', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order);
    await answer(refund, { state: 'abnormal' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_progress', code: 0 });
    await expectUnchanged(refund, order, { balance: 600, refundStatus: 'refunding' });
    expect(await anomalies(refund)).toEqual(['refund_abnormal']);
  });

  it.each([['progress'], ['fail']])('%s, channel FAILED → close, the amount given back, the reason kept, one notification', async (status) => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status, notifyUrl: 'http://127.0.0.1:9/refund-notify' });
    await answer(refund, { state: 'failed', errorMsg: '用户银行卡已注销' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_fail', code: 0 });
    expect(await refundRow(refund)).toMatchObject({ status: 'close', errorMsg: '用户银行卡已注销' });
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 1000, refundStatus: 'no_refund', status: 'success' });
    expect(await repairs(refund)).toEqual([
      expect.objectContaining({ way: 'refund_fail', afterStatus: 'close', beforeRefundableBalance: 600, afterRefundableBalance: 1000, afterOrderRefundStatus: 'no_refund' }),
    ]);
    expect(await events(order)).toEqual(['refund_order.closed']);
    expect(JSON.parse((await notifications(order))[0].payload)).toMatchObject({ status: 'close', errorMsg: '用户银行卡已注销' });
  });

  it('fail, channel NOT_FOUND past the grace → close, the amount given back', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: 601 });
    await answer(refund, { state: 'not_found' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'pay_not_found', code: 0 });
    expect(await refundRow(refund)).toMatchObject({ status: 'close' });
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 1000, refundStatus: 'no_refund' });
    expect(await events(order)).toEqual(['refund_order.closed']);
  });

  it('fail, channel NOT_FOUND within the grace → nothing changes (the request may still land)', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: 30 });
    await answer(refund, { state: 'not_found' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'pay_not_found', code: 0 });
    await expectUnchanged(refund, order, { balance: 600, refundStatus: 'refunding' });
  });

  it('progress, channel NOT_FOUND → nothing changes; past the grace, anomaly refund_not_found', async () => {
    const order = await paidOrder();
    const fresh = await refundOf(order, { amount: 100, sentSecondsAgo: 30 });
    const old = await refundOf(order, { amount: 100, sentSecondsAgo: 601 });
    for (const refund of [fresh, old]) {
      await answer(refund, { state: 'not_found' });
      expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'pay_not_found', code: 0 });
      expect(await refundRow(refund)).toMatchObject({ status: 'progress', version: 0 });
    }
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 800, refundStatus: 'refunding' });
    expect(await anomalies(fresh)).toEqual([]);
    expect(await anomalies(old)).toEqual(['refund_not_found']);
    expect(await events(order)).toEqual([]);
  });

  it('success, channel SUCCESS → nothing changes but a missing channel refund id is filled', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'success' });
    await answer(refund, { state: 'success', refundId: 'CH-LATE-ID' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'refund_success', code: 0 });
    expect(await refundRow(refund)).toMatchObject({ status: 'success', outRefundNo: 'CH-LATE-ID' });
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 600, refundStatus: 'partial_refund' });
    expect(await repairs(refund)).toEqual([]);
    expect(await events(order)).toEqual([]);
  });

  it.each([['processing'], ['failed'], ['not_found']])('success, channel %s → nothing changes; anomaly refund_success_disputed', async (state) => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'success', sentSecondsAgo: 6000 });
    await answer(refund, { state });
    await syncRefund({ refundNo: refund.refundNo });
    await expectUnchanged(refund, order, { balance: 600, refundStatus: 'partial_refund' });
    expect(await anomalies(refund)).toEqual(['refund_success_disputed']);
  });

  it('close → not queried; answers close', async () => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'close' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ status: 'close', code: 0 });
    const closed = (await (await fetch(`${t.url}/sandbox/refunds/${refund.refundNo}`)).json()) as DaxEnvelope<RefundView>;
    expect(closed.data!.channel?.queryCount ?? 0).toBe(0);
    expect(closed.data!.refund).toMatchObject({ status: 'close', version: 0 });
  });

  it.each([
    ['error', { state: 'error', errorMsg: 'SYSTEM_ERROR 系统繁忙' }, 'SYSTEM_ERROR 系统繁忙', []],
    ['unverified', { state: 'unverified' }, '查询订单验签失败', []],
    ['trade unknown', { state: 'trade_unknown' }, 'ACQ.TRADE_NOT_EXIST 交易不存在', ['refund_trade_unknown']],
  ])('any, channel ERROR (%s) → nothing changes; the failure is answered and recorded', async (_name, scripted, message, anomalyKinds) => {
    const order = await paidOrder();
    const refund = await refundOf(order, { status: 'fail', sentSecondsAgo: 6000 });
    await answer(refund, scripted);
    const data = await syncRefund({ refundNo: refund.refundNo });
    expect(data).toEqual({ code: 1, msg: message, resTime: expect.any(Number), sign: expect.any(String) });
    await expectUnchanged(refund, order, { balance: 600, refundStatus: 'refunding' });
    expect(await records(refund)).toEqual([expect.objectContaining({ errorCode: 'CHANNEL_ERROR', errorMsg: message, repaired: false, syncStatus: null })]);
    expect(await anomalies(refund)).toEqual(anomalyKinds);
  });

  it('finds the refund by bizRefundNo when refundNo is blank, and refundNo wins when both are given', async () => {
    const order = await paidOrder();
    const first = await refundOf(order, { amount: 100 });
    const second = await refundOf(order, { amount: 100 });
    await answer(second, { state: 'success' });
    expect(await syncRefund({ refundNo: '  ', bizRefundNo: second.bizRefundNo })).toMatchObject({ status: 'refund_success' });
    expect(await syncRefund({ refundNo: first.refundNo, bizRefundNo: second.bizRefundNo })).toMatchObject({ status: 'refund_progress' });
    expect(await refundRow(first)).toMatchObject({ status: 'progress' });
  });

  it.each([
    ['no such refund', { refundNo: 'NO-SUCH-REFUND' }],
    ['both numbers blank', { refundNo: '', bizRefundNo: ' ' }],
    ['a refundNo longer than any refund number', { refundNo: 'R'.repeat(60) }],
  ])('%s → 未查询到退款订单, and no record', async (_name, fields) => {
    const before = await t.tableCounts();
    expect(await syncRefund(fields)).toEqual({ code: 1, msg: '未查询到退款订单', resTime: expect.any(Number), sign: expect.any(String) });
    expect(await t.tableCounts()).toEqual(before);
  });

  it('a refund on a channel without a refund query → 不支持的能力; a refund whose pay order is gone → 支付单不存在', async () => {
    const order = await t.insertOrder({ channel: 'wallet_pay', status: 'success' as PayOrder['status'] });
    const refund = await refundOf(order);
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ code: 1, msg: '不支持的能力' });
    const other = await paidOrder();
    const orphan = await refundOf(other);
    await t.dataSource.query('DELETE FROM pay_order WHERE id = ?', [other.id]);
    expect(await syncRefund({ refundNo: orphan.refundNo })).toMatchObject({ code: 1, msg: '支付单不存在' });
    expect(await refundRow(orphan)).toMatchObject({ status: 'progress', version: 0 });
  });

  it('a refund the job holds is turned away with 10007; an attempt\'s duration includes the channel\'s answer', async () => {
    const order = await paidOrder();
    const held = await refundOf(order, { amount: 100 });
    await t.dataSource.getRepository(RefundOrder).update({ refundNo: held.refundNo }, { syncLeaseOwner: 'another-instance', syncLeaseUntil: new Date(Date.now() + 60_000) });
    const refused = await t.post<DaxEnvelope>('/unipay/sync/refund', t.signedSyncBody({ refundNo: held.refundNo }));
    expect(refused.body).toMatchObject({ code: 10007, msg: '退款同步处理中，请勿重复操作', data: null });
    expect(await records(held)).toEqual([expect.objectContaining({ errorCode: '10007', lockRefundNo: null })]);

    const slow = await refundOf(order, { amount: 100 });
    await answer(slow, { state: 'processing', delayMs: 300 });
    await syncRefund({ refundNo: slow.refundNo });
    const [record] = await records(slow);
    expect(record.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('a close that would lift the balance above the amount rolls back: refund and order unchanged, anomaly refund_balance_broken', async () => {
    const order = await paidOrder('http://127.0.0.1:9/notify');
    const refund = await refundOf(order, { notifyUrl: 'http://127.0.0.1:9/refund-notify' });
    // The gateway's balance is off: 900 held as refundable while 400 is out.
    await t.dataSource.getRepository(PayOrder).update({ orderNo: order.orderNo }, { refundableBalance: 900 });
    await answer(refund, { state: 'failed' });
    expect(await syncRefund({ refundNo: refund.refundNo })).toMatchObject({ code: 1, msg: '修复会使支付单的可退余额出错，已回滚并记录异常' });
    await expectUnchanged(refund, order, { balance: 900, refundStatus: 'refunding' });
    expect(await notifications(order)).toEqual([]);
    expect(await anomalies(refund)).toEqual(['refund_balance_broken']);
    expect(await records(refund)).toEqual([expect.objectContaining({ repaired: false, errorCode: 'REPAIR_FAILED', lockRefundNo: null })]);
  });

  it('two refunds of one order repaired at once both count', async () => {
    const order = await paidOrder();
    const a = await refundOf(order, { amount: 300 });
    const b = await refundOf(order, { amount: 200 });
    await answer(a, { state: 'failed' });
    await answer(b, { state: 'failed' });
    await Promise.all([syncRefund({ refundNo: a.refundNo }), syncRefund({ refundNo: b.refundNo })]);
    expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 1000, refundStatus: 'no_refund' });
    expect(await events(order)).toEqual(['refund_order.closed', 'refund_order.closed']);
  });
});
