import { ServerProcess } from './support/server-process';
import { DaxEnvelope, signedSyncBody, testSecret } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('UNIPAY_PLATFORM_PORT: the platform routes on their own listener', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let platform: string;
  const secret = testSecret();

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await ServerProcess.start({ ...database.env, UNIPAY_SIGN_SECRET: secret, UNIPAY_PLATFORM_PORT: '0', UNIPAY_LOG_FORMAT: 'json' });
    platform = /platform routes on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())![1];
    expect(platform).not.toBe(server.url);
  });

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    await database?.drop();
  });

  const sync = (base: string) =>
    fetch(`${base}/unipay/sync/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signedSyncBody({ orderNo: 'NO-SUCH-ORDER' }, secret)),
    });

  it('serves metrics, health and the document on the platform port only', async () => {
    const metrics = await fetch(`${platform}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('unipay_syncs_total');
    expect((await fetch(`${platform}/health/live`)).status).toBe(200);
    expect((await fetch(`${platform}/health/ready`)).status).toBe(200);
    expect((await fetch(`${platform}/docs-json`)).status).toBe(200);
    for (const path of ['/metrics', '/health/live', '/health/ready', '/docs-json', '/docs']) {
      const refused = await fetch(`${server.url}${path}`);
      expect(refused.status).toBe(404);
      expect(await refused.json()).toMatchObject({ code: 1, msg: '接口不存在', data: null });
    }
  });

  it("serves the merchants' endpoint on the public port only", async () => {
    const answered = await sync(server.url);
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as DaxEnvelope).data).toMatchObject({ code: 1, msg: '支付订单不存在' });
    const refused = await sync(platform);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 1, msg: '接口不存在' });
  });
});
