import { plainToInstance, Transform } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * A settings class: one per area. Each field *is* an environment variable (`UNIPAY_PORT`),
 * with its class-validator decorators and its default as the initializer. Every field has
 * an initializer, so a fresh instance names every setting of the area.
 */
export type SettingsClass<T extends object = object> = new () => T;

/** Where settings come from: the environment, or the object a host application passes. */
export type SettingsSource = Readonly<Record<string, unknown>>;

/** Thrown at boot when settings are invalid; lists every problem by environment variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** An empty variable counts as unset, as in a shell `UNIPAY_X=`. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Reads one area's settings from `source` without throwing: the settings as far as they go,
 * and each problem as `VARIABLE: message`. Messages never carry the values, so a secret
 * given in the wrong place stays out of the log.
 */
export function readSettings<T extends object>(cls: SettingsClass<T>, source: SettingsSource): { settings: T; problems: string[] } {
  const given = Object.fromEntries(Object.keys(new cls()).filter((name) => isSet(source[name])).map((name) => [name, source[name]]));
  const settings = plainToInstance(cls, given);
  const problems = validateSync(settings, { validationError: { target: false, value: false } }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message}`),
  );
  return { settings, problems };
}

/** Reads and validates one area's settings; a ConfigError names every bad variable. */
export function loadSettings<T extends object>(cls: SettingsClass<T>, source: SettingsSource): T {
  const { settings, problems } = readSettings(cls, source);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

/** Whole numbers from text; anything else is kept as it is, for validation to name. */
export function AsInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value,
  );
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** true/false, 1/0, yes/no, on/off; anything else is kept as it is, for validation to name. */
export function AsBool(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    return TRUE.includes(word) ? true : FALSE.includes(word) ? false : value;
  });
}

/** `60,120,300` → [60, 120, 300]; a bad item becomes NaN, for validation to name. */
export function AsIntList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((item) => (/^\s*\d+\s*$/.test(item) ? Number(item) : Number.NaN)) : value,
  );
}

/** `a, b,c` → ['a', 'b', 'c']: items trimmed, empty ones dropped. */
export function AsTextList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value,
  );
}

/** Text without surrounding white space (ids and URLs pasted from a console). */
export function Trimmed(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}
