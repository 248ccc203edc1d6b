import { UnipayException } from '../../common/unipay.exception';
import { PaySyncParam, plainlyValid, validatedParam } from './pay-sync.param';

/** class-validator's verdict as data: the fields it keeps, or its error message. */
function verdict(body: Record<string, unknown>): { param?: Record<string, unknown>; error?: string } {
  try {
    return { param: { ...validatedParam(body) } };
  } catch (error) {
    if (error instanceof UnipayException) return { error: error.message };
    throw error;
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SAMPLES: unknown[] = [
  undefined,
  null,
  '',
  'A',
  'x'.repeat(32),
  'x'.repeat(33),
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(100),
  'x'.repeat(101),
  // 33 code units, 17 characters as class-validator counts them: accepted by it, not plain.
  '😀'.repeat(16) + 'x',
  0,
  1,
  -5,
  1.5,
  1715500231,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  [],
  ['a'],
  {},
  { a: 1 },
  '1715500231',
  '127.0.0.1',
  '255.255.255.255',
  '256.1.1.1',
  '01.2.3.4',
  '1.2.3',
  '::1',
  'fe80::1',
  '2001:db8::8a2e:370:7334',
  ' 127.0.0.1',
];

/** A value each field may take, so that most bodies are wrong in one or two fields only. */
const VALID: Record<string, unknown> = {
  orderNo: '1753370980523384832',
  bizOrderNo: 'P0001',
  clientIp: '10.0.0.1',
  nonceStr: 'd112892e382a7093',
  sign: 'f'.repeat(64),
  reqTime: 1715500231,
  extra: 'ignored',
};

describe('PaySyncParam: the hand-checked common case agrees with class-validator', () => {
  it('takes as plain only what class-validator accepts, with the same fields', () => {
    const next = random(20251201);
    let plain = 0;
    let refused = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const body: Record<string, unknown> = {};
      for (const [field, valid] of Object.entries(VALID)) {
        const sample = next() < 0.75 ? valid : SAMPLES[Math.floor(next() * SAMPLES.length)];
        if (sample !== undefined || next() < 0.5) body[field] = sample;
      }
      const fast = plainlyValid(body);
      const checked = verdict(body);
      if (fast) {
        plain += 1;
        expect(fast).toBeInstanceOf(PaySyncParam);
        expect(checked.error).toBeUndefined();
        expect({ ...fast }).toEqual(checked.param);
      } else if (checked.error) {
        refused += 1;
      }
    }
    // The sampling reaches both sides, so the agreement above is about something.
    expect(plain).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  it('takes the bodies a DaxPay SDK sends', () => {
    const body = { orderNo: '1753370980523384832', bizOrderNo: 'P0001', clientIp: '127.0.0.1', nonceStr: 'd112892e382a7093', reqTime: 1715500231, sign: 'f'.repeat(64) };
    expect({ ...plainlyValid(body) }).toEqual(body);
    expect(plainlyValid({ bizOrderNo: 'P0001', clientIp: '', reqTime: 1715500231 })).toBeDefined();
  });

  it('leaves to class-validator what it alone may accept: IPv6, and lengths counted in characters', () => {
    expect(plainlyValid({ orderNo: 'A', clientIp: '::1', reqTime: 1 })).toBeUndefined();
    expect(verdict({ orderNo: 'A', clientIp: '::1', reqTime: 1 }).error).toBeUndefined();
    const emoji = { orderNo: '😀'.repeat(16) + 'x', reqTime: 1 };
    expect(plainlyValid(emoji)).toBeUndefined();
    expect(verdict(emoji).error).toBeUndefined();
  });
});
