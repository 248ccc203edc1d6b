import { ChannelError } from '../pay-channel';
import { yuanToCents } from '../support/amount';
import { parseChinaTime } from '../support/china-time';

/** The fields of an Alipay answer node that the channel reads; Alipay sends every value as a string. */
export interface AlipayResponseNode {
  code?: unknown;
  msg?: unknown;
  sub_code?: unknown;
  sub_msg?: unknown;
  out_trade_no?: unknown;
  trade_no?: unknown;
  trade_status?: unknown;
  total_amount?: unknown;
  send_pay_date?: unknown;
  /** Refund query: the refund request number echoed, present only when Alipay has the refund. */
  out_request_no?: unknown;
  /** Refund query: yuan, present only when Alipay has the refund. */
  refund_amount?: unknown;
  /** Refund query: `REFUND_SUCCESS`, or absent. */
  refund_status?: unknown;
  /** Refund query: Beijing time, only when asked for through `query_options`. */
  gmt_refund_pay?: unknown;
}

/** A string field that is there and not empty. */
export function presentText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** A yuan field of a verified answer in cents; an unreadable one fails the answer, keeping its text. */
export function alipayCents(yuan: unknown, raw: string): number {
  try {
    return yuanToCents(yuan);
  } catch (error) {
    throw new ChannelError((error as Error).message, raw);
  }
}

/**
 * A Beijing-time field (`yyyy-MM-dd HH:mm:ss`) as a UTC instant; undefined when Alipay left it
 * out. `label` names it in the failure when it is there but unreadable.
 */
export function alipayTime(value: unknown, raw: string, label: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const time = parseChinaTime(value);
  if (!time) throw new ChannelError(`支付宝返回的${label}无法识别: ${String(value).slice(0, 32)}`, raw);
  return time;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  return i;
}

/** Index just past the JSON string that opens at `from`, honouring backslash escapes. */
function stringEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return -1;
}

/** Index just past the JSON value that starts at `from` (object, array, string or scalar). */
function valueEnd(text: string, from: number): number {
  if (text[from] === '"') return stringEnd(text, from);
  if (text[from] !== '{' && text[from] !== '[') {
    const match = /^[^,}\]\s]+/.exec(text.slice(from));
    return match ? from + match[0].length : -1;
  }
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
    if (depth === 0) return i;
  }
  return -1;
}

/**
 * The exact text of a top-level member's value in a JSON object, as it stands in the body:
 * Alipay signs the `*_response` node as it wrote it, so it must be verified byte for byte
 * and never re-serialized. Undefined when the body is not an object holding that member.
 * When a key repeats, the first one is returned; callers read the fields from this text.
 */
export function responseNodeText(body: string, key: string): string | undefined {
  let i = skipWhitespace(body, 0);
  if (body[i] !== '{') return undefined;
  i = skipWhitespace(body, i + 1);
  while (i < body.length && body[i] === '"') {
    const keyEnd = stringEnd(body, i);
    if (keyEnd < 0) return undefined;
    let name: unknown;
    try {
      name = JSON.parse(body.slice(i, keyEnd));
    } catch {
      return undefined;
    }
    const colon = skipWhitespace(body, keyEnd);
    if (body[colon] !== ':') return undefined;
    const start = skipWhitespace(body, colon + 1);
    const end = valueEnd(body, start);
    if (end < 0) return undefined;
    if (name === key) return body.slice(start, end);
    i = skipWhitespace(body, end);
    if (body[i] !== ',') return undefined;
    i = skipWhitespace(body, i + 1);
  }
  return undefined;
}

/** Alipay's own code of a failed answer: the sub_code, else the code. */
export function alipayErrorCode(node: AlipayResponseNode): string | undefined {
  for (const value of [node.sub_code, node.code]) if (typeof value === 'string' && value !== '') return value.slice(0, 64);
  return undefined;
}

/** The channel's own words for a failed answer: `sub_code sub_msg`, else `msg`. */
export function alipayErrorText(node: AlipayResponseNode): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const detail = `${text(node.sub_code)} ${text(node.sub_msg)}`.trim();
  return detail || text(node.msg) || `支付宝返回码 ${text(node.code) || '(无)'}`;
}
