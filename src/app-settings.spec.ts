import { getMetadataStorage } from 'class-validator';
import { configProblemsOf } from '../test/support/config-problems';
import { AppSettings, DEMO_SIGN_SECRET, SETTINGS_CLASSES } from './app-settings';
import { DatabaseSettings } from './database/database.settings';
import { SandboxSettings } from './sandbox/sandbox.settings';
import { ServerSettings } from './server.settings';
import { SignSettings } from './sign/sign.settings';
import { SweepSettings } from './sweep/sweep.settings';
import { SyncSettings } from './sync/sync.settings';

function problemsOf(env: Record<string, string>): string[] {
  return configProblemsOf(AppSettings.load, env);
}

describe('AppSettings.load', () => {
  it('defaults to the embedded SQLite demo: sandbox on, demo secret, HMAC_SHA256, 60 s ahead and 300 s behind', () => {
    const settings = AppSettings.load({});
    expect(settings.of(DatabaseSettings)).toMatchObject({ UNIPAY_DB_TYPE: 'sqlite', UNIPAY_SQLITE_PATH: 'data/unipay.sqlite' });
    expect(settings.of(ServerSettings)).toMatchObject({ UNIPAY_HOST: '127.0.0.1', UNIPAY_PORT: 9999 });
    expect(settings.of(SignSettings)).toEqual({ UNIPAY_SIGN_ENABLED: true, UNIPAY_SIGN_TYPE: 'HMAC_SHA256', UNIPAY_SIGN_SECRET: DEMO_SIGN_SECRET });
    expect(settings.usesDemoSecret).toBe(true);
    expect(settings.of(SandboxSettings).UNIPAY_SANDBOX_ENABLED).toBe(true);
    expect(settings.of(SyncSettings)).toMatchObject({ UNIPAY_REQ_TIME_AHEAD_SECONDS: 60, UNIPAY_REQ_TIME_BEHIND_SECONDS: 300 });
  });

  it('on MySQL requires the sign secret and turns the sandbox off', () => {
    expect(problemsOf({ UNIPAY_DB_TYPE: 'mysql' })).toEqual([
      'UNIPAY_SIGN_SECRET: UNIPAY_SIGN_SECRET is required when signing is enabled',
    ]);
    const settings = AppSettings.load({ UNIPAY_DB_TYPE: 'mysql', UNIPAY_SIGN_SECRET: 'merchant-secret' });
    expect(settings.of(SandboxSettings).UNIPAY_SANDBOX_ENABLED).toBe(false);
    expect(settings.usesDemoSecret).toBe(false);
    expect(settings.of(SignSettings).UNIPAY_SIGN_SECRET).toBe('merchant-secret');
  });

  it('a configured secret replaces the demo secret on SQLite too, and an empty one does not', () => {
    const mine = AppSettings.load({ UNIPAY_SIGN_SECRET: 'mine' });
    expect(mine.of(SignSettings).UNIPAY_SIGN_SECRET).toBe('mine');
    expect(mine.usesDemoSecret).toBe(false);
    expect(AppSettings.load({ UNIPAY_SIGN_SECRET: '' }).usesDemoSecret).toBe(true);
  });

  it('the demo sandbox can be switched off', () => {
    expect(AppSettings.load({ UNIPAY_SANDBOX_ENABLED: 'false' }).of(SandboxSettings).UNIPAY_SANDBOX_ENABLED).toBe(false);
  });

  it('needs no secret when signing is off', () => {
    expect(problemsOf({ UNIPAY_DB_TYPE: 'mysql', UNIPAY_SIGN_ENABLED: 'false' })).toEqual([]);
  });

  it('reads lists and channel rates', () => {
    const sweep = AppSettings.load({
      UNIPAY_SWEEP_DELAYS_SECONDS: '5, 10,20',
      UNIPAY_SWEEP_CHANNEL_RATES: 'ali_pay=10, wechat_pay=20',
      UNIPAY_SWEEP_ENABLED: 'off',
    }).of(SweepSettings);
    expect(sweep).toMatchObject({
      UNIPAY_SWEEP_DELAYS_SECONDS: [5, 10, 20],
      UNIPAY_SWEEP_CHANNEL_RATES: { ali_pay: 10, wechat_pay: 20 },
      UNIPAY_SWEEP_ENABLED: false,
      UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS: [600, 3600, 86400],
    });
  });

  it.each([
    [{ UNIPAY_PORT: 'eighty' }, 'UNIPAY_PORT'],
    [{ UNIPAY_PORT: '70000' }, 'UNIPAY_PORT'],
    [{ UNIPAY_PORT: '80.5' }, 'UNIPAY_PORT'],
    [{ UNIPAY_DB_TYPE: 'postgres' }, 'UNIPAY_DB_TYPE'],
    [{ UNIPAY_SIGN_TYPE: 'SHA1' }, 'UNIPAY_SIGN_TYPE'],
    [{ UNIPAY_SIGN_ENABLED: 'maybe' }, 'UNIPAY_SIGN_ENABLED'],
    [{ UNIPAY_REQ_TIME_BEHIND_SECONDS: '0' }, 'UNIPAY_REQ_TIME_BEHIND_SECONDS'],
    [{ UNIPAY_SYNC_LOCK_SECONDS: '-1' }, 'UNIPAY_SYNC_LOCK_SECONDS'],
    [{ UNIPAY_BODY_LIMIT_BYTES: '10' }, 'UNIPAY_BODY_LIMIT_BYTES'],
    [{ UNIPAY_LOG_LEVEL: 'loud' }, 'UNIPAY_LOG_LEVEL'],
    [{ UNIPAY_SWEEP_DELAYS_SECONDS: '60,soon' }, 'UNIPAY_SWEEP_DELAYS_SECONDS'],
    [{ UNIPAY_SWEEP_CHANNEL_RATES: 'ali_pay:10' }, 'UNIPAY_SWEEP_CHANNEL_RATES'],
    [{ UNIPAY_SWEEP_CHANNEL_RATES: 'ali_pay=0' }, 'UNIPAY_SWEEP_CHANNEL_RATES'],
    [{ UNIPAY_SANDBOX_ENABLED: 'sometimes' }, 'UNIPAY_SANDBOX_ENABLED'],
    [{ UNIPAY_ALIPAY_ENABLED: 'perhaps' }, 'UNIPAY_ALIPAY_ENABLED'],
  ])('refuses %j and names %s', (env, name) => {
    const problems = problemsOf({ UNIPAY_SIGN_SECRET: 'set', ...env });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.startsWith(`${name}:`))).toBe(true);
  });

  it('reports every bad setting of every area at once', () => {
    const problems = problemsOf({ UNIPAY_PORT: 'x', UNIPAY_SIGN_TYPE: 'nope', UNIPAY_SWEEP_BATCH_SIZE: '0', UNIPAY_WECHAT_ENABLED: 'true' });
    const names = new Set(problems.map((problem) => problem.split(':')[0]));
    expect([...names]).toEqual(expect.arrayContaining(['UNIPAY_PORT', 'UNIPAY_SIGN_TYPE', 'UNIPAY_SWEEP_BATCH_SIZE', 'UNIPAY_WECHAT_MCH_ID']));
  });

  it('every settings class declares each of its variables with a default, as UNIPAY_*', () => {
    for (const cls of SETTINGS_CLASSES) {
      const validated = new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((metadata) => metadata.propertyName));
      const declared = Object.keys(new cls());
      expect([cls.name, [...validated].filter((name) => !declared.includes(name))]).toEqual([cls.name, []]);
      expect([cls.name, declared.filter((name) => !/^UNIPAY_[A-Z0-9_]+$/.test(name))]).toEqual([cls.name, []]);
    }
    expect(SETTINGS_CLASSES.map((cls) => cls.name)).toEqual(
      expect.arrayContaining(['ServerSettings', 'DatabaseSettings', 'SignSettings', 'SyncSettings', 'SweepSettings', 'SandboxSettings', 'AlipaySettings', 'WechatPaySettings', 'UnionPaySettings']),
    );
  });

  it('never puts the secret in its error', () => {
    const secret = 'do-not-print-me';
    const problems = problemsOf({ UNIPAY_SIGN_SECRET: secret, UNIPAY_PORT: 'x', UNIPAY_SIGN_TYPE: 'nope' });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain(secret);
  });
});
