import 'reflect-metadata';
import { ModuleMetadata } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppSettings } from '../../src/app-settings';
import { createApp } from '../../src/create-app';
import { newPayOrder } from '../../src/order/new-pay-order';
import { PayOrder } from '../../src/order/pay-order.entity';
import { SandboxTrade } from '../../src/sandbox/sandbox-trade.entity';
import { sign, verifySign } from '../../src/sign/daxpay-sign';
import { SignSettings } from '../../src/sign/sign.settings';
import { SignType } from '../../src/sign/sign-type';
import { PayRepairRecord } from '../../src/sync/pay-repair-record.entity';
import { PaySyncRecord } from '../../src/sync/pay-sync-record.entity';
import { createTestDatabase, TestDatabase } from './test-database';

/** A sign secret made for this test run only. */
export function testSecret(): string {
  return `test-${randomBytes(16).toString('hex')}`;
}

export interface DaxEnvelope<T = Record<string, unknown>> {
  code: number;
  msg: string;
  data: T | null;
  traceId: string;
}

export interface SyncData {
  status?: string;
  code: number;
  msg?: string;
  resTime: number;
  sign?: string;
}

/** A signed sync request with a fresh reqTime and nonce, unless the fields say otherwise. */
export function signedSyncBody(fields: Record<string, unknown>, secret: string, signType: SignType = 'HMAC_SHA256'): Record<string, unknown> {
  const body: Record<string, unknown> = {
    reqTime: Math.floor(Date.now() / 1000),
    nonceStr: randomBytes(8).toString('hex'),
    ...fields,
  };
  body.sign = sign(body, secret, signType);
  return body;
}

/** The real AppModule on a fresh database, served on 127.0.0.1 at a free port. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly settings: AppSettings,
    readonly url: string,
    private readonly database: TestDatabase,
    private readonly ownsDatabase: boolean,
  ) {}

  /**
   * Boots a server. Pass `database` to share one database between several servers, and
   * `extra` for modules of a host's own (event handlers, channels).
   */
  static async start(env: Record<string, string> = {}, database?: TestDatabase, extra: NonNullable<ModuleMetadata['imports']> = []): Promise<TestApp> {
    const db = database ?? (await createTestDatabase());
    const settings = AppSettings.load({
      UNIPAY_SIGN_SECRET: testSecret(),
      UNIPAY_SANDBOX_ENABLED: 'true',
      UNIPAY_LOG_LEVEL: 'error',
      // The scheduled job would race the tests of the endpoint; its own tests turn it on.
      UNIPAY_SWEEP_ENABLED: 'false',
      // Notifications go to the tests' merchant servers on 127.0.0.1.
      UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES: 'false',
      ...db.env,
      ...env,
    });
    const app = await createApp(settings, extra);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new TestApp(app, settings, `http://127.0.0.1:${port}`, db, database === undefined);
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  get secret(): string {
    return this.settings.of(SignSettings).UNIPAY_SIGN_SECRET;
  }

  get signType(): SignType {
    return this.settings.of(SignSettings).UNIPAY_SIGN_TYPE;
  }

  async close(): Promise<void> {
    await this.app.close();
    if (this.ownsDatabase) await this.database.drop();
  }

  /** POSTs a body as it is: a string is sent raw, anything else as JSON. */
  async post<T = unknown>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; text: string }> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as T, text };
  }

  /** A signed sync request with a fresh reqTime and nonce, unless the fields say otherwise. */
  signedSyncBody(fields: Record<string, unknown>): Record<string, unknown> {
    return signedSyncBody(fields, this.secret, this.signType);
  }

  async syncPay(fields: Record<string, unknown>): Promise<DaxEnvelope<SyncData>> {
    const response = await this.post<DaxEnvelope<SyncData>>('/unipay/sync/pay', this.signedSyncBody(fields));
    expect(response.status).toBe(200);
    return response.body;
  }

  /** True when `data` carries a valid signature from the server. */
  verifies(data: object): boolean {
    return verifySign(data as Record<string, unknown>, this.secret, this.signType);
  }

  async createOrder(dto: Record<string, unknown>): Promise<PayOrder> {
    const response = await this.post<DaxEnvelope<{ order: PayOrder }>>('/sandbox/orders', dto);
    if (response.body.code !== 0) throw new Error(`createOrder failed: ${response.text}`);
    return response.body.data!.order;
  }

  /**
   * Writes a pay order as the gateway would, on any channel (the sandbox admin API only makes
   * sandbox orders). Defaults: a `progress` order of 19.99 yuan expiring in 15 minutes.
   */
  async insertOrder(fields: Partial<PayOrder> & Pick<PayOrder, 'channel'>): Promise<PayOrder> {
    const now = new Date();
    const serial = `${Date.now()}${randomBytes(3).toString('hex')}`;
    const order = newPayOrder(
      {
        orderNo: `T${serial}`,
        bizOrderNo: `B${serial}`,
        title: 'test order',
        method: 'test',
        amount: 1999,
        expiredTime: new Date(now.getTime() + 15 * 60_000),
        ...fields,
      },
      now,
    );
    await this.dataSource.getRepository(PayOrder).insert(order);
    return this.order(order.orderNo);
  }

  async setTrade(orderNo: string, dto: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.url}/sandbox/trades/${orderNo}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(dto),
    });
    const body = (await response.json()) as DaxEnvelope;
    if (body.code !== 0) throw new Error(`setTrade failed: ${JSON.stringify(body)}`);
  }

  order(orderNo: string): Promise<PayOrder> {
    return this.dataSource.getRepository(PayOrder).findOneByOrFail({ orderNo });
  }

  trade(orderNo: string): Promise<SandboxTrade> {
    return this.dataSource.getRepository(SandboxTrade).findOneByOrFail({ orderNo });
  }

  syncRecords(orderNo: string): Promise<PaySyncRecord[]> {
    return this.dataSource.getRepository(PaySyncRecord).find({ where: { orderNo }, order: { id: 'ASC' } });
  }

  repairRecords(orderNo: string): Promise<PayRepairRecord[]> {
    return this.dataSource.getRepository(PayRepairRecord).find({ where: { orderNo }, order: { id: 'ASC' } });
  }

  /** Row counts of every table the sync writes, to prove a rejected request wrote nothing. */
  async tableCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ['pay_order', 'pay_sync_record', 'pay_repair_record', 'unipay_lease', 'sandbox_trade', 'unipay_outbox_event', 'unipay_notification', 'unipay_anomaly', 'refund_order', 'refund_repair_record', 'sandbox_refund']) {
      const [row] = (await this.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[];
      counts[table] = Number(row.n);
    }
    return counts;
  }
}
