import { ServerProcess } from './support/server-process';
import { DaxEnvelope, signedSyncBody, SyncData, testSecret } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

interface OrderView {
  order: { orderNo: string; status: string };
  trade: { queryCount: number } | null;
  syncRecords: { syncStatus: string; repaired: boolean }[];
}

async function call<T>(url: string, method = 'GET', body?: unknown): Promise<DaxEnvelope<T>> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as DaxEnvelope<T>;
}

/** A sandbox order whose channel says paid, answering each query after `delayMs`. */
async function slowPaidOrder(server: ServerProcess, delayMs: number): Promise<string> {
  const created = await call<OrderView>(`${server.url}/sandbox/orders`, 'POST', { amount: 1999 });
  const orderNo = created.data!.order.orderNo;
  await call(`${server.url}/sandbox/trades/${orderNo}`, 'PUT', { state: 'success', delayMs });
  return orderNo;
}

async function view(url: string, orderNo: string): Promise<OrderView> {
  return (await call<OrderView>(`${url}/sandbox/orders/${orderNo}`)).data!;
}

/** Waits until the sandbox channel has been asked about every order (the syncs are in flight). */
async function untilQueried(server: ServerProcess, orderNos: string[], ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const views = await Promise.all(orderNos.map((orderNo) => view(server.url, orderNo)));
    if (views.every((entry) => (entry.trade?.queryCount ?? 0) >= 1)) return;
    if (Date.now() > deadline) throw new Error('the syncs never reached the channel');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(server: ServerProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) resolve(server.child.exitCode ?? server.child.signalCode);
    else server.child.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

describe('graceful shutdown (SIGTERM to a server process)', () => {
  let database: TestDatabase;
  const secret = testSecret();
  const env = () => ({ ...database.env, UNIPAY_SIGN_SECRET: secret, UNIPAY_SANDBOX_ENABLED: 'true', UNIPAY_LOG_FORMAT: 'json' });

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  it('refuses new connections at once, answers every request in flight with its repair committed, then exits 0', async () => {
    const server = await ServerProcess.start(env());
    const orderNos = await Promise.all(Array.from({ length: 8 }, () => slowPaidOrder(server, 1500)));
    const answers = orderNos.map((orderNo) =>
      fetch(`${server.url}/unipay/sync/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(signedSyncBody({ orderNo }, secret)),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as DaxEnvelope<SyncData> })),
    );
    await untilQueried(server, orderNos);
    const exit = exited(server);
    server.child.kill('SIGTERM');
    // The listener is closed right away, while the eight are still waiting for the channel.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();

    const settled = await Promise.all(answers);
    for (const answer of settled) {
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ code: 0, data: { status: 'pay_success', code: 0 } });
    }
    expect(await exit).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);

    // What they answered was committed: a new server finds every order paid and its record finished.
    const again = await ServerProcess.start(env());
    try {
      for (const orderNo of orderNos) {
        const after = await view(again.url, orderNo);
        expect(after.order.status).toBe('success');
        expect(after.syncRecords).toEqual([expect.objectContaining({ syncStatus: 'pay_success', repaired: true })]);
      }
    } finally {
      await again.stop();
    }
  });

  it('lets a scheduled sync in flight finish before exiting 0', async () => {
    const server = await ServerProcess.start({
      ...env(),
      UNIPAY_SWEEP_ENABLED: 'true',
      UNIPAY_SWEEP_INTERVAL_SECONDS: '1',
      UNIPAY_SWEEP_GRACE_SECONDS: '0',
    });
    const orderNo = await slowPaidOrder(server, 2000);
    await untilQueried(server, [orderNo]);
    const exit = exited(server);
    server.child.kill('SIGTERM');
    expect(await exit).toBe(0);

    const again = await ServerProcess.start(env());
    try {
      const after = await view(again.url, orderNo);
      expect(after.order.status).toBe('success');
      expect(after.syncRecords).toEqual([expect.objectContaining({ syncStatus: 'pay_success', repaired: true })]);
    } finally {
      await again.stop();
    }
  });
});
