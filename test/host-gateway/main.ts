import 'reflect-metadata';
import { GatewayConfig } from './gateway-config';
import { startGateway } from './start-gateway';

/** The gateway as its own process, configured from its own environment (GATEWAY_*). */
async function main(): Promise<void> {
  const env = process.env;
  const database =
    env.GATEWAY_DB_TYPE === 'mysql'
      ? { type: 'mysql' as const, url: env.GATEWAY_DB, timezone: 'Z', supportBigNumbers: true, bigNumberStrings: false }
      : { type: 'better-sqlite3' as const, database: env.GATEWAY_DB ?? 'gateway.sqlite' };
  const app = await startGateway(
    new GatewayConfig({
      database,
      merchantSignSecret: env.GATEWAY_MERCHANT_SIGN_SECRET ?? '',
      stuckOrderSweepSeconds: env.GATEWAY_SWEEP_SECONDS ? Number(env.GATEWAY_SWEEP_SECONDS) : null,
      delivers: env.GATEWAY_DELIVERS !== 'false',
      notifyPrivateNetworks: env.GATEWAY_NOTIFY_PRIVATE_NETWORKS === 'true',
    }),
    Number(env.GATEWAY_PORT ?? 0),
  );
  console.log(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
