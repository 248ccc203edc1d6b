import { UnipayErrorCode } from '../../common/unipay-error-code';
import { UnipayException } from '../../common/unipay.exception';
import { sign } from '../../sign/daxpay-sign';
import { SignSettings } from '../../sign/sign.settings';
import { PaySyncData } from '../pay-sync-response';
import { REFUND_MESSAGES, RefundSyncOutcome } from './refund-sync-outcome';

/**
 * The DaxPay 2.0.8 answer to a refund sync, signed: `code` 0 with the channel's status
 * (or `close`) when the sync completed, `code` 1 with the reason when it did not. A busy
 * refund is refused in the outer envelope (10007).
 */
export function toRefundSyncData(outcome: RefundSyncOutcome, settings: SignSettings, now = Date.now()): PaySyncData {
  if (outcome.kind === 'busy') throw new UnipayException(UnipayErrorCode.SYNC_IN_PROGRESS, REFUND_MESSAGES.BUSY);
  const resTime = Math.floor(now / 1000);
  const data: PaySyncData =
    outcome.kind === 'unchanged' || outcome.kind === 'repaired'
      ? { status: outcome.status, code: 0, resTime }
      : outcome.message
        ? { code: 1, msg: outcome.message, resTime }
        : { code: 1, resTime };
  if (settings.UNIPAY_SIGN_ENABLED) data.sign = sign({ ...data }, settings.UNIPAY_SIGN_SECRET, settings.UNIPAY_SIGN_TYPE);
  return data;
}
