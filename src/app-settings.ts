import { CHANNELS } from './channels';
import { ConfigError, readSettings, SettingsClass, SettingsSource } from './config/settings';
import { AdminSettings } from './admin/admin.settings';
import { DatabaseSettings } from './database/database.settings';
import { NotifySettings } from './notify/notify.settings';
import { OutboxSettings } from './outbox/outbox.settings';
import { ServerSettings } from './server.settings';
import { SignSettings } from './sign/sign.settings';
import { SweepSettings } from './sweep/sweep.settings';
import { SyncSettings } from './sync/sync.settings';

/** The secret the embedded demo signs with when none is configured. Never used with MySQL. */
export const DEMO_SIGN_SECRET = 'demo-secret-not-for-production';

/** Every settings class of the standalone server: its own areas, then each channel's. */
export const SETTINGS_CLASSES: readonly SettingsClass[] = [
  ServerSettings,
  DatabaseSettings,
  SignSettings,
  SyncSettings,
  OutboxSettings,
  SweepSettings,
  NotifySettings,
  AdminSettings,
  ...CHANNELS.map((channel) => channel.settings),
];

/** The standalone server's settings, every area validated at once. */
export class AppSettings {
  private constructor(
    private readonly byClass: ReadonlyMap<SettingsClass, object>,
    /** True when signing with the built-in demo secret (embedded SQLite, no secret set). */
    readonly usesDemoSecret: boolean,
  ) {}

  /**
   * Reads and validates every area from the environment; a ConfigError lists every bad
   * variable. The embedded SQLite default is the demo mode: there the sandbox is on unless
   * switched off, an unset sign secret is the demo one, and notifications may go to a
   * merchant server on this machine. With MySQL all three are explicit.
   */
  static load(env: SettingsSource = process.env): AppSettings {
    const demo = readSettings(DatabaseSettings, env).settings.UNIPAY_DB_TYPE === 'sqlite';
    const demoDefaults = { UNIPAY_LOG_FORMAT: 'pretty', UNIPAY_SANDBOX_ENABLED: 'true', UNIPAY_SIGN_SECRET: DEMO_SIGN_SECRET, UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES: 'false' };
    const source = demo ? { ...demoDefaults, ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')) } : env;
    const read = SETTINGS_CLASSES.map((cls) => [cls, readSettings(cls, source)] as const);
    const problems = read.flatMap(([, result]) => result.problems);
    if (problems.length > 0) throw new ConfigError(problems);
    const byClass = new Map<SettingsClass, object>(read.map(([cls, result]) => [cls, result.settings]));
    return new AppSettings(byClass, demo && (byClass.get(SignSettings) as SignSettings).UNIPAY_SIGN_SECRET === DEMO_SIGN_SECRET);
  }

  /** One area's settings, by its class. */
  of<T extends object>(cls: SettingsClass<T>): T {
    const settings = this.byClass.get(cls);
    if (!settings) throw new Error(`${cls.name} is not one of the server's settings`);
    return settings as T;
  }
}
