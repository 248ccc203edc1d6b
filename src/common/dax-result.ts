import { randomBytes } from 'node:crypto';

/** The DaxPay response envelope, always sent with HTTP 200 on the API. */
export interface DaxResult<T> {
  code: number;
  msg: string;
  data: T | null;
  traceId: string;
}

const TRACE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 12-character trace id, like DaxPay's. */
export function newTraceId(): string {
  const bytes = randomBytes(12);
  let id = '';
  for (const byte of bytes) id += TRACE_ALPHABET[byte % TRACE_ALPHABET.length];
  return id;
}

export function daxResult<T>(code: number, msg: string, data: T | null, traceId: string): DaxResult<T> {
  return { code, msg, data, traceId };
}
