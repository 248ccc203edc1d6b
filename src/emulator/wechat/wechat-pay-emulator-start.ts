import { resolve } from 'node:path';
import { keySetIn } from '../key-store';
import { WechatPayEmulator } from './wechat-pay-emulator';
import { generateWechatPayKeySet, WechatPayKeySet } from './wechat-pay-emulator-keys';

export interface StartedWechatPayEmulator {
  emulator: WechatPayEmulator;
  /** e.g. `http://127.0.0.1:9102`. */
  url: string;
  keys: WechatPayKeySet;
}

/** Starts an emulator on loopback; a fresh key set unless one is given, a free port unless one is named. */
export async function startWechatPayEmulator(keys: WechatPayKeySet = generateWechatPayKeySet(), port = 0): Promise<StartedWechatPayEmulator> {
  const emulator = new WechatPayEmulator(keys);
  const url = await emulator.start(port, '127.0.0.1');
  return { emulator, url, keys };
}

/**
 * The settings that point the server's WeChat Pay channel at an emulator. The two keys are
 * PEM text or paths to PEM files, as the server accepts either.
 */
export function wechatPayServerEnv(
  keys: Pick<WechatPayKeySet, 'mchId' | 'merchantSerialNo' | 'publicKeyId'>,
  baseUrl: string,
  key: { merchantPrivateKey: string; wechatPayPublicKey: string },
): Record<string, string> {
  return {
    UNIPAY_WECHAT_ENABLED: 'true',
    UNIPAY_WECHAT_MCH_ID: keys.mchId,
    UNIPAY_WECHAT_MERCHANT_SERIAL_NO: keys.merchantSerialNo,
    UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY: key.merchantPrivateKey,
    UNIPAY_WECHAT_PUBLIC_KEY_ID: keys.publicKeyId,
    UNIPAY_WECHAT_PUBLIC_KEY: key.wechatPayPublicKey,
    UNIPAY_WECHAT_BASE_URL: baseUrl,
  };
}

/** The key files of the quick start, named as WeChat Pay names the merchant's downloads. */
const FILES = {
  merchantPrivateKeyPem: 'apiclient_key.pem',
  merchantPublicKeyPem: 'apiclient_public_key.pem',
  platformPublicKeyPem: 'pub_key.pem',
  platformPrivateKeyPem: 'emulator_wechatpay_private_key.pem',
} as const;

/**
 * For `npm run emulators`: keeps the key set in `dir` (generated once), starts the emulator
 * on 127.0.0.1:`port` and returns the server settings that use it, keys given as file paths.
 */
export async function startWechatPayEmulatorForQuickStart(
  dir = 'data/emulators/wechat',
  port = 9102,
): Promise<StartedWechatPayEmulator & { env: Record<string, string> }> {
  const started = await startWechatPayEmulator(keySetIn(dir, { pemFiles: FILES, jsonFile: 'emulator.json' }, generateWechatPayKeySet), port);
  const env = wechatPayServerEnv(started.keys, started.url, {
    merchantPrivateKey: resolve(dir, FILES.merchantPrivateKeyPem),
    wechatPayPublicKey: resolve(dir, FILES.platformPublicKeyPem),
  });
  return { ...started, env };
}
