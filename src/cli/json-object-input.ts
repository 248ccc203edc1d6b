import { readFile } from 'node:fs/promises';
import { isJsonObject } from '../common/json-object';
import { CliError } from './cli.error';
import { CliIo } from './cli-io';

export interface JsonInputFlags {
  json?: string;
  file?: string;
}

async function readText(flags: JsonInputFlags, io: CliIo): Promise<string> {
  if (flags.json !== undefined && flags.file !== undefined) {
    throw CliError.usage('give either --json or --file, not both');
  }
  if (flags.json !== undefined) return flags.json;
  if (flags.file !== undefined) {
    try {
      return await readFile(flags.file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw CliError.usage(`cannot read --file ${flags.file}: ${reason}`);
    }
  }
  if (io.stdinIsTty) io.err('reading the JSON object from stdin (finish with Ctrl-D)');
  return io.readStdin();
}

/** The object to sign, from `--json`, `--file` or stdin; anything but a JSON object is a usage error. */
export async function readJsonObject(flags: JsonInputFlags, io: CliIo): Promise<Record<string, unknown>> {
  const text = await readText(flags, io);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw CliError.usage(`invalid JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw CliError.usage(`the JSON must be an object, got ${kind}`);
  }
  return value;
}
