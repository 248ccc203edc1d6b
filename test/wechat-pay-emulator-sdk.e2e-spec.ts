import { createPublicKey, verify } from 'node:crypto';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { WechatPayEmulatorFailure } from '../src/emulator/wechat/wechat-pay-emulated-trade';
import { startWechatPayEmulator, StartedWechatPayEmulator } from '../src/emulator/wechat/wechat-pay-emulator-start';
import { WechatPayKeySet } from '../src/emulator/wechat/wechat-pay-emulator-keys';
import { strangerPrivateKeyPem } from './support/wechat-pay-test-kit';

/**
 * The emulator must speak APIv3 as WeChat Pay does: the official Node SDK
 * (wechatpay-axios-plugin, public-key mode) signs requests the emulator accepts and verifies
 * the emulator's answers with its own code, refusing those that do not verify.
 */
describe('WeChat Pay emulator driven by the official SDK (wechatpay-axios-plugin)', () => {
  let started: StartedWechatPayEmulator;
  let keys: WechatPayKeySet;

  beforeAll(async () => {
    started = await startWechatPayEmulator();
    keys = started.keys;
  });

  afterAll(async () => {
    await started.emulator.stop();
  });

  function sdk(privateKey = keys.merchantPrivateKeyPem): Wechatpay {
    return new Wechatpay({
      mchid: keys.mchId,
      serial: keys.merchantSerialNo,
      privateKey,
      certs: { [keys.publicKeyId]: keys.platformPublicKeyPem },
      baseURL: `${started.url}/`,
    });
  }

  function query(wxpay: Wechatpay, outTradeNo: string) {
    return wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: keys.mchId }, out_trade_no: outTradeNo });
  }

  function close(wxpay: Wechatpay, outTradeNo: string) {
    return wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post({ mchid: keys.mchId }, { out_trade_no: outTradeNo });
  }

  /** The SDK's failure: an AxiosError, with the SDK's code when it refused to trust the answer. */
  interface SdkError {
    isAxiosError: boolean;
    code?: string;
    response?: { status: number; data: unknown; headers: Record<string, string> };
  }

  async function rejection(promise: Promise<unknown>): Promise<SdkError> {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown as SdkError,
    );
    expect(error?.isAxiosError).toBe(true);
    return error!;
  }

  it('queries a paid trade: the SDK verifies the answer and returns the v3 body', async () => {
    started.emulator.setTrade('SDK_PAID_1', { trade_state: 'SUCCESS', total: 2500, transaction_id: '4200000000000000000000000777', success_time: '2026-05-01T12:00:00+08:00' });
    const response = await query(sdk(), 'SDK_PAID_1');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({
      amount: { currency: 'CNY', payer_currency: 'CNY', payer_total: 2500, total: 2500 },
      appid: keys.appId,
      attach: '',
      bank_type: 'OTHERS',
      mchid: keys.mchId,
      out_trade_no: 'SDK_PAID_1',
      payer: { openid: expect.any(String) },
      promotion_detail: [],
      success_time: '2026-05-01T12:00:00+08:00',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      trade_type: 'NATIVE',
      transaction_id: '4200000000000000000000000777',
    });
    expect(response.headers['wechatpay-serial']).toBe(keys.publicKeyId);
    expect(started.emulator.callsOf('SDK_PAID_1')).toEqual({ query: 1 });
    // The SDK's own header order (mchid, serial_no, timestamp, nonce_str, signature) is accepted too.
    expect(started.emulator.lastRequest!.headers.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="\d+",serial_no=/);
  });

  it('closes a waiting trade: 204, verified, and the trade is CLOSED afterwards', async () => {
    started.emulator.setTrade('SDK_WAIT_1', { trade_state: 'NOTPAY', total: 100 });
    const response = await close(sdk(), 'SDK_WAIT_1');
    expect(response.status).toBe(204);
    expect(started.emulator.tradeOf('SDK_WAIT_1')?.trade_state).toBe('CLOSED');
    const after = await query(sdk(), 'SDK_WAIT_1');
    expect(after.data).toMatchObject({ trade_state: 'CLOSED', trade_state_desc: '订单已关闭' });
    expect(started.emulator.callsOf('SDK_WAIT_1')).toEqual({ close: 1, query: 1 });
  });

  it.each([
    ['tampered_signature', 'EV3_RES_HEADER_SIGNATURE_DIGEST'],
    ['signtest_probe', 'EV3_RES_HEADER_SIGNATURE_DIGEST'],
    ['wrong_serial', 'EV3_RES_HEADER_PLATFORM_SERIAL'],
    ['stale_timestamp', 'EV3_RES_HEADER_TIMESTAMP_OFFSET'],
  ] as [WechatPayEmulatorFailure, string][])('the SDK rejects a %s answer (%s)', async (failure, code) => {
    started.emulator.setTrade(`SDK_${failure}`, { trade_state: 'SUCCESS', total: 1, failure });
    const error = await rejection(query(sdk(), `SDK_${failure}`));
    expect(error.code).toBe(code);
    expect(error.response?.status).toBe(200);
  });

  it('the SDK rejects a 204 close answer whose signature was tampered with', async () => {
    started.emulator.setTrade('SDK_CLOSE_TAMPERED', { trade_state: 'NOTPAY', closeFailure: 'tampered_signature' });
    const error = await rejection(close(sdk(), 'SDK_CLOSE_TAMPERED'));
    expect(error.code).toBe('EV3_RES_HEADER_SIGNATURE_DIGEST');
    expect(error.response?.status).toBe(204);
  });

  it.each([
    ['an unknown trade', undefined, 404, 'ORDER_NOT_EXIST'],
    ['a rate-limited query', 'rate_limited', 429, 'FREQUENCY_LIMITED'],
    ['a failing server', 'server_error', 500, 'SYSTEM_ERROR'],
  ] as [string, WechatPayEmulatorFailure | undefined, number, string][])('%s is an HTTP error with the v3 error body', async (_, failure, status, code) => {
    const id = `SDK_ERR_${status}`;
    if (failure) started.emulator.setTrade(id, { trade_state: 'NOTPAY', failure });
    const error = await rejection(query(sdk(), id));
    expect(error.response?.status).toBe(status);
    expect(error.response?.data).toMatchObject({ code });
  });

  it('a paid trade refuses to close with 400 ORDERPAID', async () => {
    started.emulator.setTrade('SDK_PAID_CLOSE', { trade_state: 'NOTPAY', close: 'paid' });
    const error = await rejection(close(sdk(), 'SDK_PAID_CLOSE'));
    expect(error.response?.status).toBe(400);
    expect(error.response?.data).toEqual({ code: 'ORDERPAID', message: '订单已支付' });
    expect(started.emulator.tradeOf('SDK_PAID_CLOSE')?.trade_state).toBe('SUCCESS');
  });

  it('a request signed with another merchant key gets a signed 401 SIGN_ERROR', async () => {
    started.emulator.setTrade('SDK_STRANGER', { trade_state: 'SUCCESS', total: 1 });
    const error = await rejection(query(sdk(strangerPrivateKeyPem()), 'SDK_STRANGER'));
    expect(error.response?.status).toBe(401);
    expect(error.response?.data).toEqual({ code: 'SIGN_ERROR', message: '错误的签名，验签失败' });
    // The error answer is signed too, with the WeChat Pay key, over the body as sent.
    const headers = error.response!.headers;
    const message = `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${JSON.stringify(error.response!.data)}\n`;
    expect(verify('sha256', Buffer.from(message), createPublicKey(keys.platformPublicKeyPem), Buffer.from(headers['wechatpay-signature'], 'base64'))).toBe(true);
  });

  it('a request without Authorization is refused with 401 SIGN_ERROR', async () => {
    started.emulator.setTrade('PLAIN_1', { trade_state: 'SUCCESS', total: 1 });
    const response = await fetch(`${started.url}/v3/pay/transactions/out-trade-no/PLAIN_1?mchid=${keys.mchId}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'SIGN_ERROR' });
    expect(response.headers.get('wechatpay-serial')).toBe(keys.publicKeyId);
  });
});
