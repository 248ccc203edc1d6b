import { configProblemsOf } from '../../test/support/config-problems';
import { DEMO_SIGN_SECRET, loadConfig } from './app-config';

function problemsOf(env: Record<string, string>): string[] {
  return configProblemsOf(loadConfig, env);
}

describe('loadConfig', () => {
  it('defaults to the embedded SQLite demo: sandbox on, demo secret, HMAC_SHA256, 60 s ahead and 300 s behind', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dbType: 'sqlite',
      sqlitePath: 'data/unipay.sqlite',
      host: '127.0.0.1',
      port: 9999,
      signEnabled: true,
      signType: 'HMAC_SHA256',
      signSecret: DEMO_SIGN_SECRET,
      usesDemoSecret: true,
      sandboxEnabled: true,
      reqTimeAheadSeconds: 60,
      reqTimeBehindSeconds: 300,
    });
  });

  it('on MySQL requires the sign secret and turns the sandbox off', () => {
    expect(problemsOf({ UNIPAY_DB_TYPE: 'mysql' })).toEqual([
      'UNIPAY_SIGN_SECRET: UNIPAY_SIGN_SECRET is required when signing is enabled',
    ]);
    const config = loadConfig({ UNIPAY_DB_TYPE: 'mysql', UNIPAY_SIGN_SECRET: 'merchant-secret' });
    expect(config).toMatchObject({ sandboxEnabled: false, usesDemoSecret: false, signSecret: 'merchant-secret' });
  });

  it('a configured secret replaces the demo secret on SQLite too', () => {
    expect(loadConfig({ UNIPAY_SIGN_SECRET: 'mine' })).toMatchObject({ signSecret: 'mine', usesDemoSecret: false });
  });

  it('needs no secret when signing is off', () => {
    expect(problemsOf({ UNIPAY_DB_TYPE: 'mysql', UNIPAY_SIGN_ENABLED: 'false' })).toEqual([]);
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
  ])('refuses %j and names %s', (env, name) => {
    const problems = problemsOf({ UNIPAY_SIGN_SECRET: 'set', ...env });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.startsWith(`${name}:`))).toBe(true);
  });

  it('never puts the secret in its error', () => {
    const secret = 'do-not-print-me';
    const problems = problemsOf({ UNIPAY_SIGN_SECRET: secret, UNIPAY_PORT: 'x', UNIPAY_SIGN_TYPE: 'nope' });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain(secret);
  });
});
