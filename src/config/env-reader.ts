import { validateSync } from 'class-validator';

export type Env = Record<string, string | undefined>;

/** Thrown at boot when settings are invalid; lists every problem by environment variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function envText(env: Env, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === '' ? undefined : value;
}

/** Whole numbers only; anything else is kept as NaN so validation names the setting. */
export function envInt(env: Env, key: string, fallback: number): number {
  const value = envText(env, key);
  if (value === undefined) return fallback;
  return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

/** true/false, 1/0, yes/no, on/off; anything else is kept as text so validation names the setting. */
export function envBool(env: Env, key: string, fallback: boolean): boolean {
  const value = envText(env, key)?.trim().toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return value as unknown as boolean;
}

/**
 * Validates a settings object with its class-validator decorators and names each problem
 * by its environment variable. Messages never include the values, so secrets stay out.
 */
export function configProblems(config: object, settingNames: Record<string, string>): string[] {
  return validateSync(config, { validationError: { value: false, target: false } }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map(
      (message) => `${settingNames[error.property] ?? error.property}: ${message}`,
    ),
  );
}

/** Whether a channel is switched on; a value that is not a boolean is a configuration error. */
export function channelEnabled(env: Env, key: string): boolean {
  const enabled = envBool(env, key, false);
  if (typeof enabled !== 'boolean') throw new ConfigError([`${key}: must be true or false`]);
  return enabled;
}
