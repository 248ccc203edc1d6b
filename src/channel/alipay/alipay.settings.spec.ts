import { configProblemsOf } from '../../../test/support/config-problems';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAlipayKeySet } from '../../emulator/alipay/alipay-key-set';
import { loadSettings, SettingsSource } from '../../config/settings';
import { AlipayModule } from './alipay.module';
import { AlipayOpenApiClient } from './alipay-openapi.client';
import { AlipayPayChannel } from './alipay-pay.channel';
import { ALIPAY_DEFAULT_GATEWAY_URL, AlipaySettings } from './alipay.settings';

const loadAlipaySettings = (env: SettingsSource) => loadSettings(AlipaySettings, env);

describe('AlipaySettings', () => {
  const { merchantPrivateKey: privateKey, alipayPublicKey: publicKey } = generateAlipayKeySet();
  const bareBase64 = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const valid = {
    UNIPAY_ALIPAY_ENABLED: 'true',
    UNIPAY_ALIPAY_APP_ID: '2021000000000001',
    UNIPAY_ALIPAY_PRIVATE_KEY: privateKey,
    UNIPAY_ALIPAY_PUBLIC_KEY: publicKey,
  };

  function problems(env: Record<string, string>): string[] {
    return configProblemsOf(loadAlipaySettings, env);
  }

  it('is off unless enabled, and then asks for nothing', () => {
    expect(AlipayModule.register(loadAlipaySettings({}))).toBeUndefined();
    expect(AlipayModule.register(loadAlipaySettings({ UNIPAY_ALIPAY_ENABLED: 'false', UNIPAY_ALIPAY_PRIVATE_KEY: 'junk' }))).toBeUndefined();
    expect(AlipayModule.register(loadAlipaySettings(valid))).toMatchObject({ module: AlipayModule });
  });

  it('defaults the gateway to Alipay production and the timeout to 10 s', () => {
    expect(loadAlipaySettings(valid)).toMatchObject({ UNIPAY_ALIPAY_APP_ID: '2021000000000001', UNIPAY_ALIPAY_GATEWAY_URL: ALIPAY_DEFAULT_GATEWAY_URL, UNIPAY_ALIPAY_TIMEOUT_MS: 10000 });
  });

  it('takes keys as PEM, as bare base64 (as Alipay hands them out), or as a path', () => {
    expect(problems({ ...valid, UNIPAY_ALIPAY_PRIVATE_KEY: bareBase64(privateKey), UNIPAY_ALIPAY_PUBLIC_KEY: bareBase64(publicKey) })).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'alipay-config-'));
    try {
      writeFileSync(join(dir, 'app-private.pem'), privateKey);
      writeFileSync(join(dir, 'alipay-public.pem'), publicKey);
      const settings = loadAlipaySettings({ ...valid, UNIPAY_ALIPAY_PRIVATE_KEY: join(dir, 'app-private.pem'), UNIPAY_ALIPAY_PUBLIC_KEY: join(dir, 'alipay-public.pem') });
      expect(settings.UNIPAY_ALIPAY_PRIVATE_KEY).toBe(join(dir, 'app-private.pem'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts an http gateway on loopback (the emulator) with a custom timeout', () => {
    expect(loadAlipaySettings({ ...valid, UNIPAY_ALIPAY_GATEWAY_URL: 'http://127.0.0.1:9101/gateway.do', UNIPAY_ALIPAY_TIMEOUT_MS: '1000' })).toMatchObject({
      UNIPAY_ALIPAY_GATEWAY_URL: 'http://127.0.0.1:9101/gateway.do',
      UNIPAY_ALIPAY_TIMEOUT_MS: 1000,
    });
  });

  it('waits 10 minutes for a refund Alipay cannot find unless told otherwise, and the channel says so', () => {
    expect(loadAlipaySettings(valid).UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS).toBe(600);
    const settings = loadAlipaySettings({ ...valid, UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS: '30' });
    expect(settings.UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS).toBe(30);
    const client = {} as AlipayOpenApiClient;
    expect(new AlipayPayChannel(client, settings).refundNotFoundGraceSeconds).toBe(30);
    expect(loadAlipaySettings({ ...valid, UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS: '0' }).UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS).toBe(0);
  });

  it('names every missing setting when enabled', () => {
    const found = problems({ UNIPAY_ALIPAY_ENABLED: 'true' });
    for (const name of ['UNIPAY_ALIPAY_APP_ID', 'UNIPAY_ALIPAY_PRIVATE_KEY', 'UNIPAY_ALIPAY_PUBLIC_KEY']) {
      expect(found.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
    }
  });

  it.each([
    ['UNIPAY_ALIPAY_GATEWAY_URL', 'ftp://openapi.alipay.com/gateway.do'],
    ['UNIPAY_ALIPAY_GATEWAY_URL', 'openapi.alipay.com/gateway.do'],
    ['UNIPAY_ALIPAY_TIMEOUT_MS', '99'],
    ['UNIPAY_ALIPAY_TIMEOUT_MS', '60001'],
    ['UNIPAY_ALIPAY_TIMEOUT_MS', '1.5s'],
    ['UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS', '-1'],
    ['UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS', '2592001'],
    ['UNIPAY_ALIPAY_REFUND_NOT_FOUND_GRACE_SECONDS', '10m'],
  ])('refuses %s=%s', (name, value) => {
    const found = problems({ ...valid, [name]: value });
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem).toMatch(new RegExp(`^${name}: `));
  });

  it('refuses keys that do not load, without ever repeating them', () => {
    const publicAsPrivate = problems({ ...valid, UNIPAY_ALIPAY_PRIVATE_KEY: publicKey, UNIPAY_ALIPAY_PUBLIC_KEY: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjunk' });
    expect(publicAsPrivate.map((problem) => problem.split(':')[0]).sort()).toEqual(['UNIPAY_ALIPAY_PRIVATE_KEY', 'UNIPAY_ALIPAY_PUBLIC_KEY']);
    const text = publicAsPrivate.join('\n');
    expect(text).not.toContain(bareBase64(publicKey).slice(30, 60));
    expect(text).not.toContain('junk');
    expect(text).not.toContain('BEGIN');
    // A private key whose body was cut in the middle is not a key either, and its text stays out.
    const cut = privateKey.slice(0, 400) + privateKey.slice(-30);
    const truncated = problems({ ...valid, UNIPAY_ALIPAY_PRIVATE_KEY: cut });
    expect(truncated).toEqual([expect.stringMatching(/^UNIPAY_ALIPAY_PRIVATE_KEY: /)]);
    expect(truncated[0]).not.toContain(bareBase64(privateKey).slice(40, 80));
  });
});
