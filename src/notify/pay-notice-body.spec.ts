import { buildSignString, verifySign } from '../sign/daxpay-sign';
import { SignSettings } from '../sign/sign.settings';
import { PayRefundStatus, PayStatus } from '../order/pay-status';
import { payNoticeBody } from './pay-notice-body';

/** The pay notification example of spec section 8, byte for byte. */
const SPEC_BODY =
  '{"code":0,"msg":null,"resTime":1718179161,"sign":"d12aba5da5b768857b569d6f66908ef3bf8350b85ed4d41991eb96a54dd14739","orderNo":"DEVP24061215590001000015","bizOrderNo":"SHOP-20240612-0042","outOrderNo":"2024061222001491231400912345","title":"测试商品","description":null,"allocation":false,"autoAllocation":null,"channel":"ali_pay","method":"qrcode","amount":1990,"status":"success","refundStatus":"no_refund","allocStatus":null,"payTime":1718179160,"expiredTime":1718180940,"closeTime":null,"attach":"{\\"cart\\":\\"7781\\"}","errorCode":null,"errorMsg":null}';
const SPEC_SIGN_STRING =
  'allocation=false&amount=1990&attach={cart:7781}&bizOrderNo=SHOP-20240612-0042&channel=ali_pay&code=0&expiredTime=1718180940&method=qrcode&orderNo=DEVP24061215590001000015&outOrderNo=2024061222001491231400912345&payTime=1718179160&refundStatus=no_refund&resTime=1718179161&status=success&title=测试商品&key=123456';

const settings = (type: SignSettings['UNIPAY_SIGN_TYPE'] = 'HMAC_SHA256'): SignSettings =>
  Object.assign(new SignSettings(), { UNIPAY_SIGN_SECRET: '123456', UNIPAY_SIGN_TYPE: type });

const order = {
  orderNo: 'DEVP24061215590001000015',
  bizOrderNo: 'SHOP-20240612-0042',
  outOrderNo: '2024061222001491231400912345',
  title: '测试商品',
  channel: 'ali_pay',
  method: 'qrcode',
  amount: 1990,
  status: PayStatus.SUCCESS,
  refundStatus: PayRefundStatus.NO_REFUND,
  // Milliseconds are truncated, never rounded.
  payTime: new Date(1718179160_999),
  closeTime: null,
  expiredTime: new Date(1718180940_000),
  notifyUrl: 'https://shop.example/notify',
  attach: '{"cart":"7781"}',
  errorCode: null,
  errorMsg: null,
  createTime: new Date(1718179000_000),
};

describe('the pay notification body', () => {
  it('is the spec example, byte for byte, signature included', () => {
    expect(payNoticeBody(order, 1718179161, settings())).toBe(SPEC_BODY);
  });

  it('is signed over the string of the spec, and verifies with the response signer', () => {
    const body = JSON.parse(SPEC_BODY) as Record<string, unknown>;
    expect(buildSignString(body, '123456')).toBe(SPEC_SIGN_STRING);
    expect(verifySign(body, '123456', 'HMAC_SHA256')).toBe(true);
    expect(verifySign({ ...body, amount: 1991 }, '123456', 'HMAC_SHA256')).toBe(false);
  });

  it('uses the platform sign type', () => {
    const body = JSON.parse(payNoticeBody(order, 1718179161, settings('MD5'))) as Record<string, unknown>;
    expect(body.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(verifySign(body, '123456', 'MD5')).toBe(true);
  });

  it('has every field, a closed order included, and nothing else', () => {
    const closed = { ...order, status: PayStatus.CLOSE, payTime: null, outOrderNo: null, closeTime: new Date(1718181000_000), attach: null };
    const body = JSON.parse(payNoticeBody(closed, 1718181001, settings())) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(Object.keys(JSON.parse(SPEC_BODY) as object));
    expect(body).toMatchObject({ status: 'close', payTime: null, outOrderNo: null, closeTime: 1718181000, attach: null, allocation: false });
    expect(verifySign(body, '123456', 'HMAC_SHA256')).toBe(true);
  });
});
