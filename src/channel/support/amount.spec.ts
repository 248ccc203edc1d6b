import { ChannelError } from '../pay-channel';
import { fenToCents, yuanToCents } from './amount';

describe('amounts', () => {
  it.each([
    ['0.01', 1],
    ['0.1', 10],
    ['0.10', 10],
    ['19.99', 1999],
    ['100', 10000],
    ['1234567890123.45', 123456789012345],
    ['0.29', 29],
    ['1.15', 115],
  ])('yuan %s is %i cents exactly', (yuan, cents) => {
    expect(yuanToCents(yuan)).toBe(cents);
  });

  it.each([['-1.00'], ['1.234'], ['1e3'], [''], ['abc'], ['1,00'], [' 1.00'], [12.5], [null]])('refuses %p', (value) => {
    expect(() => yuanToCents(value)).toThrow(ChannelError);
  });

  it('reads every cent value in a range exactly, without float drift', () => {
    for (let cents = 0; cents < 20000; cents += 7) {
      const yuan = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      expect(yuanToCents(yuan)).toBe(cents);
    }
  });

  it('takes fen as a number or a digit string, nothing else', () => {
    expect(fenToCents(1999)).toBe(1999);
    expect(fenToCents('000001999')).toBe(1999);
    for (const bad of [-1, 1.5, '1.5', '', 'x', null, Number.MAX_SAFE_INTEGER + 2]) {
      expect(() => fenToCents(bad)).toThrow(ChannelError);
    }
  });
});
