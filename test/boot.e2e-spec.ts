import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { DEMO_SIGN_SECRET } from '../src/app-settings';
import { verifySign } from '../src/sign/daxpay-sign';
import { DaxEnvelope, signedSyncBody, SyncData } from './support/test-app';
import { createTestDatabase, TEST_DB, TestDatabase } from './support/test-database';
import { ServerProcess } from './support/server-process';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

describe('the standalone server', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  it('refuses to start on a bad setting, names it, and keeps the secret out of the log', async () => {
    const secret = 'secret-that-must-not-be-logged';
    const failure = ServerProcess.start({ ...database.env, UNIPAY_SIGN_SECRET: secret, UNIPAY_SIGN_TYPE: 'SHA1', UNIPAY_PORT: 'x' });
    await expect(failure).rejects.toThrow(/server exited with 2/);
    const message = String(await failure.catch((error: Error) => error.message));
    expect(message).toContain('UNIPAY_SIGN_TYPE');
    expect(message).toContain('UNIPAY_PORT');
    expect(message).not.toContain(secret);
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('refuses MySQL without a sign secret', async () => {
    const failure = ServerProcess.start({ UNIPAY_DB_TYPE: 'mysql', UNIPAY_DB_NAME: 'unipay' });
    await expect(failure).rejects.toThrow(/UNIPAY_SIGN_SECRET is required when signing is enabled/);
  });

  if (TEST_DB === 'sqlite') {
    it('on the embedded default serves the endpoint in demo mode with the demo secret', async () => {
      const server = await ServerProcess.start({ UNIPAY_SQLITE_PATH: database.env.UNIPAY_SQLITE_PATH });
      try {
        expect(server.output()).toContain('demo mode');
        expect(server.output()).not.toContain(DEMO_SIGN_SECRET);
        const created = await fetch(`${server.url}/sandbox/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 1999 }),
        });
        const orderNo = ((await created.json()) as DaxEnvelope<{ order: { orderNo: string } }>).data!.order.orderNo;
        const response = await fetch(`${server.url}/unipay/sync/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(signedSyncBody({ orderNo }, DEMO_SIGN_SECRET)),
        });
        const answer = (await response.json()) as DaxEnvelope<SyncData>;
        expect(answer.data).toMatchObject({ status: 'pay_progress', code: 0 });
        expect(verifySign(answer.data as unknown as Record<string, unknown>, DEMO_SIGN_SECRET, 'HMAC_SHA256')).toBe(true);
      } finally {
        expect(await server.stop()).toBe(0);
        expect(server.output()).not.toMatch(/ERROR/);
      }
    });
  }

  it('migrates with the TypeORM CLI, and then serves with migrations at boot turned off', async () => {
    const env = { ...process.env, ...database.env, UNIPAY_SIGN_SECRET: 'test-only-secret' };
    const { stdout } = await run(process.execPath, ['node_modules/typeorm/cli.js', 'migration:run', '-d', 'dist/ormconfig.js'], { cwd: ROOT, env });
    for (const migration of ['CreatePayOrder1764190000000', 'CreateSandboxTrade1764190000001', 'AddPayOrderSyncSchedule1764190000002', 'CreateSyncRecords1764190000003', 'CreateUnipayLease1764190000004']) {
      expect(stdout).toContain(migration);
    }
    if (TEST_DB === 'sqlite') {
      const db = new Database(database.env.UNIPAY_SQLITE_PATH, { readonly: true });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
      db.close();
      expect(tables.map((table) => table.name)).toEqual(
        expect.arrayContaining(['pay_order', 'pay_sync_record', 'pay_repair_record', 'unipay_lease', 'sandbox_trade']),
      );
    }
    const server = await ServerProcess.start({ ...database.env, UNIPAY_SIGN_SECRET: 'test-only-secret', UNIPAY_DB_MIGRATE: 'false' });
    try {
      expect(server.output()).not.toContain('applied migrations');
      const response = await fetch(`${server.url}/unipay/sync/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(signedSyncBody({ orderNo: 'NONE' }, 'test-only-secret')),
      });
      expect(((await response.json()) as DaxEnvelope<SyncData>).data).toMatchObject({ code: 1, msg: '支付订单不存在' });
    } finally {
      await server.stop();
    }
  });
});
