import { seedStuckOrders } from './support/stuck-orders';
import { TestApp } from './support/test-app';

interface HealthAnswer {
  status: 'ok' | 'error';
  info: Record<string, { status: string } & Record<string, unknown>>;
  error: Record<string, { status: string; message?: string } & Record<string, unknown>>;
}

async function probe(t: TestApp, route: 'live' | 'ready'): Promise<{ status: number; body: HealthAnswer }> {
  const response = await fetch(`${t.url}/health/${route}`);
  return { status: response.status, body: (await response.json()) as HealthAnswer };
}

/** Probes until `until` holds, for at most `ms`; returns the last answer. */
async function probeUntil(t: TestApp, route: 'live' | 'ready', until: (status: number) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let answer = await probe(t, route);
  while (!until(answer.status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await probe(t, route);
  }
  return answer;
}

describe('GET /health/live and /health/ready', () => {
  it('are up on a served, migrated database, and name what they checked', async () => {
    const t = await TestApp.start();
    try {
      const live = await probe(t, 'live');
      expect(live).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', info: { database: { status: 'up' } } }) });
      const ready = await probe(t, 'ready');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect(ready.body.info.database).toEqual({ status: 'up', responseTime: expect.any(Number) });
      expect(ready.body.info.migrations).toEqual({ status: 'up', applied: t.dataSource.migrations.length });
      expect(t.dataSource.migrations.length).toBeGreaterThan(5);
      // The sweep is off in this server: it registers no check.
      expect(ready.body.info.sweep).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('are both down, 503 with the reason, once the database connection is stopped', async () => {
    const t = await TestApp.start();
    try {
      await t.dataSource.destroy();
      const live = await probe(t, 'live');
      expect(live.status).toBe(503);
      expect(live.body).toMatchObject({ status: 'error', error: { database: { status: 'down', message: 'the database connection is closed' } } });
      const ready = await probe(t, 'ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { database: { status: 'down' }, migrations: { status: 'down', message: 'the database connection is closed' } },
      });
    } finally {
      await t.close();
    }
  });

  it('ready is down while a migration of this code is not applied; live stays up', async () => {
    const t = await TestApp.start();
    try {
      const [last] = (await t.dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as { name: string }[];
      await t.dataSource.query('DELETE FROM migrations WHERE name = ?', [last.name]);
      const ready = await probe(t, 'ready');
      expect(ready.status).toBe(503);
      expect(ready.body.error).toEqual({ migrations: { status: 'down', message: '1 migration(s) not applied', pending: [last.name] } });
      expect(ready.body.info.database).toEqual({ status: 'up', responseTime: expect.any(Number) });
      expect((await probe(t, 'live')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('ready is down while the sweep makes no progress for longer than UNIPAY_SWEEP_STUCK_SECONDS, and up again after', async () => {
    const t = await TestApp.start({
      UNIPAY_SWEEP_ENABLED: 'true',
      UNIPAY_SWEEP_INTERVAL_SECONDS: '1',
      UNIPAY_SWEEP_STUCK_SECONDS: '2',
      UNIPAY_SWEEP_GRACE_SECONDS: '0',
    });
    try {
      expect((await probe(t, 'ready')).body.info.sweep).toEqual({ status: 'up' });
      // The channel takes 4.5 s to answer: the round in flight makes no progress meanwhile.
      await seedStuckOrders(t, 1, () => ({ delayMs: 4500 }));
      const stuck = await probeUntil(t, 'ready', (status) => status === 503, 4000);
      expect(stuck.status).toBe(503);
      expect(stuck.body.error).toEqual({
        sweep: { status: 'down', message: expect.stringMatching(/^no sweep round finished and no order synced for [2-9]s \(UNIPAY_SWEEP_STUCK_SECONDS=2\)$/) },
      });
      expect((await probe(t, 'live')).status).toBe(200);
      const recovered = await probeUntil(t, 'ready', (status) => status === 200, 5000);
      expect(recovered.status).toBe(200);
      expect(recovered.body.info.sweep).toEqual({ status: 'up' });
    } finally {
      await t.close();
    }
  });
});
