import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, MerchantServer } from './support/merchant-server';
import { ServerProcess } from './support/server-process';
import { scalar, seedStuckOrders } from './support/stuck-orders';
import { TestApp, testSecret } from './support/test-app';
import { createTestDatabase, TEST_DB, TestDatabase } from './support/test-database';

jest.setTimeout(150_000);

const SECRET = testSecret();

// Several instances share MySQL/MariaDB in production; the embedded SQLite serves one
// instance (README, "Running several instances"), so this runs on MySQL only.
const describeOnMysql = TEST_DB === 'mysql' ? describe : describe.skip;

describeOnMysql('merchant notifications from several server processes on one database', () => {
  let database: TestDatabase;
  let seeder: TestApp;
  let merchant: MerchantServer;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    seeder = await TestApp.start({ UNIPAY_SIGN_SECRET: SECRET }, database);
    merchant = await MerchantServer.start();
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await seeder.close();
    await merchant.stop();
    await database.drop();
  });

  it('500 orders repaired by the job in two processes: the merchant hears of each exactly once', async () => {
    const total = 500;
    const orderNos = await seedStuckOrders(seeder, total, () => ({ state: 'success', payTime: new Date() }), () => ({ notifyUrl: `${merchant.url}/notify` }));
    const env = {
      ...database.env,
      UNIPAY_SIGN_SECRET: SECRET,
      UNIPAY_SANDBOX_ENABLED: 'true',
      UNIPAY_SWEEP_ENABLED: 'true',
      UNIPAY_SWEEP_INTERVAL_SECONDS: '1',
      UNIPAY_SWEEP_BATCH_SIZE: '50',
      UNIPAY_SWEEP_RATE_PER_SECOND: '100000',
      UNIPAY_NOTIFY_INTERVAL_SECONDS: '1',
      UNIPAY_NOTIFY_BATCH_SIZE: '20',
      UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES: 'false',
    };
    servers = await ServerProcess.startAll([env, env]);

    await eventually(() => merchant.requests.length >= total, 'a notification for every order', 120_000);
    // Give rounds in flight the time to send anything twice.
    await sleep(3_000);
    const received = merchant.requests.map((request) => JSON.parse(request.body) as { orderNo: string; status: string });
    expect(received).toHaveLength(total);
    expect(new Set(received.map((body) => body.orderNo))).toEqual(new Set(orderNos));
    expect(received.every((body) => body.status === 'success')).toBe(true);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_repair_record')).toBe(total);
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM unipay_notification WHERE status = 'delivered' AND tries = 1")).toBe(total);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM unipay_notification_try')).toBe(total);
    // Both processes sent some of them.
    for (const server of servers) expect(server.output()).toMatch(/notification \d+ \(order \S+\) try 1 to http:\/\/127\.0\.0\.1:\d+: delivered/);
  });
});
