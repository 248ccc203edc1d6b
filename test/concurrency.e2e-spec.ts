import { FixedSql } from '../src/database/fixed-sql';
import { sign } from '../src/sign/daxpay-sign';
import { DaxEnvelope, signedSyncBody, SyncData, TestApp, testSecret } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { ServerProcess } from './support/server-process';

const IN_PROGRESS = '支付同步处理中，请勿重复操作';

async function postSync(url: string, body: Record<string, unknown>): Promise<DaxEnvelope<SyncData>> {
  const response = await fetch(`${url}/unipay/sync/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as DaxEnvelope<SyncData>;
}

/** One winner that repairs, every other caller turned away with 10007 at once. */
function expectOneWinner(answers: DaxEnvelope<SyncData>[]): void {
  const winners = answers.filter((answer) => answer.code === 0);
  const losers = answers.filter((answer) => answer.code === 10007);
  expect(winners).toHaveLength(1);
  expect(winners[0].data).toMatchObject({ status: 'pay_success', code: 0 });
  expect(losers).toHaveLength(answers.length - 1);
  for (const loser of losers) expect(loser).toMatchObject({ msg: IN_PROGRESS, data: null });
}

describe('concurrent syncs of one order', () => {
  describe('in one process', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start();
    });

    afterAll(async () => {
      await t.close();
    });

    it('many parallel requests repair once, record every attempt, and the losers get 10007', async () => {
      const order = await t.createOrder({ amount: 1999 });
      // A slow channel keeps the winner inside the lock while the others arrive.
      await t.setTrade(order.orderNo, { state: 'success', delayMs: 1000 });
      const answers = await Promise.all(Array.from({ length: 24 }, () => t.syncPay({ orderNo: order.orderNo })));

      expectOneWinner(answers);
      const after = await t.order(order.orderNo);
      expect(after.status).toBe('success');
      expect(after.version).toBe(order.version + 1);
      expect(await t.repairRecords(order.orderNo)).toHaveLength(1);
      const records = await t.syncRecords(order.orderNo);
      expect(records).toHaveLength(24);
      expect(records.filter((record) => record.repaired)).toHaveLength(1);
      expect(records.filter((record) => record.errorCode === '10007')).toHaveLength(23);
      expect((await t.trade(order.orderNo)).queryCount).toBe(1);

      // The lock was released: the next sync runs, finds the order paid, repairs nothing.
      const again = await t.syncPay({ orderNo: order.orderNo });
      expect(again.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect(await t.repairRecords(order.orderNo)).toHaveLength(1);
    });

    it('parallel syncs of different orders each repair their own order, with intact records', async () => {
      const orders = await Promise.all(Array.from({ length: 20 }, () => t.createOrder({ amount: 2500 })));
      // The channel answers all at about the same time, so the repairs overlap.
      await Promise.all(orders.map((order, i) => t.setTrade(order.orderNo, { state: i % 2 ? 'success' : 'closed', delayMs: 100 })));
      const answers = await Promise.all(orders.map((order) => t.syncPay({ orderNo: order.orderNo })));
      expect(answers.every((answer) => answer.code === 0 && answer.data!.code === 0)).toBe(true);
      for (const [i, order] of orders.entries()) {
        expect((await t.order(order.orderNo)).status).toBe(i % 2 ? 'success' : 'close');
        const [record, ...more] = await t.syncRecords(order.orderNo);
        expect(more).toHaveLength(0);
        expect(record).toMatchObject({ repaired: true, errorCode: null });
        const repairs = await t.repairRecords(order.orderNo);
        expect(repairs).toHaveLength(1);
        expect(repairs[0].repairNo).toBe(record.repairNo);
      }
    });

    it('the lock is keyed by the order, whichever number the caller used', async () => {
      const order = await t.createOrder({ amount: 700 });
      await t.setTrade(order.orderNo, { state: 'closed', delayMs: 800 });
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => t.syncPay({ orderNo: order.orderNo })),
        ...Array.from({ length: 4 }, () => t.syncPay({ bizOrderNo: order.bizOrderNo })),
      ]);
      expect(answers.filter((answer) => answer.code === 0)).toHaveLength(1);
      expect(answers.filter((answer) => answer.code === 10007)).toHaveLength(7);
      expect(await t.repairRecords(order.orderNo)).toHaveLength(1);
    });

    it('a lock left by a crashed process holds until it expires, then is taken over', async () => {
      const order = await t.createOrder({ amount: 300 });
      await t.setTrade(order.orderNo, { state: 'success' });
      const sql = t.app.get(FixedSql);
      // What a process that died mid-sync leaves: its attempt's record, holding the order.
      const opened = new Date(Date.now() - 5_000);
      await t.dataSource.query(
        "INSERT INTO pay_sync_record (order_no, repaired, source, duration_ms, create_time, lock_order_no, lock_until) VALUES (?, 0, 'manual', 0, ?, ?, ?)",
        [order.orderNo, sql.time(opened), order.orderNo, sql.time(new Date(Date.now() + 60_000))],
      );
      const blocked = await t.syncPay({ orderNo: order.orderNo });
      expect(blocked).toMatchObject({ code: 10007, msg: IN_PROGRESS });
      expect((await t.order(order.orderNo)).status).toBe('progress');

      await t.dataSource.query('UPDATE pay_sync_record SET lock_until = ? WHERE lock_order_no = ?', [sql.time(new Date(Date.now() - 1)), order.orderNo]);
      const taken = await t.syncPay({ orderNo: order.orderNo });
      expect(taken.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect((await t.order(order.orderNo)).status).toBe('success');
      // The dead attempt is kept, marked interrupted; no lock is left behind for this order.
      const records = await t.syncRecords(order.orderNo);
      expect(records.map((record) => record.errorCode)).toEqual(['INTERRUPTED', '10007', null]);
      expect(records[2]).toMatchObject({ repaired: true, syncStatus: 'pay_success' });
      expect(records.every((record) => record.lockOrderNo === null && record.lockUntil === null)).toBe(true);
    });
  });

  describe('in two server processes sharing one database', () => {
    let database: TestDatabase;
    let servers: ServerProcess[] = [];
    const secret = testSecret();

    beforeAll(async () => {
      database = await createTestDatabase();
      const env = { ...database.env, UNIPAY_SIGN_SECRET: secret, UNIPAY_SANDBOX_ENABLED: 'true' };
      // Both boot at once: the migration lock lets one migrate while the other waits.
      servers = await ServerProcess.startAll([env, env]);
    });

    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await database.drop();
    });

    async function createOrder(url: string): Promise<{ orderNo: string }> {
      const response = await fetch(`${url}/sandbox/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 4200 }),
      });
      const body = (await response.json()) as DaxEnvelope<{ order: { orderNo: string } }>;
      return body.data!.order;
    }

    async function view(url: string, orderNo: string) {
      const response = await fetch(`${url}/sandbox/orders/${orderNo}`);
      return ((await response.json()) as DaxEnvelope<{
        order: { status: string; version: number };
        trade: { queryCount: number };
        syncRecords: { repaired: boolean; errorCode: string | null }[];
        repairRecords: unknown[];
      }>).data!;
    }

    it('parallel requests to both processes repair once; every attempt is recorded; losers get 10007', async () => {
      const [a, b] = servers;
      const order = await createOrder(a.url);
      const trade = await fetch(`${b.url}/sandbox/trades/${order.orderNo}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'success', delayMs: 1500 }),
      });
      expect(((await trade.json()) as DaxEnvelope).code).toBe(0);

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postSync(i % 2 === 0 ? a.url : b.url, signedSyncBody({ orderNo: order.orderNo }, secret))),
      );
      expectOneWinner(answers);

      for (const server of servers) {
        const seen = await view(server.url, order.orderNo);
        expect(seen.order.status).toBe('success');
        expect(seen.order.version).toBe(1);
        expect(seen.repairRecords).toHaveLength(1);
        expect(seen.syncRecords).toHaveLength(20);
        expect(seen.syncRecords.filter((record) => record.repaired)).toHaveLength(1);
        expect(seen.syncRecords.filter((record) => record.errorCode === '10007')).toHaveLength(19);
        expect(seen.trade.queryCount).toBe(1);
      }
    });

    it('a nonce used on one process is a replay on the other', async () => {
      const [a, b] = servers;
      const order = await createOrder(a.url);
      const body = signedSyncBody({ orderNo: order.orderNo }, secret);
      expect((await postSync(a.url, body)).code).toBe(0);
      const replay = await postSync(b.url, body);
      expect(replay.code).toBe(10006);
      expect(replay.msg).toContain('nonceStr');
      // A fresh nonce is fine, and is signed over like every other field.
      const fresh: Record<string, unknown> = { ...body, nonceStr: 'another-nonce-1' };
      fresh.sign = sign({ ...fresh, sign: undefined }, secret, 'HMAC_SHA256');
      expect((await postSync(b.url, fresh)).code).toBe(0);
    });
  });
});
