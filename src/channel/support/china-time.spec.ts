import { formatChinaCompact, formatChinaDateTime, parseChinaTime } from './china-time';

describe('Beijing time', () => {
  const instant = new Date('2026-11-26T16:05:09Z');

  it('formats in UTC+8 whatever the process time zone', () => {
    expect(formatChinaDateTime(instant)).toBe('2026-11-27 00:05:09');
    expect(formatChinaCompact(instant)).toBe('20261127000509');
  });

  it('parses both forms back to the same instant', () => {
    expect(parseChinaTime('2026-11-27 00:05:09')).toEqual(instant);
    expect(parseChinaTime('20261127000509')).toEqual(instant);
  });

  it('returns undefined for anything else', () => {
    for (const bad of ['', '2026-11-27', 'yesterday', 12, null]) expect(parseChinaTime(bad)).toBeUndefined();
  });
});
