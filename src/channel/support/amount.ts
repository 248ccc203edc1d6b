import { ChannelError } from '../pay-channel';

/**
 * Yuan as a decimal string ("12.34", "0.5", "100") to integer cents, exactly: no floating
 * point ever touches the amount. Anything else is an unusable answer.
 */
export function yuanToCents(yuan: unknown): number {
  if (typeof yuan !== 'string' || !/^\d{1,13}(\.\d{1,2})?$/.test(yuan)) {
    throw new ChannelError(`通道返回的金额无法识别: ${String(yuan).slice(0, 32)}`);
  }
  const [whole, fraction = ''] = yuan.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Fen (cents) as sent by WeChat Pay (a number) or UnionPay (a digit string) to an integer. */
export function fenToCents(fen: unknown): number {
  const value = typeof fen === 'string' && /^\d{1,15}$/.test(fen) ? Number(fen) : fen;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ChannelError(`通道返回的金额无法识别: ${String(fen).slice(0, 32)}`);
  }
  return value;
}
