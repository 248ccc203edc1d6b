import { join, resolve } from 'node:path';
import { keySetIn } from '../key-store';
import { AlipayEmulator, startAlipayEmulator } from './alipay-emulator';
import { AlipayKeySet, generateAlipayKeySet } from './alipay-key-set';

/** The app id the quick-start emulator accepts. */
export const QUICK_START_ALIPAY_APP_ID = '9021000000000001';

/** Where each key of the set lives in the key folder. */
export const ALIPAY_KEY_FILES: Record<keyof AlipayKeySet, string> = {
  alipayPrivateKey: 'alipay-private.pem',
  alipayPublicKey: 'alipay-public.pem',
  merchantPrivateKey: 'merchant-private.pem',
  merchantPublicKey: 'merchant-public.pem',
};

export interface AlipayQuickStart {
  emulator: AlipayEmulator;
  url: string;
  /** The settings that point the server at this emulator (keys by path, never by value). */
  env: Record<string, string>;
}

/**
 * For `npm run emulators`: keeps a key set in `dir` (generated on first use), starts the
 * emulator on 127.0.0.1:`port`, and returns the server settings that point at it.
 */
export async function startAlipayEmulatorForQuickStart(dir: string, port = 9101): Promise<AlipayQuickStart> {
  const folder = resolve(dir);
  const keys = keySetIn(folder, { pemFiles: ALIPAY_KEY_FILES }, generateAlipayKeySet);
  const { emulator, url } = await startAlipayEmulator({ keys, appId: QUICK_START_ALIPAY_APP_ID, port, host: '127.0.0.1' });
  return {
    emulator,
    url,
    env: {
      UNIPAY_ALIPAY_ENABLED: 'true',
      UNIPAY_ALIPAY_APP_ID: QUICK_START_ALIPAY_APP_ID,
      UNIPAY_ALIPAY_PRIVATE_KEY: join(folder, ALIPAY_KEY_FILES.merchantPrivateKey),
      UNIPAY_ALIPAY_PUBLIC_KEY: join(folder, ALIPAY_KEY_FILES.alipayPublicKey),
      UNIPAY_ALIPAY_GATEWAY_URL: `${url}/gateway.do`,
    },
  };
}
