import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { AlipayConfig, loadAlipayConfig } from '../channel/alipay/alipay.config';
import { loadUnionPayConfig, UnionPayConfig } from '../channel/unionpay/unionpay.config';
import { loadWechatPayConfig, WechatPayConfig } from '../channel/wechat/wechat-pay.config';
import { ConfigError, configProblems, Env, envBool as bool, envInt as int, envText as text } from './env-reader';

export { ConfigError } from './env-reader';
import { SIGN_TYPES, type SignType } from '../sign/sign-type';

export const DB_TYPES = ['sqlite', 'mysql'] as const;
export type DbType = (typeof DB_TYPES)[number];

/** The secret the embedded demo uses when none is configured. Never valid with MySQL. */
export const DEMO_SIGN_SECRET = 'demo-secret-not-for-production';

/**
 * Every setting of the standalone server, read once from the environment at boot.
 * The server refuses to start when any of them is invalid.
 */
export class AppConfig {
  @IsString()
  @IsNotEmpty()
  host: string;

  @IsInt()
  @Min(0)
  @Max(65535)
  port: number;

  @IsIn(DB_TYPES)
  dbType: DbType;

  @ValidateIf((c: AppConfig) => c.dbType === 'sqlite')
  @IsString()
  @IsNotEmpty()
  sqlitePath: string;

  @ValidateIf((c: AppConfig) => c.dbType === 'mysql')
  @IsString()
  @IsNotEmpty()
  dbHost: string;

  @IsInt()
  @Min(1)
  @Max(65535)
  dbPort: number;

  @ValidateIf((c: AppConfig) => c.dbType === 'mysql')
  @IsString()
  @IsNotEmpty()
  dbUser: string;

  @IsString()
  dbPassword: string;

  @ValidateIf((c: AppConfig) => c.dbType === 'mysql')
  @IsString()
  @IsNotEmpty()
  dbName: string;

  @IsInt()
  @Min(1)
  @Max(500)
  dbPoolSize: number;

  @IsBoolean()
  dbMigrate: boolean;

  @IsBoolean()
  signEnabled: boolean;

  @IsIn(SIGN_TYPES)
  signType: SignType;

  @ValidateIf((c: AppConfig) => c.signEnabled)
  @IsString()
  @IsNotEmpty({ message: 'UNIPAY_SIGN_SECRET is required when signing is enabled' })
  signSecret: string;

  @IsInt()
  @Min(0)
  @Max(3600)
  reqTimeAheadSeconds: number;

  @IsInt()
  @Min(1)
  @Max(315360000)
  reqTimeBehindSeconds: number;

  @IsInt()
  @Min(1)
  @Max(3600)
  syncLockSeconds: number;

  @IsInt()
  @Min(1024)
  @Max(10485760)
  bodyLimitBytes: number;

  @IsBoolean()
  sandboxEnabled: boolean;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';

  @IsBoolean()
  sweepEnabled: boolean;

  @IsInt()
  @Min(1)
  @Max(86400)
  sweepIntervalSeconds: number;

  @IsInt()
  @Min(0)
  @Max(86400)
  sweepGraceSeconds: number;

  @IsInt()
  @Min(1)
  @Max(10000)
  sweepBatchSize: number;

  @IsInt()
  @Min(1)
  @Max(1000)
  sweepConcurrency: number;

  @IsInt()
  @Min(10)
  @Max(86400)
  sweepLeaseSeconds: number;

  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  sweepDelaysSeconds: number[];

  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  sweepLateCheckDelaysSeconds: number[];

  @IsInt()
  @Min(1)
  @Max(86400)
  sweepBusyRetrySeconds: number;

  @IsInt()
  @Min(1)
  @Max(100000)
  sweepRatePerSecond: number;

  /** Per-channel rates, `code=rate` pairs; checked in loadConfig. */
  sweepChannelRates: Record<string, number>;

  /** True when the secret is the built-in demo one (embedded SQLite without a configured secret). */
  usesDemoSecret: boolean;

  /** Channel settings, present only when the channel is enabled. */
  alipay?: AlipayConfig;
  wechat?: WechatPayConfig;
  unionpay?: UnionPayConfig;
}

const SETTING_NAMES: Record<string, string> = {
  host: 'UNIPAY_HOST',
  port: 'UNIPAY_PORT',
  dbType: 'UNIPAY_DB_TYPE',
  sqlitePath: 'UNIPAY_SQLITE_PATH',
  dbHost: 'UNIPAY_DB_HOST',
  dbPort: 'UNIPAY_DB_PORT',
  dbUser: 'UNIPAY_DB_USER',
  dbPassword: 'UNIPAY_DB_PASSWORD',
  dbName: 'UNIPAY_DB_NAME',
  dbPoolSize: 'UNIPAY_DB_POOL_SIZE',
  dbMigrate: 'UNIPAY_DB_MIGRATE',
  signEnabled: 'UNIPAY_SIGN_ENABLED',
  signType: 'UNIPAY_SIGN_TYPE',
  signSecret: 'UNIPAY_SIGN_SECRET',
  reqTimeAheadSeconds: 'UNIPAY_REQ_TIME_AHEAD_SECONDS',
  reqTimeBehindSeconds: 'UNIPAY_REQ_TIME_BEHIND_SECONDS',
  syncLockSeconds: 'UNIPAY_SYNC_LOCK_SECONDS',
  bodyLimitBytes: 'UNIPAY_BODY_LIMIT_BYTES',
  sandboxEnabled: 'UNIPAY_SANDBOX_ENABLED',
  logLevel: 'UNIPAY_LOG_LEVEL',
  sweepEnabled: 'UNIPAY_SWEEP_ENABLED',
  sweepIntervalSeconds: 'UNIPAY_SWEEP_INTERVAL_SECONDS',
  sweepGraceSeconds: 'UNIPAY_SWEEP_GRACE_SECONDS',
  sweepBatchSize: 'UNIPAY_SWEEP_BATCH_SIZE',
  sweepConcurrency: 'UNIPAY_SWEEP_CONCURRENCY',
  sweepLeaseSeconds: 'UNIPAY_SWEEP_LEASE_SECONDS',
  sweepDelaysSeconds: 'UNIPAY_SWEEP_DELAYS_SECONDS',
  sweepLateCheckDelaysSeconds: 'UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS',
  sweepBusyRetrySeconds: 'UNIPAY_SWEEP_BUSY_RETRY_SECONDS',
  sweepRatePerSecond: 'UNIPAY_SWEEP_RATE_PER_SECOND',
};

/** `60,120,300` → [60, 120, 300]; a bad item stays NaN so validation names the setting. */
function intList(env: Env, key: string, fallback: number[]): number[] {
  const value = text(env, key);
  if (value === undefined) return fallback;
  return value.split(',').map((item) => (/^\s*\d+\s*$/.test(item) ? Number(item) : Number.NaN));
}

/** `ali_pay=10,wechat_pay=20` → {ali_pay: 10, wechat_pay: 20}. */
function channelRates(env: Env, key: string, problems: string[]): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const pair of (text(env, key) ?? '').split(',').filter((item) => item.trim() !== '')) {
    const match = /^\s*([a-z0-9_]{1,32})\s*=\s*(\d{1,6})\s*$/.exec(pair);
    if (!match || Number(match[2]) < 1) {
      problems.push(`${key}: expected channel=rate pairs such as ali_pay=10,wechat_pay=20`);
      return {};
    }
    rates[match[1]] = Number(match[2]);
  }
  return rates;
}

/**
 * Reads and validates the configuration. The embedded SQLite default is the demo mode:
 * it turns the sandbox channel on and, when no secret is given, signs with a fixed demo
 * secret. With MySQL both must be set explicitly.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const config = new AppConfig();
  config.host = text(env, 'UNIPAY_HOST') ?? '127.0.0.1';
  config.port = int(env, 'UNIPAY_PORT', 9999);
  config.dbType = (text(env, 'UNIPAY_DB_TYPE') ?? 'sqlite') as DbType;
  const demo = config.dbType === 'sqlite';
  config.sqlitePath = text(env, 'UNIPAY_SQLITE_PATH') ?? 'data/unipay.sqlite';
  config.dbHost = text(env, 'UNIPAY_DB_HOST') ?? '127.0.0.1';
  config.dbPort = int(env, 'UNIPAY_DB_PORT', 3306);
  config.dbUser = text(env, 'UNIPAY_DB_USER') ?? 'root';
  config.dbPassword = env.UNIPAY_DB_PASSWORD ?? '';
  config.dbName = text(env, 'UNIPAY_DB_NAME') ?? 'unipay';
  config.dbPoolSize = int(env, 'UNIPAY_DB_POOL_SIZE', 10);
  config.dbMigrate = bool(env, 'UNIPAY_DB_MIGRATE', true);
  config.signEnabled = bool(env, 'UNIPAY_SIGN_ENABLED', true);
  config.signType = (text(env, 'UNIPAY_SIGN_TYPE') ?? 'HMAC_SHA256') as SignType;
  const secret = env.UNIPAY_SIGN_SECRET;
  config.usesDemoSecret = demo && (secret === undefined || secret === '');
  config.signSecret = config.usesDemoSecret ? DEMO_SIGN_SECRET : (secret ?? '');
  config.reqTimeAheadSeconds = int(env, 'UNIPAY_REQ_TIME_AHEAD_SECONDS', 60);
  config.reqTimeBehindSeconds = int(env, 'UNIPAY_REQ_TIME_BEHIND_SECONDS', 300);
  config.syncLockSeconds = int(env, 'UNIPAY_SYNC_LOCK_SECONDS', 60);
  config.bodyLimitBytes = int(env, 'UNIPAY_BODY_LIMIT_BYTES', 16384);
  config.sandboxEnabled = bool(env, 'UNIPAY_SANDBOX_ENABLED', demo);
  config.logLevel = (text(env, 'UNIPAY_LOG_LEVEL') ?? 'log') as AppConfig['logLevel'];
  config.sweepEnabled = bool(env, 'UNIPAY_SWEEP_ENABLED', true);
  config.sweepIntervalSeconds = int(env, 'UNIPAY_SWEEP_INTERVAL_SECONDS', 30);
  config.sweepGraceSeconds = int(env, 'UNIPAY_SWEEP_GRACE_SECONDS', 60);
  config.sweepBatchSize = int(env, 'UNIPAY_SWEEP_BATCH_SIZE', 200);
  config.sweepConcurrency = int(env, 'UNIPAY_SWEEP_CONCURRENCY', 16);
  config.sweepLeaseSeconds = int(env, 'UNIPAY_SWEEP_LEASE_SECONDS', 300);
  config.sweepDelaysSeconds = intList(env, 'UNIPAY_SWEEP_DELAYS_SECONDS', [60, 120, 300, 600, 1800, 3600]);
  config.sweepLateCheckDelaysSeconds = intList(env, 'UNIPAY_SWEEP_LATE_CHECK_DELAYS_SECONDS', [600, 3600, 86400]);
  config.sweepBusyRetrySeconds = int(env, 'UNIPAY_SWEEP_BUSY_RETRY_SECONDS', 30);
  config.sweepRatePerSecond = int(env, 'UNIPAY_SWEEP_RATE_PER_SECOND', 20);

  const problems = configProblems(config, SETTING_NAMES);
  config.sweepChannelRates = channelRates(env, 'UNIPAY_SWEEP_CHANNEL_RATES', problems);
  const channel = <T>(load: (env: Env) => T | undefined): T | undefined => {
    try {
      return load(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  config.alipay = channel(loadAlipayConfig);
  config.wechat = channel(loadWechatPayConfig);
  config.unionpay = channel(loadUnionPayConfig);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
