import { AlipayEmulator, startAlipayEmulator } from '../../src/emulator/alipay/alipay-emulator';
import { AlipayKeySet, generateAlipayKeySet } from '../../src/emulator/alipay/alipay-key-set';
import { TestDatabase } from './test-database';
import { TestApp } from './test-app';

export const TEST_ALIPAY_APP_ID = '2021000000000001';

/** The server settings for an emulator at `url`, signing with the merchant key of `keys`. */
export function alipayEnv(keys: Pick<AlipayKeySet, 'merchantPrivateKey' | 'alipayPublicKey'>, url: string, timeoutMs = 1000): Record<string, string> {
  return {
    UNIPAY_ALIPAY_ENABLED: 'true',
    UNIPAY_ALIPAY_APP_ID: TEST_ALIPAY_APP_ID,
    UNIPAY_ALIPAY_PRIVATE_KEY: keys.merchantPrivateKey,
    UNIPAY_ALIPAY_PUBLIC_KEY: keys.alipayPublicKey,
    UNIPAY_ALIPAY_GATEWAY_URL: `${url}/gateway.do`,
    UNIPAY_ALIPAY_TIMEOUT_MS: String(timeoutMs),
  };
}

/** An emulator with fresh keys on 127.0.0.1 and, optionally, a server pointed at it. */
export class AlipayTestBed {
  private constructor(
    readonly emulator: AlipayEmulator,
    readonly url: string,
    readonly keys: AlipayKeySet,
  ) {}

  static async start(): Promise<AlipayTestBed> {
    const keys = generateAlipayKeySet();
    const { emulator, url } = await startAlipayEmulator({ keys, appId: TEST_ALIPAY_APP_ID });
    return new AlipayTestBed(emulator, url, keys);
  }

  /** A server on a fresh database; `keys` overrides what it signs and verifies with. */
  startApp(keys: Partial<AlipayKeySet> = {}, database?: TestDatabase): Promise<TestApp> {
    return TestApp.start(alipayEnv({ ...this.keys, ...keys }, this.url), database);
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

/** A distinctive piece of a PEM key's body, to prove it never leaks into records. */
export function keyFingerprint(pem: string): string {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return body.slice(100, 140);
}
