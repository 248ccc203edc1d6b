import { SandboxTrade } from '../src/sandbox/sandbox-trade.entity';
import { PayOrder } from '../src/order/pay-order.entity';
import { TestApp } from './support/test-app';

/**
 * Every row of the decision table (spec section 6) over HTTP: the signed answer, the order
 * row, the sync record and the repair record.
 */
describe('POST /unipay/sync/pay: decision table', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  async function orderWith(trade: Record<string, unknown> | null, order: Record<string, unknown> = {}): Promise<PayOrder> {
    const created = await t.createOrder({ amount: 1999, ...order });
    if (trade) await t.setTrade(created.orderNo, trade);
    return created;
  }

  async function sync(order: PayOrder) {
    const answer = await t.syncPay({ orderNo: order.orderNo });
    expect(answer.code).toBe(0);
    expect(answer.msg).toBe('success');
    expect(answer.traceId).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(t.verifies(answer.data!)).toBe(true);
    return answer.data!;
  }

  /** The order row is exactly as before: same status, version and times. */
  async function expectUnchanged(before: PayOrder) {
    const after = await t.order(before.orderNo);
    expect(after.status).toBe(before.status);
    expect(after.version).toBe(before.version);
    expect(after.payTime).toBeNull();
    expect(after.closeTime).toBeNull();
    expect(after.outOrderNo).toBeNull();
    expect(await t.repairRecords(before.orderNo)).toHaveLength(0);
  }

  it('paid with the same amount: success, with the channel trade number and pay time, one repair', async () => {
    const order = await orderWith({ state: 'success', tradeNo: 'SBX-PAID-1' });
    const data = await sync(order);
    expect(Object.keys(data)).toEqual(['status', 'code', 'resTime', 'sign']);
    expect(data.status).toBe('pay_success');
    expect(data.code).toBe(0);
    expect(Math.abs(data.resTime - Date.now() / 1000)).toBeLessThan(5);

    const after = await t.order(order.orderNo);
    expect(after.status).toBe('success');
    expect(after.outOrderNo).toBe('SBX-PAID-1');
    expect(after.payTime).toBeInstanceOf(Date);
    expect(after.version).toBe(order.version + 1);
    const trade = await t.trade(order.orderNo);
    // The pay time is the channel's, to the second (MySQL DATETIME keeps whole seconds).
    expect(Math.floor(after.payTime!.getTime() / 1000)).toBe(Math.floor(trade.payTime!.getTime() / 1000));

    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: true, source: 'manual', channel: 'sandbox', outOrderNo: 'SBX-PAID-1', errorMsg: null });
    expect(record.repairNo).toMatch(/^R\d{24}$/);
    expect(record.channelResponse).toContain('SBX-PAID-1');
    const [repair] = await t.repairRecords(order.orderNo);
    expect(repair).toMatchObject({ repairNo: record.repairNo, way: 'pay_success', beforeStatus: 'progress', afterStatus: 'success', source: 'manual', amount: 1999, orderId: order.id });
  });

  it('paid with another amount: no repair, an amount anomaly for an operator', async () => {
    const order = await orderWith({ state: 'success', amount: 1998 });
    const data = await sync(order);
    expect(data).toMatchObject({ code: 1, msg: '通道支付金额与订单金额不一致，已记录异常待人工处理' });
    expect(data.status).toBeUndefined();
    await expectUnchanged(order);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: false, anomaly: 'amount_mismatch', repairNo: null });
  });

  it.each([
    ['closed', 'pay_closed'],
    ['not_found', 'pay_not_found'],
  ])('channel says %s: closed locally', async (state, status) => {
    const order = await orderWith({ state });
    const data = await sync(order);
    expect(data).toMatchObject({ status, code: 0 });
    const after = await t.order(order.orderNo);
    expect(after.status).toBe('close');
    expect(after.closeTime).toBeInstanceOf(Date);
    expect(after.payTime).toBeNull();
    expect(after.version).toBe(order.version + 1);
    expect((await t.trade(order.orderNo)).closeCount).toBe(0);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: status, repaired: true });
    const repairs = await t.repairRecords(order.orderNo);
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toMatchObject({ repairNo: record.repairNo, way: 'close_local', beforeStatus: 'progress', afterStatus: 'close' });
  });

  it('an order the channel has never seen is closed locally', async () => {
    const order = await t.createOrder({ amount: 500 });
    await t.dataSource.query('DELETE FROM sandbox_trade WHERE order_no = ?', [order.orderNo]);
    expect((await sync(order)).status).toBe('pay_not_found');
    expect((await t.order(order.orderNo)).status).toBe('close');
  });

  it.each([
    ['progress', 'pay_progress'],
    ['not_found_unknown', 'pay_not_found_unknown'],
  ])('channel says %s before expiry: nothing changes', async (state, status) => {
    const order = await orderWith({ state });
    const data = await sync(order);
    expect(data).toMatchObject({ status, code: 0 });
    await expectUnchanged(order);
    const records = await t.syncRecords(order.orderNo);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ syncStatus: status, repaired: false, repairNo: null, errorMsg: null });
    expect((await t.trade(order.orderNo)).closeCount).toBe(0);
  });

  it.each([['progress'], ['not_found_unknown']])(
    'channel says %s after expiry: closed at the channel, then locally',
    async (state) => {
      const order = await orderWith({ state }, { expireSeconds: -60 });
      const data = await sync(order);
      expect(data).toMatchObject({ status: 'pay_timeout', code: 0 });
      const trade = await t.trade(order.orderNo);
      expect(trade.closeCount).toBe(1);
      expect(trade.state).toBe('closed');
      const after = await t.order(order.orderNo);
      expect(after.status).toBe('close');
      expect(after.closeTime).toBeInstanceOf(Date);
      const [record] = await t.syncRecords(order.orderNo);
      expect(record).toMatchObject({ syncStatus: 'pay_timeout', repaired: true });
      expect(JSON.parse(record.channelResponse!)).toHaveProperty('close');
      const [repair] = await t.repairRecords(order.orderNo);
      expect(repair).toMatchObject({ way: 'close_gateway', beforeStatus: 'progress', afterStatus: 'close' });
    },
  );

  it('expired, but the channel refuses to close because it was paid meanwhile: queried again, success', async () => {
    const order = await orderWith({ state: 'progress', closeAnswer: 'paid' }, { expireSeconds: -60 });
    const data = await sync(order);
    expect(data).toMatchObject({ status: 'pay_success', code: 0 });
    const trade = await t.trade(order.orderNo);
    expect(trade).toMatchObject({ closeCount: 1, queryCount: 2 });
    const after = await t.order(order.orderNo);
    expect(after.status).toBe('success');
    expect(after.payTime).toBeInstanceOf(Date);
    expect(after.closeTime).toBeNull();
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: true });
    expect(Object.keys(JSON.parse(record.channelResponse!))).toEqual(['query', 'close', 'requery']);
    const [repair] = await t.repairRecords(order.orderNo);
    expect(repair).toMatchObject({ way: 'pay_success', afterStatus: 'success' });
  });

  it('expired on a channel without a close API: closed locally', async () => {
    const order = await orderWith({ state: 'progress', closeAnswer: 'unsupported' }, { expireSeconds: -60 });
    expect(await sync(order)).toMatchObject({ status: 'pay_timeout', code: 0 });
    expect((await t.order(order.orderNo)).status).toBe('close');
    const [repair] = await t.repairRecords(order.orderNo);
    expect(repair).toMatchObject({ way: 'close_local', afterStatus: 'close' });
  });

  it('expired, and the close fails at the channel: nothing changes, the failure is recorded', async () => {
    const order = await orderWith({ state: 'progress', closeAnswer: 'fail', errorMsg: 'close: system busy' }, { expireSeconds: -60 });
    const data = await sync(order);
    expect(data).toMatchObject({ code: 1, msg: 'close: system busy' });
    expect(data.status).toBeUndefined();
    await expectUnchanged(order);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: 'pay_fail', repaired: false, errorMsg: 'close: system busy' });
  });

  it('channel reports a refund: no change; answered pay_refund with code 0, as DaxPay 2.0.8 does', async () => {
    const order = await orderWith({ state: 'refund' });
    const data = await sync(order);
    expect(data).toEqual({ status: 'pay_refund', code: 0, resTime: expect.any(Number), sign: expect.any(String) });
    await expectUnchanged(order);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: 'pay_refund', repaired: false });
  });

  it('the query fails: nothing changes, even for an expired order; the failure is recorded', async () => {
    const order = await orderWith({ state: 'fail', errorMsg: 'ACQ.SYSTEM_ERROR 系统错误' }, { expireSeconds: -60 });
    const data = await sync(order);
    expect(data).toMatchObject({ code: 1, msg: 'ACQ.SYSTEM_ERROR 系统错误' });
    await expectUnchanged(order);
    expect((await t.trade(order.orderNo)).closeCount).toBe(0);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: 'pay_fail', repaired: false, errorCode: 'CHANNEL_ERROR', errorMsg: 'ACQ.SYSTEM_ERROR 系统错误' });
  });

  it.each([['closed'], ['not_found'], ['progress']])('a success is never downgraded (channel says %s)', async (state) => {
    const order = await orderWith({ state }, { status: 'success' });
    const data = await sync(order);
    expect(data.code).toBe(0);
    const after = await t.order(order.orderNo);
    expect(after.status).toBe('success');
    expect(after.version).toBe(order.version);
    expect(await t.repairRecords(order.orderNo)).toHaveLength(0);
  });

  it.each([['close'], ['cancel'], ['fail']])('a %s order that the channel reports paid is left for an operator', async (status) => {
    const order = await orderWith({ state: 'success' }, { status });
    const data = await sync(order);
    expect(data).toMatchObject({ code: 1, msg: '订单已关闭但通道显示已支付，已记录异常待人工处理' });
    const after = await t.order(order.orderNo);
    expect(after.status).toBe(status);
    expect(after.version).toBe(order.version);
    expect(await t.repairRecords(order.orderNo)).toHaveLength(0);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ anomaly: 'paid_after_close', syncStatus: 'pay_success', repaired: false });
  });

  it('an unknown order: a signed business failure, recorded with the number asked for', async () => {
    const data = await sync({ orderNo: 'NO_SUCH_ORDER_1' } as PayOrder);
    expect(Object.keys(data)).toEqual(['code', 'msg', 'resTime', 'sign']);
    expect(data).toMatchObject({ code: 1, msg: '支付订单不存在' });
    const [record] = await t.syncRecords('NO_SUCH_ORDER_1');
    expect(record).toMatchObject({ orderId: null, errorCode: 'ORDER_NOT_FOUND', repaired: false });
  });

  it('finds the order by bizOrderNo, and orderNo wins when both are given', async () => {
    const paid = await orderWith({ state: 'success' });
    const waiting = await orderWith({ state: 'progress' });
    const byBiz = await t.syncPay({ bizOrderNo: waiting.bizOrderNo });
    expect(byBiz.data).toMatchObject({ status: 'pay_progress' });
    const both = await t.syncPay({ orderNo: paid.orderNo, bizOrderNo: waiting.bizOrderNo });
    expect(both.data).toMatchObject({ status: 'pay_success' });
    expect((await t.order(paid.orderNo)).status).toBe('success');
    expect((await t.order(waiting.orderNo)).status).toBe('progress');
    expect(await t.syncRecords(waiting.orderNo)).toHaveLength(1);
  });

  it('an order on a channel that is not installed fails without a change', async () => {
    const order = await t.createOrder({ amount: 1999, channel: 'no_such_channel' });
    expect(order.channel).toBe('no_such_channel');
    // Only sandbox orders get a sandbox trade.
    expect(await t.dataSource.getRepository(SandboxTrade).countBy({ orderNo: order.orderNo })).toBe(0);
    const data = await sync(order);
    expect(data).toMatchObject({ code: 1, msg: '不支持的支付通道: no_such_channel' });
    await expectUnchanged(order);
  });

  it('an order changed by the gateway while the channel answered is not overwritten', async () => {
    const order = await orderWith({ state: 'closed', delayMs: 400 });
    const pending = t.syncPay({ orderNo: order.orderNo });
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The channel's own callback lands meanwhile and the gateway marks the order paid.
    await t.dataSource.query("UPDATE pay_order SET status = 'success', version = version + 1 WHERE order_no = ?", [order.orderNo]);
    const answer = await pending;
    expect(answer.data).toMatchObject({ status: 'pay_closed', code: 0 });
    const after = await t.order(order.orderNo);
    expect(after.status).toBe('success');
    expect(after.closeTime).toBeNull();
    expect(await t.repairRecords(order.orderNo)).toHaveLength(0);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ repaired: false, errorCode: 'ORDER_CHANGED' });
  });

  it('records the client IP and the time the sync took', async () => {
    const order = await orderWith({ state: 'progress', delayMs: 120 });
    await t.syncPay({ orderNo: order.orderNo, clientIp: '2001:db8::1' });
    const [record] = await t.syncRecords(order.orderNo);
    expect(record.clientIp).toBe('2001:db8::1');
    expect(record.durationMs).toBeGreaterThanOrEqual(100);
  });
});
