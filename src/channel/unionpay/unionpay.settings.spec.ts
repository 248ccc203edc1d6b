import { configProblemsOf } from '../../../test/support/config-problems';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateUnionPayTestPki, UnionPayTestPki } from '../../emulator/unionpay/unionpay-test-pki';
import { loadSettings, SettingsSource } from '../../config/settings';
import { UnionPayModule } from './unionpay.module';
import { UnionPaySettings } from './unionpay.settings';

const loadUnionPaySettings = (env: SettingsSource) => loadSettings(UnionPaySettings, env);

describe('UnionPaySettings', () => {
  let pki: UnionPayTestPki;
  let env: Record<string, string>;

  beforeAll(async () => {
    pki = await generateUnionPayTestPki();
    env = {
      UNIPAY_UNIONPAY_ENABLED: 'true',
      UNIPAY_UNIONPAY_MER_ID: '777290058110048',
      UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: pki.merchantSign.keyPem,
      UNIPAY_UNIONPAY_SIGN_CERT_ID: pki.merchantSign.certId,
      UNIPAY_UNIONPAY_ROOT_CERT: pki.rootCertPem,
      UNIPAY_UNIONPAY_MIDDLE_CERT: pki.middleCertPem,
    };
  });

  function problemsOf(settings: Record<string, string>): string[] {
    return configProblemsOf(loadUnionPaySettings, settings);
  }

  it('is off unless enabled, and needs nothing then', () => {
    expect(UnionPayModule.register(loadUnionPaySettings({}))).toBeUndefined();
    expect(UnionPayModule.register(loadUnionPaySettings({ UNIPAY_UNIONPAY_ENABLED: 'false', UNIPAY_UNIONPAY_TIMEOUT_MS: 'soon' }))).toBeUndefined();
    expect(UnionPayModule.register(loadUnionPaySettings(env))).toMatchObject({ module: UnionPayModule });
    expect(problemsOf({ UNIPAY_UNIONPAY_ENABLED: 'perhaps' })).toEqual(['UNIPAY_UNIONPAY_ENABLED: must be true or false']);
  });

  it('defaults the URL, the timeout and the organisation', () => {
    expect(loadUnionPaySettings(env)).toMatchObject({
      UNIPAY_UNIONPAY_MER_ID: '777290058110048',
      UNIPAY_UNIONPAY_SIGN_CERT_ID: pki.merchantSign.certId,
      UNIPAY_UNIONPAY_QUERY_URL: 'https://gateway.95516.com/gateway/api/queryTrans.do',
      UNIPAY_UNIONPAY_TIMEOUT_MS: 10000,
      UNIPAY_UNIONPAY_EXPECTED_SUBJECT: '中国银联股份有限公司',
      UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: 86400,
    });
  });

  it('takes the refund not-found grace in whole seconds, from 0 up to 30 days', () => {
    expect(loadUnionPaySettings({ ...env, UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: '3600' }).UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS).toBe(3600);
    expect(loadUnionPaySettings({ ...env, UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: '0' }).UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS).toBe(0);
    expect(problemsOf({ ...env, UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: '-1' })).toEqual(['UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: must be 0 or more']);
    expect(problemsOf({ ...env, UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: '2592001' })).toEqual(['UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: must be at most 2592000 (30 days)']);
    const problems = problemsOf({ ...env, UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: 'a day' });
    expect(problems).toContain('UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: must be a whole number of seconds');
    for (const problem of problems) expect(problem).toMatch(/^UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS: /);
  });

  it('takes every setting from the environment, keys and certificates also as file paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unionpay-config-'));
    try {
      const file = (name: string, text: string) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      const settings = loadUnionPaySettings({
        ...env,
        UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: file('sign.key.pem', pki.merchantSign.keyPem),
        UNIPAY_UNIONPAY_ROOT_CERT: file('root.pem', pki.rootCertPem),
        UNIPAY_UNIONPAY_MIDDLE_CERT: file('middle.pem', pki.middleCertPem),
        UNIPAY_UNIONPAY_QUERY_URL: 'http://127.0.0.1:9103/gateway/api/queryTrans.do',
        UNIPAY_UNIONPAY_TIMEOUT_MS: '2500',
        UNIPAY_UNIONPAY_EXPECTED_SUBJECT: '银联测试',
      });
      expect(settings).toMatchObject({
        UNIPAY_UNIONPAY_QUERY_URL: 'http://127.0.0.1:9103/gateway/api/queryTrans.do',
        UNIPAY_UNIONPAY_TIMEOUT_MS: 2500,
        UNIPAY_UNIONPAY_EXPECTED_SUBJECT: '银联测试',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every missing setting when enabled', () => {
    const problems = problemsOf({ UNIPAY_UNIONPAY_ENABLED: 'true' });
    for (const name of ['MER_ID', 'SIGN_PRIVATE_KEY', 'SIGN_CERT_ID', 'ROOT_CERT', 'MIDDLE_CERT']) {
      expect(problems.some((problem) => problem.startsWith(`UNIPAY_UNIONPAY_${name}: `))).toBe(true);
    }
    expect(problems).toHaveLength(5);
  });

  it.each([
    ['UNIPAY_UNIONPAY_MER_ID', '7772900581'],
    ['UNIPAY_UNIONPAY_SIGN_CERT_ID', '0x1f'],
    ['UNIPAY_UNIONPAY_QUERY_URL', 'ftp://gateway.95516.com/x'],
    ['UNIPAY_UNIONPAY_QUERY_URL', 'gateway.95516.com/gateway/api/queryTrans.do'],
    ['UNIPAY_UNIONPAY_TIMEOUT_MS', '99'],
    ['UNIPAY_UNIONPAY_TIMEOUT_MS', '60001'],
    ['UNIPAY_UNIONPAY_TIMEOUT_MS', '1.5'],
  ])('refuses %s=%s', (name, value) => {
    const problems = problemsOf({ ...env, [name]: value });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(new RegExp(`^${name}: `));
  });

  it('refuses a key or certificate that does not load, and never shows its value', () => {
    const brokenKey = pki.merchantSign.keyPem.replace(/[A-Za-z]{8}/, 'AAAAAAAA');
    const problems = problemsOf({ ...env, UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: brokenKey, UNIPAY_UNIONPAY_ROOT_CERT: 'not a certificate' });
    expect(problems).toEqual([
      'UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: must be a PEM private key or the path of one',
      'UNIPAY_UNIONPAY_ROOT_CERT: must be a PEM certificate or the path of one',
    ]);
    expect(problems.join('\n')).not.toContain(brokenKey.split('\n')[2]);
  });

  it('refuses a middle certificate that the root did not issue', () => {
    expect(problemsOf({ ...env, UNIPAY_UNIONPAY_MIDDLE_CERT: pki.foreignSign.middleCertPem })).toEqual([
      'UNIPAY_UNIONPAY_MIDDLE_CERT: must be a CA certificate issued by UNIPAY_UNIONPAY_ROOT_CERT',
    ]);
    expect(problemsOf({ ...env, UNIPAY_UNIONPAY_ROOT_CERT: pki.middleCertPem })).toEqual([
      'UNIPAY_UNIONPAY_ROOT_CERT: must be a self-signed CA certificate',
      'UNIPAY_UNIONPAY_MIDDLE_CERT: must be a CA certificate issued by UNIPAY_UNIONPAY_ROOT_CERT',
    ]);
  });
});
