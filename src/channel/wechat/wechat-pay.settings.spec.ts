import { configProblemsOf } from '../../../test/support/config-problems';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, SettingsSource } from '../../config/settings';
import { WechatPayModule } from './wechat-pay.module';
import { WechatPaySettings } from './wechat-pay.settings';

const loadWechatPaySettings = (env: SettingsSource) => loadSettings(WechatPaySettings, env);

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const ec = generateKeyPairSync('ec', {
  namedCurve: 'prime256v1',
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const VALID = {
  UNIPAY_WECHAT_ENABLED: 'true',
  UNIPAY_WECHAT_MCH_ID: '1900000109',
  UNIPAY_WECHAT_MERCHANT_SERIAL_NO: '3775B6A45ACD588826D15E583A95F5DD00000000',
  UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY: rsa.privateKey,
  UNIPAY_WECHAT_PUBLIC_KEY_ID: 'PUB_KEY_ID_0114232134912410000000000000',
  UNIPAY_WECHAT_PUBLIC_KEY: rsa.publicKey,
};

function problemsOf(env: Record<string, string>): string[] {
  return configProblemsOf(loadWechatPaySettings, env);
}

describe('WeChat Pay settings', () => {
  it('are not read while the channel is off', () => {
    expect(WechatPayModule.register(loadWechatPaySettings({}))).toBeUndefined();
    expect(WechatPayModule.register(loadWechatPaySettings({ UNIPAY_WECHAT_ENABLED: 'false', UNIPAY_WECHAT_TIMEOUT_MS: 'x' }))).toBeUndefined();
    expect(WechatPayModule.register(loadWechatPaySettings(VALID))).toMatchObject({ module: WechatPayModule });
  });

  it('take the documented defaults', () => {
    expect(loadWechatPaySettings(VALID)).toMatchObject({
      UNIPAY_WECHAT_MCH_ID: '1900000109',
      UNIPAY_WECHAT_BASE_URL: 'https://api.mch.weixin.qq.com',
      UNIPAY_WECHAT_TIMEOUT_MS: 10000,
      UNIPAY_WECHAT_MAX_CLOCK_SKEW_SECONDS: 300,
      UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS: 600,
    });
  });

  it('name every missing setting by its variable when the channel is on', () => {
    const problems = problemsOf({ UNIPAY_WECHAT_ENABLED: 'true' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'UNIPAY_WECHAT_MCH_ID',
      'UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY',
      'UNIPAY_WECHAT_MERCHANT_SERIAL_NO',
      'UNIPAY_WECHAT_PUBLIC_KEY',
      'UNIPAY_WECHAT_PUBLIC_KEY_ID',
    ]);
  });

  it.each([
    ['UNIPAY_WECHAT_MCH_ID', 'letters', 'merchant-1'],
    ['UNIPAY_WECHAT_MERCHANT_SERIAL_NO', 'not hexadecimal', 'not hex'],
    ['UNIPAY_WECHAT_PUBLIC_KEY_ID', 'without PUB_KEY_ID_', 'KEY_ID_0114232134912410000000000000'],
    ['UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY', 'a broken PEM', '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1icm9rZW4=\n-----END PRIVATE KEY-----'],
    ['UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY', 'an EC key', ec.privateKey],
    ['UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY', 'a public key', rsa.publicKey],
    ['UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY', 'a missing file', '/no/such/apiclient_key.pem'],
    ['UNIPAY_WECHAT_PUBLIC_KEY', 'an EC key', ec.publicKey],
    ['UNIPAY_WECHAT_PUBLIC_KEY', 'base64 that is no key', 'c2VjcmV0LWJ1dC1icm9rZW4='],
    ['UNIPAY_WECHAT_BASE_URL', 'ftp', 'ftp://api.mch.weixin.qq.com'],
    ['UNIPAY_WECHAT_BASE_URL', 'no scheme', 'api.mch.weixin.qq.com'],
    ['UNIPAY_WECHAT_TIMEOUT_MS', 'below 100', '99'],
    ['UNIPAY_WECHAT_TIMEOUT_MS', 'above 60000', '60001'],
    ['UNIPAY_WECHAT_TIMEOUT_MS', 'not a number', '1s'],
    ['UNIPAY_WECHAT_MAX_CLOCK_SKEW_SECONDS', 'zero', '0'],
    ['UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS', 'negative', '-1'],
    ['UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS', 'above 30 days', '2592001'],
    ['UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS', 'not a number', '10m'],
  ])('refuse %s (%s), without repeating the value', (name, _, value) => {
    const problems = problemsOf({ ...VALID, [name]: value });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.startsWith(`${name}: `)).toBe(true);
      for (const line of value.split('\n').filter((part) => part.length > 8)) expect(problem).not.toContain(line);
    }
  });

  it('read keys from PEM files, and from PEM text with escaped newlines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unipay-wechat-keys-'));
    try {
      writeFileSync(join(dir, 'apiclient_key.pem'), rsa.privateKey);
      writeFileSync(join(dir, 'pub_key.pem'), rsa.publicKey);
      expect(
        problemsOf({ ...VALID, UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY: join(dir, 'apiclient_key.pem'), UNIPAY_WECHAT_PUBLIC_KEY: join(dir, 'pub_key.pem') }),
      ).toEqual([]);
      expect(problemsOf({ ...VALID, UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY: rsa.privateKey.replace(/\n/g, '\\n') })).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('take a refund not-found grace from 0 (close a failed refund at once, as DaxPay) to 30 days', () => {
    expect(loadWechatPaySettings({ ...VALID, UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS: '0' }).UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS).toBe(0);
    expect(loadWechatPaySettings({ ...VALID, UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS: '2592000' }).UNIPAY_WECHAT_REFUND_NOT_FOUND_GRACE_SECONDS).toBe(2592000);
  });

  it('drop a trailing slash from the base URL', () => {
    expect(loadWechatPaySettings({ ...VALID, UNIPAY_WECHAT_BASE_URL: 'http://127.0.0.1:9102/' }).UNIPAY_WECHAT_BASE_URL).toBe('http://127.0.0.1:9102');
  });
});
