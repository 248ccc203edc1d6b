import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { ConfigError } from '../src/config/settings';
import { newPayOrder } from '../src/order/new-pay-order';
import { PayOrder, PaySyncOutcome, PaySyncService, SyncSource } from 'unipay-sync';
import { GatewayConfig } from './host-gateway/gateway-config';
import { startGateway } from './host-gateway/start-gateway';
import { Shipment } from './host-gateway/shipment.entity';
import { WalletPayment } from './host-gateway/wallet-payment.entity';
import { DaxEnvelope, signedSyncBody, SyncData, testSecret } from './support/test-app';
import { verifySign } from '../src/sign/daxpay-sign';
import { createTestDatabase, dataSourceOptionsOf, TestDatabase } from './support/test-database';

/**
 * SyncModule embedded in a host gateway the way the README shows it (test/host-gateway):
 * the host's own config provider, entity, migration and channel, SyncModule and SweepModule
 * configured through forRootAsync, the host's TypeORM data source running our migrations.
 */
describe('SyncModule embedded in a host gateway', () => {
  let database: TestDatabase;
  let gateway: NestFastifyApplication;
  let url: string;
  const secret = testSecret();

  beforeAll(async () => {
    database = await createTestDatabase();
    gateway = await startGateway(
      new GatewayConfig({ database: dataSourceOptionsOf(database), merchantSignSecret: secret, stuckOrderSweepSeconds: 1, delivers: true, notifyPrivateNetworks: true }),
    );
    url = await gateway.getUrl();
  });

  afterAll(async () => {
    await gateway?.close();
    await database.drop();
  });

  /** A pay order on the host's wallet channel, and the wallet payment behind it. */
  async function walletOrder(payment: Partial<WalletPayment>, expiredTime = new Date(Date.now() + 15 * 60_000)): Promise<PayOrder> {
    const serial = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const dataSource = gateway.get(DataSource);
    const order = newPayOrder({ orderNo: `W${serial}`, bizOrderNo: `SHOP-${serial}`, title: 'wallet order', channel: 'wallet_pay', method: 'normal', amount: 2500, expiredTime });
    await dataSource.getRepository(PayOrder).insert(order);
    await dataSource.getRepository(WalletPayment).insert({ orderNo: order.orderNo, amount: 2500, state: 'pending', paidAt: null, ...payment });
    return dataSource.getRepository(PayOrder).findOneByOrFail({ orderNo: order.orderNo });
  }

  it('syncs an order on the host channel over HTTP: a signed pay_success and the order repaired', async () => {
    const paidAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const order = await walletOrder({ state: 'paid', paidAt });
    const response = await fetch(`${url}/unipay/sync/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signedSyncBody({ bizOrderNo: order.bizOrderNo }, secret)),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as DaxEnvelope<SyncData>;
    expect(answer).toMatchObject({ code: 0, msg: 'success', data: { status: 'pay_success', code: 0 } });
    expect(verifySign(answer.data as unknown as Record<string, unknown>, secret, 'HMAC_SHA256')).toBe(true);
    const repaired = await gateway.get(DataSource).getRepository(PayOrder).findOneByOrFail({ orderNo: order.orderNo });
    expect(repaired).toMatchObject({ status: 'success', outOrderNo: `W-${order.orderNo}`, payTime: paidAt, version: order.version + 1 });
  });

  it('hands the repair to the host hook, which ships the goods once', async () => {
    const order = await walletOrder({ state: 'paid', paidAt: new Date() });
    const sync = await gateway.get(PaySyncService).sync({ orderNo: order.orderNo, source: SyncSource.MANUAL });
    expect(sync).toMatchObject({ kind: 'repaired' });
    const shipments = gateway.get(DataSource).getRepository(Shipment);
    for (let waited = 0; (await shipments.countBy({ orderNo: order.orderNo })) === 0 && waited < 10_000; waited += 100) await sleep(100);
    const [shipment] = await shipments.findBy({ orderNo: order.orderNo });
    expect(shipment.eventId).toBe(`evt_${sync.kind === 'repaired' ? sync.repair.repairNo : ''}`);
  });

  it('answers a request signed with another secret with 20052, in the DaxPay envelope', async () => {
    const order = await walletOrder({ state: 'paid', paidAt: new Date() });
    const response = await fetch(`${url}/unipay/sync/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signedSyncBody({ orderNo: order.orderNo }, 'not-the-merchant-secret')),
    });
    expect(await response.json()).toMatchObject({ code: 20052, data: null });
    expect((await gateway.get(DataSource).getRepository(PayOrder).findOneByOrFail({ orderNo: order.orderNo })).status).toBe('progress');
  });

  it('gives the host PaySyncService, which answers what happened', async () => {
    const sync = (orderNo: string): Promise<PaySyncOutcome> => gateway.get(PaySyncService).sync({ orderNo, source: SyncSource.MANUAL });
    const pending = await walletOrder({ state: 'pending' });
    expect(await sync(pending.orderNo)).toEqual({ kind: 'unchanged', status: 'pay_progress' });
    // A state the host channel cannot read is its ChannelError: a failure, nothing changes.
    const odd = await walletOrder({ state: 'refunded' as WalletPayment['state'] });
    expect(await sync(odd.orderNo)).toEqual({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message: 'wallet payment in an unknown state' });
    expect((await gateway.get(DataSource).getRepository(PayOrder).findOneByOrFail({ orderNo: odd.orderNo })).status).toBe('progress');
  });

  it('runs the scheduled job on the host timer: an expired order is closed at the host channel and here', async () => {
    const order = await walletOrder({ state: 'pending' }, new Date(Date.now() - 1000));
    const dataSource = gateway.get(DataSource);
    let status = order.status;
    for (let waited = 0; status === 'progress' && waited < 15_000; waited += 200) {
      await sleep(200);
      status = (await dataSource.getRepository(PayOrder).findOneByOrFail({ orderNo: order.orderNo })).status;
    }
    expect(status).toBe('close');
    expect(await dataSource.getRepository(WalletPayment).findOneByOrFail({ orderNo: order.orderNo })).toMatchObject({ state: 'void' });
  });

  it('refuses to boot on a bad setting from the host, naming it', async () => {
    const failing = startGateway(
      new GatewayConfig({ database: { type: 'better-sqlite3', database: ':memory:' }, merchantSignSecret: '', stuckOrderSweepSeconds: null, delivers: false, notifyPrivateNetworks: false }),
    );
    await expect(failing).rejects.toThrow(ConfigError);
    await expect(failing).rejects.toThrow(/UNIPAY_SIGN_SECRET/);
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n\/\/ (test\/host-gateway\/[\w.-]+)\n([\s\S]*?)```/g)];
    expect(blocks.map(([, file]) => file).sort()).toEqual([
      'test/host-gateway/gateway.module.ts',
      'test/host-gateway/ship-on-payment.handler.ts',
      'test/host-gateway/start-gateway.ts',
      'test/host-gateway/wallet-pay.channel.ts',
    ]);
    for (const [, file, code] of blocks) {
      expect([file, code.trim()]).toEqual([file, readFileSync(join(__dirname, '..', file), 'utf8').trim()]);
    }
  });
});
