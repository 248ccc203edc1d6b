import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startAlipayEmulatorForQuickStart } from './alipay/alipay-emulator-quick-start';
import { EmulatorServer } from './emulator-server';
import { startUnionPayEmulatorForQuickStart } from './unionpay/unionpay-quick-start';
import { startWechatPayEmulatorForQuickStart } from './wechat/wechat-pay-emulator-start';

/**
 * `npm run emulators`: the three channel emulators on 127.0.0.1 for trying the real
 * channels by hand. Keys are generated once under data/emulators/ (test keys, never real
 * ones), and data/emulators/channels.env holds the server settings that point at them.
 */
async function main(): Promise<void> {
  const dir = resolve(process.env.UNIPAY_EMULATORS_DIR ?? 'data/emulators');
  mkdirSync(dir, { recursive: true });
  const started: { name: string; url: string; emulator: EmulatorServer; env: Record<string, string> }[] = [];
  const alipay = await startAlipayEmulatorForQuickStart(join(dir, 'alipay'), 9101);
  started.push({ name: 'Alipay', ...alipay });
  const wechat = await startWechatPayEmulatorForQuickStart(join(dir, 'wechat'), 9102);
  started.push({ name: 'WeChat Pay', ...wechat });
  const unionpay = await startUnionPayEmulatorForQuickStart(join(dir, 'unionpay'), 9103);
  started.push({ name: 'UnionPay', ...unionpay });

  const envFile = join(dir, 'channels.env');
  const lines = started.flatMap(({ env }) => Object.entries(env).map(([key, value]) => `${key}=${value}`));
  writeFileSync(envFile, `${lines.join('\n')}\n`);
  for (const { name, url } of started) console.log(`${name} emulator on ${url}  (admin: ${url}/__emulator/trades/<orderNo>, ${url}/__emulator/refunds/<refundNo>)`);
  console.log(`server settings written to ${envFile}; start the server with them:`);
  console.log(`  set -a; . ${envFile}; set +a; npm start`);

  const stop = () => {
    void Promise.all(started.map(({ emulator }) => emulator.stop())).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`emulators: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
