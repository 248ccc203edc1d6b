import { setTimeout as sleep } from 'node:timers/promises';
import { TestApp, testSecret } from './support/test-app';
import { scalar, seedStuckOrders as seed } from './support/stuck-orders';
import { createTestDatabase, TEST_DB, TestDatabase } from './support/test-database';
import { ServerProcess } from './support/server-process';

const SECRET = testSecret();

/** Server processes with the job on, a round every second, claims held for 10 s. */
function sweepEnv(database: TestDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...database.env,
    UNIPAY_SIGN_SECRET: SECRET,
    UNIPAY_SANDBOX_ENABLED: 'true',
    UNIPAY_SWEEP_ENABLED: 'true',
    UNIPAY_SWEEP_INTERVAL_SECONDS: '1',
    UNIPAY_SWEEP_LEASE_SECONDS: '10',
    // A killed process also leaves the per-order sync locks of its syncs in flight.
    UNIPAY_SYNC_LOCK_SECONDS: '10',
    UNIPAY_SWEEP_BUSY_RETRY_SECONDS: '2',
    UNIPAY_SWEEP_BATCH_SIZE: '100',
    UNIPAY_SWEEP_CONCURRENCY: '8',
    UNIPAY_SWEEP_RATE_PER_SECOND: '100000',
    ...extra,
  };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Sums the "sweep: due N" lines a server logged. */
function dueLogged(server: ServerProcess): number {
  return [...server.output().matchAll(/sweep: due (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

jest.setTimeout(150_000);

// Several instances share MySQL/MariaDB in production; the embedded SQLite serves one
// instance (README, "Running several instances"), so these run on MySQL only.
const describeOnMysql = TEST_DB === 'mysql' ? describe : describe.skip;

describeOnMysql('the scheduled sync in several server processes on one database', () => {
  let database: TestDatabase;
  let seeder: TestApp;
  let servers: ServerProcess[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    // Migrates the database and writes the orders the way the gateway would.
    seeder = await TestApp.start({ UNIPAY_SIGN_SECRET: SECRET }, database);
  });

  afterEach(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    servers = [];
    await seeder.close();
    await database.drop();
  });

  it('two processes sync thousands of due orders: each queried exactly once, none repaired twice', async () => {
    const total = 2000;
    servers = await ServerProcess.startAll([sweepEnv(database), sweepEnv(database)]);
    // One in four has been paid; the rest still wait for the buyer.
    await seed(seeder, total, (i) => (i % 4 === 0 ? { state: 'success', payTime: new Date() } : {}));

    await waitFor(
      'every order to be synced',
      async () => (await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_sync_record')) >= total,
      120_000,
    );
    // Give a round in flight the time to finish, then look.
    await sleep(1500);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM sandbox_trade WHERE query_count <> 1')).toBe(0);
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM pay_sync_record WHERE source = 'scheduled'")).toBe(total);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_repair_record')).toBe(total / 4);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM (SELECT order_id FROM pay_repair_record GROUP BY order_id HAVING COUNT(*) > 1) twice')).toBe(0);
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM pay_order WHERE status = 'success'")).toBe(total / 4);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_order WHERE sync_lease_owner IS NOT NULL')).toBe(0);
    // The waiting ones are rescheduled a minute out, after one scheduled sync each.
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM pay_order WHERE status = 'progress' AND (sync_count <> 1 OR sync_next_time IS NULL)")).toBe(0);
    // Both processes took part, and between them claimed each order once.
    const [a, b] = servers.map(dueLogged);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a + b).toBe(total);
  });

  it('the claims of a process killed mid-round are finished by another after the lease', async () => {
    const total = 300;
    // Paid trades on a slow channel: the first process is surely mid-round when it dies.
    await seed(seeder, total, () => ({ state: 'success', payTime: new Date(), delayMs: 60 }));
    const first = await ServerProcess.start(sweepEnv(database, { UNIPAY_SWEEP_CONCURRENCY: '4', UNIPAY_SWEEP_BATCH_SIZE: '40' }));
    servers.push(first);
    await waitFor('the first process to repair some orders', async () => (await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_repair_record')) >= 20, 60_000);
    await first.stop('SIGKILL');
    const stranded = await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_order WHERE sync_lease_owner IS NOT NULL');
    const repairedBefore = await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_repair_record');
    expect(stranded).toBeGreaterThan(0);
    expect(repairedBefore).toBeLessThan(total);

    const second = await ServerProcess.start(sweepEnv(database, { UNIPAY_SWEEP_CONCURRENCY: '8' }));
    servers.push(second);
    await waitFor(
      'every order to be repaired',
      async () => (await scalar(seeder, "SELECT COUNT(*) AS n FROM pay_order WHERE status = 'success'")) === total,
      90_000,
    );
    await sleep(500);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM pay_repair_record')).toBe(total);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM (SELECT order_id FROM pay_repair_record GROUP BY order_id HAVING COUNT(*) > 1) twice')).toBe(0);
    // The dead process may have repaired an order and died before handing its claim back;
    // such a claim sits on a finished order and is never looked at again.
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM pay_order WHERE sync_lease_owner IS NOT NULL AND status = 'progress'")).toBe(0);
    // Only orders the dead process had claimed could have been asked twice.
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM sandbox_trade WHERE query_count = 0')).toBe(0);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM sandbox_trade WHERE query_count > 1')).toBeLessThanOrEqual(stranded);
  });
});
