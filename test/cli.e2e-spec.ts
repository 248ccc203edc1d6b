import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign, verifySign } from '../src/sign/daxpay-sign';
import { SPEC_SIGN_VECTORS, SpecSignVector } from './fixtures/spec-sign-vectors';
import { TestApp } from './support/test-app';

/** The compiled CLI: `npm test` builds it in `pretest`; run `npm run build` before `npx jest`. */
const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The parent's environment without any UNIPAY_* setting, plus the given ones. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('UNIPAY_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs the CLI as a child process; asynchronous, so an in-process server keeps serving. */
function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(options.env ?? {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A command that does not read stdin may exit before the write lands.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/** A usage error: exit 2, nothing on stdout, one line on stderr naming the problem, no stack. */
function expectUsageError(run: CliRun, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(lines(run.stderr)).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

/** A failure: exit 1, one line on stderr, no stack. */
function expectOneLineFailure(run: CliRun, message: RegExp): void {
  expect(run.code).toBe(1);
  expect(lines(run.stderr)).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

/** The string to sign as the CLI prints it without --show-secret: the secret after `&key=` masked. */
function masked(vector: SpecSignVector): string {
  const key = `&key=${vector.secret}`;
  if (!vector.text.endsWith(key)) throw new Error(`vector text does not end with ${key}`);
  return `${vector.text.slice(0, -key.length)}&key=***`;
}

// Test vectors of ../shared/spec/pay-sync.md section 3, plus the masked string the CLI prints.
const VECTORS = SPEC_SIGN_VECTORS.map((vector) => ({ ...vector, masked: masked(vector) }));

const CASES = VECTORS.flatMap((vector) =>
  (['HMAC_SHA256', 'MD5'] as const).map((signType) => ({ ...vector, signType, expected: vector[signType] })),
);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe('unipay sign', () => {
  it.each(CASES)('$signType of $text', async (c) => {
    const run = await runCli(['sign', '--json', JSON.stringify(c.fields), '--secret', c.secret, '--sign-type', c.signType]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = lines(run.stdout);
    expect(out[0]).toBe(`string to sign: ${c.masked}`);
    expect(out[out.length - 1]).toBe(c.expected);
    // The quote of s3cr"et is in the secret, so the masked output must not carry it either.
    expect(run.stdout).not.toContain(`key=${c.secret}`);

    const shown = await runCli(['sign', '--json', JSON.stringify(c.fields), '--secret', c.secret, '--sign-type', c.signType, '--show-secret']);
    expect(shown.code).toBe(0);
    const shownOut = lines(shown.stdout);
    expect(shownOut[0]).toBe(`string to sign: ${c.text}`);
    expect(shownOut[shownOut.length - 1]).toBe(c.expected);
  });

  it('defaults to HMAC_SHA256 and takes the secret from UNIPAY_SIGN_SECRET', async () => {
    const [v] = VECTORS;
    const run = await runCli(['sign', '--json', JSON.stringify(v.fields)], { env: { UNIPAY_SIGN_SECRET: v.secret } });
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([`string to sign: ${v.masked}`, v.HMAC_SHA256]);
  });

  it('reads the object from stdin when neither --json nor --file is given', async () => {
    const v = VECTORS[1];
    const run = await runCli(['sign', '--secret', v.secret, '--sign-type', 'MD5'], { input: `${JSON.stringify(v.fields, null, 2)}\n` });
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([`string to sign: ${v.masked}`, v.MD5]);
  });

  it('reads the object from --file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unipay-cli-'));
    try {
      const v = VECTORS[2];
      const file = join(dir, 'request.json');
      writeFileSync(file, JSON.stringify(v.fields));
      const run = await runCli(['sign', '--file', file, '--secret', v.secret]);
      expect(run.code).toBe(0);
      expect(lines(run.stdout)).toEqual([`string to sign: ${v.masked}`, v.HMAC_SHA256]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a sign field already in the object', async () => {
    const [v] = VECTORS;
    const run = await runCli(['sign', '--json', JSON.stringify({ ...v.fields, sign: 'abc' }), '--secret', v.secret]);
    expect(lines(run.stdout)).toEqual([`string to sign: ${v.masked}`, v.HMAC_SHA256]);
  });

  it('SM3 gives 64 hex characters, the same as the library', async () => {
    const [v] = VECTORS;
    const run = await runCli(['sign', '--json', JSON.stringify(v.fields), '--secret', v.secret, '--sign-type', 'SM3']);
    expect(run.code).toBe(0);
    const signature = lines(run.stdout).pop();
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signature).toBe(sign(v.fields, v.secret, 'SM3'));
  });

  it.each([
    ['malformed JSON', ['--json', '{"a":', '--secret', 'x'], /invalid JSON/],
    ['a JSON array', ['--json', '[1,2]', '--secret', 'x'], /must be an object/],
    ['JSON null', ['--json', 'null', '--secret', 'x'], /must be an object/],
    ['a JSON string', ['--json', '"text"', '--secret', 'x'], /must be an object/],
    ['no secret', ['--json', '{"a":1}'], /missing sign secret/],
    ['an empty secret', ['--json', '{"a":1}', '--secret', ''], /missing sign secret/],
    ['an unknown sign type', ['--json', '{"a":1}', '--secret', 'x', '--sign-type', 'SHA1'], /unknown sign type 'SHA1'/],
    ['a missing --file', ['--file', '/nonexistent/unipay.json', '--secret', 'x'], /cannot read --file/],
    ['both --json and --file', ['--json', '{}', '--file', 'x.json', '--secret', 'x'], /either --json or --file/],
    ['an unknown flag', ['--json', '{}', '--secret', 'x', '--bogus'], /Unknown option '--bogus'/],
    ['a flag without its value', ['--secret', 'x', '--json'], /--json/],
  ])('exits 2 with one line for %s', async (_, args, message) => {
    expectUsageError(await runCli(['sign', ...args]), message);
  });

  it('exits 2 on malformed JSON from stdin', async () => {
    expectUsageError(await runCli(['sign', '--secret', 'x'], { input: 'not json\nat all' }), /invalid JSON/);
  });

  it('never prints a secret from the environment', async () => {
    const run = await runCli(['sign', '--json', '{"a":1}'], { env: { UNIPAY_SIGN_SECRET: 'env-secret-value' } });
    expect(run.stdout + run.stderr).not.toContain('env-secret-value');
  });
});

describe('unipay help and unknown commands', () => {
  it.each([[[]], [['help']], [['--help']]])('%j prints the usage on stdout', async (args) => {
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: unipay <command>/);
    expect(run.stdout).toContain('sign');
    expect(run.stdout).toContain('sync');
    expect(run.stderr).toBe('');
  });

  it('an unknown command prints the usage on stderr and exits 2', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown command 'frobnicate'");
    expect(run.stderr).toContain('Usage: unipay <command>');
  });

  it.each(['sign', 'sync'])('%s --help prints that command\'s usage', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: unipay ${command}`);
  });
});

describe('unipay sync against the real server', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });

  afterAll(async () => {
    await t.close();
  });

  function syncCli(args: string[], secret = t.secret): Promise<CliRun> {
    return runCli(['sync', '--url', t.url, ...args], { env: { UNIPAY_SIGN_SECRET: secret } });
  }

  it('syncs a paid order by --order-no: pay_success, verified, order repaired', async () => {
    const order = await t.createOrder({ amount: 1999 });
    await t.setTrade(order.orderNo, { state: 'success' });

    const run = await syncCli(['--order-no', order.orderNo, '--client-ip', '127.0.0.1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"status": "pay_success"');
    expect(lines(run.stdout).pop()).toBe('signature: verified');
    expect(run.stdout).not.toContain(t.secret);
    expect((await t.order(order.orderNo)).status).toBe('success');
    const [record] = await t.syncRecords(order.orderNo);
    expect(record).toMatchObject({ source: 'manual', repaired: true, clientIp: '127.0.0.1' });
  });

  it('syncs a paid order by --biz-order-no', async () => {
    const order = await t.createOrder({ amount: 1999 });
    await t.setTrade(order.orderNo, { state: 'success' });

    const run = await syncCli(['--biz-order-no', order.bizOrderNo]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"status": "pay_success"');
    expect(run.stdout).toContain('signature: verified');
    expect((await t.order(order.orderNo)).status).toBe('success');
  });

  it('takes the URL from UNIPAY_URL', async () => {
    const order = await t.createOrder({ amount: 1999 });
    await t.setTrade(order.orderNo, { state: 'success' });

    const run = await runCli(['sync', '--order-no', order.orderNo], { env: { UNIPAY_URL: t.url, UNIPAY_SIGN_SECRET: t.secret } });
    expect(run.code).toBe(0);
    expect((await t.order(order.orderNo)).status).toBe('success');
  });

  it('a business failure is a signed answer: printed, verified, exit 0', async () => {
    const run = await syncCli(['--order-no', 'NO_SUCH_ORDER_1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"msg": "支付订单不存在"');
    expect(run.stdout).toContain('signature: verified');
  });

  it('with a wrong secret: prints outer code 20052 and exits 1, the order untouched', async () => {
    const order = await t.createOrder({ amount: 1999 });
    await t.setTrade(order.orderNo, { state: 'success' });

    const run = await syncCli(['--order-no', order.orderNo], 'not-the-server-secret');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('"code": 20052');
    expect(run.stdout).not.toContain('signature: verified');
    expect(run.stdout + run.stderr).not.toContain('not-the-server-secret');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain('code 20052');
    expect((await t.order(order.orderNo)).status).toBe('progress');
  });

  it.each([
    ['no order number', [], /--order-no or --biz-order-no/],
    ['a bad --url', ['--order-no', '1', '--url', 'ftp://example.com'], /invalid --url/],
    ['an unknown sign type', ['--order-no', '1', '--sign-type', 'RSA'], /unknown sign type/],
  ])('exits 2 with one line for %s', async (_, args, message) => {
    expectUsageError(await syncCli(args), message);
  });

  it('exits 2 without a secret', async () => {
    expectUsageError(await runCli(['sync', '--url', t.url, '--order-no', '1']), /missing sign secret/);
  });
});

describe('unipay sync against an MD5 server', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ UNIPAY_SIGN_TYPE: 'MD5' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('signs and verifies with --sign-type MD5, or UNIPAY_SIGN_TYPE as the server does', async () => {
    const first = await t.createOrder({ amount: 1999 });
    await t.setTrade(first.orderNo, { state: 'success' });
    const byFlag = await runCli(['sync', '--url', t.url, '--order-no', first.orderNo, '--sign-type', 'MD5'], { env: { UNIPAY_SIGN_SECRET: t.secret } });
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toContain('signature: verified');

    const second = await t.createOrder({ amount: 1999 });
    await t.setTrade(second.orderNo, { state: 'closed' });
    const byEnv = await runCli(['sync', '--url', t.url, '--order-no', second.orderNo], {
      env: { UNIPAY_SIGN_SECRET: t.secret, UNIPAY_SIGN_TYPE: 'MD5' },
    });
    expect(byEnv.code).toBe(0);
    expect(byEnv.stdout).toContain('"status": "pay_closed"');
    expect(byEnv.stdout).toContain('signature: verified');
  });
});

describe('unipay sync against a fake server', () => {
  const SECRET = 'fake-server-secret';
  let server: Server;
  let url: string;
  let answer: { status: number; body: string };
  let received: { url?: string; contentType?: string; body: Record<string, unknown> }[];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        received.push({ url: request.url, contentType: request.headers['content-type'], body: JSON.parse(text) as Record<string, unknown> });
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    received = [];
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function envelope(data: Record<string, unknown> | null, code = 0): string {
    return JSON.stringify({ code, msg: code === 0 ? 'success' : 'error', data, traceId: 'otTneUZX4KEK' });
  }

  function syncCli(args: string[]): Promise<CliRun> {
    return runCli(['sync', '--url', url, ...args], { env: { UNIPAY_SIGN_SECRET: SECRET } });
  }

  it('sends what a DaxPay SDK sends: JSON, fresh reqTime, 16-hex nonce, a valid signature', async () => {
    const data = { status: 'pay_success', code: 0, resTime: 1715500234 };
    answer = { status: 200, body: envelope({ ...data, sign: sign(data, SECRET, 'HMAC_SHA256') }) };

    const run = await syncCli(['--order-no', 'O1', '--biz-order-no', 'B1', '--client-ip', '::1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('signature: verified');
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request.url).toBe('/unipay/sync/pay');
    expect(request.contentType).toBe('application/json');
    expect(Object.keys(request.body).sort()).toEqual(['bizOrderNo', 'clientIp', 'nonceStr', 'orderNo', 'reqTime', 'sign']);
    expect(request.body).toMatchObject({ orderNo: 'O1', bizOrderNo: 'B1', clientIp: '::1' });
    expect(request.body.nonceStr).toMatch(/^[0-9a-f]{16}$/);
    expect(Math.abs((request.body.reqTime as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifySign(request.body, SECRET, 'HMAC_SHA256')).toBe(true);
  });

  it('keeps a path prefix of --url', async () => {
    answer = { status: 200, body: envelope(null, 10006) };
    await runCli(['sync', '--url', `${url}/gateway/`, '--order-no', 'O1'], { env: { UNIPAY_SIGN_SECRET: SECRET } });
    expect(received[0].url).toBe('/gateway/unipay/sync/pay');
  });

  it('a wrong signature on data: NOT verified, exit 1', async () => {
    answer = {
      status: 200,
      body: envelope({ status: 'pay_success', code: 0, resTime: 1715500234, sign: '0'.repeat(64) }),
    };
    const run = await syncCli(['--order-no', 'O1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('"status": "pay_success"');
    expect(lines(run.stdout).pop()).toBe('signature: NOT verified');
  });

  it('data signed with another secret: NOT verified, exit 1', async () => {
    const data = { status: 'pay_success', code: 0, resTime: 1715500234 };
    answer = { status: 200, body: envelope({ ...data, sign: sign(data, 'another-secret', 'HMAC_SHA256') }) };
    const run = await syncCli(['--order-no', 'O1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('signature: NOT verified');
  });

  it('data without a sign: NOT verified, exit 1', async () => {
    answer = { status: 200, body: envelope({ status: 'pay_success', code: 0, resTime: 1715500234 }) };
    const run = await syncCli(['--order-no', 'O1']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('signature: NOT verified');
  });

  it('an HTTP error status is a failure even with a valid envelope', async () => {
    answer = { status: 500, body: envelope(null, 1) };
    const run = await syncCli(['--order-no', 'O1']);
    expectOneLineFailure(run, /HTTP 500/);
  });

  it('an answer that is not JSON: one line, exit 1', async () => {
    answer = { status: 200, body: '<html>proxy error</html>' };
    const run = await syncCli(['--order-no', 'O1']);
    expectOneLineFailure(run, /not JSON/);
    expect(run.stdout).toBe('');
  });
});

describe('unipay sync without a server', () => {
  it('an unreachable URL: one line, exit 1', async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));

    const run = await runCli(['sync', '--url', `http://127.0.0.1:${port}`, '--order-no', 'O1'], { env: { UNIPAY_SIGN_SECRET: 'x' } });
    expectOneLineFailure(run, /cannot reach http:\/\/127\.0\.0\.1:\d+\/unipay\/sync\/pay: .*ECONNREFUSED/);
    expect(run.stdout).toBe('');
  });
});
