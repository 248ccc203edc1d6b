import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { MerchantNotification } from '../src/notify/merchant-notification.entity';
import { newPayOrder } from '../src/order/new-pay-order';
import { PayOrder } from '../src/order/pay-order.entity';
import { OutboxEvent } from '../src/outbox/outbox-event.entity';
import { verifySign } from '../src/sign/daxpay-sign';
import { Shipment } from './host-gateway/shipment.entity';
import { WalletPayment } from './host-gateway/wallet-payment.entity';
import { eventually, MerchantServer } from './support/merchant-server';
import { GATEWAY_MAIN, ServerProcess } from './support/server-process';
import { DaxEnvelope, signedSyncBody, SyncData, testSecret } from './support/test-app';
import { createTestDatabase, dataSourceOptionsOf, TestDatabase } from './support/test-database';

jest.setTimeout(120_000);

/** The gateway's GATEWAY_* settings for the suite's database. */
function gatewayEnv(database: TestDatabase, secret: string, delivers: boolean): Record<string, string> {
  const env = database.env;
  const db =
    env.UNIPAY_DB_TYPE === 'sqlite'
      ? { GATEWAY_DB_TYPE: 'sqlite', GATEWAY_DB: env.UNIPAY_SQLITE_PATH }
      : {
          GATEWAY_DB_TYPE: 'mysql',
          GATEWAY_DB: `mysql://${encodeURIComponent(env.UNIPAY_DB_USER)}:${encodeURIComponent(env.UNIPAY_DB_PASSWORD)}@${env.UNIPAY_DB_HOST}:${env.UNIPAY_DB_PORT}/${env.UNIPAY_DB_NAME}`,
        };
  return { ...db, GATEWAY_MERCHANT_SIGN_SECRET: secret, GATEWAY_DELIVERS: String(delivers), GATEWAY_NOTIFY_PRIVATE_NETWORKS: 'true' };
}

/** The test's own view of the gateway's database (the gateway migrated it). */
function openDatabase(database: TestDatabase): Promise<DataSource> {
  return new DataSource({ ...dataSourceOptionsOf(database), entities: [PayOrder, WalletPayment, Shipment, MerchantNotification, OutboxEvent] }).initialize();
}

/**
 * A gateway process dies (SIGKILL) after a repair committed and before anything was
 * delivered; the next process on the same database delivers the merchant notification once
 * and the event to the host hook once. The dying process delivers nothing: its deliveries
 * are switched off, which puts the kill between the commit and any delivery for sure.
 */
describe('a crash between the repair and its deliveries', () => {
  let database: TestDatabase;
  let merchant: MerchantServer;
  let db: DataSource | undefined;
  const servers: ServerProcess[] = [];
  const secret = testSecret();

  beforeAll(async () => {
    database = await createTestDatabase();
    merchant = await MerchantServer.start();
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await db?.destroy();
    await merchant.stop();
    await database.drop();
  });

  it('loses nothing and sends nothing twice', async () => {
    const first = await ServerProcess.start(gatewayEnv(database, secret, false), 60_000, GATEWAY_MAIN);
    servers.push(first);
    db = await openDatabase(database);
    const serial = `${Date.now()}`;
    const order = newPayOrder({
      orderNo: `C${serial}`,
      bizOrderNo: `SHOP-C${serial}`,
      title: 'crash',
      channel: 'wallet_pay',
      method: 'normal',
      amount: 4200,
      expiredTime: new Date(Date.now() + 15 * 60_000),
      notifyUrl: `${merchant.url}/notify`,
    });
    await db.getRepository(PayOrder).insert(order);
    await db.getRepository(WalletPayment).insert({ orderNo: order.orderNo, amount: 4200, state: 'paid', paidAt: new Date() });

    const response = await fetch(`${first.url}/unipay/sync/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signedSyncBody({ orderNo: order.orderNo }, secret)),
    });
    expect(((await response.json()) as DaxEnvelope<SyncData>).data).toMatchObject({ status: 'pay_success', code: 0 });
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');

    // Committed with the repair, delivered to no one.
    expect(await db.getRepository(PayOrder).findOneByOrFail({ orderNo: order.orderNo })).toMatchObject({ status: 'success' });
    expect(await db.getRepository(MerchantNotification).findOneByOrFail({ orderNo: order.orderNo })).toMatchObject({ status: 'pending', tries: 0 });
    expect(await db.getRepository(OutboxEvent).findOneByOrFail({ orderNo: order.orderNo })).toMatchObject({ hookStatus: 'pending' });
    expect(merchant.requests).toHaveLength(0);
    expect(await db.getRepository(Shipment).countBy({ orderNo: order.orderNo })).toBe(0);

    servers.push(await ServerProcess.start(gatewayEnv(database, secret, true), 60_000, GATEWAY_MAIN));
    await eventually(
      async () => merchant.bodiesFor(order.orderNo).length > 0 && (await db!.getRepository(Shipment).countBy({ orderNo: order.orderNo })) > 0,
      'the notification and the shipment',
      30_000,
    );
    // Anything sent twice would have arrived by now: the rounds run every 5 s, and the first at boot.
    await sleep(6_000);
    const [notice] = merchant.bodiesFor(order.orderNo);
    expect(merchant.bodiesFor(order.orderNo)).toHaveLength(1);
    expect(notice).toMatchObject({ orderNo: order.orderNo, status: 'success', amount: 4200 });
    expect(verifySign(notice, secret, 'HMAC_SHA256')).toBe(true);
    expect(await db.getRepository(Shipment).countBy({ orderNo: order.orderNo })).toBe(1);
    expect(await db.getRepository(MerchantNotification).findOneByOrFail({ orderNo: order.orderNo })).toMatchObject({ status: 'delivered', tries: 1 });
    expect(await db.getRepository(OutboxEvent).findOneByOrFail({ orderNo: order.orderNo })).toMatchObject({ hookStatus: 'delivered', hookAttempts: 0 });
  });
});
