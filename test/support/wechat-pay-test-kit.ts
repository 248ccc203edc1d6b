import { generateKeyPairSync, verify } from 'node:crypto';
import { startWechatPayEmulator, wechatPayServerEnv } from '../../src/emulator/wechat/wechat-pay-emulator-start';
import { WechatPayEmulator } from '../../src/emulator/wechat/wechat-pay-emulator';
import { WechatPayKeySet } from '../../src/emulator/wechat/wechat-pay-emulator-keys';
import { TestApp } from './test-app';

export interface WechatPaySuite {
  t: TestApp;
  emulator: WechatPayEmulator;
  keys: WechatPayKeySet;
  url: string;
  close(): Promise<void>;
}

/** The server settings for a key set, keys as PEM text, with a short channel timeout. */
export function wechatTestEnv(keys: WechatPayKeySet, url: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...wechatPayServerEnv(keys, url, { merchantPrivateKey: keys.merchantPrivateKeyPem, wechatPayPublicKey: keys.platformPublicKeyPem }),
    UNIPAY_WECHAT_TIMEOUT_MS: '1000',
    ...overrides,
  };
}

/** A WeChat Pay emulator with a fresh key set and the real server pointed at it. */
export async function startWechatPaySuite(): Promise<WechatPaySuite> {
  const { emulator, url, keys } = await startWechatPayEmulator();
  try {
    const t = await TestApp.start(wechatTestEnv(keys, url));
    return {
      t,
      emulator,
      keys,
      url,
      close: async () => {
        await t.close();
        await emulator.stop();
      },
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

/** An RSA private key nobody else holds, as PEM. */
export function strangerPrivateKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
}

export interface ParsedAuthorization {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

/**
 * Reads an APIv3 `Authorization` header the way the platform documents it, independently of
 * the code under test; undefined when it is not well-formed.
 */
export function parseAuthorization(header: unknown): ParsedAuthorization | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header);
  if (!match) return undefined;
  const fields: Record<string, string> = {};
  for (const part of match[1].split(',')) {
    const pair = /^(\w+)="([^"]*)"$/.exec(part);
    if (!pair || pair[1] in fields) return undefined;
    fields[pair[1]] = pair[2];
  }
  const names = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'];
  if (Object.keys(fields).sort().join() !== [...names].sort().join()) return undefined;
  return fields as unknown as ParsedAuthorization;
}

/** Whether a merchant request signature verifies with the merchant's public key. */
export function requestSignatureVerifies(
  auth: ParsedAuthorization,
  request: { method: string; url: string; body: string },
  merchantPublicKeyPem: string,
): boolean {
  const message = `${request.method}\n${request.url}\n${auth.timestamp}\n${auth.nonce_str}\n${request.body}\n`;
  return verify('sha256', Buffer.from(message), merchantPublicKeyPem, Buffer.from(auth.signature, 'base64'));
}
