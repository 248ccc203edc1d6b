import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UnionPayEmulatedTrade, UnionPayEmulator, UnionPayFailure, UnionPayTestPki, generateUnionPayTestPki } from '../src/emulator/unionpay';
import { PayOrder } from '../src/order/pay-order.entity';
import { PaySyncService } from '../src/sync/pay-sync.service';
import { SyncSource } from '../src/sync/pay-sync-status';
import { ServerProcess } from './support/server-process';
import { DaxEnvelope, signedSyncBody, SyncData, TestApp } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { expectNoSecretsIn, unionPayServerEnv } from './support/unionpay-test-kit';
import { repairNoOf } from './support/outcomes';

/** 2025-12-31 23:59:58 in Beijing: one second before New Year there, 16:00 the day before in UTC. */
const CREATED = new Date('2025-12-31T15:59:58Z');
const CREATED_BEIJING = '20251231235958';
const ANOMALY_MSG = '通道支付金额与订单金额不一致，已记录异常待人工处理';

/**
 * The UnionPay channel against the emulator: every state and failure of a `queryTrans.do`
 * answer through PaySyncService (outcome, order row, sync record, repair record), and a few
 * through `POST /unipay/sync/pay`.
 */
describe('UnionPay channel (queryTrans.do 5.1.0)', () => {
  let pki: UnionPayTestPki;
  let emulator: UnionPayEmulator;
  let emulatorUrl: string;
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    pki = await generateUnionPayTestPki();
    emulator = new UnionPayEmulator(pki);
    emulatorUrl = await emulator.start(0, '127.0.0.1');
    database = await createTestDatabase();
    t = await TestApp.start(unionPayServerEnv(pki, emulatorUrl), database);
  });

  afterAll(async () => {
    await t?.close();
    await emulator?.stop();
    await database?.drop();
  });

  function unionPayOrder(fields: Partial<PayOrder> = {}): Promise<PayOrder> {
    return t.insertOrder({ channel: 'union_pay', amount: 1999, createTime: CREATED, ...fields });
  }

  const expired = (): Partial<PayOrder> => ({ expiredTime: new Date(Date.now() - 60_000) });

  async function syncWith(trade: UnionPayEmulatedTrade | null, fields: Partial<PayOrder> = {}) {
    const order = await unionPayOrder(fields);
    if (trade) emulator.setTrade(order.orderNo, trade);
    const outcome = await t.app.get(PaySyncService).sync({ orderNo: order.orderNo, source: SyncSource.MANUAL });
    const records = await t.syncRecords(order.orderNo);
    expect(records).toHaveLength(1);
    expectNoSecretsIn(records[0], pki);
    return { order, outcome, record: records[0], after: await t.order(order.orderNo), repairs: await t.repairRecords(order.orderNo) };
  }

  /** The order row is exactly as it was, and nothing was repaired. */
  async function expectUnchanged(before: PayOrder): Promise<void> {
    expect(await t.order(before.orderNo)).toEqual(before);
    expect(await t.repairRecords(before.orderNo)).toEqual([]);
  }

  function recordedQuery(channelResponse: string | null): string {
    return (JSON.parse(channelResponse ?? '{}') as { query?: string }).query ?? '';
  }

  describe('answers', () => {
    it('paid (00/00): success, queryId as out_order_no, the pay time from traceTime, exact cents', async () => {
      const trade = { txnAmt: '123457', queryId: '772512312359580012345', txnTime: CREATED_BEIJING, traceTime: '0101000012' };
      const { order, outcome, record, after, repairs } = await syncWith(trade, { amount: 123457 });

      expect(outcome).toEqual({ kind: 'repaired', status: 'pay_success', repair: { repairNo: expect.stringMatching(/^R\d{24}$/), way: 'pay_success' } });
      expect(after.status).toBe('success');
      expect(after.outOrderNo).toBe('772512312359580012345');
      expect(after.amount).toBe(123457);
      // traceTime 01-01 00:00:12 in Beijing, in the year after the order's: New Year 2026 there.
      expect(after.payTime).toEqual(new Date('2025-12-31T16:00:12Z'));
      expect(after.closeTime).toBeNull();
      expect(after.version).toBe(order.version + 1);

      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: true, repairNo: repairNoOf(outcome), channel: 'union_pay', outOrderNo: '772512312359580012345', errorCode: null, errorMsg: null, source: 'manual' });
      const query = recordedQuery(record.channelResponse);
      expect(query).toContain('queryId=772512312359580012345');
      expect(query).toContain('txnAmt=123457');
      expect(query).toContain('origRespCode=00');
      // The reserved block came through whole: its own & and = did not split it.
      expect(query).toContain('reqReserved={a=1&b=2}&respCode=00');
      expect(repairs).toHaveLength(1);
      expect(repairs[0]).toMatchObject({ repairNo: repairNoOf(outcome), way: 'pay_success', beforeStatus: 'progress', afterStatus: 'success', amount: 123457, source: 'manual', channel: 'union_pay' });
    });

    it('the query is the signed ACP 5.1.0 form, with the order time in Beijing time, verified by the emulator', async () => {
      const { order } = await syncWith({ txnAmt: '1999', txnTime: CREATED_BEIJING });
      expect(emulator.lastRequest).toEqual({
        url: '/gateway/api/queryTrans.do',
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
        signatureValid: true,
        fields: {
          version: '5.1.0',
          encoding: 'UTF-8',
          signMethod: '01',
          txnType: '00',
          txnSubType: '00',
          bizType: '000000',
          accessType: '0',
          channelType: '07',
          merId: '777290058110048',
          orderId: order.orderNo,
          txnTime: CREATED_BEIJING,
          certId: pki.merchantSign.certId,
          signature: expect.stringMatching(/^[A-Za-z0-9+/]{342}==$/),
        },
      });
      expect(emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it('UnionPay finds a trade by orderId and txnTime: another txnTime is no such trade', async () => {
      const { order, outcome } = await syncWith({ txnAmt: '1999', txnTime: '20251231235959' });
      expect(outcome).toEqual({ kind: 'unchanged', status: 'pay_not_found_unknown' });
      await expectUnchanged(order);
    });

    it('paid with another amount: no repair, an amount anomaly for an operator', async () => {
      const { order, outcome, record } = await syncWith({ txnAmt: '1998' });
      expect(outcome).toEqual({ kind: 'anomaly', status: 'pay_success', reason: 'ANOMALY', anomaly: 'amount_mismatch', message: ANOMALY_MSG });
      await expectUnchanged(order);
      expect(record).toMatchObject({ syncStatus: 'pay_success', repaired: false, anomaly: 'amount_mismatch', repairNo: null });
      expect(recordedQuery(record.channelResponse)).toContain('txnAmt=1998');
    });

    it.each(['03', '04', '05'])('in process (origRespCode %s) before expiry: pay_progress, nothing changes', async (origRespCode) => {
      const { order, outcome, record } = await syncWith({ txnAmt: '1999', origRespCode });
      expect(outcome).toEqual({ kind: 'unchanged', status: 'pay_progress' });
      await expectUnchanged(order);
      expect(record).toMatchObject({ syncStatus: 'pay_progress', repaired: false, repairNo: null, errorMsg: null });
      expect(recordedQuery(record.channelResponse)).toContain(`origRespCode=${origRespCode}`);
      expect(emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it.each(['03', '04', '05'])('in process (origRespCode %s) after expiry: pay_timeout, closed locally without a close call', async (origRespCode) => {
      const { order, outcome, record, after, repairs } = await syncWith({ txnAmt: '1999', origRespCode }, expired());
      expect(outcome).toEqual({ kind: 'repaired', status: 'pay_timeout', repair: { repairNo: expect.any(String), way: 'close_local' } });
      expect(after.status).toBe('close');
      expect(after.closeTime).toBeInstanceOf(Date);
      expect(after.payTime).toBeNull();
      expect(after.outOrderNo).toBeNull();
      expect(after.version).toBe(order.version + 1);
      expect(record).toMatchObject({ syncStatus: 'pay_timeout', repaired: true, repairNo: repairNoOf(outcome) });
      expect(JSON.parse(record.channelResponse!)).toEqual({ query: expect.stringContaining(`origRespCode=${origRespCode}`), close: 'union_pay: no close API, closed locally' });
      expect(repairs).toHaveLength(1);
      expect(repairs[0]).toMatchObject({ way: 'close_local', beforeStatus: 'progress', afterStatus: 'close' });
      // One request in all reached UnionPay: the query. There is no close call.
      expect(emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it('the payment failed (origRespCode 01): pay_closed, closed locally', async () => {
      const { order, outcome, record, after, repairs } = await syncWith({ txnAmt: '1999', origRespCode: '01' });
      expect(outcome).toEqual({ kind: 'repaired', status: 'pay_closed', repair: { repairNo: expect.any(String), way: 'close_local' } });
      expect(after).toMatchObject({ status: 'close', payTime: null, outOrderNo: null, version: order.version + 1 });
      expect(after.closeTime).toBeInstanceOf(Date);
      expect(record).toMatchObject({ syncStatus: 'pay_closed', repaired: true });
      expect(repairs).toHaveLength(1);
      expect(repairs[0]).toMatchObject({ way: 'close_local', beforeStatus: 'progress', afterStatus: 'close' });
      expect(emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it.each([
      ['set as not found', { txnAmt: '1999', failure: 'not_found' } as UnionPayEmulatedTrade],
      ['never set', null],
    ])('no such trade (respCode 34, %s) before expiry: pay_not_found_unknown, nothing changes', async (_, trade) => {
      const { order, outcome, record } = await syncWith(trade);
      expect(outcome).toEqual({ kind: 'unchanged', status: 'pay_not_found_unknown' });
      await expectUnchanged(order);
      expect(record).toMatchObject({ syncStatus: 'pay_not_found_unknown', repaired: false, errorMsg: null });
      expect(recordedQuery(record.channelResponse)).toContain('respCode=34');
    });

    it('no such trade (respCode 34) after expiry: pay_timeout, closed locally without a close call', async () => {
      const { order, outcome, after, record, repairs } = await syncWith({ txnAmt: '1999', failure: 'not_found' }, expired());
      expect(outcome).toEqual({ kind: 'repaired', status: 'pay_timeout', repair: { repairNo: expect.any(String), way: 'close_local' } });
      expect(after.status).toBe('close');
      expect(record).toMatchObject({ syncStatus: 'pay_timeout', repaired: true });
      expect(repairs).toHaveLength(1);
      expect(repairs[0]).toMatchObject({ way: 'close_local', beforeStatus: 'progress', afterStatus: 'close' });
      expect(emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it('a slow answer within the timeout is answered', async () => {
      const { outcome } = await syncWith({ txnAmt: '1999', failure: 'slow', delayMs: 300 });
      expect(outcome).toMatchObject({ kind: 'repaired', status: 'pay_success' });
    });
  });

  describe('failures: pay_fail, and the order never changes, not even an expired one', () => {
    const busy = (code: string): [string, UnionPayEmulatedTrade, string, string | null] => [
      `busy (respCode ${code})`,
      { failure: 'busy', busyCode: code },
      `${code} ${{ '03': '交易通讯超时，请发起查询交易[2000003]', '04': '交易状态未明，请查询对账结果[2000004]', '05': '交易已受理，请稍后查询交易结果[2000005]' }[code]}`,
      `respCode=${code}`,
    ];
    const unverified = (failure: UnionPayFailure, problem: string): [string, UnionPayEmulatedTrade, string, string | null] => [
      failure,
      { failure },
      `银联应答验签失败: ${problem}`,
      'respCode=00',
    ];
    it.each<[string, UnionPayEmulatedTrade, string, string | null]>([
      busy('03'),
      busy('04'),
      busy('05'),
      ['server_error (HTTP 500)', { failure: 'server_error' }, '银联查询失败: HTTP 500', 'HTTP 500: <html>'],
      ['slow (past the 1000 ms timeout)', { failure: 'slow', delayMs: 1500 }, '通道请求超时（1000 ms）', null],
      unverified('tampered_signature', '签名不正确'),
      unverified('tampered_body', '签名不正确'),
      unverified('expired_cert', '签名证书不在有效期内'),
      unverified('foreign_cert', '签名证书不是配置的中级证书签发的'),
      unverified('wrong_subject', '签名证书不属于中国银联股份有限公司'),
      unverified('unsigned', '应答没有签名'),
      ['malformed', { failure: 'malformed' }, '银联应答无法解析: a field without a name or =', '<html><body>系统繁忙'],
    ])('%s', async (_, failure, message, recorded) => {
      // In process and expired: any leak of the answer would close the order.
      const { order, outcome, record } = await syncWith({ txnAmt: '1999', origRespCode: '03', ...failure }, expired());
      expect(outcome).toEqual({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message });
      await expectUnchanged(order);
      expect(record).toMatchObject({ syncStatus: 'pay_fail', repaired: false, repairNo: null, errorCode: 'CHANNEL_ERROR', errorMsg: message, anomaly: null });
      expect(recordedQuery(record.channelResponse)).toContain(recorded ?? message);
      expect(emulator.callsOf(order.orderNo)).toEqual({ query: 1 });
    });

    it('a paid answer whose amount was altered after signing is refused, not taken as an anomaly', async () => {
      const { order, outcome, record } = await syncWith({ txnAmt: '1999', failure: 'tampered_body' });
      expect(outcome).toEqual({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message: '银联应答验签失败: 签名不正确' });
      await expectUnchanged(order);
      expect(record.anomaly).toBeNull();
    });
  });

  describe('over POST /unipay/sync/pay', () => {
    it('paid: pay_success in a signed answer, the order repaired', async () => {
      const order = await unionPayOrder({ amount: 5000 });
      emulator.setTrade(order.orderNo, { txnAmt: 5000, queryId: '100000000000000000001', traceTime: '1231235959' });
      const answer = await t.syncPay({ orderNo: order.orderNo });
      expect(answer).toMatchObject({ code: 0, msg: 'success', data: { status: 'pay_success', code: 0 } });
      expect(t.verifies(answer.data!)).toBe(true);
      const after = await t.order(order.orderNo);
      expect(after).toMatchObject({ status: 'success', outOrderNo: '100000000000000000001', amount: 5000 });
      expect(after.payTime).toEqual(new Date('2025-12-31T15:59:59Z'));
    });

    it('an unverified answer: code 1 with the reason, nothing changes', async () => {
      const order = await unionPayOrder(expired());
      emulator.setTrade(order.orderNo, { txnAmt: 1999, origRespCode: '03', failure: 'foreign_cert' });
      const answer = await t.syncPay({ bizOrderNo: order.bizOrderNo });
      expect(answer).toMatchObject({ code: 0, data: { code: 1, msg: '银联应答验签失败: 签名证书不是配置的中级证书签发的' } });
      expect(t.verifies(answer.data!)).toBe(true);
      await expectUnchanged(order);
      expect(await t.syncRecords(order.orderNo)).toMatchObject([{ syncStatus: 'pay_fail', repaired: false }]);
    });
  });

  describe('a server whose merchant signature UnionPay cannot verify', () => {
    const otherKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    it.each([
      ['another signing key', () => ({ UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: otherKey() })],
      ['another certId', () => ({ UNIPAY_UNIONPAY_SIGN_CERT_ID: '69026276696' })],
    ])('%s: UnionPay answers 11, signed; pay_fail, nothing changes', async (_, overrides) => {
      const wrong = await TestApp.start(unionPayServerEnv(pki, emulatorUrl, overrides()));
      try {
        const order = await wrong.insertOrder({ channel: 'union_pay', amount: 1999, ...expired() });
        emulator.setTrade(order.orderNo, { txnAmt: 1999, origRespCode: '03' });
        const outcome = await wrong.app.get(PaySyncService).sync({ orderNo: order.orderNo, source: SyncSource.MANUAL });
        expect(outcome).toEqual({ kind: 'failed', status: 'pay_fail', reason: 'CHANNEL_ERROR', message: '11 验证签名失败' });
        expect(emulator.lastRequest?.signatureValid).toBe(false);
        expect(await wrong.order(order.orderNo)).toEqual(order);
        expect(await wrong.repairRecords(order.orderNo)).toEqual([]);
        const [record] = await wrong.syncRecords(order.orderNo);
        expect(record).toMatchObject({ syncStatus: 'pay_fail', errorMsg: '11 验证签名失败' });
        expect(recordedQuery(record.channelResponse)).toContain('respCode=11');
        expectNoSecretsIn(record, pki);
      } finally {
        await wrong.close();
      }
    });
  });

  describe('in a server process whose time zone is not Beijing', () => {
    let server: ServerProcess | undefined;

    beforeAll(async () => {
      if (!existsSync(join(__dirname, '..', 'dist', 'src', 'channel', 'unionpay', 'unionpay.channel.js'))) {
        throw new Error('the built server has no UnionPay channel: run `npm run build` first');
      }
      server = await ServerProcess.start({
        ...unionPayServerEnv(pki, emulatorUrl),
        ...database.env,
        UNIPAY_SIGN_SECRET: t.secret,
        UNIPAY_SANDBOX_ENABLED: 'true',
        TZ: 'America/New_York',
      });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('sends txnTime in Beijing time and reads traceTime as Beijing time', async () => {
      const order = await unionPayOrder();
      emulator.setTrade(order.orderNo, { txnAmt: 1999, txnTime: CREATED_BEIJING, traceTime: '1231235959' });
      const response = await fetch(`${server!.url}/unipay/sync/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(signedSyncBody({ orderNo: order.orderNo }, t.secret)),
      });
      const answer = (await response.json()) as DaxEnvelope<SyncData>;
      expect(answer.data).toMatchObject({ status: 'pay_success', code: 0 });
      expect(emulator.lastRequest?.fields.txnTime).toBe(CREATED_BEIJING);
      expect((await t.order(order.orderNo)).payTime).toEqual(new Date('2025-12-31T15:59:59Z'));
    });
  });
});
