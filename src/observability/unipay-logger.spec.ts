import { withRequestContext } from './request-context';
import { prettyLine, REDACTED, UnipayLogger } from './unipay-logger';

function capture(options: Partial<ConstructorParameters<typeof UnipayLogger>[0]> = {}) {
  const lines: string[] = [];
  const logger = new UnipayLogger({ level: 'log', format: 'json', destination: { write: (line: string) => lines.push(line) }, ...options });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('UnipayLogger', () => {
  it("writes Nest's calls as JSON lines: the context, an object's fields, an error's stack", () => {
    const { logger, parsed } = capture();
    logger.log('plain', 'Ctx');
    logger.warn({ msg: 'channel query failed', channel: 'ali_pay', channelCode: 'ACQ.SYSTEM_ERROR' }, 'PaySyncService');
    logger.error('repair rolled back', new Error('deadlock'), 'PayRepairService');
    logger.debug('below the level', 'Ctx');
    const [plain, warn, error, ...rest] = parsed();
    expect(rest).toEqual([]);
    expect(plain).toMatchObject({ level: 'info', context: 'Ctx', msg: 'plain' });
    expect(warn).toMatchObject({ level: 'warn', context: 'PaySyncService', msg: 'channel query failed', channel: 'ali_pay', channelCode: 'ACQ.SYSTEM_ERROR' });
    expect(error).toMatchObject({ level: 'error', msg: 'repair rolled back', err: { message: 'deadlock', stack: expect.stringContaining('Error: deadlock') } });
    expect(typeof plain.time).toBe('string');
  });

  it('adds the traceId of the request being served, and only then', async () => {
    const { logger, parsed } = capture();
    await withRequestContext({ traceId: 'abcDEF123456' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.log('inside', 'Ctx');
    });
    logger.log('outside', 'Ctx');
    const [inside, outside] = parsed();
    expect(inside.traceId).toBe('abcDEF123456');
    expect(outside).not.toHaveProperty('traceId');
  });

  it('redacts secret fields by default and the paths it is given', () => {
    const { logger, lines, parsed } = capture({ redact: ['req.headers["x-merchant-ref"]'] });
    logger.log({ msg: 'x', secret: 's1', nested: { privateKey: 'pk', apiV3Key: 'v3' }, req: { headers: { authorization: 'Bearer t', 'x-merchant-ref': 'm' } } });
    expect(parsed()[0]).toMatchObject({
      secret: REDACTED,
      nested: { privateKey: REDACTED, apiV3Key: REDACTED },
      req: { headers: { authorization: REDACTED, 'x-merchant-ref': REDACTED } },
    });
    for (const secret of ['s1', 'pk', 'v3', 'Bearer t', '"m"']) expect(lines[0]).not.toContain(secret);
  });

  it('writes a readable line in the pretty format', () => {
    const { logger, lines } = capture({ format: 'pretty' });
    logger.warn({ msg: 'channel query failed', channel: 'ali_pay' }, 'PaySyncService');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN  \[PaySyncService\] channel query failed channel=ali_pay\n$/);
    expect(prettyLine('not json')).toBe('not json');
  });
});
