import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUnionPayEmulatorForQuickStart, UNIONPAY_PKI_FILES } from '../src/emulator/unionpay';
import { TestApp } from './support/test-app';

/** What `npm run emulators` will do for UnionPay: a PKI in a folder, the emulator, the server settings. */
describe('startUnionPayEmulatorForQuickStart', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'unionpay-quick-start-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates the PKI once, starts the emulator, and its settings let the server sync an order', async () => {
    const first = await startUnionPayEmulatorForQuickStart(join(dir, 'unionpay'), 0);
    let certId: string;
    try {
      for (const name of Object.values(UNIONPAY_PKI_FILES)) {
        const mode = statSync(join(dir, 'unionpay', name)).mode & 0o777;
        expect([name, mode]).toEqual([name, name.endsWith('.key.pem') ? 0o600 : 0o644]);
      }
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.env).toEqual({
        UNIPAY_UNIONPAY_ENABLED: 'true',
        UNIPAY_UNIONPAY_MER_ID: '777290058110048',
        UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: join(dir, 'unionpay', 'merchant-sign.key.pem'),
        UNIPAY_UNIONPAY_SIGN_CERT_ID: expect.stringMatching(/^\d+$/),
        UNIPAY_UNIONPAY_ROOT_CERT: join(dir, 'unionpay', 'root.pem'),
        UNIPAY_UNIONPAY_MIDDLE_CERT: join(dir, 'unionpay', 'middle.pem'),
        UNIPAY_UNIONPAY_QUERY_URL: `${first.url}/gateway/api/queryTrans.do`,
      });
      certId = first.env.UNIPAY_UNIONPAY_SIGN_CERT_ID;
    } finally {
      await first.emulator.stop();
    }

    // Started again on the same folder: the same PKI, so a configured server stays valid.
    const rootBefore = readFileSync(join(dir, 'unionpay', 'root.pem'), 'utf8');
    const again = await startUnionPayEmulatorForQuickStart(join(dir, 'unionpay'), 0);
    const t = await TestApp.start(again.env);
    try {
      expect(again.env.UNIPAY_UNIONPAY_SIGN_CERT_ID).toBe(certId);
      expect(readFileSync(join(dir, 'unionpay', 'root.pem'), 'utf8')).toBe(rootBefore);
      const order = await t.insertOrder({ channel: 'union_pay', amount: 1999 });
      // As with `curl -X PUT $EMULATOR/__emulator/trades/<orderNo> -d '{"txnAmt":1999}'`.
      const put = await fetch(`${again.url}/__emulator/trades/${order.orderNo}`, { method: 'PUT', body: JSON.stringify({ txnAmt: 1999, queryId: '123456789012345678901' }) });
      expect(put.status).toBe(200);
      const answer = await t.syncPay({ orderNo: order.orderNo });
      expect(answer.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect(await t.order(order.orderNo)).toMatchObject({ status: 'success', outOrderNo: '123456789012345678901' });
      const calls = (await (await fetch(`${again.url}/__emulator/trades/${order.orderNo}`)).json()) as { calls: Record<string, number> };
      expect(calls.calls).toEqual({ query: 1 });
    } finally {
      await t.close();
      await again.emulator.stop();
    }
  });
});
