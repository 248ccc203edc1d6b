import { Injectable, Module } from '@nestjs/common';
import { OutboxDispatcher } from '../src/outbox/outbox-dispatcher.service';
import { OutboxEvent } from '../src/outbox/outbox-event.entity';
import { OutboxService } from '../src/outbox/outbox.service';
import { UnipayEvent, UnipayEventType } from '../src/outbox/unipay-event';
import { UnipayEventHandler, UnipayEventListener } from '../src/outbox/unipay-event-handler';
import { snapshotOf } from '../src/order/pay-order-snapshot';
import { eventually } from './support/merchant-server';
import { TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** A host's handler that remembers what it got, and fails while the test says so. */
@Injectable()
@UnipayEventListener()
class RecordingHandler implements UnipayEventHandler {
  readonly received: UnipayEvent[] = [];
  failing = new Set<string>();

  async handle(event: UnipayEvent): Promise<void> {
    this.received.push(event);
    if (this.failing.has(event.id)) throw new Error(`ledger unavailable for ${event.id}`);
  }
}

@Module({ providers: [RecordingHandler] })
class HostHooksModule {}

/** The host hook: repair events from the outbox, at least once, in order per pay order. */
describe('events to the host gateway', () => {
  describe('delivered as repairs commit', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ UNIPAY_EVENTS_INTERVAL_SECONDS: '3600' }, undefined, [HostHooksModule]);
    });

    afterAll(async () => {
      await t.close();
    });

    it('hands a repair to the host with a stable id, the repaired order and the repair', async () => {
      const handler = t.app.get(RecordingHandler);
      const order = await t.createOrder({ amount: 4321 });
      await t.setTrade(order.orderNo, { state: 'success', tradeNo: 'TN-EVENT' });
      await t.syncPay({ orderNo: order.orderNo });
      await eventually(() => handler.received.some((event) => event.orderNo === order.orderNo), 'the event');
      const [repair] = await t.repairRecords(order.orderNo);
      const event = handler.received.find((received) => received.orderNo === order.orderNo)!;
      expect(event).toMatchObject({
        id: `evt_${repair.repairNo}`,
        type: 'pay_order.success',
        repair: { repairNo: repair.repairNo, way: 'pay_success', source: 'manual' },
        order: { orderNo: order.orderNo, status: 'success', amount: 4321, outOrderNo: 'TN-EVENT' },
      });
      expect(event.occurredAt).toBeInstanceOf(Date);
      expect(event.order.payTime).toEqual((await t.order(order.orderNo)).payTime);
      const row = await t.dataSource.getRepository(OutboxEvent).findOneByOrFail({ eventId: event.id });
      await eventually(async () => (await t.dataSource.getRepository(OutboxEvent).findOneByOrFail({ id: row.id })).hookStatus === 'delivered', 'delivered');
    });

    it('writes no event for a sync that repaired nothing', async () => {
      const order = await t.createOrder({ amount: 100 });
      await t.syncPay({ orderNo: order.orderNo });
      expect(await t.dataSource.getRepository(OutboxEvent).countBy({ orderNo: order.orderNo })).toBe(0);
    });
  });

  describe('retries and order (the clock moved by the test)', () => {
    let database: TestDatabase;
    let t: TestApp;
    let dispatcher: OutboxDispatcher;
    let handler: RecordingHandler;

    beforeAll(async () => {
      database = await createTestDatabase();
      t = await TestApp.start({ UNIPAY_EVENTS_ENABLED: 'false', UNIPAY_EVENTS_RETRY_DELAYS_SECONDS: '5,30,120' }, database, [HostHooksModule]);
      dispatcher = t.app.get(OutboxDispatcher);
      handler = t.app.get(RecordingHandler);
    });

    afterAll(async () => {
      await t.close();
      await database.drop();
    });

    /** Events for one order, published in one transaction as a repair would. */
    async function publish(orderNo: string, ids: string[], at: Date): Promise<void> {
      const order = await t.insertOrder({ channel: 'sandbox', orderNo });
      await t.dataSource.transaction(async (manager) => {
        for (const id of ids) {
          await t.app.get(OutboxService).publish(
            { id, type: UnipayEventType.PAY_ORDER_SUCCESS, occurredAt: at, orderNo, order: snapshotOf(order), repair: { repairNo: id, way: 'pay_success', source: 'manual' } },
            manager,
          );
        }
      });
    }

    const statusOf = async (eventId: string) => (await t.dataSource.getRepository(OutboxEvent).findOneByOrFail({ eventId })).hookStatus;
    const deliveries = (eventId: string) => handler.received.filter((event) => event.id === eventId).length;

    it('retries a handler that throws with growing delays, keeps the order\'s later events back meanwhile, and drops nothing', async () => {
      const start = new Date();
      await publish('ORDER-EVENTS-1', ['ev-a1', 'ev-a2'], start);
      handler.failing.add('ev-a1');

      await dispatcher.runRound(start);
      expect([deliveries('ev-a1'), deliveries('ev-a2')]).toEqual([1, 0]);
      const failed = await t.dataSource.getRepository(OutboxEvent).findOneByOrFail({ eventId: 'ev-a1' });
      expect(failed).toMatchObject({ hookStatus: 'pending', hookAttempts: 1, hookError: expect.stringContaining('ledger unavailable') });
      expect(failed.hookNextTime.getTime() - start.getTime()).toBeGreaterThanOrEqual(5_000);

      // Before the delay nothing moves; the second event waits behind the first.
      await dispatcher.runRound(new Date(start.getTime() + 4_000));
      expect([deliveries('ev-a1'), deliveries('ev-a2')]).toEqual([1, 0]);
      // Each failure waits longer; the last delay repeats.
      let at = failed.hookNextTime;
      for (const [attempts, delay] of [[2, 30_000], [3, 120_000], [4, 120_000]] as const) {
        await dispatcher.runRound(at);
        const row = await t.dataSource.getRepository(OutboxEvent).findOneByOrFail({ eventId: 'ev-a1' });
        expect(row.hookAttempts).toBe(attempts);
        expect(row.hookNextTime.getTime() - at.getTime()).toBeGreaterThanOrEqual(delay);
        expect(row.hookNextTime.getTime() - at.getTime()).toBeLessThan(delay + 5_000);
        at = row.hookNextTime;
      }
      expect(deliveries('ev-a2')).toBe(0);

      handler.failing.delete('ev-a1');
      await dispatcher.runRound(at);
      expect(await statusOf('ev-a1')).toBe('delivered');
      expect(await statusOf('ev-a2')).toBe('delivered');
      const order = handler.received.filter((event) => event.orderNo === 'ORDER-EVENTS-1').map((event) => event.id);
      expect(order).toEqual(['ev-a1', 'ev-a1', 'ev-a1', 'ev-a1', 'ev-a1', 'ev-a2']);
    });

    it('lets another order\'s events through while one order waits', async () => {
      const start = new Date();
      await publish('ORDER-EVENTS-2', ['ev-b1'], start);
      await publish('ORDER-EVENTS-3', ['ev-c1'], start);
      handler.failing.add('ev-b1');
      await dispatcher.runRound(start);
      expect(await statusOf('ev-b1')).toBe('pending');
      expect(await statusOf('ev-c1')).toBe('delivered');
    });

    it('has two instances deliver each event once between them', async () => {
      const other = await TestApp.start({ UNIPAY_EVENTS_ENABLED: 'false' }, database, [HostHooksModule]);
      try {
        const start = new Date();
        const ids = Array.from({ length: 30 }, (_, i) => `ev-d${i}`);
        for (const [i, id] of ids.entries()) await publish(`ORDER-EVENTS-D${i}`, [id], start);
        await Promise.all([dispatcher.runRound(start), other.app.get(OutboxDispatcher).runRound(start)]);
        const both = [...handler.received, ...other.app.get(RecordingHandler).received].filter((event) => ids.includes(event.id));
        expect(both.map((event) => event.id).sort()).toEqual([...ids].sort());
        for (const id of ids) expect(await statusOf(id)).toBe('delivered');
      } finally {
        await other.close();
      }
    });
  });
});
