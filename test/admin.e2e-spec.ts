import { setTimeout as sleep } from 'node:timers/promises';
import { MerchantNotifier } from '../src/notify/merchant-notifier.service';
import { PaySyncSweeper } from '../src/sweep/pay-sync-sweeper.service';
import { MerchantServer } from './support/merchant-server';
import { DaxEnvelope, TestApp } from './support/test-app';

const TOKEN = 'operator-token-for-tests-only-0123456789';

interface PageOf<T = Record<string, unknown>> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

/** The operator API under /admin: its token, its lists and filters, and every anomaly kind produced by a real sync or delivery. */
describe('the operator API', () => {
  let t: TestApp;
  let merchant: MerchantServer;

  beforeAll(async () => {
    merchant = await MerchantServer.start();
    merchant.reply = () => ({ status: 200, body: 'NOT OK' });
    t = await TestApp.start({
      UNIPAY_ADMIN_TOKEN: TOKEN,
      UNIPAY_NOTIFY_ENABLED: 'false',
      UNIPAY_SWEEP_GRACE_SECONDS: '0',
      UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS: '1',
    });
  });

  afterAll(async () => {
    await t.close();
    await merchant.stop();
  });

  async function call<T = unknown>(method: string, path: string, options: { token?: string | null; body?: unknown } = {}) {
    const token = options.token === undefined ? TOKEN : options.token;
    const response = await fetch(`${t.url}/admin${path}`, {
      method,
      headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: response.status, body: (await response.json()) as DaxEnvelope<T> };
  }

  async function get<T = PageOf>(path: string): Promise<T> {
    const { status, body } = await call<T>('GET', path);
    expect([status, body.code]).toEqual([200, 0]);
    return body.data!;
  }

  describe('its door', () => {
    it.each([
      ['no Authorization header', { token: null }],
      ['a wrong token', { token: `${TOKEN}x` }],
      ['an empty token', { token: '' }],
      ['a prefix of the token', { token: TOKEN.slice(0, 20) }],
    ])('refuses %s with 401 in the DaxPay envelope', async (_case, options) => {
      const { status, body } = await call('GET', '/anomalies', options);
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 40100, data: null, msg: expect.stringContaining('Bearer') });
    });

    it('refuses another scheme', async () => {
      const response = await fetch(`${t.url}/admin/anomalies`, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
      expect(response.status).toBe(401);
    });

    it('is off, answering 404 like an unknown path, when no token is configured', async () => {
      const off = await TestApp.start();
      try {
        for (const path of ['/admin/anomalies', '/admin/sync-records']) {
          const response = await fetch(`${off.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
          expect(response.status).toBe(404);
          expect(await response.json()).toMatchObject({ code: 1, data: null });
        }
      } finally {
        await off.close();
      }
    });
  });

  describe('anomalies, each produced through a real sync or delivery', () => {
    it('lists amount_mismatch, paid_after_close, channel_refund, notification_exhausted and sync_given_up, and resolves them with a note', async () => {
      const mismatch = await t.createOrder({ amount: 1999 });
      await t.setTrade(mismatch.orderNo, { state: 'success', amount: 1998 });
      await t.syncPay({ orderNo: mismatch.orderNo });

      const closed = await t.createOrder({ amount: 500, status: 'close' });
      await t.setTrade(closed.orderNo, { state: 'success' });
      await t.syncPay({ orderNo: closed.orderNo });
      await t.syncPay({ orderNo: closed.orderNo });

      const refunded = await t.createOrder({ amount: 800 });
      await t.setTrade(refunded.orderNo, { state: 'refund' });
      await t.syncPay({ orderNo: refunded.orderNo });

      const unreachable = await t.createOrder({ amount: 900, notifyUrl: `${merchant.url}/notify` });
      await t.setTrade(unreachable.orderNo, { state: 'success' });
      await t.syncPay({ orderNo: unreachable.orderNo });
      const notifier = t.app.get(MerchantNotifier);
      let at = new Date();
      for (let tryNo = 1; tryNo <= 16; tryNo += 1) {
        await notifier.runRound(at);
        at = new Date(at.getTime() + 7 * 3600_000);
      }

      // Expired on a channel that cannot close: closed here by the job, then checked once more, still unpaid.
      const late = await t.createOrder({ amount: 300, expireSeconds: -60 });
      await t.setTrade(late.orderNo, { state: 'progress', closeAnswer: 'unsupported' });
      const sweeper = t.app.get(PaySyncSweeper);
      await sweeper.runRound();
      expect((await t.order(late.orderNo)).status).toBe('close');
      await sleep(1_100);
      await sweeper.runRound();

      const expected: [string, string][] = [
        [mismatch.orderNo, 'amount_mismatch'],
        [closed.orderNo, 'paid_after_close'],
        [refunded.orderNo, 'channel_refund'],
        [unreachable.orderNo, 'notification_exhausted'],
        [late.orderNo, 'sync_given_up'],
      ];
      for (const [orderNo, kind] of expected) {
        const page = await get<PageOf<{ id: number; kind: string; status: string; occurrences: number; detail: string; firstSeenTime: number }>>(`/anomalies?orderNo=${orderNo}`);
        expect([orderNo, page.items.map((item) => [item.kind, item.status])]).toEqual([orderNo, [[kind, 'open']]]);
        expect(page.items[0].firstSeenTime).toBeGreaterThan(1_700_000_000);
        expect(page.items[0].firstSeenTime).toBeLessThan(Date.now() / 1000 + 86_400);
      }
      // Seen twice, still one anomaly; it counts.
      expect((await get<PageOf<{ occurrences: number }>>(`/anomalies?orderNo=${closed.orderNo}`)).items[0].occurrences).toBe(2);
      expect((await get<PageOf<{ detail: string }>>(`/anomalies?orderNo=${mismatch.orderNo}`)).items[0].detail).toContain('1998 cents');

      const byKind = await get<PageOf<{ orderNo: string }>>('/anomalies?kind=sync_given_up');
      expect(byKind.items.map((item) => item.orderNo)).toEqual([late.orderNo]);

      const [anomaly] = (await get<PageOf<{ id: number }>>(`/anomalies?orderNo=${mismatch.orderNo}`)).items;
      const resolved = await call<{ status: string; resolvedBy: string; resolutionNote: string; resolvedTime: number }>('POST', `/anomalies/${anomaly.id}/resolve`, {
        body: { resolvedBy: 'ops-ana', note: 'refunded 19.98 and re-sold' },
      });
      expect(resolved.status).toBe(200);
      expect(resolved.body.data).toMatchObject({ status: 'resolved', resolvedBy: 'ops-ana', resolutionNote: 'refunded 19.98 and re-sold', resolvedTime: expect.any(Number) });
      expect((await get('/anomalies?status=open')).items.every((item) => item.id !== anomaly.id)).toBe(true);
      expect((await get(`/anomalies?status=resolved&orderNo=${mismatch.orderNo}`)).total).toBe(1);
      expect((await call('POST', `/anomalies/${anomaly.id}/resolve`, { body: { resolvedBy: 'ops-ana', note: 'again' } })).status).toBe(409);
      // None of them touched its order.
      expect((await t.order(mismatch.orderNo)).status).toBe('progress');
      expect((await t.order(closed.orderNo)).status).toBe('close');
      expect((await t.order(refunded.orderNo)).status).toBe('progress');
    });

    it.each([
      ['an unknown anomaly', 'POST', '/anomalies/999999/resolve', { resolvedBy: 'x', note: 'y' }, 404],
      ['a resolution without a note', 'POST', '/anomalies/1/resolve', { resolvedBy: 'x' }, 400],
      ['an empty resolver', 'POST', '/anomalies/1/resolve', { resolvedBy: '', note: 'y' }, 400],
      ['an id that is not a number', 'POST', '/anomalies/abc/resolve', { resolvedBy: 'x', note: 'y' }, 400],
      ['an unknown kind', 'GET', '/anomalies?kind=weird', undefined, 400],
      ['an unknown filter', 'GET', '/anomalies?colour=red', undefined, 400],
      ['page 0', 'GET', '/sync-records?page=0', undefined, 400],
      ['a page size over 100', 'GET', '/sync-records?size=101', undefined, 400],
      ['a time that is not epoch seconds', 'GET', '/sync-records?from=yesterday', undefined, 400],
      ['an unknown notification', 'GET', '/notifications/999999', undefined, 404],
      ['a resend of an unknown notification', 'POST', '/notifications/999999/resend', undefined, 404],
      ['a sync without an order number', 'POST', '/sync', {}, 400],
      ['a sync with a number too long', 'POST', '/sync', { orderNo: 'x'.repeat(33) }, 400],
      ['a refund sync without a refund number', 'POST', '/sync-refund', {}, 400],
    ])('answers %s with a 4xx and a message, never a 500', async (_case, method, path, body, status) => {
      const response = await call(method, path, { body });
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ data: null, msg: expect.any(String) });
      expect(response.body.code).not.toBe(0);
      expect(JSON.stringify(response.body)).not.toMatch(/\n\s+at /);
    });
  });

  describe('records, notifications and events', () => {
    it('pages sync records newest first and filters them by order, status, reason, source and time', async () => {
      const order = await t.createOrder({ amount: 1200 });
      const before = Math.floor(Date.now() / 1000);
      for (let i = 0; i < 5; i += 1) await t.syncPay({ orderNo: order.orderNo });
      await t.setTrade(order.orderNo, { state: 'fail', errorMsg: 'channel down' });
      await t.syncPay({ orderNo: order.orderNo });

      const first = await get<PageOf<{ id: number; syncStatus: string; createTime: number }>>(`/sync-records?orderNo=${order.orderNo}&size=4`);
      expect([first.total, first.page, first.size, first.items.length]).toEqual([6, 1, 4, 4]);
      expect(first.items[0].syncStatus).toBe('pay_fail');
      const ids = first.items.map((item) => item.id);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      const second = await get<PageOf<{ id: number }>>(`/sync-records?orderNo=${order.orderNo}&size=4&page=2`);
      expect(second.items).toHaveLength(2);
      expect(second.items.every((item) => item.id < ids[3])).toBe(true);
      expect((await get(`/sync-records?orderNo=${order.orderNo}&status=pay_progress`)).total).toBe(5);
      expect((await get(`/sync-records?orderNo=${order.orderNo}&reason=CHANNEL_ERROR`)).total).toBe(1);
      expect((await get(`/sync-records?orderNo=${order.orderNo}&source=scheduled`)).total).toBe(0);
      expect((await get(`/sync-records?orderNo=${order.orderNo}&from=${before}`)).total).toBe(6);
      expect((await get(`/sync-records?orderNo=${order.orderNo}&to=${before}`)).total).toBe(0);
      expect(first.items[0].createTime).toBeGreaterThanOrEqual(before);
    });

    it('syncs one order now through PaySyncService, recorded as the operator\'s', async () => {
      const order = await t.createOrder({ amount: 1500 });
      await t.setTrade(order.orderNo, { state: 'success', tradeNo: 'TN-OPERATOR' });
      const { status, body } = await call<{ kind: string; status: string; repair: { repairNo: string; way: string } }>('POST', '/sync', { body: { bizOrderNo: order.bizOrderNo } });
      expect(status).toBe(200);
      expect(body.data).toMatchObject({ kind: 'repaired', status: 'pay_success', repair: { way: 'pay_success' } });
      const records = await get<PageOf<{ source: string; repaired: boolean }>>(`/sync-records?orderNo=${order.orderNo}&source=operator`);
      expect(records.items).toEqual([expect.objectContaining({ source: 'operator', repaired: true })]);
      const repairs = await get<PageOf<{ repairNo: string; source: string }>>(`/repair-records?orderNo=${order.orderNo}&way=pay_success`);
      expect(repairs.items).toEqual([expect.objectContaining({ repairNo: body.data!.repair.repairNo, source: 'operator' })]);
      expect((await get(`/repair-records?orderNo=${order.orderNo}&way=close_local`)).total).toBe(0);
      const events = await get<PageOf<{ eventId: string; type: string; hookStatus: string; payload?: unknown }>>(`/events?orderNo=${order.orderNo}`);
      expect(events.items).toEqual([expect.objectContaining({ eventId: `evt_${body.data!.repair.repairNo}`, type: 'pay_order.success', hookStatus: 'pending' })]);
      expect(events.items[0].payload).toBeUndefined();
    });

    it('lists notifications with their tries, and resends one now: the same bytes, delivered, its count kept', async () => {
      merchant.reply = () => ({ status: 200, body: 'NOT OK' });
      const order = await t.createOrder({ amount: 2200, notifyUrl: `${merchant.url}/resend` });
      await t.setTrade(order.orderNo, { state: 'success' });
      await t.syncPay({ orderNo: order.orderNo });
      await t.app.get(MerchantNotifier).runRound(new Date());

      const listed = await get<PageOf<{ id: number; status: string; tries: number; body: string; attempts: unknown[] }>>(`/notifications?orderNo=${order.orderNo}`);
      expect(listed.items).toHaveLength(1);
      const [notification] = listed.items;
      expect(notification).toMatchObject({ status: 'pending', tries: 1, attempts: [expect.objectContaining({ tryNo: 1 })] });
      const detail = await get<{ attempts: { tryNo: number; delivered: boolean; excerpt: string }[] }>(`/notifications/${notification.id}`);
      expect(detail.attempts).toEqual([expect.objectContaining({ tryNo: 1, delivered: false, excerpt: 'NOT OK' })]);
      expect((await get(`/notifications?orderNo=${order.orderNo}&status=delivered`)).total).toBe(0);

      merchant.reply = () => ({ status: 200, body: 'SUCCESS' });
      const resent = await call<{ tryNo: number; manual: boolean; delivered: boolean }>('POST', `/notifications/${notification.id}/resend`);
      expect(resent.status).toBe(200);
      expect(resent.body.data).toMatchObject({ tryNo: 1, manual: true, delivered: true });
      const after = await get<{ status: string; tries: number; attempts: { manual: boolean }[] }>(`/notifications/${notification.id}`);
      expect(after).toMatchObject({ status: 'delivered', tries: 1 });
      expect(after.attempts.map((entry) => entry.manual)).toEqual([false, true]);
      expect((await get<PageOf<{ attempts: unknown[] }>>(`/notifications?orderNo=${order.orderNo}&status=delivered`)).items[0].attempts).toHaveLength(2);
      const sent = merchant.requests.filter((request) => request.path === '/resend').map((request) => request.body);
      expect(sent).toHaveLength(2);
      expect(sent[1]).toBe(sent[0]);
      expect(sent[0]).toBe(notification.body);
    });

    it('syncs a refund as an operator: the outcome, recorded with source operator, listed among the sync records', async () => {
      const order = await t.createOrder({ amount: 1000, status: 'success' });
      const created = await t.post<DaxEnvelope<{ refund: { refundNo: string; bizRefundNo: string } }>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 300 });
      const { refundNo, bizRefundNo } = created.body.data!.refund;
      await fetch(`${t.url}/sandbox/refund-answers/${refundNo}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'failed' }) });
      const { status, body } = await call<{ kind: string; status: string; repair: { way: string } }>('POST', '/sync-refund', { body: { bizRefundNo } });
      expect(status).toBe(200);
      expect(body.data).toMatchObject({ kind: 'repaired', status: 'refund_fail', repair: { way: 'refund_fail' } });
      const records = await get<PageOf<{ refundNo: string; syncType: string; source: string; repaired: boolean }>>(`/sync-records?orderNo=${order.orderNo}`);
      expect(records.items).toEqual([expect.objectContaining({ refundNo, syncType: 'refund', source: 'operator', repaired: true })]);
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 1000, refundStatus: 'no_refund' });
    });
  });
});
