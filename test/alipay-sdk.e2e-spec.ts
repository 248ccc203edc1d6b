import { AlipaySdk } from 'alipay-sdk';
import { generateAlipayKeySet } from '../src/emulator/alipay/alipay-key-set';
import { AlipayTestBed, TEST_ALIPAY_APP_ID } from './support/alipay-test-bed';

/**
 * The emulator speaks the real protocol: the official `alipay-sdk` (v4, `exec`, RSA2,
 * validateSign) talks to it as to Alipay, verifies its signatures, and refuses a tampered one.
 */
describe('the Alipay emulator driven by the official alipay-sdk', () => {
  let bed: AlipayTestBed;
  let serial = 0;

  beforeAll(async () => {
    bed = await AlipayTestBed.start();
  });

  afterAll(async () => {
    await bed?.stop();
  });

  function sdk(merchantPrivateKey = bed.keys.merchantPrivateKey): AlipaySdk {
    return new AlipaySdk({
      appId: TEST_ALIPAY_APP_ID,
      privateKey: merchantPrivateKey,
      alipayPublicKey: bed.keys.alipayPublicKey,
      gateway: `${bed.url}/gateway.do`,
      signType: 'RSA2',
      keyType: 'PKCS8',
      timeout: 5000,
    });
  }

  const outTradeNo = () => `SDK${Date.now()}${serial++}`;

  it('queries a paid trade with validateSign on', async () => {
    const no = outTradeNo();
    bed.emulator.setTrade(no, { trade_status: 'TRADE_SUCCESS', total_amount: '88.88', trade_no: '2026112722001400000000000001', send_pay_date: '2026-11-27 00:05:09' });
    const result = await sdk().exec('alipay.trade.query', { bizContent: { out_trade_no: no } }, { validateSign: true });
    expect(result).toMatchObject({
      code: '10000',
      msg: 'Success',
      outTradeNo: no,
      tradeNo: '2026112722001400000000000001',
      tradeStatus: 'TRADE_SUCCESS',
      totalAmount: '88.88',
      sendPayDate: '2026-11-27 00:05:09',
      fundBillList: [{ amount: '88.88', fundChannel: 'ALIPAYACCOUNT' }],
    });
    expect(bed.emulator.callsOf(no)).toEqual({ query: 1 });
    // The SDK sends the common parameters in the query string and biz_content in the form.
    expect(bed.emulator.lastRequest()!.params).toMatchObject({ app_id: TEST_ALIPAY_APP_ID, method: 'alipay.trade.query', sign_type: 'RSA2' });
  });

  it('closes a waiting trade with validateSign on', async () => {
    const no = outTradeNo();
    bed.emulator.setTrade(no, { trade_status: 'WAIT_BUYER_PAY', total_amount: '1.00', trade_no: '2026112722001400000000000002' });
    const result = await sdk().exec('alipay.trade.close', { bizContent: { out_trade_no: no } }, { validateSign: true });
    expect(result).toMatchObject({ code: '10000', msg: 'Success', outTradeNo: no, tradeNo: '2026112722001400000000000002' });
    expect(bed.emulator.callsOf(no)).toEqual({ close: 1 });
    expect(bed.emulator.trade(no)?.trade_status).toBe('TRADE_CLOSED');
  });

  it('verifies signed error answers too (ACQ.TRADE_NOT_EXIST, ACQ.TRADE_STATUS_ERROR)', async () => {
    const missing = await sdk().exec('alipay.trade.query', { bizContent: { out_trade_no: outTradeNo() } }, { validateSign: true });
    expect(missing).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
    const no = outTradeNo();
    bed.emulator.setTrade(no, { trade_status: 'WAIT_BUYER_PAY', close: 'status_error' });
    const refused = await sdk().exec('alipay.trade.close', { bizContent: { out_trade_no: no } }, { validateSign: true });
    expect(refused).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
    expect(bed.emulator.trade(no)?.trade_status).toBe('TRADE_SUCCESS');
  });

  it('rejects a tampered signature when validateSign is on (and only then)', async () => {
    const no = outTradeNo();
    bed.emulator.setTrade(no, { trade_status: 'TRADE_SUCCESS', total_amount: '88.88', failure: 'tampered_signature' });
    await expect(sdk().exec('alipay.trade.query', { bizContent: { out_trade_no: no } }, { validateSign: true })).rejects.toThrow(/验签失败/);
    // Without the check the same answer is read: the rejection above is the signature, nothing else.
    await expect(sdk().exec('alipay.trade.query', { bizContent: { out_trade_no: no } }, { validateSign: false })).resolves.toMatchObject({
      code: '10000',
      totalAmount: '0.01',
    });
  });

  it('answers gateway errors signed, in the node named after the requested method', async () => {
    const strangerApp = new AlipaySdk({ ...sdk().config, appId: '2021999999999999' });
    await expect(strangerApp.exec('alipay.trade.query', { bizContent: { out_trade_no: outTradeNo() } }, { validateSign: true })).resolves.toMatchObject({
      code: '40002',
      subCode: 'isv.invalid-app-id',
    });
    // A method the emulator does not serve still gets its own node, which the SDK looks for.
    await expect(sdk().exec('alipay.trade.pay', { bizContent: { out_trade_no: outTradeNo() } }, { validateSign: true })).resolves.toMatchObject({
      code: '40002',
      subCode: 'isv.invalid-method',
    });
  });

  it('refuses a request the SDK signed with a key Alipay does not know (isv.invalid-signature, signed)', async () => {
    const no = outTradeNo();
    bed.emulator.setTrade(no, { trade_status: 'TRADE_SUCCESS', total_amount: '88.88' });
    const stranger = sdk(generateAlipayKeySet().merchantPrivateKey);
    const result = await stranger.exec('alipay.trade.query', { bizContent: { out_trade_no: no } }, { validateSign: true });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
    expect(bed.emulator.callsOf(no)).toEqual({});
  });
});
