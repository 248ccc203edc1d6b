import { newPayOrder } from '../../src/order/new-pay-order';
import { PayOrder } from '../../src/order/pay-order.entity';
import { SandboxTrade } from '../../src/sandbox/sandbox-trade.entity';
import { TestApp } from './test-app';

/**
 * `count` stuck sandbox orders, created ten minutes ago and expiring in a day, with their
 * trades, written at once the way a gateway would. Returns their order numbers.
 */
export async function seedStuckOrders(
  t: TestApp,
  count: number,
  trade: (i: number) => Partial<SandboxTrade> = () => ({}),
  order: (i: number) => Partial<PayOrder> = () => ({}),
): Promise<string[]> {
  const now = Date.now();
  const tenMinutesAgo = new Date(now - 10 * 60_000);
  const orders: Omit<PayOrder, 'id'>[] = [];
  const trades: SandboxTrade[] = [];
  for (let i = 0; i < count; i += 1) {
    const orderNo = `S${now}${String(i).padStart(6, '0')}`;
    orders.push(
      newPayOrder(
        { orderNo, bizOrderNo: `B${orderNo}`, title: 'stuck', channel: 'sandbox', method: 'sandbox', amount: 100 + i, expiredTime: new Date(now + 24 * 3600_000), ...order(i) },
        tenMinutesAgo,
      ),
    );
    trades.push({
      orderNo,
      state: 'progress',
      amount: null,
      tradeNo: `SBX${orderNo}`,
      payTime: null,
      closeAnswer: 'closed',
      errorMsg: null,
      delayMs: 0,
      queryCount: 0,
      closeCount: 0,
      updateTime: new Date(now),
      ...trade(i),
    });
  }
  await t.dataSource.transaction(async (manager) => {
    for (let from = 0; from < count; from += 200) {
      await manager.getRepository(SandboxTrade).insert(trades.slice(from, from + 200));
      await manager.getRepository(PayOrder).insert(orders.slice(from, from + 200));
    }
  });
  return orders.map((entry) => entry.orderNo);
}

/** One number from a query such as `SELECT COUNT(*) AS n FROM …`. */
export async function scalar(t: TestApp, sql: string): Promise<number> {
  const [row] = (await t.dataSource.query(sql)) as Record<string, number | string>[];
  return Number(Object.values(row)[0]);
}
