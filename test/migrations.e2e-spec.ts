import { APP_SCHEMA } from '../src/app.module';
import { AddPayOrderRefundableBalance1764190000011 } from '../src/order/migrations/1764190000011-add-pay-order-refundable-balance';
import { DaxEnvelope } from './support/test-app';
import { TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The migrations that replaced CreatePaySyncTables1764190000000 when migrations moved into their modules. */
const SPLIT_FROM_THE_FIRST = ['CreatePayOrder1764190000000', 'CreateSyncRecords1764190000003', 'CreateUnipayLease1764190000004'];

describe('migrations', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  async function appliedMigrations(t: TestApp): Promise<string[]> {
    const rows = (await t.dataSource.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
    return rows.map((row) => row.name).sort();
  }

  it('a database migrated before the migrations were split by module boots, keeps its rows and syncs', async () => {
    const first = await TestApp.start({}, database);
    const order = await first.createOrder({ amount: 4200 });
    await first.setTrade(order.orderNo, { state: 'success' });
    // What the earlier code left in the migrations table: one migration for all four tables.
    const marks = SPLIT_FROM_THE_FIRST.map(() => '?').join(', ');
    await first.dataSource.query(`DELETE FROM migrations WHERE name IN (${marks})`, SPLIT_FROM_THE_FIRST);
    await first.dataSource.query('INSERT INTO migrations (timestamp, name) VALUES (?, ?)', [1764190000000, 'CreatePaySyncTables1764190000000']);
    await first.close();

    const again = await TestApp.start({}, database);
    try {
      // Every migration of today's code ran (the split ones again, finding their tables), beside the old one.
      const current = APP_SCHEMA.migrations.map((migration) => new migration().name);
      expect(current).toEqual(expect.arrayContaining(SPLIT_FROM_THE_FIRST));
      expect(await appliedMigrations(again)).toEqual([...current, 'CreatePaySyncTables1764190000000'].sort());
      expect(await again.order(order.orderNo)).toMatchObject({ amount: 4200, status: 'progress' });
      const answer = await again.syncPay({ orderNo: order.orderNo });
      expect(answer.data).toMatchObject({ code: 0, status: 'pay_success' });
      expect(await again.repairRecords(order.orderNo)).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it('AddPayOrderRefundableBalance starts an order with refunds already in refund_order at its amount less what they hold', async () => {
    const t = await TestApp.start({}, database);
    try {
      const order = await t.createOrder({ amount: 1000, status: 'success' });
      for (const [amount, status] of [[600, 'success'], [300, 'progress'], [50, 'close']] as const) {
        const created = await t.post<DaxEnvelope>('/sandbox/refunds', { orderNo: order.orderNo, amount, status });
        expect(created.body.code).toBe(0);
      }
      expect(await t.order(order.orderNo)).toMatchObject({ refundableBalance: 100 });
      // As if the column came to a gateway that already had these refunds.
      const runner = t.dataSource.createQueryRunner();
      try {
        await runner.dropColumn('pay_order', 'refundable_balance');
        await new AddPayOrderRefundableBalance1764190000011().up(runner);
      } finally {
        await runner.release();
      }
      const [row] = (await t.dataSource.query('SELECT refundable_balance AS balance FROM pay_order WHERE order_no = ?', [order.orderNo])) as { balance: number | string }[];
      expect(Number(row.balance)).toBe(100);
    } finally {
      await t.close();
    }
  });
});
