import { RefundStatus } from '../refund/refund-status';
import { SignSettings } from '../sign/sign.settings';
import { refundNoticeBody } from './refund-notice-body';

describe('the refund notification body', () => {
  it("is the spec's example (pay-sync.md section 8), byte for byte, signed with 123456", () => {
    const settings = Object.assign(new SignSettings(), { UNIPAY_SIGN_ENABLED: true, UNIPAY_SIGN_SECRET: '123456', UNIPAY_SIGN_TYPE: 'HMAC_SHA256' });
    const body = refundNoticeBody(
      {
        refundNo: 'DEVR24061216000001000021',
        bizRefundNo: 'SHOP-RF-0042-1',
        outRefundNo: '2024061222001491231400912345',
        orderNo: 'DEVP24061215590001000015',
        bizOrderNo: 'SHOP-20240612-0042',
        outOrderNo: '2024061222001491231400912345',
        title: '测试商品',
        channel: 'ali_pay',
        orderAmount: 1990,
        amount: 990,
        reason: '少发一件',
        status: RefundStatus.SUCCESS,
        finishTime: new Date(1718179230 * 1000 + 999),
        notifyUrl: 'https://shop.example/notify',
        attach: null,
        errorCode: null,
        errorMsg: null,
        createTime: new Date(1718179200 * 1000),
      },
      1718179231,
      settings,
    );
    expect(body).toBe(
      '{"code":0,"msg":null,"resTime":1718179231,"sign":"9758c9242bf5d4323a2c1c271bbbc9caa7c6af4aaa0c6ced19a790aead1b07a1","orderNo":"DEVP24061215590001000015","bizOrderNo":"SHOP-20240612-0042","outOrderNo":"2024061222001491231400912345","title":"测试商品","refundNo":"DEVR24061216000001000021","bizRefundNo":"SHOP-RF-0042-1","outRefundNo":"2024061222001491231400912345","channel":"ali_pay","orderAmount":1990,"amount":990,"reason":"少发一件","refundTime":null,"finishTime":1718179230,"status":"success","attach":null,"errorCode":null,"errorMsg":null}',
    );
  });
});
