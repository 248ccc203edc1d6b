import { Injectable } from '@nestjs/common';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { verifySign } from '../sign/daxpay-sign';
import { SignSettings } from '../sign/sign.settings';
import { SyncSettings } from './sync.settings';

/** How a request outside the time window is told: pay sync in its own words, refund sync in DaxPay 2.0.8's. */
export interface WindowWording {
  ahead: string;
  behind: string;
}

export const PAY_WINDOW_WORDING: WindowWording = { ahead: '请求时间超前，请校准时钟（reqTime 为 Unix 秒）', behind: '请求已过期，请重新发送！' };
export const REFUND_WINDOW_WORDING: WindowWording = {
  ahead: '验证参数错误\n请求时间晚于服务器接收到的时间，请检查',
  behind: '验证参数错误\n请求已过期，请重新发送！',
};

/** What a merchant is told when a `nonceStr` comes back inside the window. */
export const NONCE_REPLAYED = '重复的请求：nonceStr 已被使用';

/**
 * Checks a validated request: signature, then request time. The nonce is checked by the
 * sync itself, in the same INSERT that takes the order's lock (the attempt's record keeps
 * it, unique), so a replay is caught whichever instance it reaches, before anything is
 * written or asked.
 */
@Injectable()
export class ApiRequestVerifier {
  constructor(
    private readonly sign: SignSettings,
    private readonly window: SyncSettings,
  ) {}

  verify(body: Record<string, unknown>, reqTime: number, wording: WindowWording = PAY_WINDOW_WORDING): void {
    const { sign } = this;
    if (sign.UNIPAY_SIGN_ENABLED && !verifySign(body, sign.UNIPAY_SIGN_SECRET, sign.UNIPAY_SIGN_TYPE)) {
      throw new UnipayException(UnipayErrorCode.SIGN_FAILED);
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (reqTime > nowSeconds + this.window.UNIPAY_REQ_TIME_AHEAD_SECONDS) {
      throw new UnipayException(UnipayErrorCode.VALIDATION, wording.ahead);
    }
    if (reqTime < nowSeconds - this.window.UNIPAY_REQ_TIME_BEHIND_SECONDS) {
      throw new UnipayException(UnipayErrorCode.VALIDATION, wording.behind);
    }
  }
}
