import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where an emulator keeps a key set: one PEM file per key, and the other fields in one JSON file. */
export interface KeyStoreLayout<T> {
  pemFiles: Partial<Record<keyof T & string, string>>;
  jsonFile?: string;
}

/**
 * The key set kept in `dir` for `npm run emulators`, so that a running server's settings stay
 * valid from one start to the next: read when every file is there, generated and written
 * when none is. Private keys are readable by the owner only. A folder holding only part of
 * a set is refused: regenerating would silently break whatever uses the keys that are there.
 */
export function keySetIn<T extends object>(dir: string, layout: KeyStoreLayout<T>, generate: () => T): T {
  const pemFields = Object.keys(layout.pemFiles) as (keyof T & string)[];
  const pemFile = (field: keyof T & string) => join(dir, layout.pemFiles[field] as string);
  const files = [...pemFields.map(pemFile), ...(layout.jsonFile ? [join(dir, layout.jsonFile)] : [])];
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length === 0) {
    const others = layout.jsonFile ? (JSON.parse(readFileSync(join(dir, layout.jsonFile), 'utf8')) as Partial<T>) : {};
    return { ...others, ...Object.fromEntries(pemFields.map((field) => [field, readFileSync(pemFile(field), 'utf8')])) } as T;
  }
  if (missing.length < files.length) {
    throw new Error(`incomplete emulator key set in ${dir}: missing ${missing.map((file) => file.slice(dir.length + 1)).join(', ')}; remove the folder to start over`);
  }
  const keys = generate();
  mkdirSync(dir, { recursive: true });
  for (const field of pemFields) {
    writeFileSync(pemFile(field), String(keys[field]), { mode: /private/i.test(field) ? 0o600 : 0o644 });
  }
  if (layout.jsonFile) {
    const others = Object.fromEntries(Object.entries(keys).filter(([field]) => !(field in layout.pemFiles)));
    writeFileSync(join(dir, layout.jsonFile), `${JSON.stringify(others, null, 2)}\n`);
  }
  return keys;
}
