/** The channels of mainland China speak Beijing time (UTC+8, no daylight saving). */
const OFFSET_MS = 8 * 3600 * 1000;

function parts(date: Date): string[] {
  const shifted = new Date(date.getTime() + OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return [
    pad(shifted.getUTCFullYear(), 4),
    pad(shifted.getUTCMonth() + 1),
    pad(shifted.getUTCDate()),
    pad(shifted.getUTCHours()),
    pad(shifted.getUTCMinutes()),
    pad(shifted.getUTCSeconds()),
  ];
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, whatever the process time zone (Alipay). */
export function formatChinaDateTime(date: Date): string {
  const [y, mo, d, h, mi, s] = parts(date);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** `yyyyMMddHHmmss` in Beijing time (UnionPay). */
export function formatChinaCompact(date: Date): string {
  return parts(date).join('');
}

/** Parses `yyyy-MM-dd HH:mm:ss` or `yyyyMMddHHmmss` in Beijing time; undefined when it is neither. */
export function parseChinaTime(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
  return Number.isNaN(utc) ? undefined : new Date(utc);
}
