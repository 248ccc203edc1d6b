import { Injectable, Logger } from '@nestjs/common';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { verifySign } from '../sign/daxpay-sign';
import { SignSettings } from '../sign/sign.settings';
import { LeaseRepository } from './lease.repository';
import { SyncSettings } from './sync.settings';

const PURGE_INTERVAL_MS = 60_000;

/**
 * Checks a validated request: signature, then request time, then nonce replay. Nonces are
 * remembered in the database until their request could no longer pass the time window, so
 * a replay is caught whichever instance it reaches.
 */
@Injectable()
export class ApiRequestVerifier {
  private readonly logger = new Logger(ApiRequestVerifier.name);
  private lastPurge = 0;

  constructor(
    private readonly sign: SignSettings,
    private readonly window: SyncSettings,
    private readonly leases: LeaseRepository,
  ) {}

  async verify(body: Record<string, unknown>, reqTime: number, nonceStr?: string): Promise<void> {
    const { sign } = this;
    if (sign.UNIPAY_SIGN_ENABLED && !verifySign(body, sign.UNIPAY_SIGN_SECRET, sign.UNIPAY_SIGN_TYPE)) {
      throw new UnipayException(UnipayErrorCode.SIGN_FAILED);
    }
    const now = Date.now();
    const nowSeconds = Math.floor(now / 1000);
    if (reqTime > nowSeconds + this.window.UNIPAY_REQ_TIME_AHEAD_SECONDS) {
      throw new UnipayException(UnipayErrorCode.VALIDATION, '请求时间超前，请校准时钟（reqTime 为 Unix 秒）');
    }
    if (reqTime < nowSeconds - this.window.UNIPAY_REQ_TIME_BEHIND_SECONDS) {
      throw new UnipayException(UnipayErrorCode.VALIDATION, '请求已过期，请重新发送！');
    }
    if (nonceStr) {
      const expiresAt = (reqTime + this.window.UNIPAY_REQ_TIME_BEHIND_SECONDS + 1) * 1000;
      if (!(await this.leases.tryAcquire(`nonce:${nonceStr}`, 'nonce', expiresAt, now))) {
        throw new UnipayException(UnipayErrorCode.VALIDATION, '重复的请求：nonceStr 已被使用');
      }
    }
    this.purgeNowAndThen(now);
  }

  private purgeNowAndThen(now: number): void {
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    this.leases.purgeExpired(now).catch((error: unknown) => this.logger.warn(`lease purge failed: ${String(error)}`));
  }
}
