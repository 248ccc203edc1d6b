import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MerchantNotification } from '../src/notify/merchant-notification.entity';
import { PayOrder } from '../src/order/pay-order.entity';
import { MerchantServer } from './support/merchant-server';
import { TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const run = promisify(execFile);
const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

describe('unipay sweep', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await TestApp.start({}, database);
  });

  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  async function stuck(state: string): Promise<PayOrder> {
    const order = await t.createOrder({ amount: 880 });
    await t.setTrade(order.orderNo, { state });
    await t.dataSource.getRepository(PayOrder).update({ orderNo: order.orderNo }, { createTime: new Date(Date.now() - 10 * 60_000) });
    return order;
  }

  it('runs one round on the configured database and prints what it did', async () => {
    const paid = await stuck('success');
    const waiting = await stuck('progress');
    const failing = await stuck('fail');
    const env = { PATH: process.env.PATH ?? '', ...database.env, UNIPAY_SIGN_SECRET: t.secret, UNIPAY_SANDBOX_ENABLED: 'true' };
    const { stdout } = await run(process.execPath, [CLI, 'sweep'], { env });
    expect(stdout.trim()).toBe('due 3, synced 3, repaired 1, failed 1');
    expect((await t.order(paid.orderNo)).status).toBe('success');
    expect((await t.order(waiting.orderNo)).syncCount).toBe(1);
    expect((await t.syncRecords(failing.orderNo))[0]).toMatchObject({ source: 'scheduled', syncStatus: 'pay_fail' });

    // Nothing is due any more: a second round finds nothing.
    const again = await run(process.execPath, [CLI, 'sweep'], { env });
    expect(again.stdout.trim()).toBe('due 0, synced 0, repaired 0, failed 0');
  });

  it('queues the notification of a repair for the servers to send, and sends nothing itself', async () => {
    const merchant = await MerchantServer.start();
    try {
      const paid = await stuck('success');
      await t.dataSource.getRepository(PayOrder).update({ orderNo: paid.orderNo }, { notifyUrl: `${merchant.url}/notify` });
      const env = {
        PATH: process.env.PATH ?? '',
        ...database.env,
        UNIPAY_SIGN_SECRET: t.secret,
        UNIPAY_SANDBOX_ENABLED: 'true',
        UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES: 'false',
      };
      const { stdout } = await run(process.execPath, [CLI, 'sweep'], { env });
      expect(stdout.trim()).toBe('due 1, synced 1, repaired 1, failed 0');
      expect(await t.dataSource.getRepository(MerchantNotification).findOneByOrFail({ orderNo: paid.orderNo })).toMatchObject({ status: 'pending', tries: 0 });
      expect(merchant.requests).toHaveLength(0);
    } finally {
      await merchant.stop();
    }
  });

  it('refuses bad settings with exit code 2 and names them', async () => {
    const failure = run(process.execPath, [CLI, 'sweep'], { env: { PATH: process.env.PATH ?? '', UNIPAY_SWEEP_BATCH_SIZE: 'many' } });
    await expect(failure).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('UNIPAY_SWEEP_BATCH_SIZE') });
  });
});
