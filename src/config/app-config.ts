import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { SIGN_TYPES, SignType } from '../sign/sign-type';

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

  /** True when the secret is the built-in demo one (embedded SQLite without a configured secret). */
  usesDemoSecret: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

/** Whole numbers only; anything else is kept as NaN so validation names the setting. */
function int(env: Env, key: string, fallback: number): number {
  const value = text(env, key);
  if (value === undefined) return fallback;
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const value = text(env, key)?.trim().toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return value as unknown as boolean;
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
};

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

  const problems = validateSync(config).flatMap((error) =>
    Object.values(error.constraints ?? {}).map(
      // class-validator names the property; operators know the environment variable.
      (message) => `${SETTING_NAMES[error.property] ?? error.property}: ${message}`,
    ),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
