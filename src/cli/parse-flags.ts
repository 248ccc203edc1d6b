import { parseArgs, ParseArgsConfig } from 'node:util';
import { CliError } from './cli.error';

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** The values of the flags a command declares. */
export type ParsedFlags<T extends FlagOptions> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>>['values'];

/**
 * Strict flag parsing: unknown flags, missing values and stray arguments are usage errors
 * (exit 2) instead of the TypeError node:util throws.
 */
export function parseFlags<T extends FlagOptions>(args: string[], options: T): ParsedFlags<T> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw CliError.usage((error as Error).message);
    }
    throw error;
  }
}

