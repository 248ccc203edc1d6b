import { PayOrder } from '../src/order/pay-order.entity';
import { PaySyncSweeper } from '../src/sweep/pay-sync-sweeper.service';
import { eventually, MerchantServer } from './support/merchant-server';
import { TestApp } from './support/test-app';

/** One sample of the Prometheus text: its value, or undefined when the series is missing. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value) && Object.keys(found).length === Object.keys(labels).length) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/**
 * `GET /metrics` after real syncs on the real AppModule: every counter of the issue, with the
 * values those syncs must have left, and no order number anywhere.
 */
describe('GET /metrics', () => {
  let t: TestApp;
  let merchant: MerchantServer;

  beforeAll(async () => {
    merchant = await MerchantServer.start();
    t = await TestApp.start({ UNIPAY_NOTIFY_INTERVAL_SECONDS: '3600' });
  });

  afterAll(async () => {
    await t.close();
    await merchant.stop();
  });

  async function scrape(): Promise<string> {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  }

  it('counts syncs, repairs, channel calls, busy answers, rounds, the backlog, notifications and open anomalies', async () => {
    // A paid order with a notify URL: repaired, and its merchant notified.
    const paid = await t.createOrder({ amount: 1999, notifyUrl: `${merchant.url}/notify` });
    await t.setTrade(paid.orderNo, { state: 'success' });
    expect((await t.syncPay({ orderNo: paid.orderNo })).data).toMatchObject({ status: 'pay_success' });
    await eventually(() => merchant.bodiesFor(paid.orderNo).length === 1, 'the notification');

    // Still waiting, twice; the second time a parallel request is turned away.
    const waiting = await t.createOrder({ amount: 500 });
    await t.setTrade(waiting.orderNo, { state: 'progress', delayMs: 400 });
    const both = await Promise.all([t.syncPay({ orderNo: waiting.orderNo }), new Promise((r) => setTimeout(r, 100)).then(() => t.syncPay({ orderNo: waiting.orderNo }))]);
    expect(both.map((answer) => answer.code).sort()).toEqual([0, 10007]);

    // A channel failure, and an amount the channel disagrees with (an open anomaly).
    const failing = await t.createOrder({ amount: 700 });
    await t.setTrade(failing.orderNo, { state: 'fail', errorMsg: 'sandbox down' });
    await t.syncPay({ orderNo: failing.orderNo });
    const mismatch = await t.createOrder({ amount: 800 });
    await t.setTrade(mismatch.orderNo, { state: 'success', amount: 1 });
    await t.syncPay({ orderNo: mismatch.orderNo });

    // One round of the job over one stuck order, paid.
    const stuck = await t.createOrder({ amount: 900 });
    await t.setTrade(stuck.orderNo, { state: 'success' });
    await t.dataSource.getRepository(PayOrder).update({ orderNo: stuck.orderNo }, { createTime: new Date(Date.now() - 10 * 60_000) });
    expect(await t.app.get(PaySyncSweeper).runRound()).toMatchObject({ due: 1, repaired: 1 });

    const text = await scrape();
    expect(sample(text, 'unipay_syncs_total', { source: 'manual', status: 'pay_success', outcome: 'repaired' })).toBe(1);
    expect(sample(text, 'unipay_syncs_total', { source: 'manual', status: 'pay_progress', outcome: 'unchanged' })).toBe(1);
    expect(sample(text, 'unipay_syncs_total', { source: 'manual', status: 'none', outcome: 'busy' })).toBe(1);
    expect(sample(text, 'unipay_syncs_total', { source: 'manual', status: 'pay_fail', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'unipay_syncs_total', { source: 'manual', status: 'pay_success', outcome: 'anomaly' })).toBe(1);
    expect(sample(text, 'unipay_syncs_total', { source: 'scheduled', status: 'pay_success', outcome: 'repaired' })).toBe(1);
    expect(sample(text, 'unipay_repairs_total', { way: 'pay_success' })).toBe(2);
    expect(sample(text, 'unipay_sync_busy_total')).toBe(1);
    // Every sync that reached the channel asked it once (the busy one did not): four answers and one failure.
    expect(sample(text, 'unipay_channel_call_seconds_count', { channel: 'sandbox', operation: 'query', result: 'ok' })).toBe(4);
    expect(sample(text, 'unipay_channel_call_seconds_count', { channel: 'sandbox', operation: 'query', result: 'error' })).toBe(1);
    expect(sample(text, 'unipay_channel_call_seconds_bucket', { channel: 'sandbox', operation: 'query', result: 'ok', le: '+Inf' })).toBe(4);
    expect(sample(text, 'unipay_sweep_round_seconds_count')).toBe(1);
    expect(sample(text, 'unipay_sweep_due_orders')).toBe(1);
    expect(sample(text, 'unipay_notifications_total', { result: 'delivered' })).toBe(1);
    expect(sample(text, 'unipay_anomalies_open')).toBe(1);
    expect(sample(text, 'unipay_process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // Low cardinality: no order number in any series, and every metric is ours.
    for (const order of [paid, waiting, failing, mismatch, stuck]) expect(text).not.toContain(order.orderNo);
    const names = text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(/[{ ]/)[0]);
    expect(names.every((name) => name.startsWith('unipay_'))).toBe(true);
  });
});
