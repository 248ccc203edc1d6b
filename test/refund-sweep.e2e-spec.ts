import { setTimeout as sleep } from 'node:timers/promises';
import { RefundOrder } from '../src/refund/refund-order.entity';
import { NEVER } from '../src/sweep/refund-reschedule';
import { PaySyncJob } from '../src/sweep/pay-sync.job';
import { scalar } from './support/stuck-orders';
import { ServerProcess } from './support/server-process';
import { DaxEnvelope, SyncData, TestApp, testSecret } from './support/test-app';
import { createTestDatabase, TEST_DB, TestDatabase } from './support/test-database';

/** A refund of 1.00 of a paid 10.00 order, sent to the channel `sentSecondsAgo` ago, answered as scripted. */
async function refundAnswered(t: TestApp, fields: Record<string, unknown>, answer: Record<string, unknown> | null): Promise<RefundOrder> {
  const order = await t.createOrder({ amount: 1000, status: 'success' });
  const created = await t.post<DaxEnvelope<{ refund: RefundOrder }>>('/sandbox/refunds', { orderNo: order.orderNo, amount: 100, ...fields });
  if (created.body.code !== 0) throw new Error(created.text);
  const refund = created.body.data!.refund;
  if (answer) {
    const response = await fetch(`${t.url}/sandbox/refund-answers/${refund.refundNo}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(answer),
    });
    expect(((await response.json()) as DaxEnvelope).code).toBe(0);
  }
  return refund;
}

const row = (t: TestApp, refund: RefundOrder) => t.dataSource.getRepository(RefundOrder).findOneByOrFail({ refundNo: refund.refundNo });

describe('the scheduled job syncs stuck refunds in the same round as pay orders', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await TestApp.start();
  });

  afterEach(async () => {
    await t.close();
  });

  it('claims due progress refunds only, syncs each once, and reschedules on the refund ladder', async () => {
    const paid = await refundAnswered(t, { sentSecondsAgo: 120 }, { state: 'success' });
    const waiting = await refundAnswered(t, { sentSecondsAgo: 120 }, { state: 'processing' });
    const failed = await refundAnswered(t, { sentSecondsAgo: 120 }, { state: 'failed', errorMsg: 'closed by the channel' });
    const tooFresh = await refundAnswered(t, { sentSecondsAgo: 10 }, { state: 'success' });
    const leftToTheMerchant = await refundAnswered(t, { status: 'fail', sentSecondsAgo: 120 }, { state: 'success' });
    const job = t.app.get(PaySyncJob);

    const started = Date.now();
    const round = await job.runRound();
    expect(round.refunds).toEqual({ due: 3, synced: 3, repaired: 2, failed: 0 });
    expect(await row(t, paid)).toMatchObject({ status: 'success', syncCount: 1, syncLeaseOwner: null });
    expect(await row(t, failed)).toMatchObject({ status: 'close', errorMsg: 'closed by the channel' });
    const next = await row(t, waiting);
    expect(next).toMatchObject({ status: 'progress', syncCount: 1, syncLeaseOwner: null, syncLeaseUntil: null });
    // Sent two minutes ago: the next check is a minute away.
    expect(next.syncNextTime!.getTime()).toBeGreaterThanOrEqual(started + 59_000);
    expect(next.syncNextTime!.getTime()).toBeLessThanOrEqual(Date.now() + 61_000);
    for (const untouched of [tooFresh, leftToTheMerchant]) expect(await row(t, untouched)).toMatchObject({ syncCount: 0, version: 0 });
    const records = (await t.dataSource.query("SELECT refund_no, source FROM pay_sync_record WHERE sync_type = 'refund' ORDER BY id")) as { refund_no: string; source: string }[];
    expect(records.map((record) => record.source)).toEqual(['scheduled', 'scheduled', 'scheduled']);

    // Nothing is due again until its next time.
    expect((await job.runRound()).refunds).toEqual({ due: 0, synced: 0, repaired: 0, failed: 0 });
  });

  it('skips a refund a merchant is syncing now, and stops following one past the maximum age', async () => {
    const held = await refundAnswered(t, { sentSecondsAgo: 120 }, { state: 'processing', delayMs: 1500 });
    const old = await refundAnswered(t, { sentSecondsAgo: 31 * 86400 }, { state: 'processing' });
    const oldButDone = await refundAnswered(t, { sentSecondsAgo: 31 * 86400 }, { state: 'success' });
    const merchant = t.post<DaxEnvelope<SyncData>>('/unipay/sync/refund', t.signedSyncBody({ refundNo: held.refundNo }));
    // Wait until the merchant's sync holds the refund (it is at the channel, which takes 1.5 s).
    const asked = async () => ((await (await fetch(`${t.url}/sandbox/refunds/${held.refundNo}`)).json()) as DaxEnvelope<{ channel: { queryCount: number } }>).data!.channel.queryCount;
    for (let waited = 0; (await asked()) < 1 && waited < 5000; waited += 20) await sleep(20);
    const round = await t.app.get(PaySyncJob).runRound();
    expect(round.refunds).toMatchObject({ due: 2, synced: 2, repaired: 1 });
    expect((await merchant).body.data).toMatchObject({ status: 'refund_progress' });
    expect(await row(t, held)).toMatchObject({ syncCount: 0 });
    expect(await row(t, old)).toMatchObject({ status: 'progress', syncCount: 1, syncNextTime: NEVER });
    const kinds = (await t.dataSource.query('SELECT kind FROM unipay_anomaly WHERE refund_no = ?', [old.refundNo])) as { kind: string }[];
    expect(kinds.map((entry) => entry.kind)).toEqual(['refund_sync_exhausted']);
    // Repaired by its last check: nothing left to follow, so no anomaly.
    expect(await row(t, oldButDone)).toMatchObject({ status: 'success' });
    expect(await t.dataSource.query('SELECT kind FROM unipay_anomaly WHERE refund_no = ?', [oldButDone.refundNo])).toEqual([]);
    // Next round: the refund the merchant let go of is taken; the old one never again.
    expect((await t.app.get(PaySyncJob).runRound()).refunds.due).toBe(1);
    expect(await row(t, held)).toMatchObject({ syncCount: 1 });
    expect(await row(t, old)).toMatchObject({ syncCount: 1 });
  });
});

// Several instances share MySQL/MariaDB in production; the embedded SQLite serves one instance.
const describeOnMysql = TEST_DB === 'mysql' ? describe : describe.skip;

describeOnMysql('refunds across server processes on one database', () => {
  const secret = testSecret();
  let database: TestDatabase;
  let seeder: TestApp;
  let servers: ServerProcess[] = [];
  const env = (extra: Record<string, string> = {}) => ({
    ...database.env,
    UNIPAY_SIGN_SECRET: secret,
    UNIPAY_SANDBOX_ENABLED: 'true',
    UNIPAY_SWEEP_RATE_PER_SECOND: '100000',
    ...extra,
  });

  beforeEach(async () => {
    database = await createTestDatabase();
    seeder = await TestApp.start({ UNIPAY_SIGN_SECRET: secret }, database);
  });

  afterEach(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    servers = [];
    await seeder.close();
    await database.drop();
  });

  jest.setTimeout(120_000);

  it('20 parallel syncs of one refund over two processes repair it once, with one event and one notification', async () => {
    servers = await ServerProcess.startAll([env(), env()]);
    const refund = await refundAnswered(seeder, { notifyUrl: 'http://127.0.0.1:9/refund-notify' }, { state: 'success', delayMs: 300 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await fetch(`${servers[i % 2].url}/unipay/sync/refund`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(seeder.signedSyncBody({ refundNo: refund.refundNo })),
        });
        return (await response.json()) as DaxEnvelope<SyncData>;
      }),
    );
    for (const answer of answers) {
      if (answer.code === 10007) expect(answer.msg).toBe('退款同步处理中，请勿重复操作');
      else expect(answer).toMatchObject({ code: 0, data: { status: 'refund_success', code: 0 } });
    }
    expect(answers.filter((answer) => answer.code === 0).length).toBeGreaterThanOrEqual(1);
    expect(await scalar(seeder, `SELECT COUNT(*) AS n FROM refund_repair_record WHERE refund_no = '${refund.refundNo}'`)).toBe(1);
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM unipay_outbox_event WHERE type = 'refund_order.success'")).toBe(1);
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM unipay_notification WHERE kind = 'refund'")).toBe(1);
    expect(await scalar(seeder, `SELECT COUNT(*) AS n FROM pay_sync_record WHERE refund_no = '${refund.refundNo}' AND repaired = 1`)).toBe(1);
  });

  it('two sweeping processes query every due refund exactly once', async () => {
    const total = 120;
    // Each answer takes 50 ms, so neither process can drain them all before the other starts.
    for (let i = 0; i < total; i += 1) await refundAnswered(seeder, { sentSecondsAgo: 120 }, { state: i % 3 === 0 ? 'success' : 'processing', delayMs: 50 });
    const sweeping = { UNIPAY_SWEEP_ENABLED: 'true', UNIPAY_SWEEP_INTERVAL_SECONDS: '1', UNIPAY_SWEEP_BATCH_SIZE: '7', UNIPAY_SWEEP_CONCURRENCY: '4' };
    servers = await ServerProcess.startAll([env(sweeping), env(sweeping)]);
    const deadline = Date.now() + 60_000;
    while ((await scalar(seeder, "SELECT COUNT(*) AS n FROM pay_sync_record WHERE sync_type = 'refund'")) < total && Date.now() < deadline) await sleep(250);
    await sleep(1500);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM sandbox_refund WHERE query_count <> 1')).toBe(0);
    expect(await scalar(seeder, "SELECT COUNT(*) AS n FROM pay_sync_record WHERE sync_type = 'refund' AND source = 'scheduled'")).toBe(total);
    expect(await scalar(seeder, 'SELECT COUNT(*) AS n FROM refund_repair_record')).toBe(total / 3);
    // Both processes took part.
    for (const server of servers) expect(server.output()).toMatch(/sweep refunds: due [1-9]/);
  });
});
