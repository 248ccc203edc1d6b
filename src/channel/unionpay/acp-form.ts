/** An ACP (UnionPay online payment) message: field name → value, as sent and signed. */
export type AcpFields = Record<string, string>;

/** The body of an answer could not be read as an ACP message. */
export class AcpFormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcpFormError';
  }
}

/**
 * The fields sorted by name (code-unit order, like Java's TreeMap in UnionPay's SDK) and
 * joined as `k=v&k=v` with the raw values: no URL encoding, empty values kept as `k=`.
 */
export function acpJoin(fields: AcpFields, leaveOut: readonly string[] = []): string {
  return Object.keys(fields)
    .filter((key) => !leaveOut.includes(key))
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&');
}

/** The string UnionPay signs: every field but `signature`, sorted and joined raw. */
export function acpSortedString(fields: AcpFields): string {
  return acpJoin(fields, ['signature']);
}

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const CLOSER: Record<string, string> = { '{': '}', '[': ']' };

/**
 * Reads an answer `k=v&k=v`. Values are raw, and a value may be a `{…}` or `[…]` block with
 * its own `&` and `=` (reserved fields): an `&` splits fields only outside such blocks, and a
 * key ends at its first `=` (base64 values end in `=` too). A body that is URL-encoded after
 * all (UnionPay's are not) is split on `&` and decoded instead.
 */
export function parseAcpResponse(body: string): AcpFields {
  const text = body.replace(/[\r\n]+$/, '');
  if (text.trim() === '') throw new AcpFormError('empty body');
  const pairs = isUrlEncoded(text) ? text.split('&').map(decodedPair) : splitOutsideBlocks(text).map(rawPair);
  const fields: AcpFields = {};
  for (const [key, value] of pairs) {
    if (!KEY.test(key)) throw new AcpFormError('not a field name');
    if (Object.prototype.hasOwnProperty.call(fields, key)) throw new AcpFormError(`field ${key} appears twice`);
    fields[key] = value;
  }
  return fields;
}

/**
 * An encoder escapes whitespace, braces, quotes and every non-ASCII character, and a raw
 * UnionPay answer always holds some of them (the certificate's spaces and line breaks, the
 * Chinese messages); so a body with `%XX` escapes and none of them was URL-encoded.
 */
function isUrlEncoded(text: string): boolean {
  return /%[0-9A-Fa-f]{2}/.test(text) && !/[\s{}[\]"<>\u0080-\uffff]/.test(text);
}

function decodedPair(segment: string): [string, string] {
  const [key, value] = rawPair(segment);
  try {
    return [decodeURIComponent(key.replace(/\+/g, ' ')), decodeURIComponent(value.replace(/\+/g, ' '))];
  } catch {
    throw new AcpFormError('bad URL encoding');
  }
}

function rawPair(segment: string): [string, string] {
  const equals = segment.indexOf('=');
  if (equals <= 0) throw new AcpFormError('a field without a name or =');
  return [segment.slice(0, equals), segment.slice(equals + 1)];
}

/** Splits on the `&` that stand in no `{…}` / `[…]` block of a value; blocks may nest. */
function splitOutsideBlocks(text: string): string[] {
  const segments: string[] = [];
  const open: string[] = [];
  let start = 0;
  let inValue = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (!inValue) {
      if (char === '=') inValue = true;
      else if (char === '&') throw new AcpFormError('a field without a name or =');
      continue;
    }
    if (CLOSER[char]) {
      open.push(CLOSER[char]);
    } else if (open.length > 0 && char === open[open.length - 1]) {
      open.pop();
    } else if (char === '&' && open.length === 0) {
      segments.push(text.slice(start, i));
      start = i + 1;
      inValue = false;
    }
  }
  if (open.length > 0) throw new AcpFormError('a { or [ block is never closed');
  segments.push(text.slice(start));
  return segments;
}
