import { FixedSql } from '../src/database/fixed-sql';
import { PayOrder } from '../src/order/pay-order.entity';
import { PaySyncScheduleRepository } from '../src/sweep/pay-sync-schedule.repository';
import { PaySyncSweeper } from '../src/sweep/pay-sync-sweeper.service';
import { PaySyncService } from '../src/sync/pay-sync.service';
import { TestApp } from './support/test-app';

const MINUTE = 60_000;

/**
 * The scheduled sync, one round at a time (the timer is off; rounds are started by the
 * test), on the real AppModule and database with the sandbox channel.
 */
describe('scheduled sync of stuck orders', () => {
  let t: TestApp;
  let sweeper: PaySyncSweeper;

  beforeAll(async () => {
    t = await TestApp.start({
      UNIPAY_SWEEP_GRACE_SECONDS: '60',
      UNIPAY_SWEEP_DELAYS_SECONDS: '60,120,300',
      UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS: '600,3600',
      UNIPAY_SWEEP_BUSY_RETRY_SECONDS: '30',
      UNIPAY_SWEEP_BATCH_SIZE: '7',
      UNIPAY_SWEEP_CONCURRENCY: '4',
    });
    sweeper = t.app.get(PaySyncSweeper);
  });

  beforeEach(async () => {
    // Each test starts with no due order left over from another.
    await t.dataSource.query("UPDATE pay_order SET status = 'cancel', sync_next_time = NULL");
  });

  afterAll(async () => {
    await t.close();
  });

  /** A sandbox order as the gateway left it `ageMs` ago, whose channel answers `trade`. */
  async function stuckOrder(trade: Record<string, unknown>, order: Record<string, unknown> = {}, ageMs = 5 * MINUTE): Promise<PayOrder> {
    const created = await t.createOrder({ amount: 1999, ...order });
    await t.setTrade(created.orderNo, trade);
    await t.dataSource.getRepository(PayOrder).update({ orderNo: created.orderNo }, { createTime: new Date(Date.now() - ageMs) });
    return created;
  }

  async function makeDue(orderNo: string): Promise<void> {
    await t.dataSource.getRepository(PayOrder).update({ orderNo }, { syncNextTime: new Date(Date.now() - 1000) });
  }

  function secondsUntil(time: Date | null | undefined): number {
    return Math.round((time!.getTime() - Date.now()) / 1000);
  }

  it('leaves a new order to its callback during the grace period, but takes an expired one at once', async () => {
    const fresh = await stuckOrder({ state: 'success' }, {}, 10_000);
    const old = await stuckOrder({ state: 'success' }, {}, 2 * MINUTE);
    const expired = await stuckOrder({ state: 'progress' }, { expireSeconds: -5 }, 10_000);
    const summary = await sweeper.runRound();
    expect(summary).toEqual({ due: 2, synced: 2, repaired: 2, failed: 0 });
    expect((await t.order(fresh.orderNo)).status).toBe('progress');
    expect((await t.trade(fresh.orderNo)).queryCount).toBe(0);
    expect((await t.order(old.orderNo)).status).toBe('success');
    expect((await t.order(expired.orderNo)).status).toBe('close');
  });

  it('syncs a waiting order on a growing schedule, once per round', async () => {
    const order = await stuckOrder({ state: 'progress' }, { expireSeconds: 24 * 3600 });
    const expected = [60, 120, 300, 300];
    for (const [round, delay] of expected.entries()) {
      expect(await sweeper.runRound()).toEqual({ due: 1, synced: 1, repaired: 0, failed: 0 });
      const after = await t.order(order.orderNo);
      expect(after.status).toBe('progress');
      expect(after.syncCount).toBe(round + 1);
      expect(Math.abs(secondsUntil(after.syncNextTime) - delay)).toBeLessThanOrEqual(2);
      expect(after.syncLeaseOwner).toBeNull();
      // Not due again until its time comes.
      expect(await sweeper.runRound()).toEqual({ due: 0, synced: 0, repaired: 0, failed: 0 });
      await makeDue(order.orderNo);
    }
    expect((await t.trade(order.orderNo)).queryCount).toBe(expected.length);
    const records = await t.syncRecords(order.orderNo);
    expect(records.map((record) => record.source)).toEqual(['scheduled', 'scheduled', 'scheduled', 'scheduled']);
  });

  it('never schedules a waiting order past its expiry, then closes it at the channel', async () => {
    const order = await stuckOrder({ state: 'progress' }, { expireSeconds: 20 });
    await sweeper.runRound();
    const waiting = await t.order(order.orderNo);
    expect(waiting.syncNextTime!.getTime()).toBeLessThanOrEqual(waiting.expiredTime.getTime());
    expect(secondsUntil(waiting.syncNextTime)).toBeLessThanOrEqual(20);

    await t.dataSource.getRepository(PayOrder).update({ orderNo: order.orderNo }, { expiredTime: new Date(Date.now() - 1000) });
    await makeDue(order.orderNo);
    expect(await sweeper.runRound()).toMatchObject({ due: 1, repaired: 1 });
    const closed = await t.order(order.orderNo);
    expect(closed.status).toBe('close');
    expect(closed.syncNextTime).toBeNull();
    expect((await t.trade(order.orderNo)).closeCount).toBe(1);
    const [repair] = await t.repairRecords(order.orderNo);
    expect(repair).toMatchObject({ way: 'close_gateway', source: 'scheduled' });
  });

  it.each([
    ['on a channel without a close API', 'unsupported'],
    ['because the channel had no trade to close', 'not_found'],
  ])('checks an order closed locally %s again later, and records a late payment', async (_, closeAnswer) => {
    const order = await stuckOrder({ state: 'progress', closeAnswer }, { expireSeconds: -60 });
    await sweeper.runRound();
    const closed = await t.order(order.orderNo);
    expect(closed.status).toBe('close');
    expect((await t.repairRecords(order.orderNo))[0]).toMatchObject({ way: 'close_local' });
    expect(Math.abs(secondsUntil(closed.syncNextTime) - 600)).toBeLessThanOrEqual(2);

    // First late check: the channel still waits.
    await makeDue(order.orderNo);
    expect(await sweeper.runRound()).toMatchObject({ due: 1, synced: 1, repaired: 0 });
    const checked = await t.order(order.orderNo);
    expect(checked.status).toBe('close');
    expect(checked.syncCount).toBe(1);
    expect(Math.abs(secondsUntil(checked.syncNextTime) - 3600)).toBeLessThanOrEqual(2);

    // The buyer pays the trade the channel could not close: found, recorded, left to an operator.
    await t.setTrade(order.orderNo, { state: 'success' });
    await makeDue(order.orderNo);
    expect(await sweeper.runRound()).toMatchObject({ due: 1, synced: 1, repaired: 0 });
    const found = await t.order(order.orderNo);
    expect(found.status).toBe('close');
    expect(found.syncNextTime).toBeNull();
    const records = await t.syncRecords(order.orderNo);
    expect(records[records.length - 1]).toMatchObject({ anomaly: 'paid_after_close', source: 'scheduled' });
    expect(await sweeper.runRound()).toMatchObject({ due: 0 });
  });

  it('stops the late checks after the last delay', async () => {
    const order = await stuckOrder({ state: 'progress', closeAnswer: 'unsupported' }, { expireSeconds: -60 });
    await sweeper.runRound();
    for (const expected of [3600, null]) {
      await makeDue(order.orderNo);
      await sweeper.runRound();
      const after = await t.order(order.orderNo);
      expect(after.syncNextTime === null ? null : Math.round(secondsUntil(after.syncNextTime) / 10) * 10).toBe(expected);
    }
    expect((await t.trade(order.orderNo)).queryCount).toBe(3);
  });

  it.each<[string, Record<string, string>]>([
    ['a channel failure', { state: 'fail', errorMsg: 'ACQ.SYSTEM_ERROR' }],
    ['a failed close of an expired order', { state: 'progress', closeAnswer: 'fail', errorMsg: 'close refused' }],
  ])('after %s the order is unchanged and rescheduled', async (_label, trade) => {
    const order = await stuckOrder(trade, { expireSeconds: trade.closeAnswer ? -60 : 3600 });
    expect(await sweeper.runRound()).toEqual({ due: 1, synced: 1, repaired: 0, failed: 1 });
    const after = await t.order(order.orderNo);
    expect(after).toMatchObject({ status: 'progress', version: 0, payTime: null, closeTime: null, syncCount: 1, syncLeaseOwner: null });
    // Retried after the first delay, expired or not: a failure never makes it hammer the channel.
    expect(Math.abs(secondsUntil(after.syncNextTime) - 60)).toBeLessThanOrEqual(2);
    // And not again in the same round.
    expect(await sweeper.runRound()).toMatchObject({ due: 0 });
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ syncStatus: 'pay_fail', source: 'scheduled', repaired: false });
    expect(await t.repairRecords(order.orderNo)).toHaveLength(0);
  });

  it('a claim that pauses between finding and taking does not take back an order another instance synced meanwhile', async () => {
    const order = await stuckOrder({ state: 'progress' }, { expireSeconds: 24 * 3600 });
    const schedule = t.app.get(PaySyncScheduleRepository);
    const start = new Date();
    const window = {
      owner: 'paused-instance',
      dueBy: start,
      createdBy: new Date(start.getTime() - 60_000),
      now: start,
      leaseUntil: new Date(start.getTime() + MINUTE),
      limit: 10,
    };
    // The paused instance found the order due ...
    const found = await schedule.findDue(window);
    expect(found).toContain(Number(order.id));
    // ... while another instance synced and rescheduled it ...
    expect(await sweeper.runRound()).toMatchObject({ due: 1, synced: 1 });
    const rescheduled = await t.order(order.orderNo);
    expect(rescheduled.syncCount).toBe(1);
    // ... so when it goes on, the order is no longer due and is not taken.
    expect(await schedule.claim(found, window)).toEqual([]);
    const after = await t.order(order.orderNo);
    expect(after.syncLeaseOwner).toBeNull();
    expect(after.syncCount).toBe(1);
    expect((await t.trade(order.orderNo)).queryCount).toBe(1);
  });

  it('leaves an order a merchant is syncing right now to that sync, and takes it in a later round', async () => {
    const order = await stuckOrder({ state: 'progress' }, { expireSeconds: 24 * 3600 });
    const sql = t.app.get(FixedSql);
    // A merchant's sync in flight: its record holds the order's lock.
    await t.dataSource.query(
      "INSERT INTO pay_sync_record (order_no, repaired, source, duration_ms, create_time, lock_order_no, lock_until) VALUES (?, 0, 'manual', 0, ?, ?, ?)",
      [order.orderNo, sql.time(new Date()), order.orderNo, sql.time(new Date(Date.now() + MINUTE))],
    );
    expect(await sweeper.runRound()).toEqual({ due: 0, synced: 0, repaired: 0, failed: 0 });
    const untouched = await t.order(order.orderNo);
    expect(untouched).toMatchObject({ syncCount: 0, syncNextTime: null, syncLeaseOwner: null });
    expect((await t.trade(order.orderNo)).queryCount).toBe(0);

    await t.dataSource.query('UPDATE pay_sync_record SET lock_order_no = NULL, lock_until = NULL WHERE lock_order_no = ?', [order.orderNo]);
    expect(await sweeper.runRound()).toEqual({ due: 1, synced: 1, repaired: 0, failed: 0 });
    expect((await t.trade(order.orderNo)).queryCount).toBe(1);
  });

  it('turns a merchant away (10007) from an order the job has claimed, and records it', async () => {
    const order = await stuckOrder({ state: 'success' });
    await t.dataSource.getRepository(PayOrder).update({ orderNo: order.orderNo }, { syncLeaseOwner: 'another-instance', syncLeaseUntil: new Date(Date.now() + MINUTE) });
    const answer = await t.syncPay({ orderNo: order.orderNo });
    expect(answer).toMatchObject({ code: 10007 });
    expect((await t.order(order.orderNo)).status).toBe('progress');
    expect((await t.trade(order.orderNo)).queryCount).toBe(0);
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ errorCode: '10007', source: 'manual', lockOrderNo: null });
    // Once the claim is over, the merchant's sync goes through.
    await t.dataSource.getRepository(PayOrder).update({ orderNo: order.orderNo }, { syncLeaseOwner: null, syncLeaseUntil: null });
    expect((await t.syncPay({ orderNo: order.orderNo })).data).toMatchObject({ status: 'pay_success', code: 0 });
  });

  it('stops scheduling an order left for an operator (amount anomaly) or for refund sync', async () => {
    const anomaly = await stuckOrder({ state: 'success', amount: 1 });
    const refund = await stuckOrder({ state: 'refund' });
    await sweeper.runRound();
    for (const order of [anomaly, refund]) {
      const after = await t.order(order.orderNo);
      expect(after.status).toBe('progress');
      expect(after.syncNextTime).toBeNull();
      expect(after.syncCount).toBe(1);
    }
    // Never synced again, even though they stay "progress".
    expect(await sweeper.runRound()).toMatchObject({ due: 0 });
  });

  it('works through more due orders than one batch, each once', async () => {
    const orders = await Promise.all(Array.from({ length: 17 }, (_, i) => stuckOrder({ state: i % 3 === 0 ? 'success' : 'progress' })));
    // Concurrent repairs: on SQLite they must not share one transaction.
    expect(await sweeper.runRound()).toEqual({ due: 17, synced: 17, repaired: 6, failed: 0 });
    for (const order of orders) {
      const records = await t.syncRecords(order.orderNo);
      expect(records).toHaveLength(1);
      expect(records[0].errorCode).toBeNull();
    }
    for (const order of orders) expect((await t.trade(order.orderNo)).queryCount).toBe(1);
  });

  it('writes its claims, records and reschedules in batches: a round of 120 orders costs a handful of statements', async () => {
    const batched = await TestApp.start({ UNIPAY_SWEEP_CONCURRENCY: '16', UNIPAY_SWEEP_RATE_PER_SECOND: '100000' });
    try {
      const orders = await Promise.all(
        Array.from({ length: 120 }, async () => {
          const created = await batched.createOrder({ amount: 100, expireSeconds: 24 * 3600 });
          await batched.dataSource.getRepository(PayOrder).update({ orderNo: created.orderNo }, { createTime: new Date(Date.now() - 5 * MINUTE) });
          return created;
        }),
      );
      const job = batched.app.get(PaySyncSweeper);
      const before = job.statements;
      expect(await job.runRound()).toEqual({ due: 120, synced: 120, repaired: 0, failed: 0 });
      const spent = job.statements - before;
      // One claim of 120 (find, take, read back), one empty claim, and a few flushes of two.
      expect(spent).toBeGreaterThanOrEqual(6);
      expect(spent).toBeLessThanOrEqual(12);
      const [row] = (await batched.dataSource.query(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT order_no) AS distinct_orders FROM pay_sync_record WHERE source = 'scheduled'",
      )) as { n: number; distinct_orders: number }[];
      expect(Number(row.n)).toBe(120);
      expect(Number(row.distinct_orders)).toBe(120);
      for (const order of orders.slice(0, 5)) {
        expect(await batched.order(order.orderNo)).toMatchObject({ syncCount: 1, syncLeaseOwner: null, syncLeaseUntil: null });
      }
    } finally {
      await batched.close();
    }
  });

  it('yields to merchants: while their syncs are in flight, runs no more than its concurrency under load', async () => {
    const yielding = await TestApp.start({ UNIPAY_SWEEP_CONCURRENCY: '8', UNIPAY_SWEEP_CONCURRENCY_UNDER_LOAD: '2', UNIPAY_SWEEP_RATE_PER_SECOND: '100000' });
    try {
      const job = yielding.app.get(PaySyncSweeper);
      await Promise.all(
        Array.from({ length: 24 }, async () => {
          const created = await yielding.createOrder({ amount: 100, expireSeconds: 24 * 3600 });
          await yielding.setTrade(created.orderNo, { state: 'progress', delayMs: 150 });
          await yielding.dataSource.getRepository(PayOrder).update({ orderNo: created.orderNo }, { createTime: new Date(Date.now() - 5 * MINUTE) });
        }),
      );
      const merchants = await yielding.createOrder({ amount: 100 });
      await yielding.setTrade(merchants.orderNo, { state: 'progress', delayMs: 900 });
      const service = yielding.app.get(PaySyncService);
      const request = yielding.syncPay({ orderNo: merchants.orderNo });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(service.requestsInFlight).toBe(1);
      const during: number[] = [];
      const after: number[] = [];
      // Sampled with the server's own count of requests in flight at the same instant.
      const sampler = setInterval(() => (service.requestsInFlight > 0 ? during : after).push(job.activeSyncs), 5);
      const round = await job.runRound();
      clearInterval(sampler);
      expect((await request).data).toMatchObject({ status: 'pay_progress', code: 0 });
      expect(round).toEqual({ due: 24, synced: 24, repaired: 0, failed: 0 });
      // Beside the request, at most 2 at once; alone again, the full 8.
      expect(Math.max(...during)).toBe(2);
      expect(Math.max(...after)).toBeGreaterThan(2);
    } finally {
      await yielding.close();
    }
  });

  it('keeps to the per-channel rate', async () => {
    const limited = await TestApp.start({ UNIPAY_SWEEP_CHANNEL_RATES: 'sandbox=4', UNIPAY_SWEEP_CONCURRENCY: '8' });
    try {
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          const created = await limited.createOrder({ amount: 100 });
          await limited.dataSource.getRepository(PayOrder).update({ orderNo: created.orderNo }, { createTime: new Date(Date.now() - 5 * MINUTE) });
        }),
      );
      const started = Date.now();
      expect(await limited.app.get(PaySyncSweeper).runRound()).toMatchObject({ due: 12, synced: 12 });
      // A burst of 4, then 8 more at 4 a second: the round cannot be shorter than 2 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    } finally {
      await limited.close();
    }
  });

  it('on stop, finishes what is in flight and hands back what it had not started', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => stuckOrder({ state: 'progress', delayMs: 400 })));
    // Last test of the file: a stopped sweeper stays stopped. Batch 7, concurrency 4.
    const round = sweeper.runRound();
    await new Promise((resolve) => setTimeout(resolve, 150));
    sweeper.stop();
    const summary = await round;
    expect(summary.due).toBe(6);
    expect(summary.synced).toBe(4);
    const states = await Promise.all(orders.map((order) => t.order(order.orderNo)));
    expect(states.every((order) => order.syncLeaseOwner === null && order.syncLeaseUntil === null)).toBe(true);
    expect(states.filter((order) => order.syncCount === 1)).toHaveLength(4);
    expect(states.filter((order) => order.syncCount === 0 && order.syncNextTime === null)).toHaveLength(2);
    expect(await sweeper.runRound()).toEqual({ due: 0, synced: 0, repaired: 0, failed: 0 });
  });
});
