import { AlipayTestBed, alipayEnv, keyFingerprint } from './support/alipay-test-bed';
import { ServerProcess } from './support/server-process';
import { DaxEnvelope, signedSyncBody, SyncData, testSecret } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

type Line = Record<string, unknown> & { level: string; msg: string; traceId?: string };

/** The server's output as log lines; fails on any line that is not one JSON object. */
function jsonLines(output: string): Line[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as unknown;
      expect(parsed).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
      return parsed as Line;
    });
}

describe('the log, as JSON lines on a server process', () => {
  let bed: AlipayTestBed;
  let database: TestDatabase;
  let server: ServerProcess;
  const secret = testSecret();
  const adminToken = `admin-${testSecret()}`;
  const merchantRef = `ref-${testSecret()}`;

  beforeAll(async () => {
    bed = await AlipayTestBed.start();
    database = await createTestDatabase();
    server = await ServerProcess.start({
      ...database.env,
      ...alipayEnv(bed.keys, bed.url),
      UNIPAY_SIGN_SECRET: secret,
      UNIPAY_ADMIN_TOKEN: adminToken,
      UNIPAY_SANDBOX_ENABLED: 'true',
      UNIPAY_LOG_FORMAT: 'json',
      UNIPAY_LOG_LEVEL: 'debug',
      UNIPAY_LOG_REDACT: 'req.headers["x-merchant-ref"]',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await bed?.stop();
  });

  it("carries a request's traceId on each of its lines, logs a channel failure at warn with its code, and no secret anywhere", async () => {
    const created = await fetch(`${server.url}/sandbox/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1999, channel: 'ali_pay' }),
    });
    const orderNo = ((await created.json()) as DaxEnvelope<{ order: { orderNo: string } }>).data!.order.orderNo;
    bed.emulator.setTrade(orderNo, { trade_status: 'WAIT_BUYER_PAY', failure: 'system_error' });

    const synced = await fetch(`${server.url}/unipay/sync/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-merchant-ref': merchantRef },
      body: JSON.stringify(signedSyncBody({ orderNo }, secret)),
    });
    const answer = (await synced.json()) as DaxEnvelope<SyncData>;
    expect(answer.data).toMatchObject({ code: 1, msg: expect.stringMatching(/^ACQ\.SYSTEM_ERROR/) });
    const listed = await fetch(`${server.url}/admin/sync-records?orderNo=${orderNo}`, { headers: { authorization: `Bearer ${adminToken}` } });
    const listing = (await listed.json()) as DaxEnvelope;
    expect(listing.code).toBe(0);

    // Lines are written synchronously; the request-completed line follows the answer by a moment.
    const deadline = Date.now() + 5000;
    const completed = (traceId: string) => jsonLines(server.output()).some((line) => line.traceId === traceId && line.msg === 'request completed');
    while (!(completed(answer.traceId) && completed(listing.traceId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    const lines = jsonLines(server.output());
    const ofSync = lines.filter((line) => line.traceId === answer.traceId);
    expect(ofSync.map((line) => line.msg)).toEqual([expect.stringMatching(/^channel query failed: ACQ\.SYSTEM_ERROR/), 'request completed']);
    expect(ofSync[0]).toMatchObject({
      level: 'warn',
      context: 'PaySyncService',
      channel: 'ali_pay',
      orderNo,
      step: 'query',
      channelCode: 'ACQ.SYSTEM_ERROR',
    });
    expect(ofSync[1]).toMatchObject({
      level: 'debug',
      req: { method: 'POST', url: '/unipay/sync/pay', headers: { 'x-merchant-ref': '[redacted]' } },
      res: { statusCode: 200 },
    });
    // A line of another request never carries this one's id.
    expect(lines.filter((line) => line.traceId === listing.traceId)).toEqual([
      expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ headers: expect.objectContaining({ authorization: '[redacted]' }) }) }),
    ]);

    const output = server.output();
    for (const secretText of [secret, adminToken, merchantRef, keyFingerprint(bed.keys.merchantPrivateKey)]) {
      expect(output).not.toContain(secretText);
    }
  });
});
