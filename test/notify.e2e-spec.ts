import { createServer } from 'node:net';
import { AnomalyRepository } from '../src/anomaly/anomaly.repository';
import { MerchantNotification } from '../src/notify/merchant-notification.entity';
import { MerchantNotifier } from '../src/notify/merchant-notifier.service';
import { NotificationTry } from '../src/notify/notification-try.entity';
import { NOTIFY_DELAYS_SECONDS } from '../src/notify/notify-schedule';
import { PayOrder } from '../src/order/pay-order.entity';
import { verifySign } from '../src/sign/daxpay-sign';
import { eventually, MerchantReply, MerchantServer } from './support/merchant-server';
import { TestApp } from './support/test-app';

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const PAY_NOTICE_FIELDS = [
  'code', 'msg', 'resTime', 'sign', 'orderNo', 'bizOrderNo', 'outOrderNo', 'title', 'description', 'allocation', 'autoAllocation',
  'channel', 'method', 'amount', 'status', 'refundStatus', 'allocStatus', 'payTime', 'expiredTime', 'closeTime', 'attach', 'errorCode', 'errorMsg',
];

/**
 * Merchant notifications (spec section 8) over real HTTP to a merchant server on 127.0.0.1,
 * through the real AppModule: queued by the repair, delivered on DaxPay's schedule.
 */
describe('merchant notifications', () => {
  let merchant: MerchantServer;

  beforeAll(async () => {
    merchant = await MerchantServer.start();
  });

  afterAll(async () => {
    await merchant.stop();
  });

  beforeEach(() => {
    merchant.requests.length = 0;
    merchant.reply = () => ({ status: 200, body: 'SUCCESS' });
  });

  /** A sandbox order on the merchant's notify URL, paid at the channel and synced: repaired. */
  async function paidAndSynced(t: TestApp, notifyUrl = `${merchant.url}/notify`, amount = 1999): Promise<PayOrder> {
    const order = await t.createOrder({ amount, notifyUrl });
    await t.setTrade(order.orderNo, { state: 'success', tradeNo: `TN${order.orderNo}` });
    const answer = await t.syncPay({ orderNo: order.orderNo });
    expect(answer.data).toMatchObject({ status: 'pay_success', code: 0 });
    return order;
  }

  function notificationOf(t: TestApp, orderNo: string): Promise<MerchantNotification> {
    return t.dataSource.getRepository(MerchantNotification).findOneByOrFail({ orderNo });
  }

  function triesOf(t: TestApp, notification: MerchantNotification): Promise<NotificationTry[]> {
    return t.dataSource.getRepository(NotificationTry).find({ where: { notificationId: notification.id }, order: { id: 'ASC' } });
  }

  describe('with the notifier running', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ UNIPAY_NOTIFY_INTERVAL_SECONDS: '3600' });
    });

    afterAll(async () => {
      await t.close();
    });

    it('sends a repair to the merchant right after it: one POST, the DaxPay body, signed, delivered on the first try', async () => {
      const order = await paidAndSynced(t);
      await eventually(() => merchant.bodiesFor(order.orderNo).length === 1, 'the notification');
      const [request] = merchant.requests;
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/notify');
      expect(request.headers['content-type']).toBe('application/json');
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(PAY_NOTICE_FIELDS);
      const after = await t.order(order.orderNo);
      expect(body).toMatchObject({
        code: 0,
        msg: null,
        orderNo: order.orderNo,
        bizOrderNo: order.bizOrderNo,
        outOrderNo: `TN${order.orderNo}`,
        channel: 'sandbox',
        amount: 1999,
        status: 'success',
        refundStatus: 'no_refund',
        allocation: false,
        payTime: Math.floor(after.payTime!.getTime() / 1000),
        expiredTime: Math.floor(after.expiredTime.getTime() / 1000),
        closeTime: null,
      });
      expect(verifySign(body, t.secret, t.signType)).toBe(true);
      expect(verifySign({ ...body, amount: 2000 }, t.secret, t.signType)).toBe(false);

      await eventually(async () => (await notificationOf(t, order.orderNo)).status === 'delivered', 'the delivered state');
      const notification = await notificationOf(t, order.orderNo);
      expect(notification).toMatchObject({ tries: 1, status: 'delivered' });
      const [first] = await triesOf(t, notification);
      expect(first).toMatchObject({ tryNo: 1, manual: false, httpStatus: 200, excerpt: 'SUCCESS', delivered: true, error: null });
      expect(first.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('sends nothing for an order without a notify_url', async () => {
      const order = await t.createOrder({ amount: 500 });
      await t.setTrade(order.orderNo, { state: 'success' });
      expect((await t.syncPay({ orderNo: order.orderNo })).data).toMatchObject({ status: 'pay_success' });
      expect(await t.dataSource.getRepository(MerchantNotification).countBy({ orderNo: order.orderNo })).toBe(0);
    });

    it('notifies a close too, with the order closed', async () => {
      const order = await t.createOrder({ amount: 700, notifyUrl: `${merchant.url}/closed` });
      await t.setTrade(order.orderNo, { state: 'closed' });
      expect((await t.syncPay({ orderNo: order.orderNo })).data).toMatchObject({ status: 'pay_closed' });
      await eventually(() => merchant.bodiesFor(order.orderNo).length === 1, 'the close notification');
      expect(merchant.bodiesFor(order.orderNo)[0]).toMatchObject({ status: 'close', payTime: null, closeTime: expect.any(Number) });
    });
  });

  describe('on the schedule (the clock moved by the test)', () => {
    let t: TestApp;
    let notifier: MerchantNotifier;

    beforeAll(async () => {
      t = await TestApp.start({ UNIPAY_NOTIFY_ENABLED: 'false', UNIPAY_NOTIFY_CONNECT_TIMEOUT_MS: '500', UNIPAY_NOTIFY_READ_TIMEOUT_MS: '300' });
      notifier = t.app.get(MerchantNotifier);
    });

    afterAll(async () => {
      await t.close();
    });

    /** Runs the first try now and returns the notification after it. */
    async function firstTry(order: PayOrder): Promise<MerchantNotification> {
      const queued = await notificationOf(t, order.orderNo);
      expect(queued).toMatchObject({ status: 'pending', tries: 0 });
      await notifier.runRound(new Date());
      return notificationOf(t, order.orderNo);
    }

    const failures: [string, () => Promise<string>, (reply: () => void) => void, RegExp][] = [
      ['a body other than SUCCESS', async () => `${merchant.url}/n`, () => (merchant.reply = () => ({ status: 200, body: 'success' })), /not SUCCESS/],
      ['a 500', async () => `${merchant.url}/n`, () => (merchant.reply = () => ({ status: 500, body: 'Internal Server Error' })), /not SUCCESS/],
      ['a timeout', async () => `${merchant.url}/n`, () => (merchant.reply = () => 'hang'), /no complete answer within 300 ms/],
      ['a refused connection', async () => `http://127.0.0.1:${await closedPort()}/n`, () => undefined, /ECONNREFUSED/],
    ];

    it.each(failures)('%s is a failed try, tried again 15 s after it started, then on DaxPay\'s delays', async (_case, url, answer, error) => {
      answer(() => undefined);
      const order = await paidAndSynced(t, await url());
      const afterFirst = await firstTry(order);
      const [first] = await triesOf(t, afterFirst);
      expect(first).toMatchObject({ tryNo: 1, delivered: false, error: expect.stringMatching(error) });
      expect(afterFirst).toMatchObject({ status: 'pending', tries: 1 });
      const start = afterFirst.lastTryTime!;
      expect(afterFirst.nextTryTime.getTime() - start.getTime()).toBe(15_000);

      // Not before its time…
      await notifier.runRound(new Date(start.getTime() + 14_900));
      expect(await triesOf(t, afterFirst)).toHaveLength(1);
      // …and then, from the start of the try before it.
      await notifier.runRound(new Date(start.getTime() + 15_000));
      const afterSecond = await notificationOf(t, order.orderNo);
      expect(afterSecond.tries).toBe(2);
      expect(afterSecond.nextTryTime.getTime() - afterSecond.lastTryTime!.getTime()).toBe(15_000);
      await notifier.runRound(new Date(afterSecond.lastTryTime!.getTime() + 15_000));
      const afterThird = await notificationOf(t, order.orderNo);
      expect(afterThird.tries).toBe(3);
      expect(afterThird.nextTryTime.getTime() - afterThird.lastTryTime!.getTime()).toBe(30_000);
      const tries = await triesOf(t, afterThird);
      expect(tries.map((entry) => entry.tryNo)).toEqual([1, 2, 3]);
      expect(tries.every((entry) => !entry.delivered)).toBe(true);
    });

    it('fails all 16 tries on schedule, then stops and becomes a notification_exhausted anomaly; every try sent the same bytes', async () => {
      merchant.reply = () => ({ status: 200, body: 'FAIL' });
      const order = await paidAndSynced(t);
      let notification = await firstTry(order);
      for (let tryNo = 2; tryNo <= 16; tryNo += 1) {
        const delay = NOTIFY_DELAYS_SECONDS[tryNo - 2] * 1000;
        expect(notification.nextTryTime.getTime() - notification.lastTryTime!.getTime()).toBe(delay);
        await notifier.runRound(notification.nextTryTime);
        notification = await notificationOf(t, order.orderNo);
        expect(notification.tries).toBe(tryNo);
      }
      expect(notification.status).toBe('exhausted');
      await notifier.runRound(new Date(notification.lastTryTime!.getTime() + 7 * 24 * 3600_000));
      expect((await notificationOf(t, order.orderNo)).tries).toBe(16);
      const bodies = merchant.requests.filter((request) => request.body.includes(order.orderNo)).map((request) => request.body);
      expect(bodies).toHaveLength(16);
      expect(new Set(bodies)).toEqual(new Set([notification.body]));

      const anomalies = await t.app.get(AnomalyRepository).list({ orderNo: order.orderNo }, { page: 1, size: 10 });
      expect(anomalies.items).toEqual([expect.objectContaining({ kind: 'notification_exhausted', status: 'open', orderNo: order.orderNo })]);
      expect(anomalies.items[0].detail).toContain(merchant.url);
      expect(anomalies.items[0].detail).not.toContain('/notify');
    });

    it('counts a 500 answered with SUCCESS as delivered, and a redirect as failed, without following it', async () => {
      const delivered = await paidAndSynced(t, `${merchant.url}/500`);
      const redirected = await paidAndSynced(t, `${merchant.url}/302`);
      merchant.reply = (request): MerchantReply =>
        request.path === '/500' ? { status: 500, body: 'SUCCESS' } : { status: 302, body: 'SUCCESS', headers: { location: `${merchant.url}/elsewhere` } };
      await notifier.runRound(new Date());
      expect(await notificationOf(t, delivered.orderNo)).toMatchObject({ status: 'delivered' });
      const notRedirected = await notificationOf(t, redirected.orderNo);
      expect(notRedirected).toMatchObject({ status: 'pending', tries: 1 });
      expect((await triesOf(t, notRedirected))[0]).toMatchObject({ httpStatus: 302, delivered: false, error: expect.stringMatching(/redirect/) });
      expect(merchant.requests.some((request) => request.path === '/elsewhere')).toBe(false);
    });

    it('cuts off an answer over the size cap: a failed try', async () => {
      merchant.reply = () => ({ status: 200, body: `SUCCESS${' '.repeat(70_000)}` });
      const order = await paidAndSynced(t);
      const notification = await firstTry(order);
      expect((await triesOf(t, notification))[0]).toMatchObject({ delivered: false, error: expect.stringMatching(/longer than 65536 bytes/) });
    });

    it('refuses URLs other than http(s), without a request', async () => {
      const order = await t.createOrder({ amount: 100, notifyUrl: `${merchant.url}/ok` });
      await t.setTrade(order.orderNo, { state: 'success' });
      await t.syncPay({ orderNo: order.orderNo });
      await t.dataSource.getRepository(MerchantNotification).update({ orderNo: order.orderNo }, { notifyUrl: 'ftp://127.0.0.1/notify' });
      const notification = await firstTry(order);
      expect((await triesOf(t, notification))[0]).toMatchObject({ delivered: false, httpStatus: null, error: 'ftp: URLs are not allowed' });
      expect(merchant.requests).toHaveLength(0);
    });
  });

  describe('with private destinations refused (the production setting)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ UNIPAY_NOTIFY_ENABLED: 'false', UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES: 'true' });
    });

    afterAll(async () => {
      await t.close();
    });

    it.each([
      ['a loopback address', () => `${merchant.url}/n`, /127\.0\.0\.1 is not a public address/],
      ['a name that resolves to loopback', () => merchant.url.replace('127.0.0.1', 'localhost'), /localhost resolves to .*, not a public address/],
    ])('refuses %s, and the merchant server hears nothing', async (_case, url, error) => {
      const order = await paidAndSynced(t, url());
      await t.app.get(MerchantNotifier).runRound(new Date());
      const notification = await notificationOf(t, order.orderNo);
      expect((await triesOf(t, notification))[0]).toMatchObject({ delivered: false, httpStatus: null, error: expect.stringMatching(error) });
      expect(merchant.requests).toHaveLength(0);
    });
  });
});
